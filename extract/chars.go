package extract

import (
	"unicode"
	"unicode/utf8"
)

// Character classes, looked up in a table for the runes Vietnamese text is
// made of (Latin, combining marks, Latin Extended Additional, punctuation)
// and computed for the rest.
const (
	cLetter uint8 = 1 << iota
	cUpper
	cLower
	cDigit
	cMark
	cNFC        // a starter that is in NFC by itself and composes with nothing before it
	cToneSecond // a, e or y with a tone mark: may end an oa, oe or uy syllable
)

var charClass [0x2100]uint8

func init() {
	initVowels()
	initComposed()
	for r := rune(0); r < rune(len(charClass)); r++ {
		charClass[r] = computeClass(r)
	}
}

func computeClass(r rune) uint8 {
	var c uint8
	if unicode.IsLetter(r) {
		c |= cLetter
	}
	if unicode.IsUpper(r) {
		c |= cUpper
	}
	if unicode.IsLower(r) {
		c |= cLower
	}
	if unicode.IsDigit(r) {
		c |= cDigit
	}
	if unicode.IsMark(r) {
		c |= cMark
	}
	// Runes below U+0300, the Vietnamese letters of U+1E00-U+1EFF and general
	// punctuation are NFC on their own and never compose with what precedes
	// them (TestNFCClass checks this against x/text/unicode/norm).
	if r < 0x300 || r >= 0x1E00 && r <= 0x1EFF || r >= 0x2002 && r <= 0x206F {
		c |= cNFC
	}
	if v, ok := vowelInfo(r); ok && v.tone != 0 && isToneSecond(v.base) {
		c |= cToneSecond
	}
	return c
}

// toLower lower-cases one rune.
func toLower(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	if classOf(r)&cUpper == 0 {
		return r
	}
	return unicode.ToLower(r)
}

func classOf(r rune) uint8 {
	if r >= 0 && r < rune(len(charClass)) {
		return charClass[r]
	}
	return computeClass(r)
}

func isWordRune(r rune) bool { return classOf(r)&(cLetter|cMark|cDigit) != 0 }
func isLetter(r rune) bool   { return classOf(r)&cLetter != 0 }
func isUpper(r rune) bool    { return classOf(r)&cUpper != 0 }
func isLower(r rune) bool    { return classOf(r)&cLower != 0 }
func isDigit(r rune) bool    { return classOf(r)&cDigit != 0 }

// quickNFC reports whether s is surely in NFC: every rune is a starter that
// is NFC by itself. False means "ask the norm package".
func quickNFC(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := decodeRune(s, i)
		if r >= rune(len(charClass)) || charClass[r]&cNFC == 0 {
			return false
		}
		i += size
	}
	return true
}
