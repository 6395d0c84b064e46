package index

import (
	"context"
	"maps"
	"testing"

	"github.com/blevesearch/bleve/v2/search"

	"github.com/baotinh/baotinh/extract"
)

// TestFacetOrdinals checks that facets counted from the segments' ordinals
// are those the doc values give, over several segments and an update.
func TestFacetOrdinals(t *testing.T) {
	var docs []testDoc
	loadJSON(t, "testdata/search/documents.json", &docs)
	ix, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	check := func() {
		t.Helper()
		for _, qs := range []string{"", "dân", "tỉnh", `"dân vận"`, "-dân"} {
			q, err := ix.searchQuery(&Search{Query: qs})
			if err != nil {
				t.Fatal(err)
			}
			r, release, err := ix.reader()
			if err != nil {
				t.Fatal(err)
			}
			s, err := q.Searcher(ctx, r, ix.mapping, search.SearcherOptions{Score: "none"})
			if err != nil {
				t.Fatal(err)
			}
			sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0), IndexReader: r}
			var ids []byte
			n := 0
			for {
				d, err := s.Next(sctx)
				if err != nil {
					t.Fatal(err)
				}
				if d == nil {
					break
				}
				ids = append(ids, d.IndexInternalID...)
				n++
				sctx.DocumentMatchPool.Put(d)
			}
			s.Close()
			got, ok, err := ix.countFacetsCached(ctx, r, ids, n)
			want, err2 := countFacetsDocValues(ctx, r, ids, n)
			release()
			if err != nil || err2 != nil {
				t.Fatal(err, err2)
			}
			if n == 0 {
				continue
			}
			if !ok {
				t.Fatalf("%q: no ordinals", qs)
			}
			for f, m := range want {
				if !maps.Equal(got[f], m) {
					t.Errorf("%q: %s = %v, doc values give %v", qs, f, got[f], m)
				}
			}
		}
	}
	for i := 0; i < len(docs); i += 3 {
		w := ix.NewWriter(0, nil)
		for _, d := range docs[i:min(i+3, len(docs))] {
			a := d.article(t)
			if err := w.Add(a, extract.Analyze(a)); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		check()
	}
	// A new version of the first article replaces it.
	a := docs[0].article(t)
	a.Add(extract.BlockParagraph, "Bài viết đã được biên tập lại.")
	w := ix.NewWriter(0, nil)
	if err := w.Add(a, extract.Analyze(a)); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	check()
}
