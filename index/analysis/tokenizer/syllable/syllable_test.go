package syllable

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"

	"github.com/baotinh/baotinh/extract"
)

const (
	alpha = analysis.AlphaNumeric
	num   = analysis.Numeric
)

func tok(start, end int, term string, pos int, typ analysis.TokenType) *analysis.Token {
	return &analysis.Token{Start: start, End: end, Term: []byte(term), Position: pos, Type: typ}
}

// format prints a stream one token a line, for got/want messages.
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

func TestTokenize(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  analysis.TokenStream
	}{
		{"empty", "", nil},
		{"no words", " .,;–“”…!? ", nil},
		{
			// Bleve's standard analyzer drops an, to, do, no, in, my as English
			// stop words; in Vietnamese they are syllables like any other.
			"stop words kept",
			"Nghệ An an ninh to lớn do đó in my no",
			analysis.TokenStream{
				tok(0, 6, "nghệ", 1, alpha),
				tok(7, 9, "an", 2, alpha),
				tok(10, 12, "an", 3, alpha),
				tok(13, 17, "ninh", 4, alpha),
				tok(18, 20, "to", 5, alpha),
				tok(21, 26, "lớn", 6, alpha),
				tok(27, 29, "do", 7, alpha),
				tok(30, 34, "đó", 8, alpha),
				tok(35, 37, "in", 9, alpha),
				tok(38, 40, "my", 10, alpha),
				tok(41, 43, "no", 11, alpha),
			},
		},
		{
			"sentence with quotes and numbers",
			"Phong trào “Dân vận khéo” năm 2024 đạt 1.000 mô hình, tăng 2,5%.",
			analysis.TokenStream{
				tok(0, 5, "phong", 1, alpha),
				tok(6, 11, "trào", 2, alpha),
				tok(15, 19, "dân", 3, alpha),
				tok(20, 25, "vận", 4, alpha),
				tok(26, 31, "khéo", 5, alpha),
				tok(35, 39, "năm", 6, alpha),
				tok(40, 44, "2024", 7, num),
				tok(45, 51, "đạt", 8, alpha),
				tok(52, 57, "1.000", 9, num),
				tok(58, 61, "mô", 10, alpha),
				tok(62, 67, "hình", 11, alpha),
				tok(69, 74, "tăng", 12, alpha),
				tok(75, 78, "2,5", 13, num),
			},
		},
		{
			"dates, codes and mixed letters and digits",
			"15/11/2024 COVID-19 h5n1 5G",
			analysis.TokenStream{
				tok(0, 2, "15", 1, num),
				tok(3, 5, "11", 2, num),
				tok(6, 10, "2024", 3, num),
				tok(11, 16, "covid", 4, alpha),
				tok(17, 19, "19", 5, num),
				tok(20, 24, "h5n1", 6, alpha),
				tok(25, 27, "5g", 7, alpha),
			},
		},
		{
			"separators only between digits",
			"1.2.3, 4,5. 6..7 .8 a.5 5.a",
			analysis.TokenStream{
				tok(0, 5, "1.2.3", 1, num),
				tok(7, 10, "4,5", 2, num),
				tok(12, 13, "6", 3, num),
				tok(15, 16, "7", 4, num),
				tok(18, 19, "8", 5, num),
				tok(20, 21, "a", 6, alpha),
				tok(22, 23, "5", 7, num),
				tok(24, 25, "5", 8, num),
				tok(26, 27, "a", 9, alpha),
			},
		},
		{
			"upper case",
			"ĐẢNG BỘ",
			analysis.TokenStream{
				tok(0, 7, "đảng", 1, alpha),
				tok(8, 12, "bộ", 2, alpha),
			},
		},
		{
			// The tone of open oa, oe, uy syllables goes on the first vowel;
			// quý and hoàng are already canonical.
			"old tone placement",
			"Hoà Thuỷ uỷ ban quý hoàng khoẻ",
			analysis.TokenStream{
				tok(0, 4, "hòa", 1, alpha),
				tok(5, 11, "thủy", 2, alpha),
				tok(12, 16, "ủy", 3, alpha),
				tok(17, 20, "ban", 4, alpha),
				tok(21, 25, "quý", 5, alpha),
				tok(26, 32, "hoàng", 6, alpha),
				tok(33, 39, "khỏe", 7, alpha),
			},
		},
		{
			// NFD: every mark is its own code point; offsets count them.
			"decomposed",
			norm.NFD.String("Khéo Nghệ An"),
			analysis.TokenStream{
				tok(0, 6, "khéo", 1, alpha),
				tok(7, 15, "nghệ", 2, alpha),
				tok(16, 18, "an", 3, alpha),
			},
		},
		{
			"decomposed acute is one token",
			"e\u0301",
			analysis.TokenStream{tok(0, 3, "é", 1, alpha)},
		},
		{
			// NBSP separates like a space; format characters inside a word
			// are ignored, as extract.Normalize deletes them, and are left
			// out of the token at its edges.
			"no-break space, zero-width space, soft hyphen",
			"Hà\u00a0Nội Ngh\u200bệ \u00adAn thà\u00adnh\u200b Việt\u200bNam",
			analysis.TokenStream{
				tok(0, 3, "hà", 1, alpha),
				tok(5, 10, "nội", 2, alpha),
				tok(11, 20, "nghệ", 3, alpha),
				tok(23, 25, "an", 4, alpha),
				tok(26, 34, "thành", 5, alpha),
				tok(38, 50, "việtnam", 6, alpha),
			},
		},
		{
			"invalid UTF-8 separates",
			"a\xffb\xe1\xbb",
			analysis.TokenStream{
				tok(0, 1, "a", 1, alpha),
				tok(2, 3, "b", 2, alpha),
			},
		},
	}
	tokenizer := NewTokenizer()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tokenizer.Tokenize([]byte(tt.input))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Tokenize(%q):\ngot%s\nwant%s", tt.input, format(got), format(tt.want))
			}
		})
	}
}

// TestDecomposedSameTerms checks that NFD input gives the terms of NFC input.
// It does not hold for every script: lower-casing is rune by rune, so NFD
// "I\u0307" (İ) gives "i\u0307" where NFC İ gives "i".
func TestDecomposedSameTerms(t *testing.T) {
	tokenizer := NewTokenizer()
	for _, s := range vietnamese {
		nfc, nfd := norm.NFC.String(s), norm.NFD.String(s)
		got, want := terms(tokenizer.Tokenize([]byte(nfd))), terms(tokenizer.Tokenize([]byte(nfc)))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("NFD %q:\ngot  %q\nwant %q", nfd, got, want)
		}
	}
}

func terms(ts analysis.TokenStream) []string {
	var out []string
	for _, t := range ts {
		out = append(out, string(t.Term))
	}
	return out
}

// inputs are texts for the property checks and the fuzz seed corpus.
var inputs = append(vietnamese[:len(vietnamese):len(vietnamese)], otherScripts...)

var vietnamese = []string{
	"",
	"Phong trào “Dân vận khéo” năm 2024 đạt 1.000 mô hình, tăng 2,5%.",
	"Chủ tịch UBND tỉnh Nghệ An – ông Nguyễn Đức Trung – đã ký Quyết định số 1234/QĐ-UBND ngày 15/11/2024.",
	"HOÀ BÌNH: Thuỷ điện Hoà Bình xả lũ, Uỷ ban nhân dân huyện Đà Bắc chỉ đạo khẩn.",
	"Hà\u00a0Nội\u00a0 Ngh\u200bệ \u00adAn thà\u00adnh\u200b phố\ufeff \u200e Việt\u200bNam\u200b\u200b",
	"Ea H'leo, Đắk Lắk: giá cà phê 120.000 đồng/kg (tăng 5,5%); H5N1, COVID-19, 5G…",
	"a\xffb\xe1\xbb \xc3 đ\x80ồng",
	"e\u0301 \u0301a o\u0300a hoa\u0300 u\u0309y \u0323\u0302 ấ\u0301",
	"1.2.3, 4,5. 6..7 .8 a.5 5.a ,1, .",
	"\t\r\n  \u2028 \u3000 ",
}

// otherScripts are inputs where lower-casing changes lengths or forms.
var otherScripts = []string{
	"Ⱥ ẞ İstanbul ΣΑΣ Ǆemal ǅ 𝐀𝐁 ١٢٣.٤٥ ½ 2² Ω K Å",
}

// check asserts the invariants of every token stream: offsets in order and
// within the input, positions consecutive from 1, each span valid UTF-8 whose
// lower-cased normalized form is the term.
func check(t *testing.T, input []byte, ts analysis.TokenStream) {
	t.Helper()
	prevEnd := 0
	for i, tk := range ts {
		if tk.Start < prevEnd || tk.End <= tk.Start || tk.End > len(input) {
			t.Fatalf("%q: token %d spans %d-%d after %d, input %d bytes", input, i, tk.Start, tk.End, prevEnd, len(input))
		}
		prevEnd = tk.End
		if tk.Position != i+1 {
			t.Fatalf("%q: token %d has position %d", input, i, tk.Position)
		}
		span := input[tk.Start:tk.End]
		if !utf8.Valid(span) {
			t.Fatalf("%q: token %d spans invalid UTF-8 %q", input, i, span)
		}
		// Tokens are maximal: they start and end with a word rune, and none
		// is next to them.
		first, _ := utf8.DecodeRune(span)
		last, _ := utf8.DecodeLastRune(span)
		before, _ := utf8.DecodeLastRune(input[:tk.Start])
		after, _ := utf8.DecodeRune(input[tk.End:])
		if !isWord(first) || !isWord(last) || isWord(before) || isWord(after) {
			t.Fatalf("%q: token %d over %q is not a maximal run of words", input, i, span)
		}
		if want := extract.NormalizeString(strings.ToLower(string(span))); string(tk.Term) != want {
			t.Fatalf("%q: token %d over %q has term %q, want %q", input, i, span, tk.Term, want)
		}
	}
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) }

func TestSpans(t *testing.T) {
	tokenizer := NewTokenizer()
	for _, s := range append(inputs, otherScripts...) {
		for _, in := range []string{s, norm.NFD.String(s), strings.ToUpper(s)} {
			ts := tokenizer.Tokenize([]byte(in))
			check(t, []byte(in), ts)
			checkOffsets(t, []byte(in), ts)
		}
	}
}

// checkOffsets asserts that Offsets gives the offsets of the tokens, and
// stops when asked to.
func checkOffsets(t *testing.T, input []byte, ts analysis.TokenStream) {
	t.Helper()
	var got [][2]int
	Offsets(input, func(start, end int) bool {
		got = append(got, [2]int{start, end})
		return true
	})
	var want [][2]int
	for _, tk := range ts {
		want = append(want, [2]int{tk.Start, tk.End})
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: Offsets gives %v, Tokenize %v", input, got, want)
	}
	n := 0
	Offsets(input, func(start, end int) bool {
		n++
		return n < 2
	})
	if n != min(2, len(ts)) {
		t.Fatalf("%q: Offsets made %d calls after it was told to stop at 2", input, n)
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range inputs {
		f.Add([]byte(s))
		f.Add([]byte(norm.NFD.String(s)))
	}
	tokenizer := NewTokenizer()
	f.Fuzz(func(t *testing.T, input []byte) {
		orig := string(input)
		ts := tokenizer.Tokenize(input)
		if string(input) != orig {
			t.Fatalf("input changed: %q -> %q", orig, input)
		}
		check(t, input, ts)
		checkOffsets(t, input, ts)
	})
}

// TestAllocs checks that canonical text costs the token slices and, when
// terms are lower-cased, one shared buffer: no allocation per term.
func TestAllocs(t *testing.T) {
	tokenizer := NewTokenizer()
	for _, tt := range []struct {
		input string
		max   float64
	}{
		{"phong trào dân vận khéo năm 2024 đạt 1.000 mô hình, tăng 2,5% so với năm trước", 2},
		{"Phong trào “Dân vận khéo” năm 2024 đạt 1.000 mô hình, tăng 2,5%. UBND TỈNH NGHỆ AN", 3},
	} {
		input := []byte(tt.input)
		if n := testing.AllocsPerRun(100, func() { tokenizer.Tokenize(input) }); n > tt.max {
			t.Errorf("Tokenize(%q): %v allocations, want at most %v", tt.input, n, tt.max)
		}
	}
}

func TestRegistry(t *testing.T) {
	tokenizer, err := registry.NewCache().TokenizerNamed(Name)
	if err != nil {
		t.Fatal(err)
	}
	if got := terms(tokenizer.Tokenize([]byte("Nghệ An"))); !reflect.DeepEqual(got, []string{"nghệ", "an"}) {
		t.Errorf("got %q, want [nghệ an]", got)
	}
}

func ExampleTokenizer_Tokenize() {
	for _, tok := range NewTokenizer().Tokenize([]byte("Uỷ ban tỉnh Nghệ An: 1.000 hộ, COVID-19")) {
		fmt.Printf("%s ", tok.Term)
	}
	fmt.Println()
	// Output: ủy ban tỉnh nghệ an 1.000 hộ covid 19
}
