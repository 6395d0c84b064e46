// Package syllable implements a Bleve tokenizer that splits Vietnamese text
// into syllables, the unit Vietnamese is written in.
//
// A token is a maximal run of letters, combining marks and digits; anything
// else separates tokens, with two exceptions: a '.' or ',' between two digits
// stays inside the token (1.000, 2,5), and format characters (zero-width
// space, soft hyphen, byte order mark, direction marks) between two word
// characters are ignored, as extract.Normalize removes them. So 15/11/2024
// gives 15, 11, 2024, COVID-19 gives covid, 19, and h5n1 and 5g stay one
// token each. No stop words are dropped.
//
// The term of a token is its text lower-cased and normalized by
// extract.NormalizeString: NFC with the tone on the first vowel of open oa,
// oe and uy syllables (Hoà → hòa, uỷ → ủy), so NFD input and the old tone
// placement give the same terms as canonical text. Start and End are byte
// offsets into the input exactly as given, so highlights land on the
// original text; Position counts tokens from 1.
package syllable

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/baotinh/baotinh/extract"
)

// Name is the name the tokenizer is registered under. It is versioned: any
// change to the tokens it makes must come with a new name.
const Name = "vi_syllable_v1"

// Tokenizer splits text into Vietnamese syllables. It is stateless and safe
// for concurrent use.
type Tokenizer struct{}

// NewTokenizer returns the syllable tokenizer.
func NewTokenizer() *Tokenizer { return &Tokenizer{} }

// TokenizerConstructor builds the tokenizer for the Bleve registry; it takes
// no configuration.
func TokenizerConstructor(config map[string]interface{}, cache *registry.Cache) (analysis.Tokenizer, error) {
	return NewTokenizer(), nil
}

func init() {
	err := registry.RegisterTokenizer(Name, TokenizerConstructor)
	if err != nil {
		panic(err)
	}
}

// Tokenize returns the syllables of input. Terms that equal their text alias
// input, as in Bleve's own tokenizers, so input must not change while the
// tokens are in use; lower-cased terms share a few buffers per call.
func (t *Tokenizer) Tokenize(input []byte) analysis.TokenStream {
	toks := make([]analysis.Token, 0, len(input)/5+1)
	var a arena
	for i := 0; i < len(input); {
		r, size := decode(input, i)
		if class(r)&cWord == 0 {
			i += size
			continue
		}
		if len(toks) == cap(toks) {
			toks = append(toks, analysis.Token{})[:len(toks)]
		}
		toks = toks[:len(toks)+1]
		tok := &toks[len(toks)-1]
		tok.Position = len(toks)
		end, ascii, upper, slow, numeric := scan(input, i)
		finish(tok, input, i, end, ascii, upper, slow, numeric, &a)
		i = end
	}
	if len(toks) == 0 {
		return nil
	}
	rv := make(analysis.TokenStream, len(toks))
	for i := range toks {
		rv[i] = &toks[i]
	}
	return rv
}

// Offsets calls fn with the byte offsets of each token Tokenize makes of
// input, in order (the n-th call is for the token at position n), without
// making their terms, until fn returns false.
func Offsets(input []byte, fn func(start, end int) bool) {
	for i := 0; i < len(input); {
		r, size := decode(input, i)
		if class(r)&cWord == 0 {
			i += size
			continue
		}
		end, _, _, _, _ := scan(input, i)
		if !fn(i, end) {
			return
		}
		i = end
	}
}

// scan returns the end of the token starting at input[start], which is a
// word rune, and what finish needs to know of it: whether every byte is
// ASCII, some rune changes when lower-cased, extract.NormalizeString may
// change the lower-cased text, and the token is a number.
func scan(input []byte, start int) (end int, ascii, upper, slow, numeric bool) {
	ascii, numeric, end = true, true, start // numeric: digits, with '.' or ',' between them
	var (
		tone bool // the last rune is a toned a, e or y right after o or u
		prev rune // the previous rune
	)
	for i := start; i < len(input); {
		r, size := decode(input, i)
		c := class(r)
		switch {
		case c&cWord != 0:
			if r >= utf8.RuneSelf {
				ascii = false
				if c&cSafe == 0 {
					slow = true
				}
			}
			if c&cUpper != 0 {
				upper = true
			}
			if c&cDigit == 0 {
				numeric = false
			}
			// extract moves the tone of a syllable-final toned a, e or y
			// after o or u (hoà → hòa, never hoàng): leave it to extract.
			tone = c&cTone != 0 && (prev == 'o' || prev == 'O' || prev == 'u' || prev == 'U')
		case (r == '.' || r == ',') && class(prev)&cDigit != 0 && nextIs(input, i+1, cDigit):
		case c&cIgnore != 0:
			n := skipIgnored(input, i)
			if n == 0 {
				return end, ascii, upper, slow || tone, numeric
			}
			// Format characters inside a word: extract deletes them.
			ascii, slow = false, true
			i += n
			continue
		default:
			return end, ascii, upper, slow || tone, numeric
		}
		prev = r
		i += size
		if c&cWord != 0 {
			end = i
		}
	}
	return end, ascii, upper, slow || tone, numeric
}

// finish sets tok to the token input[start:end].
func finish(tok *analysis.Token, input []byte, start, end int, ascii, upper, slow, numeric bool, a *arena) {
	tok.Start, tok.End, tok.Type = start, end, analysis.AlphaNumeric
	if numeric {
		tok.Type = analysis.Numeric
	}
	word := input[start:end]
	switch {
	case ascii && !upper:
		tok.Term = word[:len(word):len(word)]
	case ascii:
		term := a.alloc(len(word))
		for i, c := range word {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			term[i] = c
		}
		tok.Term = term
	case slow:
		tok.Term = normalize(word)
	case !upper:
		tok.Term = word[:len(word):len(word)]
	default:
		term := a.alloc(len(word))[:0]
		for i := 0; i < len(word); {
			r, size := decode(word, i)
			l := unicode.ToLower(r)
			if utf8.RuneLen(l) != size || class(l)&cSafe == 0 {
				tok.Term = normalize(word) // lower case of another length or form
				return
			}
			term = utf8.AppendRune(term, l)
			i += size
		}
		tok.Term = term
	}
}

// normalize is the general form of a term: lower case, then
// extract.NormalizeString.
func normalize(word []byte) []byte {
	return []byte(extract.NormalizeString(strings.ToLower(string(word))))
}

// nextIs reports whether the rune at input[i] has one of the classes in c.
func nextIs(input []byte, i int, c uint8) bool {
	if i >= len(input) {
		return false
	}
	r, _ := decode(input, i)
	return class(r)&c != 0
}

// skipIgnored returns the length of the run of format characters at
// input[i], if a word rune follows it, or 0.
func skipIgnored(input []byte, i int) int {
	j := i
	for j < len(input) {
		r, size := decode(input, j)
		c := class(r)
		if c&cWord != 0 {
			return j - i
		}
		if c&cIgnore == 0 {
			return 0
		}
		j += size
	}
	return 0
}

// decode decodes the rune at b[i], with a fast path for the two- and
// three-byte sequences Vietnamese letters are.
func decode(b []byte, i int) (rune, int) {
	c := b[i]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	if c >= 0xC2 && c < 0xE0 && i+1 < len(b) {
		if c1 := b[i+1]; c1&0xC0 == 0x80 {
			return rune(c&0x1F)<<6 | rune(c1&0x3F), 2
		}
	} else if c >= 0xE1 && c < 0xED && i+2 < len(b) {
		if c1, c2 := b[i+1], b[i+2]; c1&0xC0 == 0x80 && c2&0xC0 == 0x80 {
			return rune(c&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F), 3
		}
	}
	return utf8.DecodeRune(b[i:])
}

// arena hands out term buffers carved from larger blocks, so that a call
// allocates a few blocks rather than one slice per changed term.
type arena struct{ buf []byte }

const arenaBlock = 4 << 10

// alloc returns a slice of n bytes whose capacity ends at n, so that
// appending to one term never overwrites the next.
func (a *arena) alloc(n int) []byte {
	if cap(a.buf)-len(a.buf) < n {
		if n > arenaBlock/4 {
			return make([]byte, n)
		}
		a.buf = make([]byte, 0, arenaBlock)
	}
	k := len(a.buf)
	a.buf = a.buf[:k+n]
	return a.buf[k : k+n : k+n]
}

// Character classes.
const (
	cWord   uint8 = 1 << iota // letter, combining mark or digit
	cDigit                    // decimal digit
	cUpper                    // changes when lower-cased
	cIgnore                   // format character, removed by extract.Normalize
	cSafe                     // NFC on its own, composes with nothing before it
	cTone                     // a, e or y with a tone mark
)

// classes holds the class of the runes Vietnamese text is made of; the rest
// are computed.
var classes [0x2100]uint8

func init() {
	for r := range rune(len(classes)) {
		classes[r] = computeClass(r)
	}
	for _, r := range "àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ" {
		classes[r] |= cTone
	}
}

func class(r rune) uint8 {
	if r >= 0 && r < rune(len(classes)) {
		return classes[r]
	}
	return computeClass(r)
}

func computeClass(r rune) uint8 {
	var c uint8
	if unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) {
		c |= cWord
	}
	if unicode.IsDigit(r) {
		c |= cDigit
	}
	if unicode.ToLower(r) != r {
		c |= cUpper
	}
	if unicode.Is(unicode.Cf, r) {
		c |= cIgnore
	}
	// The same set extract treats as NFC by itself (its TestNFCClass checks
	// it against x/text/unicode/norm).
	if r < 0x300 || r >= 0x1E00 && r <= 0x1EFF {
		c |= cSafe
	}
	return c
}
