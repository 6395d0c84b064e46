package fold

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"dan van kheo 2024", "dan van kheo 2024"},
		{"đ", "d"},
		{strings.ToLower("Đồng"), "dong"},
		{"ưở", "uo"},
		{"ỹ", "y"},
		{"dân vận khéo", "dan van kheo"},
		{"ăn ân ên ôn ơn ưn", "an an en on on un"},
		{"àáảãạ ằắẳẵặ ầấẩẫậ èéẻẽẹ ềếểễệ ìíỉĩị", "aaaaa aaaaa aaaaa eeeee eeeee iiiii"},
		{"òóỏõọ ồốổỗộ ờớởỡợ ùúủũụ ừứửữự ỳýỷỹỵ", "ooooo ooooo ooooo uuuuu uuuuu yyyyy"},
		{"ĐẮK LẮK", "DAK LAK"},
		{"nghê\u0323", "nghe"},       // a combining mark left by NFC is dropped
		{"café naïve", "cafe naive"}, // other Latin letters fold too
		{"σασ ø", "σασ ø"},           // letters without a decomposition stay
		{"1.000 h5n1", "1.000 h5n1"},
		{"\xffđ", "\xffd"}, // invalid UTF-8 is copied
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got, want := HasDiacritics(tt.in), tt.in != tt.want; got != want {
			t.Errorf("HasDiacritics(%q) = %v, want %v", tt.in, got, want)
		}
	}
}

// TestFoldAll checks every precomposed Vietnamese letter against its NFD form.
func TestFoldAll(t *testing.T) {
	for _, r := range "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ" {
		s := string(r)
		want := norm.NFD.String(s)[:1]
		if got := Fold(s); got != want {
			t.Errorf("Fold(%q) = %q, want %q", s, got, want)
		}
		if up := strings.ToUpper(s); Fold(up) != strings.ToUpper(want) {
			t.Errorf("Fold(%q) = %q, want %q", up, Fold(up), strings.ToUpper(want))
		}
	}
}

func TestFoldAllocs(t *testing.T) {
	for _, s := range []string{"dan van kheo", "dân vận khéo"} {
		if n := testing.AllocsPerRun(100, func() { HasDiacritics(s) }); n != 0 {
			t.Errorf("HasDiacritics(%q): %v allocations", s, n)
		}
	}
	if n := testing.AllocsPerRun(100, func() { Fold("dan van kheo") }); n != 0 {
		t.Errorf("Fold of ASCII: %v allocations", n)
	}
}

func tok(start, end int, term string, pos int) *analysis.Token {
	return &analysis.Token{Start: start, End: end, Term: []byte(term), Position: pos, Type: analysis.AlphaNumeric}
}

func format(ts analysis.TokenStream) string {
	var b strings.Builder
	for _, t := range ts {
		fmt.Fprintf(&b, "\n\t%d-%d %q pos %d type %d", t.Start, t.End, t.Term, t.Position, t.Type)
	}
	if b.Len() == 0 {
		return "\n\t(no tokens)"
	}
	return b.String()
}

func TestFilter(t *testing.T) {
	tests := []struct {
		name  string
		input analysis.TokenStream
		want  analysis.TokenStream
	}{
		{"empty", nil, nil},
		{
			"unaccented terms get no folded token",
			analysis.TokenStream{tok(0, 3, "dan", 1), tok(4, 6, "an", 2), tok(7, 11, "2024", 3)},
			analysis.TokenStream{tok(0, 3, "dan", 1), tok(4, 6, "an", 2), tok(7, 11, "2024", 3)},
		},
		{
			"folded token after its term, same offsets and position",
			analysis.TokenStream{tok(0, 7, "đảng", 1), tok(8, 12, "bộ", 2), tok(13, 15, "an", 3), tok(16, 20, "dân", 4)},
			analysis.TokenStream{
				tok(0, 7, "đảng", 1), tok(0, 7, "~dang", 1),
				tok(8, 12, "bộ", 2), tok(8, 12, "~bo", 2),
				tok(13, 15, "an", 3),
				tok(16, 20, "dân", 4), tok(16, 20, "~dan", 4),
			},
		},
		{
			"marks only",
			analysis.TokenStream{tok(1, 3, "\u0301", 1), tok(4, 7, "ưở", 2)},
			analysis.TokenStream{tok(1, 3, "\u0301", 1), tok(4, 7, "ưở", 2), tok(4, 7, "~uo", 2)},
		},
	}
	filter := NewFilter()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := filter.Filter(tt.input)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Filter:\ngot%s\nwant%s", format(got), format(tt.want))
			}
		})
	}
}

// TestFilterTermsSeparate checks that appending to one folded term does not
// overwrite the next: they share a buffer.
func TestFilterTermsSeparate(t *testing.T) {
	out := NewFilter().Filter(analysis.TokenStream{tok(0, 4, "dân", 1), tok(5, 10, "vận", 2)})
	_ = append(out[1].Term, "xyz"...)
	if got := string(out[3].Term); got != "~van" {
		t.Errorf("second folded term = %q after appending to the first, want ~van", got)
	}
}

func TestRegistry(t *testing.T) {
	filter, err := registry.NewCache().TokenFilterNamed(Name)
	if err != nil {
		t.Fatal(err)
	}
	out := filter.Filter(analysis.TokenStream{tok(0, 4, "dân", 1)})
	if len(out) != 2 || string(out[1].Term) != "~dan" {
		t.Errorf("got%s\nwant dân, ~dan", format(out))
	}
}

func ExampleFold() {
	fmt.Println(Fold("đồng bằng sông cửu long"))
	// Output: dong bang song cuu long
}

func ExampleFilter_Filter() {
	input := analysis.TokenStream{
		{Start: 0, End: 4, Term: []byte("dân"), Position: 1},
		{Start: 5, End: 7, Term: []byte("an"), Position: 2},
	}
	for _, tok := range NewFilter().Filter(input) {
		fmt.Printf("%s@%d ", tok.Term, tok.Position)
	}
	fmt.Println()
	// Output: dân@1 ~dan@1 an@2
}

// FuzzFold checks that Fold agrees with HasDiacritics and, on valid UTF-8,
// removes every diacritic. (Dropping a mark between invalid bytes can join
// them into a new rune: "\xcd\u0351\x91" folds to "\u0351".)
func FuzzFold(f *testing.F) {
	for _, s := range []string{"", "dân vận khéo", "ĐẮK LẮK", "nghê\u0323", "\xffđ", "café σασ", "\xcd\u0351\x91"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		folded := Fold(s)
		if HasDiacritics(s) != (folded != s) {
			t.Fatalf("HasDiacritics(%q) = %v, Fold = %q", s, HasDiacritics(s), folded)
		}
		if !utf8.ValidString(s) {
			return
		}
		if HasDiacritics(folded) || Fold(folded) != folded {
			t.Fatalf("Fold(%q) = %q still has diacritics", s, folded)
		}
	})
}

// TestCopied checks Copied against the filter.
func TestCopied(t *testing.T) {
	for _, term := range []string{"dân", "dan", "", "Đảng", "a\u0301", "\u0301", "\u0301\u0300", "\u0301a", "ĐẢNG", "3.000", "ư", "\u0323b"} {
		out := NewFilter().Filter(analysis.TokenStream{{Term: []byte(term)}})
		if got, want := Copied([]byte(term)), len(out) == 2; got != want {
			t.Errorf("Copied(%q) = %v, the filter gives %d tokens", term, got, len(out))
		}
	}
}
