package extract

import (
	"embed"
	"fmt"
	"iter"
	"maps"
	"regexp"
	"strings"
	"sync"
)

// The lexicons are plain-text files in lexicon/, embedded in the binary. Each
// file explains its own format in its header; to extend one, add a line and
// rebuild.
//
//go:embed lexicon/*.txt lexicon/*.tsv
var lexiconFiles embed.FS

// Which lexicons have a phrase that starts with a word.
const (
	fRank uint8 = 1 << iota
	fOrg
	fLevel
	fHonorific
	fPlace
	fSpeech
)

// isFamily reports whether a lower-case word can open a person's name: a
// family name, or the Y (men) and H'/K' (women) that open Ê Đê and M'nông
// names (Y Thuật Kbuôr, H'Lim Kđoh).
func (l *lexicon) isFamily(w string) bool {
	return l.family[w] || w == "y" || strings.HasPrefix(w, "h'") || strings.HasPrefix(w, "k'") ||
		strings.HasPrefix(w, "h’") || strings.HasPrefix(w, "k’")
}

// startsOf returns which lexicons have a phrase that starts with word w.
func (l *lexicon) startsOf(w string) uint8 {
	if w == "" {
		return 0
	}
	if h := startHash(w); l.startBits[h>>6]&(1<<(h&63)) == 0 {
		return 0
	}
	return l.starts[w]
}

func startHash(w string) uint32 {
	return (uint32(w[0])*31 + uint32(w[len(w)-1])*7 + uint32(len(w))*131 + uint32(w[len(w)/2])) & (1<<16 - 1)
}

// trie maps phrases, as sequences of lower-case normalized words, to values.
type trie[V any] struct {
	next map[string]*trie[V]
	val  V
	ok   bool
}

func (t *trie[V]) insert(words []string, v V) {
	n := t
	for _, w := range words {
		if n.next == nil {
			n.next = map[string]*trie[V]{}
		}
		c := n.next[w]
		if c == nil {
			c = &trie[V]{}
			n.next[w] = c
		}
		n = c
	}
	n.val, n.ok = v, true
}

func (t *trie[V]) child(w string) *trie[V] {
	if t == nil || t.next == nil {
		return nil
	}
	return t.next[w]
}

// longest returns the value of the longest phrase that starts at word i,
// and the number of words it spans.
func (t *trie[V]) longest(word func(int) (string, bool), i int) (v V, n int) {
	node := t
	for k := i; ; k++ {
		w, ok := word(k)
		if !ok {
			break
		}
		node = node.child(w)
		if node == nil {
			break
		}
		if node.ok {
			v, n = node.val, k-i+1
		}
	}
	return v, n
}

// phraseWords splits a lexicon phrase into the words the tries are keyed by:
// normalized, lower-cased tokens.
func phraseWords(s string) []string {
	n := lowerSameLength(NormalizeString(strings.TrimSpace(s)))
	var words []string
	for _, t := range tokenize(n, nil) {
		words = append(words, n[t.start:t.end])
	}
	return words
}

// key is the form names and phrases are compared in: normalized, lower case,
// single spaces.
func key(s string) string { return strings.Join(phraseWords(s), " ") }

type rankEntry struct {
	canonical  string
	head       string // head word of the organization included in the rank (ban, văn phòng)
	standalone bool
	org        string
	level      string
	place      bool
}

type orgEntry struct {
	canonical string
	level     string // inherent level (Tỉnh ủy)
	needLevel bool
	sub       bool
	deflt     string // level when none is given
	national  bool
	named     bool
	described bool // lower-case words describing it may follow, up to a level word
	needName  bool // only an organization when a proper name follows
}

type honorific struct {
	kind string // person, military, academic
}

type abbrev struct {
	words []string // the expansion, as trie words
	next  string   // only before this token (TT before HĐND)
	two   string   // second token of a two-token abbreviation (TT HĐND)
}

// speechVerb is a verb that introduces what someone said.
type speechVerb struct {
	verb     string
	needsSep bool // only before a comma, a colon or "rằng"
}

// placeEntry is one gazetteer line.
type placeEntry struct {
	name   string // canonical name
	typ    string // quốc gia, tỉnh, thành phố trung ương, thành phố, thị xã, huyện, quận
	parent string // province of a district
}

type lexicon struct {
	family      map[string]bool
	given       map[string]bool
	ranks       trie[*rankEntry]
	orgs        trie[*orgEntry]
	levels      trie[string]
	honorifics  trie[honorific]
	classifiers trie[bool]
	abbrevs     map[string][]abbrev // by the abbreviation's first token, as written
	places      trie[[]placeEntry]
	units       trie[string]      // what figures count
	speech      trie[speechVerb]  // speech verbs
	provinces   map[string]string // key of a province name -> canonical name
	papers      map[string]string // key of a domain, marker or paper name -> province
	starts      map[string]uint8  // first words of phrases: which lexicons have them (fRank, ...)
	startBits   [1 << 10]uint64   // a filter over starts, so most words need no map lookup
	// Chrome lines: exact lines by kind (end: the article is over; line: drop
	// it), and patterns with wildcards.
	chromeExact map[string]bool // line -> end
	chromeEnd   *regexp.Regexp
	chromeLine  *regexp.Regexp
	chromeFirst [256]bool // first bytes of the wildcard patterns
}

// isChrome reports whether a lower-case, space-collapsed line is page chrome
// of the kind end (the article is over) or not (a line to drop).
func (l *lexicon) isChrome(lower string, end bool) bool {
	if len(lower) > 200 {
		return false
	}
	if e, ok := l.chromeExact[lower]; ok {
		return e == end
	}
	if lower == "" || !l.chromeFirst[lower[0]] {
		return false
	}
	if end {
		return l.chromeEnd.MatchString(lower)
	}
	return l.chromeLine.MatchString(lower)
}

var (
	lexOnce sync.Once
	lex     *lexicon
)

// getLexicon loads the embedded lexicons once. A malformed embedded file is a
// build defect, caught by the tests, so it panics.
func getLexicon() *lexicon {
	lexOnce.Do(func() {
		l, err := loadLexicon()
		if err != nil {
			panic(err)
		}
		lex = l
	})
	return lex
}

func loadLexicon() (*lexicon, error) {
	l := &lexicon{
		starts:    map[string]uint8{},
		family:    map[string]bool{},
		given:     map[string]bool{},
		abbrevs:   map[string][]abbrev{},
		provinces: map[string]string{},
		papers:    map[string]string{},
	}
	var err error
	each := func(file string, cols int, f func(fields []string) error) {
		if err != nil {
			return
		}
		data, rerr := lexiconFiles.ReadFile("lexicon/" + file)
		if rerr != nil {
			err = fmt.Errorf("extract: lexicon %s: %w", file, rerr)
			return
		}
		for i, line := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
				continue
			}
			fields := strings.Split(line, "\t")
			if cols == 0 {
				fields = strings.Fields(line)
			} else if len(fields) < cols {
				for len(fields) < cols {
					fields = append(fields, "")
				}
			}
			if ferr := f(fields); ferr != nil {
				err = fmt.Errorf("extract: lexicon %s:%d: %w", file, i+1, ferr)
				return
			}
		}
	}
	each("family_names.txt", 1, func(f []string) error {
		k := key(f[0])
		l.family[k] = true
		if first, _, two := strings.Cut(k, " "); two {
			l.family[first] = true // a name may start with it
		}
		return nil
	})
	each("given_names.txt", 0, func(f []string) error {
		for _, w := range f {
			l.given[key(w)] = true
		}
		return nil
	})
	each("ranks.tsv", 3, func(f []string) error {
		e := &rankEntry{canonical: canonicalOf(f)}
		for _, flag := range splitFlags(f[2]) {
			name, val, _ := strings.Cut(flag, "=")
			switch name {
			case "head":
				e.head = key(val)
			case "standalone":
				e.standalone = true
			case "org":
				e.org = val
			case "level":
				e.level = val
			case "place":
				e.place = true
			default:
				return fmt.Errorf("unknown flag %q", flag)
			}
		}
		l.ranks.insert(phraseWords(f[0]), e)
		return nil
	})
	each("organizations.tsv", 3, func(f []string) error {
		e := &orgEntry{canonical: canonicalOf(f)}
		for _, flag := range splitFlags(f[2]) {
			name, val, _ := strings.Cut(flag, "=")
			switch name {
			case "level":
				e.level = val
			case "needlevel":
				e.needLevel = true
			case "sub":
				e.sub = true
			case "default":
				e.deflt = val
			case "national":
				e.national = true
			case "named":
				e.named = true
			case "described":
				e.described = true
			case "needname":
				e.needName = true
			default:
				return fmt.Errorf("unknown flag %q", flag)
			}
		}
		l.orgs.insert(phraseWords(f[0]), e)
		return nil
	})
	each("levels.tsv", 2, func(f []string) error {
		l.levels.insert(phraseWords(f[0]), f[1])
		return nil
	})
	each("honorifics.tsv", 2, func(f []string) error {
		switch f[1] {
		case "person", "military", "academic":
		default:
			return fmt.Errorf("unknown kind %q", f[1])
		}
		l.honorifics.insert(phraseWords(f[0]), honorific{f[1]})
		return nil
	})
	each("classifiers.txt", 1, func(f []string) error {
		l.classifiers.insert(phraseWords(f[0]), true)
		return nil
	})
	each("abbreviations.tsv", 3, func(f []string) error {
		written := strings.Fields(NormalizeString(f[0]))
		if len(written) == 0 || len(written) > 2 {
			return fmt.Errorf("abbreviation %q: want one or two tokens", f[0])
		}
		a := abbrev{words: phraseWords(f[1])}
		if len(written) == 2 {
			a.two = written[1]
		}
		for _, flag := range splitFlags(f[2]) {
			name, val, _ := strings.Cut(flag, "=")
			if name != "next" {
				return fmt.Errorf("unknown flag %q", flag)
			}
			a.next = NormalizeString(val)
		}
		// Two-token forms first, so that they win.
		if a.two != "" {
			l.abbrevs[written[0]] = append([]abbrev{a}, l.abbrevs[written[0]]...)
		} else {
			l.abbrevs[written[0]] = append(l.abbrevs[written[0]], a)
		}
		return nil
	})
	each("speech.txt", 2, func(f []string) error {
		v := speechVerb{verb: NormalizeString(strings.TrimSpace(f[0]))}
		switch strings.TrimSpace(f[1]) {
		case "sep":
			v.needsSep = true
		case "":
		default:
			return fmt.Errorf("unknown flag %q", f[1])
		}
		l.speech.insert(phraseWords(f[0]), v)
		return nil
	})
	each("units.txt", 1, func(f []string) error {
		l.units.insert(phraseWords(f[0]), NormalizeString(strings.TrimSpace(f[0])))
		return nil
	})
	aliases := map[string]string{}
	each("places.tsv", 4, func(f []string) error {
		name := NormalizeString(strings.TrimSpace(f[0]))
		e := placeEntry{name: name, typ: strings.TrimSpace(f[1]), parent: NormalizeString(strings.TrimSpace(f[2]))}
		if canon, ok := strings.CutPrefix(strings.TrimSpace(f[3]), "alias of "); ok {
			aliases[key(name)] = NormalizeString(canon)
			e.name = NormalizeString(canon)
		}
		words := phraseWords(name)
		old, _ := l.places.longestExact(words)
		l.places.insert(words, append(old, e))
		if e.typ == "tỉnh" || e.typ == "thành phố trung ương" {
			l.provinces[key(name)] = e.name
		}
		return nil
	})
	each("papers.tsv", 3, func(f []string) error {
		province := NormalizeString(strings.TrimSpace(f[1]))
		k := strings.ToLower(strings.TrimSpace(f[0]))
		switch strings.TrimSpace(f[2]) {
		case "domain", "site":
		case "marker", "name":
			k = key(f[0])
		default:
			return fmt.Errorf("unknown kind %q", f[2])
		}
		l.papers[k] = province
		return nil
	})
	var endPatterns, linePatterns []string
	l.chromeExact = map[string]bool{}
	each("chrome.tsv", 2, func(f []string) error {
		if f[0] != "end" && f[0] != "line" {
			return fmt.Errorf("unknown kind %q", f[0])
		}
		if !strings.ContainsAny(f[1], "*#") {
			l.chromeExact[collapseSpaces(lowerSameLength(NormalizeString(f[1])))] = f[0] == "end"
			return nil
		}
		p := chromePattern(f[1])
		if _, cerr := regexp.Compile(p); cerr != nil {
			return cerr
		}
		first := lowerSameLength(NormalizeString(strings.TrimSpace(f[1])))
		switch first[0] {
		case '*':
			for b := range l.chromeFirst {
				l.chromeFirst[b] = true
			}
		case '#':
			for b := '0'; b <= '9'; b++ {
				l.chromeFirst[b] = true
			}
		default:
			l.chromeFirst[first[0]] = true
		}
		if f[0] == "end" {
			endPatterns = append(endPatterns, p)
		} else {
			linePatterns = append(linePatterns, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, lex := range []struct {
		f          uint8
		firstWords iter.Seq[string]
	}{
		{fRank, maps.Keys(l.ranks.next)}, {fOrg, maps.Keys(l.orgs.next)}, {fLevel, maps.Keys(l.levels.next)},
		{fHonorific, maps.Keys(l.honorifics.next)}, {fPlace, maps.Keys(l.places.next)}, {fSpeech, maps.Keys(l.speech.next)},
	} {
		for w := range lex.firstWords {
			l.starts[w] |= lex.f
		}
	}
	for w := range l.starts {
		h := startHash(w)
		l.startBits[h>>6] |= 1 << (h & 63)
	}
	l.chromeEnd = regexp.MustCompile("^(?:" + strings.Join(endPatterns, "|") + ")$")
	l.chromeLine = regexp.MustCompile("^(?:" + strings.Join(linePatterns, "|") + ")$")
	return l, nil
}

// longestExact returns the value stored for exactly these words.
func (t *trie[V]) longestExact(words []string) (V, bool) {
	n := t
	for _, w := range words {
		if n = n.child(w); n == nil {
			var zero V
			return zero, false
		}
	}
	return n.val, n.ok
}

func canonicalOf(f []string) string {
	c := strings.TrimSpace(f[1])
	if c == "" || c == "=" {
		c = f[0]
	}
	return NormalizeString(strings.TrimSpace(c))
}

func splitFlags(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// chromePattern turns a chrome.tsv pattern into a regular expression over a
// lower-cased, normalized, trimmed line.
func chromePattern(p string) string {
	p = lowerSameLength(NormalizeString(strings.TrimSpace(p)))
	var sb strings.Builder
	for _, r := range p {
		switch r {
		case '*':
			sb.WriteString(".*")
		case '#':
			sb.WriteString("[0-9]+")
		case ' ':
			sb.WriteString(`\s+`)
		default:
			sb.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	return sb.String()
}
