package index

import (
	"context"
	"os"
	"reflect"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/baotinh/baotinh/internal/corpus"
)

// topKQueries are searches topK runs (or hands back to collect): words
// with and without diacritics, phrases, fields, several words.
var topKQueries = []string{
	`dân`, `huyện`, `Đảng`, `bão lũ`, `dan`, `dan van kheo`, `nong thon moi`, `chu tich ubnd tinh`,
	`"nông thôn mới"`, `"Ban Dân vận"`, `"Phó Bí thư"`, `"pho bi thu"`, `"chuyen doi so"`, `"dan van"`,
	`"nông thôn mới" "chuyển đổi số"`, `title:dân`, `title:"nông thôn"`, `body:huyen lead:tinh`,
	`"Dân van khéo"`, `site:baohatinh`, `hội nghị tỉnh ủy`, `xyzzy`, `"xyzzy dân"`,
	// Handed back to collect.
	`+dân -huyện`, `dân~1`, `hu*`, `year:>=2025`,
}

var topKCorpus struct {
	once sync.Once
	ix   *Index
	err  error
}

// topKIndex is an index of 800 articles of the benchmark corpus, enough
// for the bounds to skip documents; built once per test binary.
func topKIndex(t *testing.T) *Index {
	t.Helper()
	c := &topKCorpus
	c.once.Do(func() {
		dir, err := os.MkdirTemp("", "baotinh-topk-") // removed by TestMain
		if err != nil {
			c.err = err
			return
		}
		ix, err := Open(dir, Options{})
		if err != nil {
			c.err = err
			return
		}
		w := ix.NewWriter(0, nil)
		for i, it := range corpus.Make(800) {
			if err = w.Add(it.Article, it.Analysis); err != nil {
				break
			}
			// Several segments, and deletions: some articles again.
			if i%200 == 199 {
				if err = w.Flush(); err != nil {
					break
				}
			}
		}
		if err == nil {
			for _, it := range corpus.Make(30) {
				if err = w.Add(it.Article, it.Analysis); err != nil {
					break
				}
			}
		}
		if err == nil {
			err = w.Flush()
		}
		c.ix, c.err = ix, err
	})
	if c.err != nil {
		t.Fatal(c.err)
	}
	return c.ix
}

// TestTopK checks that topK finds the pages collect finds, with the same
// scores, totals and cursors, on the search test documents and on a larger
// corpus of several segments with deleted documents.
func TestTopK(t *testing.T) {
	for _, tc := range []struct {
		name string
		ix   *Index
	}{{"documents", testIndex(t)}, {"corpus", topKIndex(t)}} {
		t.Run(tc.name, func(t *testing.T) {
			r, release, err := tc.ix.reader()
			if err != nil {
				t.Fatal(err)
			}
			snap := r.(*scorch.IndexSnapshot)
			if tc.name == "corpus" && (len(snap.Segments()) < 2 || deletedDocs(snap) == 0) {
				t.Errorf("%d segments, %d deleted documents: the corpus tests neither", len(snap.Segments()), deletedDocs(snap))
			}
			release()
			ran, skipped := 0, false
			for _, qs := range topKQueries {
				q, err := tc.ix.searchQuery(&Search{Query: qs})
				if err != nil {
					t.Fatal(err)
				}
				if p, err := compileTopK(q); err == nil {
					ran++
					r, release, err := tc.ix.reader()
					if err != nil {
						t.Fatal(err)
					}
					res, err := tc.ix.topK(context.Background(), r.(*scorch.IndexSnapshot), p, 3, nil, 0)
					release()
					if err != nil {
						t.Errorf("%s: topK: %v", qs, err)
					} else if res.scored < res.total {
						skipped = true
					}
				}
				for _, limit := range []int{1, 3, 10} {
					compareTopK(t, tc.ix, qs, limit, 0)
				}
				compareTopK(t, tc.ix, qs, 5, 10)
			}
			if ran < len(topKQueries)-4 {
				t.Errorf("topK runs %d of %d queries", ran, len(topKQueries))
			}
			if tc.name == "corpus" && !skipped {
				t.Errorf("topK scores every match of every query")
			}
		})
	}
}

func deletedDocs(snap *scorch.IndexSnapshot) uint64 {
	var n uint64
	for _, s := range snap.Segments() {
		if d := s.Deleted(); d != nil {
			n += d.GetCardinality()
		}
	}
	return n
}

// compareTopK pages through a search three times, with topK and with
// collect, and compares every page (and its facets, when asked for).
func compareTopK(t *testing.T, ix *Index, qs string, limit, facets int) {
	t.Helper()
	ctx := context.Background()
	defer func() { fastTopK = true }()
	var afterFast, afterSlow string
	for page := 0; page < 3; page++ {
		fastTopK = true
		got, err := ix.Search(ctx, &Search{Query: qs, Limit: limit, After: afterFast, Facets: facets})
		if err != nil {
			t.Fatalf("%s: %v", qs, err)
		}
		fastTopK = false
		want, err := ix.Search(ctx, &Search{Query: qs, Limit: limit, After: afterSlow, Facets: facets})
		if err != nil {
			t.Fatalf("%s: %v", qs, err)
		}
		if got.Total != want.Total {
			t.Errorf("%s (limit %d, page %d): total %d, collect finds %d", qs, limit, page, got.Total, want.Total)
		}
		if len(got.Hits) != len(want.Hits) {
			t.Errorf("%s (limit %d, page %d): %d hits, collect finds %d", qs, limit, page, len(got.Hits), len(want.Hits))
			return
		}
		for i := range got.Hits {
			g, w := got.Hits[i], want.Hits[i]
			if g.ID != w.ID || g.Score != w.Score {
				t.Errorf("%s (limit %d, page %d): hit %d is %s (%v), collect finds %s (%v)", qs, limit, page, i, g.ID, g.Score, w.ID, w.Score)
			}
		}
		if !reflect.DeepEqual(got.Facets, want.Facets) {
			t.Errorf("%s (limit %d, page %d): facets %v, collect counts %v", qs, limit, page, got.Facets, want.Facets)
		}
		if got.Next != want.Next {
			t.Errorf("%s (limit %d, page %d): cursor %q, collect gives %q", qs, limit, page, got.Next, want.Next)
		}
		if got.Next == "" {
			return
		}
		afterFast, afterSlow = got.Next, want.Next
	}
}
