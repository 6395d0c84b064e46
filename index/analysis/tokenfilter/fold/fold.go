// Package fold implements a Bleve token filter that adds the accent-folded
// form of Vietnamese terms, so that text typed without diacritics finds text
// written with them.
//
// For every token whose folded form differs from its term the filter emits,
// right after it, a token with Term FoldedPrefix + folded form and the same
// Start, End and Position, so phrase queries and highlights work on either
// form. A term that has no diacritics gets no extra token. At query time a
// word typed with diacritics is searched as its exact term only, and a word
// typed without them as both t and FoldedPrefix + t: "dan van kheo" finds
// "dân vận khéo", while a document that literally has "dan" ranks first.
//
// The prefix keeps folded terms apart from exact ones in the term
// dictionary. It cannot collide with a real term because the syllable
// tokenizer never puts '~' in a term.
package fold

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// Name is the name the filter is registered under. It is versioned: any
// change to the tokens it makes must come with a new name.
const Name = "vi_fold_v1"

// FoldedPrefix starts the term of every folded token.
const FoldedPrefix = "~"

// Filter adds folded tokens. It is stateless and safe for concurrent use.
type Filter struct{}

// NewFilter returns the folding filter.
func NewFilter() *Filter { return &Filter{} }

// FilterConstructor builds the filter for the Bleve registry; it takes no
// configuration.
func FilterConstructor(config map[string]interface{}, cache *registry.Cache) (analysis.TokenFilter, error) {
	return NewFilter(), nil
}

func init() {
	err := registry.RegisterTokenFilter(Name, FilterConstructor)
	if err != nil {
		panic(err)
	}
}

// Filter returns input with a folded token after each token that has
// diacritics (but not after a term of combining marks alone, which folds to
// nothing). Input is returned unchanged when no token has any.
func (f *Filter) Filter(input analysis.TokenStream) analysis.TokenStream {
	n, size := 0, 0
	for _, tok := range input {
		if hasDiacritics(tok.Term) {
			n++
			size += len(FoldedPrefix) + len(tok.Term)
		}
	}
	if n == 0 {
		return input
	}
	out := make(analysis.TokenStream, 0, len(input)+n)
	extra := make([]analysis.Token, n)
	buf := make([]byte, 0, size) // folding never makes a term longer
	for _, tok := range input {
		out = append(out, tok)
		i := firstFolded(tok.Term)
		if i < 0 {
			continue
		}
		k := len(buf)
		buf = append(buf, FoldedPrefix...)
		buf = append(buf, tok.Term[:i]...)
		buf = appendFold(buf, tok.Term[i:])
		if len(buf) == k+len(FoldedPrefix) {
			buf = buf[:k] // only combining marks: nothing to search for
			continue
		}
		x := &extra[0]
		extra = extra[1:]
		*x = *tok
		x.Term = buf[k:len(buf):len(buf)]
		out = append(out, x)
	}
	return out
}

// Fold returns s without diacritics: tone marks and the vowel marks of â ă ê
// ô ơ ư are removed from Latin letters, combining marks are dropped and đ
// becomes d. It is meant for normalized (NFC) lower-case text, as the syllable
// tokenizer makes it; invalid UTF-8 is copied as it is. When nothing changes,
// s itself is returned.
func Fold(s string) string {
	i := firstFolded(s)
	if i < 0 {
		return s
	}
	b := make([]byte, i, len(s))
	copy(b, s[:i])
	return string(appendFold(b, s[i:]))
}

// Copied reports whether the filter gives a token of term a folded copy:
// it has diacritics and is not only combining marks. Without allocating.
func Copied(term []byte) bool {
	i := firstFolded(term)
	if i != 0 {
		return i > 0
	}
	for i < len(term) {
		if term[i] < utf8.RuneSelf {
			return true
		}
		r, size := decode(term, i)
		if r >= rune(len(folded)) || folded[r] != drop {
			return true
		}
		i += size
	}
	return false
}

// HasDiacritics reports whether Fold(s) != s, without allocating.
func HasDiacritics(s string) bool { return firstFolded(s) >= 0 }

func hasDiacritics(b []byte) bool { return firstFolded(b) >= 0 }

// firstFolded returns the offset of the first rune of s that folding changes,
// or -1.
func firstFolded[T ~string | ~[]byte](s T) int {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := decode(s, i)
		if r < rune(len(folded)) && folded[r] != 0 {
			return i
		}
		i += size
	}
	return -1
}

// appendFold appends the folded form of s to b.
func appendFold[T ~string | ~[]byte](b []byte, s T) []byte {
	run := 0 // start of the bytes not yet copied
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := decode(s, i)
		if r >= rune(len(folded)) || folded[r] == 0 {
			i += size
			continue
		}
		b = append(b, s[run:i]...)
		if f := folded[r]; f != drop {
			b = utf8.AppendRune(b, rune(f))
		}
		i += size
		run = i
	}
	return append(b, s[run:]...)
}

// decode decodes the non-ASCII rune at s[i], with a fast path for the two-
// and three-byte sequences Vietnamese letters are.
func decode[T ~string | ~[]byte](s T, i int) (rune, int) {
	c := s[i]
	if c >= 0xC2 && c < 0xE0 && i+1 < len(s) {
		if c1 := s[i+1]; c1&0xC0 == 0x80 {
			return rune(c&0x1F)<<6 | rune(c1&0x3F), 2
		}
	} else if c >= 0xE1 && c < 0xED && i+2 < len(s) {
		if c1, c2 := s[i+1], s[i+2]; c1&0xC0 == 0x80 && c2&0xC0 == 0x80 {
			return rune(c&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F), 3
		}
	}
	var buf [utf8.UTFMax]byte
	n := copy(buf[:], s[i:])
	return utf8.DecodeRune(buf[:n])
}

// folded maps each Latin letter with diacritics to its base letter and each
// combining mark to drop; 0 means unchanged.
var folded [0x1F00]uint16

const drop = 0xFFFF

func init() {
	folded['đ'], folded['Đ'] = 'd', 'D'
	for r := rune(0x300); r < 0x370; r++ {
		folded[r] = drop
	}
	for _, rng := range [][2]rune{{0xC0, 0x250}, {0x1E00, 0x1F00}} {
		for r := rng[0]; r < rng[1]; r++ {
			d := norm.NFD.String(string(r))
			base, size := utf8.DecodeRuneInString(d)
			if base != r && size < len(d) && base < 0x10000 {
				folded[r] = uint16(base)
			}
		}
	}
}
