package index

import (
	"context"
	"testing"

	"github.com/blevesearch/bleve/v2/search"
	bindex "github.com/blevesearch/bleve_index_api"
)

// allScores runs a query and returns the score of every match by internal
// id.
func allScores(t testing.TB, ix *Index, r bindex.IndexReader, qs string, opts search.SearcherOptions) map[string]float64 {
	t.Helper()
	ctx := context.Background()
	q, err := ix.searchQuery(&Search{Query: qs})
	if err != nil {
		t.Fatal(err)
	}
	s, err := q.Searcher(ctx, r, ix.mapping, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0), IndexReader: r}
	out := map[string]float64{}
	for {
		d, err := s.Next(sctx)
		if err != nil {
			t.Fatal(err)
		}
		if d == nil {
			return out
		}
		out[string(d.IndexInternalID)] = d.Score
		sctx.DocumentMatchPool.Put(d)
	}
}

// foldedPhraseQueries are phrases with words typed without diacritics.
var foldedPhraseQueries = []string{
	`"Ban Dân vận"`, `"chu tich ubnd"`, `"dan van kheo"`, `"pho bi thu"`, `"Dân van khéo"`, `title:"nong thon moi"`,
	`"dan van" kheo`, `+"tinh uy" +dân`, `"ha tinh" OR "son la"`, `"dan dan"`, `"dan van dan"`,
	`"nông thôn mới"`, `"Phó Bí thư"`, `"dân vận" khéo`, `"dân dân"`, `"tỉnh"`, `"tinh"`, `title:"Dân vận"`,
	`dan van kheo`, `+dan +van -kheo`, `nong thon moi`, `ban`, `title:ban`, `chu tich uy ban mat tran to quoc tinh`,
	`dân van`, `+"ha tinh" +ubnd`,
}

// TestFoldedPhraseFastPath checks that phraseScan and the fast path of a
// phrase typed without diacritics match and score exactly as Bleve's
// searchers (a conjunction of the words; the disjunction of the exact and
// the folded phrase).
func TestFoldedPhraseFastPath(t *testing.T) {
	comparePhrasePaths(t, testIndex(t), foldedPhraseQueries)
}

func comparePhrasePaths(t testing.TB, ix *Index, queries []string) {
	t.Helper()
	r, release, err := ix.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	defer func() { fastPhrases = true }()
	matched := 0
	defer func() {
		if matched == 0 {
			t.Errorf("no query matches anything")
		}
	}()
	for _, qs := range queries {
		for _, opts := range []search.SearcherOptions{{}, {Score: "none"}} {
			fastPhrases = false
			want := allScores(t, ix, r, qs, opts)
			fastPhrases = true
			got := allScores(t, ix, r, qs, opts)
			matched += len(got)
			if len(got) != len(want) {
				t.Errorf("%s (%+v): %d matches, the disjunction finds %d", qs, opts, len(got), len(want))
			}
			for id, w := range want {
				if g, ok := got[id]; !ok || g != w {
					t.Errorf("%s (%+v): %x scores %v (found %v), the disjunction %v", qs, opts, id, g, ok, w)
				}
			}
		}
	}
}
