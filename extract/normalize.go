package extract

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Span is a half-open byte range [start, end) into a text. In every output of
// this package spans point into the text exactly as the caller gave it.
type Span [2]int

// Start is the first byte of the span.
func (s Span) Start() int { return s[0] }

// End is the byte after the span.
func (s Span) End() int { return s[1] }

// Normalized is a text in the canonical form the extractor matches on, with
// the way back to the text it came from.
//
// The canonical form is NFC; tone marks on open -oa, -oe and -uy syllables
// placed on the first vowel (hoà → hòa, uỷ → ủy, never quý or hoàng);
// no-break and other odd spaces as U+0020; line and paragraph separators and
// CR LF as LF; dash variants as U+002D; format characters (zero-width space,
// soft hyphen, byte order mark, direction marks) removed; invalid UTF-8 as
// U+FFFD. Case is kept.
type Normalized struct {
	src    string
	text   string
	stages []offsetMap // applied in order: src -> stages[0] -> ... -> text
}

// Normalize returns the canonical form of s with its offset map.
func Normalize(s string) Normalized {
	n := Normalized{src: s, text: s}
	mapping, compose, tones := needs(s)
	for _, stage := range []struct {
		run  func(string) (string, offsetMap)
		need bool
	}{{mapChars, mapping}, {composeNFC, compose}, {placeTones, tones || compose || mapping}} {
		if !stage.need {
			continue
		}
		out, m := stage.run(n.text)
		if len(m.units) > 0 {
			n.text = out
			n.stages = append(n.stages, m)
		}
	}
	return n
}

// needs reports, in one pass, which stages s needs: runes to map, runes
// outside NFC's quick set, an old tone placement (oà, oé, uỷ).
func needs(s string) (mapping, compose, tones bool) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < ' ' && c != '\n' || c == 0x7f {
				mapping = true
			}
			i++
			continue
		}
		r, size := decodeRune(s, i)
		if r >= rune(len(charClass)) {
			mapping, compose = true, true
			i += size
			continue
		}
		cl := charClass[r]
		if cl&(cLetter|cMark|cDigit) == 0 {
			mapping = true // a space, dash or format character may need mapping
		}
		if cl&cNFC == 0 {
			compose = true
		}
		if cl&cToneSecond != 0 && i > 0 {
			switch s[i-1] {
			case 'o', 'O', 'u', 'U':
				tones = true
			}
		}
		i += size
	}
	return mapping, compose, tones
}

// NormalizeString returns the canonical form of s.
func NormalizeString(s string) string { return Normalize(s).text }

// String returns the normalized text.
func (n Normalized) String() string { return n.text }

// Source returns the text that was normalized.
func (n Normalized) Source() string { return n.src }

// SourceSpan maps a span of the normalized text to the source text. The result
// covers exactly the source bytes the normalized span came from and always
// starts and ends on UTF-8 boundaries of the source.
func (n Normalized) SourceSpan(s Span) Span {
	a, b := s[0], s[1]
	for i := len(n.stages) - 1; i >= 0; i-- {
		a = n.stages[i].toSource(a, false)
		b = n.stages[i].toSource(b, true)
	}
	if b < a {
		b = a
	}
	return Span{a, b}
}

// unit is a region of an output text that differs from the input it came
// from: out[n0:n1] replaced in[o0:o1]. Outside units bytes were copied.
type unit struct{ n0, n1, o0, o1 int }

type offsetMap struct{ units []unit }

// toSource maps an output offset to an input offset. A start offset inside a
// changed unit snaps to the unit's start, an end offset to its end.
func (m offsetMap) toSource(p int, end bool) int {
	u := m.units
	var i int
	if end {
		i = sort.Search(len(u), func(i int) bool { return u[i].n0 >= p }) - 1
	} else {
		i = sort.Search(len(u), func(i int) bool { return u[i].n0 > p }) - 1
	}
	if i < 0 {
		return p
	}
	x := u[i]
	if end && p <= x.n1 || !end && p < x.n1 {
		if end {
			return x.o1
		}
		return x.o0
	}
	return x.o1 + (p - x.n1)
}

// mapBuilder writes an output text and records where it differs from the
// input. Deleted input is attached to the neighbouring output rune so that no
// unit is empty.
type mapBuilder struct {
	out     []byte
	units   []unit
	lastN   int // start of the last rune written, in out
	lastO   int // start of that rune in the input
	pending int // start of input deleted before anything was written, or -1
}

func newMapBuilder(size int) *mapBuilder {
	return &mapBuilder{out: make([]byte, 0, size), lastN: -1, pending: -1}
}

func (b *mapBuilder) addUnit(x unit) {
	if k := len(b.units) - 1; k >= 0 && b.units[k].n1 >= x.n0 {
		// Adjacent or overlapping (a deletion attached to a replaced rune).
		if x.n1 > b.units[k].n1 {
			b.units[k].n1 = x.n1
		}
		if x.o1 > b.units[k].o1 {
			b.units[k].o1 = x.o1
		}
		return
	}
	b.units = append(b.units, x)
}

// copy writes in[o0:o1] unchanged.
func (b *mapBuilder) copy(s string, o0 int) {
	if s == "" {
		return
	}
	if b.pending >= 0 {
		_, size := utf8.DecodeRuneInString(s)
		n0 := len(b.out)
		b.out = append(b.out, s[:size]...)
		b.addUnit(unit{n0, n0 + size, b.pending, o0 + size})
		b.pending = -1
		b.lastN, b.lastO = n0, o0
		s, o0 = s[size:], o0+size
		if s == "" {
			return
		}
	}
	_, size := utf8.DecodeLastRuneInString(s)
	b.lastN = len(b.out) + len(s) - size
	b.lastO = o0 + len(s) - size
	b.out = append(b.out, s...)
}

// replace writes repl for in[o0:o1].
func (b *mapBuilder) replace(repl string, o0, o1 int) {
	if repl == "" {
		switch {
		case b.lastN >= 0:
			b.addUnit(unit{b.lastN, len(b.out), b.lastO, o1})
		case b.pending < 0:
			b.pending = o0
		}
		return
	}
	if b.pending >= 0 {
		o0 = b.pending
		b.pending = -1
	}
	n0 := len(b.out)
	b.out = append(b.out, repl...)
	b.addUnit(unit{n0, len(b.out), o0, o1})
	b.lastN, b.lastO = n0, o0
}

// appendNFC writes the NFC form of the segment seg = in[o0:o0+len(seg)].
func (b *mapBuilder) appendNFC(seg string, o0 int) {
	if r, ok := composedOf[seg]; ok {
		// A decomposed Vietnamese letter: the common case of NFD text.
		var buf [utf8.UTFMax]byte
		b.replace(string(buf[:utf8.EncodeRune(buf[:], r)]), o0, o0+len(seg))
		return
	}
	if out := norm.NFC.String(seg); out != seg {
		b.replace(out, o0, o0+len(seg))
		return
	}
	b.copy(seg, o0)
}

// composeLatin composes text whose only non-NFC parts are Latin letters
// followed by combining marks in canonical order (decomposed Vietnamese). It
// returns false for anything else, which the general path handles.
func composeLatin(s string) (string, offsetMap, bool) {
	var b *mapBuilder
	run, starter := 0, -1
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			starter = i
			i++
			continue
		}
		r, size := decodeRune(s, i)
		if classOf(r)&cNFC != 0 {
			starter = i
			i += size
			continue
		}
		if r < 0x300 || r > 0x36F || starter < 0 {
			return "", offsetMap{}, false
		}
		j := i + size
		for j < len(s) {
			r2, sz := decodeRune(s, j)
			if r2 < 0x300 || r2 > 0x36F {
				break
			}
			j += sz
		}
		comp, ok := composedOf[s[starter:j]]
		if !ok {
			return "", offsetMap{}, false
		}
		if b == nil {
			b = newMapBuilder(len(s))
		}
		b.copy(s[run:starter], run)
		var buf [utf8.UTFMax]byte
		b.replace(string(buf[:utf8.EncodeRune(buf[:], comp)]), starter, j)
		run, starter, i = j, -1, j
	}
	if b == nil {
		return s, offsetMap{}, true
	}
	b.copy(s[run:], run)
	out, m := b.result()
	return out, m, true
}

// composedOf maps the canonical decomposition of each precomposed Latin
// letter to the letter.
var composedOf = map[string]rune{}

func initComposed() {
	for _, rng := range [][2]rune{{0xC0, 0x24F}, {0x1E00, 0x1EFF}} {
		for r := rng[0]; r <= rng[1]; r++ {
			d := norm.NFD.String(string(r))
			if d != string(r) && norm.NFC.String(d) == string(r) {
				composedOf[d] = r
			}
		}
	}
}

func (b *mapBuilder) result() (string, offsetMap) {
	return string(b.out), offsetMap{b.units}
}

// mapChars is the first stage: spaces, line ends, dashes, format characters
// and invalid bytes.
func mapChars(s string) (string, offsetMap) {
	var b *mapBuilder
	run := 0 // start of the current run of unchanged bytes
	for i := 0; i < len(s); {
		c := s[i]
		if c >= ' ' && c < 0x7f || c == '\n' {
			i++
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = decodeRune(s, i)
		}
		repl, changed := mapRune(r, size, s, i)
		if !changed {
			i += size
			continue
		}
		if b == nil {
			b = newMapBuilder(len(s))
		}
		b.copy(s[run:i], run)
		b.replace(repl, i, i+size)
		i += size
		run = i
	}
	if b == nil {
		return s, offsetMap{}
	}
	b.copy(s[run:], run)
	return b.result()
}

// mapRune says what the first stage writes for rune r at s[i:i+size].
func mapRune(r rune, size int, s string, i int) (string, bool) {
	switch {
	case r == utf8.RuneError && size == 1:
		return "\uFFFD", true
	case r == '\n' || r == ' ':
		return "", false
	case r == '\r':
		if i+1 < len(s) && s[i+1] == '\n' {
			return "", true
		}
		return "\n", true
	case r == '\u2028' || r == '\u2029' || r == '\u0085':
		return "\n", true
	case r == '\t' || r < ' ' || r == 0x7f || r >= 0x80 && r < 0xa0:
		return " ", true
	case r < utf8.RuneSelf || classOf(r)&(cLetter|cMark|cDigit) != 0:
		return "", false
	case unicode.Is(unicode.Zs, r):
		return " ", true
	case isDash(r):
		return "-", true
	case unicode.Is(unicode.Cf, r):
		return "", true
	}
	return "", false
}

func isDash(r rune) bool {
	switch r {
	case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\uFE58', '\uFE63', '\uFF0D':
		return true
	}
	return false
}

// composeNFC is the second stage: canonical composition, segment by segment
// so that the offset map stays exact.
func composeNFC(s string) (string, offsetMap) {
	if quickNFC(s) {
		return s, offsetMap{}
	}
	if out, m, ok := composeLatin(s); ok {
		return out, m
	}
	if norm.NFC.IsNormalString(s) {
		return s, offsetMap{}
	}
	b := newMapBuilder(len(s))
	for i := 0; i < len(s); {
		if q := norm.NFC.QuickSpanString(s[i:]); q > 0 {
			b.copy(s[i:i+q], i)
			i += q
			continue
		}
		j := i + norm.NFC.NextBoundaryInString(s[i:], true)
		if j <= i {
			j = len(s)
		}
		b.appendNFC(s[i:j], i)
		i = j
	}
	return b.result()
}

// Vietnamese vowels: base letter and tone. Tones: 0 none, 1 grave (huyền),
// 2 acute (sắc), 3 hook (hỏi), 4 tilde (ngã), 5 dot below (nặng).
var vowelForms = [...]string{
	"aàáảãạ", "ăằắẳẵặ", "âầấẩẫậ", "eèéẻẽẹ", "êềếểễệ", "iìíỉĩị",
	"oòóỏõọ", "ôồốổỗộ", "ơờớởỡợ", "uùúủũụ", "ưừứửữự", "yỳýỷỹỵ",
	"AÀÁẢÃẠ", "ĂẰẮẲẴẶ", "ÂẦẤẨẪẬ", "EÈÉẺẼẸ", "ÊỀẾỂỄỆ", "IÌÍỈĨỊ",
	"OÒÓỎÕỌ", "ÔỒỐỔỖỘ", "ƠỜỚỞỠỢ", "UÙÚỦŨỤ", "ƯỪỨỬỮỰ", "YỲÝỶỸỴ",
}

type vowel struct {
	base rune // the untoned letter, case kept
	tone int
}

var (
	withTone = map[vowel]rune{}
	// vowelTab holds the base letter and tone of each Vietnamese vowel, all
	// of which are below U+1F00.
	vowelTab [0x1F00]struct {
		v  vowel
		ok bool
	}
)

// vowelInfo returns the base letter and tone of a Vietnamese vowel.
func vowelInfo(r rune) (vowel, bool) {
	if r >= 0 && r < rune(len(vowelTab)) {
		e := vowelTab[r]
		return e.v, e.ok
	}
	return vowel{}, false
}

func initVowels() {
	for _, forms := range vowelForms {
		rs := []rune(forms)
		for tone, r := range rs {
			v := vowel{rs[0], tone}
			withTone[v] = r
			vowelTab[r].v, vowelTab[r].ok = v, true
		}
	}
}

// placeTones is the third stage: in a syllable whose vowels are exactly oa, oe
// or uy with nothing after them, the tone moves to the first vowel.
func placeTones(s string) (string, offsetMap) {
	var b *mapBuilder
	run := 0
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := decodeRune(s, i)
		end := i + size
		if classOf(r)&cToneSecond == 0 {
			i = end
			continue
		}
		v, _ := vowelInfo(r)
		// r is a toned a, e or y: the syllable must end here and the previous
		// rune must be the untoned first vowel of the pair.
		if end < len(s) {
			if next, _ := utf8.DecodeRuneInString(s[end:]); isWordRune(next) {
				i = end
				continue
			}
		}
		prev, psize := utf8.DecodeLastRuneInString(s[:i])
		if !pairs(prev, v.base) {
			i = end
			continue
		}
		start := i - psize
		// The rune before the pair must not be a vowel (a longer nucleus) nor q
		// before uy (quý keeps its tone on y).
		if start > 0 {
			before, _ := utf8.DecodeLastRuneInString(s[:start])
			if _, isV := vowelInfo(before); isV || (before == 'q' || before == 'Q') && (prev == 'u' || prev == 'U') || unicode.IsMark(before) {
				i = end
				continue
			}
		}
		if b == nil {
			b = newMapBuilder(len(s))
		}
		b.copy(s[run:start], run)
		repl := string(withTone[vowel{prev, v.tone}]) + string(v.base)
		b.replace(repl, start, end)
		i = end
		run = end
	}
	if b == nil {
		return s, offsetMap{}
	}
	b.copy(s[run:], run)
	return b.result()
}

func isToneSecond(base rune) bool {
	switch base {
	case 'a', 'e', 'y', 'A', 'E', 'Y':
		return true
	}
	return false
}

// pairs reports whether first+second is one of the nuclei oa, oe, uy with an
// untoned first vowel.
func pairs(first, second rune) bool {
	f := unicode.ToLower(first)
	sec := unicode.ToLower(second)
	return f == 'o' && (sec == 'a' || sec == 'e') || f == 'u' && sec == 'y'
}

// lowerSameLength lower-cases s rune by rune, keeping every rune whose lower
// case would change its UTF-8 length, so that offsets into s and into the
// result are the same.
func lowerSameLength(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			out = append(out, c)
			i++
			continue
		}
		r, size := decodeRune(s, i)
		l := toLower(r)
		if l != r && utf8.RuneLen(l) == size {
			out = utf8.AppendRune(out, l)
		} else {
			out = append(out, s[i:i+size]...)
		}
		i += size
	}
	return string(out)
}
