package crawler

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

// toNFC's shortcut must agree with the full normalization on every kind of
// text a page holds.
func TestToNFC(t *testing.T) {
	for _, s := range []string{
		"Phó Chủ tịch UBND tỉnh Võ Trọng Hải",                             // NFC Vietnamese
		norm.NFD.String("Phó Chủ tịch UBND tỉnh Võ Trọng Hải"),            // decomposed
		"Tỉnh uỷ Hà Tĩnh",                                                 // old tone placement is NFC too
		"Ω Å K 〈x〉 ⫝̸ 豈",                                                  // singletons NFC replaces
		"ά ΐ ·", "a\u0301", "e\u1dc4", "x\u20d7", "𝅗𝅥", "plain ASCII", "", // Greek, combining marks, music
	} {
		if got, want := toNFC(s), norm.NFC.String(s); got != want {
			t.Errorf("toNFC(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzToNFC(f *testing.F) {
	f.Add("Phó Chủ tịch")
	f.Add("a\u0301Ω")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := toNFC(s), norm.NFC.String(s); got != want {
			t.Errorf("toNFC(%q) = %q, want %q", s, got, want)
		}
	})
}
