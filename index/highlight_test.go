package index

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"golang.org/x/text/unicode/norm"

	"github.com/baotinh/baotinh/extract"
	"github.com/baotinh/baotinh/index/analysis/analyzer/vietnamese"
	"github.com/baotinh/baotinh/index/analysis/tokenfilter/fold"
)

// highlightIndex is the index of the search test documents and the seed
// articles, and the texts of their title and text fields.
func highlightIndex(t *testing.T) (*Index, []string) {
	ix := testIndex(t)
	addSeeds(t, ix.NewWriter(0, nil))
	var texts []string
	err := ix.Articles(func(a *Article) error {
		texts = append(texts, a.Title)
		for _, k := range []extract.BlockKind{extract.BlockLead, extract.BlockParagraph, extract.BlockCaption} {
			v, _ := a.blockTexts(k)
			texts = append(texts, v...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ix, texts
}

// plainAnalyzer hides the type of an analyzer: positionSpans analyzes with
// it.
type plainAnalyzer struct{ analysis.Analyzer }

// TestPositionSpans checks that the spans the syllable tokenizer gives by
// position are those of the words the field analyzer makes.
func TestPositionSpans(t *testing.T) {
	ix, texts := highlightIndex(t)
	texts = append(texts, "", "—", "Uỷ ban\u200bnhân dân, COVID-19 ngày 15/11/2024: 1.000 hộ", norm.NFD.String("Hoà Bình, Thừa Thiên Huế"), "Ⱥ ẞ İstanbul ½ 2²")
	a := ix.docs.analyzers["body"]
	if !spansByTokenizer(a) {
		t.Fatal("the body's analyzer is not the syllable tokenizer and folding")
	}
	if spansByTokenizer(plainAnalyzer{a}) || spansByTokenizer(ix.mapping.AnalyzerNamed("standard")) {
		t.Fatal("spansByTokenizer takes another analyzer")
	}
	for _, text := range texts {
		var want []extract.Span
		for _, tok := range a.Analyze([]byte(text)) {
			for len(want) <= tok.Position {
				want = append(want, extract.Span{})
			}
			if s := (extract.Span{tok.Start, tok.End}); want[tok.Position] != s && want[tok.Position] != (extract.Span{}) {
				t.Fatalf("%q: two spans at position %d", text, tok.Position)
			} else {
				want[tok.Position] = s
			}
		}
		if len(want) == 0 {
			want = []extract.Span{{}}
		}
		for _, last := range []uint64{1, 3, uint64(len(want) - 1), uint64(len(want) + 5)} {
			n := min(int(last)+1, len(want))
			for _, an := range []analysis.Analyzer{a, plainAnalyzer{a}} {
				if got := positionSpans(an, text, last); !reflect.DeepEqual(got, want[:n]) {
					t.Fatalf("positionSpans(%T, %q, %d) =\n%v, want\n%v", an, text, last, got, want[:n])
				}
			}
		}
	}
}

// TestHitMarks checks the marks of every hit of searches for words against
// what the folding analyzer makes of the title and the blocks: a word is
// marked where the analyzer gives a token of a term the query searches
// (the word as typed, and its folded form when it is typed without
// diacritics), and nowhere else.
func TestHitMarks(t *testing.T) {
	ix, _ := highlightIndex(t)
	exact := ix.mapping.AnalyzerNamed(vietnamese.Exact)
	// The folding analyzer gives each accented token its folded term too,
	// as the folded terms of queries match it (foldterms.go).
	field := ix.mapping.AnalyzerNamed(vietnamese.Folding)
	for _, q := range []string{"dân", "dan", "hòa", "hoà", "hoa", "tỉnh", "tinh", "an", "ninh", "ủy", "uy", "UBND", "2024",
		"3.000", "Hà", "ha", "đồng", "dong", "Dân vận khéo", "nghe an", "xã", norm.NFD.String("Hòa Bình")} {
		terms := map[string]bool{}
		for _, tok := range exact.Analyze([]byte(q)) {
			terms[string(tok.Term)] = true
			if !fold.HasDiacritics(string(tok.Term)) {
				terms[fold.FoldedPrefix+string(tok.Term)] = true
			}
		}
		matched := func(text string) []extract.Span {
			out := []extract.Span{}
			for _, tok := range field.Analyze([]byte(text)) {
				if terms[string(tok.Term)] {
					out = append(out, extract.Span{tok.Start, tok.End})
				}
			}
			return uniqueSorted(out)
		}
		res, err := ix.Search(context.Background(), &Search{Query: q, Limit: MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 {
			t.Errorf("Search(%q): no hits", q)
		}
		marks := 0
		for _, h := range res.Hits {
			a, err := ix.Article(h.ID)
			if err != nil || a == nil {
				t.Fatalf("Article(%s) = %v, %v", h.ID, a, err)
			}
			if want := matched(a.Title); !slices.Equal(h.TitleMarks, want) {
				t.Errorf("Search(%q) %s: title marks %v (%s), want %v (%s)", q, h.ID, h.TitleMarks, markedText(a.Title, h.TitleMarks), want, markedText(a.Title, want))
			}
			marks += len(h.TitleMarks)
			for _, sn := range h.Snippets {
				end := sn.Start + len(sn.Text)
				var block *extract.Block
				for i, b := range a.Blocks {
					if fieldOfBlock(b.Kind) == sn.Field && b.Kind != extract.BlockTitle && b.Span[0] <= sn.Start && end <= b.Span[1] {
						block = &a.Blocks[i]
					}
				}
				if block == nil {
					t.Fatalf("Search(%q) %s: snippet %q in no %s block", q, h.ID, sn.Text, sn.Field)
				}
				want := []extract.Span{}
				for _, m := range matched(a.Text[block.Span[0]:block.Span[1]]) {
					if m := (extract.Span{m[0] + block.Span[0], m[1] + block.Span[0]}); sn.Start <= m[0] && m[1] <= end {
						want = append(want, extract.Span{m[0] - sn.Start, m[1] - sn.Start})
					}
				}
				if !slices.Equal(sn.Marks, want) {
					t.Errorf("Search(%q) %s: snippet marks %v (%s), want %v (%s)", q, h.ID, sn.Marks, markedText(sn.Text, sn.Marks), want, markedText(sn.Text, want))
				}
				marks += len(sn.Marks)
			}
		}
		if marks == 0 {
			t.Errorf("Search(%q): %d hits, no marks", q, len(res.Hits))
		}
	}
}
