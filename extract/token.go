package extract

import (
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
	letter     bool // has a letter
}

// tokenize splits normalized text into tokens. Whitespace separates tokens and
// is not one.
func tokenize(s string, toks []token) []token {
	for i := 0; ; {
		t, ok := nextToken(s, i)
		if !ok {
			return toks
		}
		toks = append(toks, t)
		i = t.end
	}
}

// nextToken returns the first token at or after s[i].
func nextToken(s string, i int) (token, bool) {
	for i < len(s) {
		r, size := decodeRune(s, i)
		switch {
		case r == ' ' || r == '\n' || r == '\t':
			i += size
		case isWordRune(r):
			return scanWord(s, i), true
		case r == '.':
			j := i + 1
			for j < len(s) && s[j] == '.' {
				j++
			}
			return token{start: i, end: j, kind: tokPunct}, true
		default:
			return token{start: i, end: i + size, kind: tokPunct}, true
		}
	}
	return token{}, false
}

func decodeRune(s string, i int) (rune, int) {
	c := s[i]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	// Two- and three-byte sequences, which Vietnamese letters are.
	if c >= 0xC2 && c < 0xE0 && i+1 < len(s) {
		if c1 := s[i+1]; c1&0xC0 == 0x80 {
			return rune(c&0x1F)<<6 | rune(c1&0x3F), 2
		}
	} else if c >= 0xE1 && c < 0xED && i+2 < len(s) {
		c1, c2 := s[i+1], s[i+2]
		if c1&0xC0 == 0x80 && c2&0xC0 == 0x80 {
			return rune(c&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F), 3
		}
	}
	return utf8.DecodeRuneInString(s[i:])
}

// scanWord reads a word or number starting at s[i].
func scanWord(s string, i int) token {
	t := token{start: i, kind: tokWord, upper: true, lower: true, title: true}
	first := true
	afterApos := false // H'Lim, K'Ho: a capital after an apostrophe keeps the title shape
	var prev rune
	j := i
	for j < len(s) {
		r, size := decodeRune(s, j)
		c := classOf(r)
		if c&(cLetter|cMark|cDigit) != 0 {
			if c&cLetter != 0 {
				t.letter = true
				if c&cUpper != 0 {
					t.lower = false
					if !first && !afterApos {
						t.title = false
					}
				} else if c&cLower != 0 {
					t.upper = false
				}
			}
			if c&cDigit != 0 {
				t.digit = true
			}
			if first {
				t.cap = c&cUpper != 0
				t.title = t.title && t.cap
				if c&cDigit != 0 {
					t.kind = tokNumber
				}
				first = false
			}
			prev = r
			afterApos = false
			j += size
			continue
		}
		if j+size >= len(s) || !joins(r, prev, s, j+size) {
			break
		}
		t.joined = r != '\'' && r != '’' || t.joined
		afterApos = r == '\'' || r == '’'
		j += size
	}
	t.end = j
	if !t.letter {
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
	pd, nd := isDigit(prev), isDigit(next)
	pu, nu := isUpper(prev), isUpper(next)
	switch r {
	case '.':
		if pd && nd {
			return true
		}
		if pu && nu {
			// T.Ư, TP.HCM, PGS.TS, but not TP.Hà (a capitalized word follows).
			if k+nsize < len(s) {
				after, _ := decodeRune(s, k+nsize)
				return !isLower(after)
			}
			return true
		}
		if isLetter(prev) {
			return isDomainSuffix(s[k:])
		}
	case ',', ':':
		return pd && nd
	case '/':
		return true
	case '-':
		return (pd || pu) && (nd || nu)
	case '&', '\'', '’':
		return isLetter(prev) && isLetter(next)
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
			return !isLetter(r)
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
