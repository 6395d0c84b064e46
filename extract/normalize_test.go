package extract

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestNormalizeRules(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// Tone placement: open -oa, -oe, -uy syllables take the tone on the first vowel.
		{"hoà", "văn hoà", "văn hòa"},
		{"hoá", "cụ thể hoá", "cụ thể hóa"},
		{"uỷ", "Tỉnh uỷ", "Tỉnh ủy"},
		{"thuỷ", "thuỷ lợi", "thủy lợi"},
		{"khoẻ", "sức khoẻ", "sức khỏe"},
		{"tuỳ", "tuỳ theo", "tùy theo"},
		{"loã", "loã xoã", "lõa xõa"},
		{"Uỷ capital", "Uỷ ban", "Ủy ban"},
		{"upper HOÀ", "CỘNG HOÀ", "CỘNG HÒA"},
		{"upper UỶ", "TỈNH UỶ", "TỈNH ỦY"},
		{"canonical stays", "hòa ủy thủy", "hòa ủy thủy"},
		// Never rewritten: qu + y, closed syllables, longer nuclei.
		{"quý", "quý I", "quý I"},
		{"quỳ", "quỳ gối", "quỳ gối"},
		{"quỹ", "Quỹ", "Quỹ"},
		{"hoàng", "Hoàng Văn", "Hoàng Văn"},
		{"toàn", "toàn tỉnh", "toàn tỉnh"},
		{"ngoài", "ngoài ra", "ngoài ra"},
		{"khuya", "đêm khuya", "đêm khuya"},
		{"khuỷu", "khuỷu tay", "khuỷu tay"},
		{"thuở", "thuở nhỏ", "thuở nhỏ"},
		{"giữa", "giữa", "giữa"},
		// NFD input composes; mixed NFD and old placement both settle.
		{"NFD", norm.NFD.String("Tỉnh ủy Hà Tĩnh"), "Tỉnh ủy Hà Tĩnh"},
		{"NFD old placement", norm.NFD.String("Tỉnh uỷ"), "Tỉnh ủy"},
		{"NFD in noncanonical mark order", "e\u0302\u0323", "ệ"},
		// Spaces, line ends, dashes, format characters.
		{"NBSP", "Cập nhật:\u00a011:42", "Cập nhật: 11:42"},
		{"thin and ideographic spaces", "a\u2009b\u3000c\u202fd", "a b c d"},
		{"tab", "a\tb", "a b"},
		{"CRLF", "a\r\nb\rc", "a\nb\nc"},
		{"line separator", "a\u2028b", "a\nb"},
		{"en and em dash", "Hà Tĩnh – Sơn La — Lào Cai", "Hà Tĩnh - Sơn La - Lào Cai"},
		{"minus and hyphens", "2016\u20122018 \u2212 x\u2010y", "2016-2018 - x-y"},
		{"zero width space", "Trần\u200b Thế", "Trần Thế"},
		{"soft hyphen", "dân\u00advận", "dânvận"},
		{"BOM", "\ufeffTin", "Tin"},
		{"ZWSP between base and mark composes", "e\u200b\u0301", "é"},
		{"invalid UTF-8", "a\xffb", "a\uFFFDb"},
		{"control", "a\x00b", "a b"},
		{"ascii unchanged", "UBND tinh", "UBND tinh"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := Normalize(tt.in)
			if got := n.String(); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := NormalizeString(n.String()); again != n.String() {
				t.Errorf("not idempotent: %q -> %q", n.String(), again)
			}
			checkOffsets(t, tt.in, n)
		})
	}
}

// checkOffsets checks that every span of the normalized text maps to a span
// of the source on UTF-8 boundaries, in order, and that the whole text maps
// to the whole source.
func checkOffsets(t *testing.T, src string, n Normalized) {
	t.Helper()
	text := n.String()
	if whole := n.SourceSpan(Span{0, len(text)}); len(text) > 0 && (whole[0] != 0 || whole[1] > len(src)) {
		t.Errorf("whole text maps to %v, source has %d bytes", whole, len(src))
	}
	prev := 0
	for i := 0; i <= len(text); i++ {
		if i < len(text) && !utf8.RuneStart(text[i]) {
			continue
		}
		for _, end := range []bool{false, true} {
			sp := n.SourceSpan(Span{i, i})
			p := sp[0]
			if end {
				p = sp[1]
			}
			if p < 0 || p > len(src) || p < len(src) && !utf8.RuneStart(src[p]) {
				t.Fatalf("offset %d (end=%v) maps to %d, not a rune boundary of %q", i, end, p, src)
			}
		}
		if s := n.SourceSpan(Span{i, i})[0]; s < prev {
			t.Fatalf("offset %d maps to %d, before %d: not monotonic", i, s, prev)
		} else {
			prev = s
		}
	}
}

func TestSourceSpan(t *testing.T) {
	src := "Phó Bí thư\u00a0Tỉnh uỷ " + norm.NFD.String("Trần Thế Dũng") + " – x"
	n := Normalize(src)
	text := n.String()
	for _, word := range []string{"Tỉnh ủy", "Trần Thế Dũng", "Bí thư", "-"} {
		i := strings.Index(text, word)
		if i < 0 {
			t.Fatalf("%q not in %q", word, text)
		}
		sp := n.SourceSpan(Span{i, i + len(word)})
		got := src[sp[0]:sp[1]]
		if NormalizeString(got) != word {
			t.Errorf("span of %q maps to %q", word, got)
		}
	}
}

func TestLowerSameLength(t *testing.T) {
	for _, s := range []string{"TỈNH ỦY HÀ TĨNH", "Đảng", "ĐBQH", "İstanbul", "ǅ", "ÀÁẢÃẠ"} {
		l := lowerSameLength(s)
		if len(l) != len(s) {
			t.Errorf("lowerSameLength(%q) = %q: %d bytes, want %d", s, l, len(l), len(s))
		}
	}
	if got := lowerSameLength("TỈNH ỦY Đảng"); got != "tỉnh ủy đảng" {
		t.Errorf("lowerSameLength = %q", got)
	}
}

// TestNFCClass checks the table's claim that runes marked cNFC are NFC on
// their own and start a new composition.
func TestNFCClass(t *testing.T) {
	for r := rune(0); r < rune(len(charClass)); r++ {
		if charClass[r]&cNFC == 0 || r >= 0xD800 && r < 0xE000 {
			continue
		}
		s := string(r)
		p := norm.NFC.PropertiesString(s)
		if !norm.NFC.IsNormalString(s) || !p.BoundaryBefore() || p.CCC() != 0 {
			t.Errorf("U+%04X is marked NFC but is not a normal starter", r)
		}
		if norm.NFC.String("a"+s) != "a"+s {
			t.Errorf("U+%04X composes with a preceding letter", r)
		}
	}
}
