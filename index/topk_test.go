package index

import (
	"context"
	"errors"
	"os"
	"reflect"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
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
	`title:dân^3 body:"nông thôn"^0.5 tags:xyz`, `people:"Trương Thanh Huyền" titles:"trưởng ban"`,
	// Handed back to collect (the last: more than ten words).
	`+dân -huyện`, `dân~1`, `hu*`, `year:>=2025`, `chu tich uy ban mat tran to quoc tinh ha tinh son la`,
}

var topKCorpus struct {
	once sync.Once
	ix   *Index
	err  error
}

// topKIndex is an index of 800 articles of the benchmark corpus, enough
// for the bounds to skip documents, in several segments with deleted
// documents; built once per test binary.
func topKIndex(t *testing.T) *Index {
	t.Helper()
	c := &topKCorpus
	c.once.Do(func() {
		dir, err := os.MkdirTemp("", "baotinh-topk-") // removed by TestMain
		if err != nil {
			c.err = err
			return
		}
		if c.err = buildSegments(dir); c.err != nil {
			return
		}
		c.ix, c.err = Open(dir, Options{ReadOnly: true})
	})
	if c.err != nil {
		t.Fatal(c.err)
	}
	return c.ix
}

// buildSegments indexes 800 articles of the benchmark corpus in dir: four
// segments, each persisted on its own (scorch merges the segments of
// batches it has not persisted yet), and deleted documents in them: 30
// articles indexed again.
func buildSegments(dir string) error {
	items := corpus.Make(800)
	for _, chunk := range [][]corpus.Item{items[:200], items[200:400], items[400:600], items[600:], items[:30]} {
		ix, err := Open(dir, Options{})
		if err != nil {
			return err
		}
		w := ix.NewWriter(0, nil)
		for _, it := range chunk {
			if err = w.Add(it.Article, it.Analysis); err != nil {
				break
			}
		}
		if err == nil {
			err = w.Flush()
		}
		if cerr := ix.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
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
			// Filters as the CLI and the server set them; dates around
			// the middle of the corpus.
			var filters []Search
			{
				res, err := tc.ix.Search(context.Background(), &Search{Sort: "newest", Limit: 1})
				if err != nil || len(res.Hits) == 0 {
					t.Fatalf("newest article: %v", err)
				}
				newest := parsePublished(res.Hits[0].Published)
				res, err = tc.ix.Search(context.Background(), &Search{Sort: "oldest", Limit: 1})
				if err != nil || len(res.Hits) == 0 {
					t.Fatalf("oldest article: %v", err)
				}
				oldest := parsePublished(res.Hits[0].Published)
				mid := oldest.Add(newest.Sub(oldest) / 2).Truncate(24 * time.Hour)
				filters = []Search{
					{Sites: []string{"baohatinh"}, Limit: 3},
					{Sites: []string{"baohatinh", "baosonla"}, From: mid, Limit: 3, Sort: "newest"},
					{From: oldest, To: mid, Limit: 3},
					{To: mid, Limit: 3, Sort: "oldest", Facets: 5},
					{Sites: []string{"baosonla"}, From: mid.AddDate(0, -6, 0), To: mid, Limit: 2},
				}
			}
			for _, f := range filters {
				for _, sort := range []string{"newest", "oldest", ""} {
					f.Sort = sort
					compareTopK(t, tc.ix, f) // no query: every article, filtered
				}
			}
			bounds, wrong := 0, 0
			checkBounds = func(program, nodes float64) {
				bounds++
				if program != nodes {
					wrong++
				}
			}
			defer func() {
				checkBounds = nil
				if bounds == 0 || wrong > 0 {
					t.Errorf("the bound program differs from docBound %d times of %d", wrong, bounds)
				}
			}()
			ran, skipped := 0, false
			for _, qs := range topKQueries {
				q, err := tc.ix.searchQuery(&Search{Query: qs})
				if err != nil {
					t.Fatal(err)
				}
				if p, err := compileTopK(q, byScore); err == nil {
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
					compareTopK(t, tc.ix, Search{Query: qs, Limit: limit})
				}
				compareTopK(t, tc.ix, Search{Query: qs, Limit: 5, Facets: 10})
				for _, sort := range []string{"newest", "oldest"} {
					compareTopK(t, tc.ix, Search{Query: qs, Limit: 4, Sort: sort})
				}
				for _, f := range filters {
					f.Query = qs
					compareTopK(t, tc.ix, f)
				}
			}
			if ran < len(topKQueries)-5 {
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
// collect, and compares every page and its facets.
func compareTopK(t *testing.T, ix *Index, s Search) {
	t.Helper()
	ctx := context.Background()
	defer func() { fastTopK = true }()
	var afterFast, afterSlow string
	for page := 0; page < 3; page++ {
		fast, slow := s, s
		fast.After, slow.After = afterFast, afterSlow
		fastTopK = true
		got, err := ix.Search(ctx, &fast)
		if err != nil {
			t.Fatalf("%+v: %v", s, err)
		}
		fastTopK = false
		want, err := ix.Search(ctx, &slow)
		if err != nil {
			t.Fatalf("%+v: %v", s, err)
		}
		if got.Total != want.Total {
			t.Errorf("%+v, page %d: total %d, collect finds %d", s, page, got.Total, want.Total)
		}
		if len(got.Hits) != len(want.Hits) {
			t.Errorf("%+v, page %d: %d hits, collect finds %d", s, page, len(got.Hits), len(want.Hits))
			return
		}
		for i := range got.Hits {
			g, w := got.Hits[i], want.Hits[i]
			if g.ID != w.ID || g.Score != w.Score {
				t.Errorf("%+v, page %d: hit %d is %s (%v), collect finds %s (%v)", s, page, i, g.ID, g.Score, w.ID, w.Score)
			} else if !reflect.DeepEqual(g.TitleMarks, w.TitleMarks) || !reflect.DeepEqual(g.Snippets, w.Snippets) {
				t.Errorf("%+v, page %d: hit %s is marked %v %+v, by collect and pageHits %v %+v", s, page, g.ID, g.TitleMarks, g.Snippets, w.TitleMarks, w.Snippets)
			}
		}
		if !reflect.DeepEqual(got.Facets, want.Facets) {
			t.Errorf("%+v, page %d: facets %v, collect counts %v", s, page, got.Facets, want.Facets)
		}
		if got.Next != want.Next {
			t.Errorf("%+v, page %d: cursor %q, collect gives %q", s, page, got.Next, want.Next)
		}
		if got.Next == "" {
			return
		}
		afterFast, afterSlow = got.Next, want.Next
	}
}

// TestSegCacheBound checks that a segment's cache of phrases stays within
// its bound: past it, it starts again.
func TestSegCacheBound(t *testing.T) {
	e := &segEntry{impact: map[tkKey]float64{}, phrases: map[string]*roaring.Bitmap{}, docs: 1 << 16}
	limit := uint64(segCacheBytes + segCacheDocBytes*e.docs)
	made := 0
	const n = 4000 // 33 MB of phrases
	for i := range n {
		key := strconv.Itoa(i)
		bm, err := e.phrase(key, func() (*roaring.Bitmap, error) {
			made++
			bm := roaring.New()
			for d := uint32(0); d < 1<<16; d += 2 { // 8 KB, not run-compressible
				bm.Add(d + uint32(i%2))
			}
			return bm, nil
		})
		if err != nil || bm.GetCardinality() != 1<<15 {
			t.Fatalf("phrase %d: %v, %d documents", i, err, bm.GetCardinality())
		}
		if e.bytes > limit {
			t.Fatalf("after %d phrases the cache holds %d bytes, over %d", i+1, e.bytes, limit)
		}
	}
	if len(e.phrases) == n {
		t.Errorf("the cache kept all %d phrases (%d bytes)", n, e.bytes)
	}
	// A phrase still cached is not made again.
	for key := range e.phrases {
		if _, err := e.phrase(key, func() (*roaring.Bitmap, error) { t.Fatal("made again"); return nil, nil }); err != nil {
			t.Fatal(err)
		}
		break
	}
	if made != n {
		t.Errorf("made %d phrases, want %d", made, n)
	}
}

// TestSegCacheOnce checks that searches asking at once for a phrase no
// search has met work it out once, and that a failure is not kept.
func TestSegCacheOnce(t *testing.T) {
	e := &segEntry{impact: map[tkKey]float64{}, phrases: map[string]*roaring.Bitmap{}, docs: 100}
	var made atomic.Int32
	start := make(chan struct{})
	work := func() (*roaring.Bitmap, error) {
		made.Add(1)
		<-start // the others ask meanwhile
		return roaring.BitmapOf(1, 2, 3), nil
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if bm, err := e.phrase("k", work); err != nil || bm.GetCardinality() != 3 {
				t.Errorf("phrase: %v, %v", bm, err)
			}
		})
	}
	for made.Load() == 0 {
		runtime.Gosched()
	}
	close(start)
	wg.Wait()
	if n := made.Load(); n != 1 {
		t.Errorf("worked out %d times, want 1", n)
	}
	fail := errors.New("disk gone")
	if _, err := e.phrase("bad", func() (*roaring.Bitmap, error) { return nil, fail }); !errors.Is(err, fail) {
		t.Errorf("error %v, want %v", err, fail)
	}
	if bm, err := e.phrase("bad", func() (*roaring.Bitmap, error) { return roaring.BitmapOf(7), nil }); err != nil || !bm.Contains(7) {
		t.Errorf("after a failure: %v, %v", bm, err)
	}
}
