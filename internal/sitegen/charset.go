package sitegen

import (
	"bytes"
	"fmt"
	"strings"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// toneMarks are the combining marks Windows-1258 writes after the letter.
var toneMarks = map[rune]bool{0x0300: true, 0x0301: true, 0x0303: true, 0x0309: true, 0x0323: true}

// EncodeWindows1258 converts UTF-8 text (any normalization form) to
// Windows-1258 as old Vietnamese pages wrote it: letters with their shape
// marks precomposed where the code page has them (â, ê, ô, ă, ơ, ư, đ, and the
// few precomposed toned letters it has such as á, à), tone marks as separate
// combining characters after the letter. A character the code page cannot hold
// is written as an HTML numeric character reference, so the page still decodes
// to the same text.
func EncodeWindows1258(s string) []byte {
	enc := charmap.Windows1258
	var out bytes.Buffer
	one := func(r rune) bool {
		if b, ok := enc.EncodeRune(r); ok {
			out.WriteByte(b)
			return true
		}
		return false
	}
	for _, r := range norm.NFC.String(s) {
		if one(r) {
			continue
		}
		// Split into base + shape marks, and tone marks.
		var base, tones []rune
		for _, d := range norm.NFD.String(string(r)) {
			if toneMarks[d] {
				tones = append(tones, d)
			} else {
				base = append(base, d)
			}
		}
		comp := []rune(norm.NFC.String(string(base)))
		ok := len(comp) == 1 && len(tones) <= 1
		if ok {
			if _, k := enc.EncodeRune(comp[0]); !k {
				ok = false
			}
			for _, t := range tones {
				if _, k := enc.EncodeRune(t); !k {
					ok = false
				}
			}
		}
		if !ok {
			fmt.Fprintf(&out, "&#%d;", r)
			continue
		}
		one(comp[0])
		for _, t := range tones {
			one(t)
		}
	}
	return out.Bytes()
}

// DecodeWindows1258 decodes Windows-1258 bytes to NFC UTF-8 (character
// references are left as they are).
func DecodeWindows1258(b []byte) string {
	d, err := charmap.Windows1258.NewDecoder().Bytes(b)
	if err != nil {
		panic(err) // every byte decodes
	}
	return norm.NFC.String(string(d))
}

// Encode returns the page bytes in the article's charset.
func Encode(a *Article, page []byte) []byte {
	if strings.EqualFold(a.Charset, "windows-1258") {
		return EncodeWindows1258(string(page))
	}
	return page
}
