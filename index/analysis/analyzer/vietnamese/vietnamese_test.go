package vietnamese

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search/query"
	"golang.org/x/text/unicode/norm"
)

const (
	alpha = analysis.AlphaNumeric
	num   = analysis.Numeric
)

func tok(start, end int, term string, pos int, typ analysis.TokenType) *analysis.Token {
	return &analysis.Token{Start: start, End: end, Term: []byte(term), Position: pos, Type: typ}
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

func TestAnalyzers(t *testing.T) {
	nfd := norm.NFD.String("Hoà Bình")
	tests := []struct {
		name    string
		input   string
		exact   analysis.TokenStream
		folding analysis.TokenStream // nil: the same as exact
	}{
		{
			"stop words kept",
			"Nghệ An: an ninh to lớn, do đó",
			analysis.TokenStream{
				tok(0, 6, "nghệ", 1, alpha),
				tok(7, 9, "an", 2, alpha),
				tok(11, 13, "an", 3, alpha),
				tok(14, 18, "ninh", 4, alpha),
				tok(19, 21, "to", 5, alpha),
				tok(22, 27, "lớn", 6, alpha),
				tok(29, 31, "do", 7, alpha),
				tok(32, 36, "đó", 8, alpha),
			},
			analysis.TokenStream{
				tok(0, 6, "nghệ", 1, alpha), tok(0, 6, "~nghe", 1, alpha),
				tok(7, 9, "an", 2, alpha),
				tok(11, 13, "an", 3, alpha),
				tok(14, 18, "ninh", 4, alpha),
				tok(19, 21, "to", 5, alpha),
				tok(22, 27, "lớn", 6, alpha), tok(22, 27, "~lon", 6, alpha),
				tok(29, 31, "do", 7, alpha),
				tok(32, 36, "đó", 8, alpha), tok(32, 36, "~do", 8, alpha),
			},
		},
		{
			"upper case",
			"ĐẢNG BỘ",
			analysis.TokenStream{
				tok(0, 7, "đảng", 1, alpha),
				tok(8, 12, "bộ", 2, alpha),
			},
			analysis.TokenStream{
				tok(0, 7, "đảng", 1, alpha), tok(0, 7, "~dang", 1, alpha),
				tok(8, 12, "bộ", 2, alpha), tok(8, 12, "~bo", 2, alpha),
			},
		},
		{
			"old tone placement",
			"Thuỷ uỷ ban quý",
			analysis.TokenStream{
				tok(0, 6, "thủy", 1, alpha),
				tok(7, 11, "ủy", 2, alpha),
				tok(12, 15, "ban", 3, alpha),
				tok(16, 20, "quý", 4, alpha),
			},
			analysis.TokenStream{
				tok(0, 6, "thủy", 1, alpha), tok(0, 6, "~thuy", 1, alpha),
				tok(7, 11, "ủy", 2, alpha), tok(7, 11, "~uy", 2, alpha),
				tok(12, 15, "ban", 3, alpha),
				tok(16, 20, "quý", 4, alpha), tok(16, 20, "~quy", 4, alpha),
			},
		},
		{
			// Offsets count the bytes of the decomposed input.
			"decomposed",
			nfd,
			analysis.TokenStream{
				tok(0, 5, "hòa", 1, alpha),
				tok(6, 12, "bình", 2, alpha),
			},
			analysis.TokenStream{
				tok(0, 5, "hòa", 1, alpha), tok(0, 5, "~hoa", 1, alpha),
				tok(6, 12, "bình", 2, alpha), tok(6, 12, "~binh", 2, alpha),
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
			analysis.TokenStream{
				tok(0, 5, "phong", 1, alpha),
				tok(6, 11, "trào", 2, alpha), tok(6, 11, "~trao", 2, alpha),
				tok(15, 19, "dân", 3, alpha), tok(15, 19, "~dan", 3, alpha),
				tok(20, 25, "vận", 4, alpha), tok(20, 25, "~van", 4, alpha),
				tok(26, 31, "khéo", 5, alpha), tok(26, 31, "~kheo", 5, alpha),
				tok(35, 39, "năm", 6, alpha), tok(35, 39, "~nam", 6, alpha),
				tok(40, 44, "2024", 7, num),
				tok(45, 51, "đạt", 8, alpha), tok(45, 51, "~dat", 8, alpha),
				tok(52, 57, "1.000", 9, num),
				tok(58, 61, "mô", 10, alpha), tok(58, 61, "~mo", 10, alpha),
				tok(62, 67, "hình", 11, alpha), tok(62, 67, "~hinh", 11, alpha),
				tok(69, 74, "tăng", 12, alpha), tok(69, 74, "~tang", 12, alpha),
				tok(75, 78, "2,5", 13, num),
			},
		},
		{
			"no-break and zero-width spaces, soft hyphen",
			"Hà\u00a0Nội\u200b thà\u00adnh",
			analysis.TokenStream{
				tok(0, 3, "hà", 1, alpha),
				tok(5, 10, "nội", 2, alpha),
				tok(14, 22, "thành", 3, alpha),
			},
			analysis.TokenStream{
				tok(0, 3, "hà", 1, alpha), tok(0, 3, "~ha", 1, alpha),
				tok(5, 10, "nội", 2, alpha), tok(5, 10, "~noi", 2, alpha),
				tok(14, 22, "thành", 3, alpha), tok(14, 22, "~thanh", 3, alpha),
			},
		},
	}
	exact, folding := NewExact(), NewFolding()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := exact.Analyze([]byte(tt.input)); !reflect.DeepEqual(got, tt.exact) {
				t.Errorf("%s %q:\ngot%s\nwant%s", Exact, tt.input, format(got), format(tt.exact))
			}
			if got := folding.Analyze([]byte(tt.input)); !reflect.DeepEqual(got, tt.folding) {
				t.Errorf("%s %q:\ngot%s\nwant%s", Folding, tt.input, format(got), format(tt.folding))
			}
		})
	}
}

// TestRegistry checks that the registered analyzers are the ones the
// constructors build.
func TestRegistry(t *testing.T) {
	cache := registry.NewCache()
	input := []byte("Phong trào “Dân vận khéo” ĐẢNG BỘ")
	for name, want := range map[string]analysis.Analyzer{Exact: NewExact(), Folding: NewFolding()} {
		a, err := cache.AnalyzerNamed(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got, want := a.Analyze(input), want.Analyze(input); !reflect.DeepEqual(got, want) {
			t.Errorf("%s from the registry:\ngot%s\nwant%s", name, format(got), format(want))
		}
	}
}

// TestIndex indexes a text with Folding and searches it as the query side
// should: words typed with diacritics as exact terms, the others as the term
// or its folded form. The phrase matches across exact and folded terms and
// its locations point into the original text.
func TestIndex(t *testing.T) {
	m := mapping.NewIndexMapping()
	m.DefaultAnalyzer = Folding
	idx, err := bleve.NewMemOnly(m)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	text := "Phong trào “Dân vận khéo” ở Nghệ An"
	if err := idx.Index("1", map[string]interface{}{"body": text}); err != nil {
		t.Fatal(err)
	}
	q := query.NewMultiPhraseQuery([][]string{{"dân"}, {"van", "~van"}, {"kheo", "~kheo"}}, "body")
	req := bleve.NewSearchRequest(q)
	req.IncludeLocations = true
	res, err := idx.Search(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 {
		t.Fatalf("phrase dân van kheo: %d hits, want 1", res.Total)
	}
	var got []string
	for _, term := range []string{"dân", "~van", "~kheo"} {
		for _, loc := range res.Hits[0].Locations["body"][term] {
			got = append(got, text[loc.Start:loc.End])
		}
	}
	if want := []string{"Dân", "vận", "khéo"}; !reflect.DeepEqual(got, want) {
		t.Errorf("locations cover %q, want %q", got, want)
	}
	for _, qs := range [][]string{{"~dan", "~van", "~kheo"}, {"nghệ", "an"}, {"~nghe", "an"}} {
		res, err := idx.Search(bleve.NewSearchRequest(bleve.NewPhraseQuery(qs, "body")))
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 1 {
			t.Errorf("phrase %q: %d hits, want 1", qs, res.Total)
		}
	}
}

func ExampleNewExact() {
	for _, tok := range NewExact().Analyze([]byte("Uỷ ban nhân dân tỉnh Nghệ An")) {
		fmt.Printf("%s ", tok.Term)
	}
	fmt.Println()
	// Output: ủy ban nhân dân tỉnh nghệ an
}

func ExampleNewFolding() {
	for _, tok := range NewFolding().Analyze([]byte("Dân vận khéo ở Nghệ An")) {
		fmt.Printf("%s ", tok.Term)
	}
	fmt.Println()
	// Output: dân ~dan vận ~van khéo ~kheo ở ~o nghệ ~nghe an
}

func BenchmarkFolding(b *testing.B) {
	text, err := os.ReadFile("testdata/news.txt")
	if err != nil {
		b.Fatal(err)
	}
	a := NewFolding()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		a.Analyze(text)
	}
}

func BenchmarkExact(b *testing.B) {
	text, err := os.ReadFile("testdata/news.txt")
	if err != nil {
		b.Fatal(err)
	}
	a := NewExact()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		a.Analyze(text)
	}
}
