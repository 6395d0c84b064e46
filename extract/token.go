package extract

import (
	"unicode"
	"unicode/utf8"
)

// tokKind is what a token is.
type tokKind uint8

const (
	tokWord   tokKind = iota // letters, maybe with digits and inner . / & - ' (UBND, T.Ư, đ/c, GD&ĐT)
	tokNumber                // starts with a digit (2.000, 7,54, 8/11, 02-NQ/TU, 11:42)
	tokPunct                 // one punctuation or symbol rune, or a run of dots
)

// token is one syllable, number or punctuation mark of a normalized text.
type token struct {
	start, end int // byte offsets in the normalized text
	kind       tokKind
	cap        bool // first rune is upper case
	upper      bool // every letter is upper case
	lower      bool // every letter is lower case
	title      bool // the first rune is upper case and every other letter lower case
	joined     bool // has an inner connector (. / & - ' , :)
	digit      bool // has a digit
}

// tokenize splits normalized text into tokens. Whitespace separates tokens and
// is not one.
func tokenize(s string, toks []token) []token {
	for i := 0; i < len(s); {
		r, size := decodeRune(s, i)
		switch {
		case r == ' ' || r == '\n' || r == '\t':
			i += size
		case isWordRune(r):
			t := scanWord(s, i)
			toks = append(toks, t)
			i = t.end
		case r == '.':
			j := i + 1
			for j < len(s) && s[j] == '.' {
				j++
			}
			toks = append(toks, token{start: i, end: j, kind: tokPunct})
			i = j
		default:
			toks = append(toks, token{start: i, end: i + size, kind: tokPunct})
			i += size
		}
	}
	return toks
}

func decodeRune(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// scanWord reads a word or number starting at s[i].
func scanWord(s string, i int) token {
	t := token{start: i, kind: tokWord, upper: true, lower: true, title: true}
	first := true
	var prev rune
	j := i
	for j < len(s) {
		r, size := decodeRune(s, j)
		if isWordRune(r) {
			if unicode.IsLetter(r) {
				if unicode.IsUpper(r) {
					t.lower = false
					if !first {
						t.title = false
					}
				} else if unicode.IsLower(r) {
					t.upper = false
				}
			}
			if unicode.IsDigit(r) {
				t.digit = true
			}
			if first {
				t.cap = unicode.IsUpper(r)
				t.title = t.title && t.cap
				if unicode.IsDigit(r) {
					t.kind = tokNumber
				}
				first = false
			}
			prev = r
			j += size
			continue
		}
		if j+size >= len(s) || !joins(r, prev, s, j+size) {
			break
		}
		t.joined = true
		j += size
	}
	t.end = j
	if !hasLetter(s[t.start:t.end]) {
		t.upper, t.lower, t.title = false, false, false
	}
	return t
}

// joins reports whether connector r between prev and the text at s[k:] stays
// inside a word.
func joins(r, prev rune, s string, k int) bool {
	next, nsize := decodeRune(s, k)
	if !isWordRune(next) {
		return false
	}
	pd, nd := unicode.IsDigit(prev), unicode.IsDigit(next)
	pu, nu := unicode.IsUpper(prev), unicode.IsUpper(next)
	switch r {
	case '.':
		if pd && nd {
			return true
		}
		if pu && nu {
			// T.Ư, TP.HCM, PGS.TS, but not TP.Hà (a capitalized word follows).
			if k+nsize < len(s) {
				after, _ := decodeRune(s, k+nsize)
				return !unicode.IsLower(after)
			}
			return true
		}
		if unicode.IsLetter(prev) {
			return isDomainSuffix(s[k:])
		}
	case ',', ':':
		return pd && nd
	case '/':
		return true
	case '-':
		return (pd || pu) && (nd || nu)
	case '&', '\'', '’':
		return unicode.IsLetter(prev) && unicode.IsLetter(next)
	}
	return false
}

func isDomainSuffix(s string) bool {
	for _, tld := range []string{"vn", "com", "org", "net", "gov"} {
		if len(s) >= len(tld) && s[:len(tld)] == tld {
			if len(s) == len(tld) {
				return true
			}
			r, _ := decodeRune(s, len(tld))
			return !unicode.IsLetter(r)
		}
	}
	return false
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// nameShaped reports whether a token can be a syllable of a personal name:
// one capitalized word without inner connectors or digits (Nguyễn, Thị, A),
// or, in an all-capitals sentence, an upper-case word.
func (t token) nameShaped(capsMode bool) bool {
	if t.kind != tokWord || t.joined || t.digit || !t.cap {
		return false
	}
	if capsMode {
		return t.upper
	}
	return t.title
}
