package index

import (
	"cmp"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// How a page of hits is found. Bleve's collector loads the id of every
// matching document to sort by it, and reads match positions for every
// matching document when asked for locations; at tens of thousands of
// matches that is most of a search's time. collect runs the query's
// searcher itself: it keeps the best hits in a heap by score (or
// publication time) and loads a document's id only when the document
// enters the page or ties with its last hit. A second, small search of the
// page's documents then reads their scores and match positions (pageHits).

// order is how hits are sorted: by score, newest or oldest first; ties by
// id.
type order int

const (
	byScore order = iota
	byNewest
	byOldest
)

// Missing publication times sort last, as Bleve's field sort puts them.
const (
	lowTerm  = "\x00"
	highTerm = "\U0010FFFF\U0010FFFF\U0010FFFF"
)

// candidate is a matching document and its sort key.
type candidate struct {
	d     *search.DocumentMatch
	score float64
	key   string // publication time, prefix coded, for byNewest and byOldest
	id    string // "" until loaded
}

// collector keeps the n best candidates, worst first.
type collector struct {
	order order
	n     int
	heap  []*candidate
	r     bindex.IndexReader
	err   error
}

// id returns the candidate's document id, loading it once.
func (c *collector) id(x *candidate) string {
	if x.id == "" && x.d != nil {
		id, err := c.r.ExternalID(x.d.IndexInternalID)
		if err != nil && c.err == nil {
			c.err = err
		}
		x.id = id
	}
	return x.id
}

// primary compares the sort keys without the ids: > 0 when a comes first.
func (c *collector) primary(a, b *candidate) int {
	switch c.order {
	case byNewest:
		return compareStrings(a.key, b.key)
	case byOldest:
		return compareStrings(b.key, a.key)
	}
	switch {
	case a.score > b.score:
		return 1
	case a.score < b.score:
		return -1
	}
	return 0
}

func compareStrings(a, b string) int {
	switch {
	case a > b:
		return 1
	case a < b:
		return -1
	}
	return 0
}

// before reports whether a comes before b.
func (c *collector) before(a, b *candidate) bool {
	if p := c.primary(a, b); p != 0 {
		return p > 0
	}
	return c.id(a) < c.id(b)
}

// heap.Interface: the worst candidate on top.
func (c *collector) Len() int           { return len(c.heap) }
func (c *collector) Less(i, j int) bool { return c.before(c.heap[j], c.heap[i]) }
func (c *collector) Swap(i, j int)      { c.heap[i], c.heap[j] = c.heap[j], c.heap[i] }
func (c *collector) Push(x any)         { c.heap = append(c.heap, x.(*candidate)) }
func (c *collector) Pop() any {
	x := c.heap[len(c.heap)-1]
	c.heap = c.heap[:len(c.heap)-1]
	return x
}

// offer adds a candidate if it belongs in the best n; it returns the
// candidate that no longer does (x itself, or the one it replaced), or nil.
func (c *collector) offer(x *candidate) *candidate {
	if len(c.heap) < c.n {
		c.id(x)
		heap.Push(c, x)
		return nil
	}
	worst := c.heap[0]
	if !c.before(x, worst) {
		return x
	}
	c.id(x)
	c.heap[0] = x
	heap.Fix(c, 0)
	return worst
}

// offerAfter offers x unless it does not come after the cursor after (nil
// on the first page); it returns the candidate no longer wanted, as offer.
func (c *collector) offerAfter(x, after *candidate) *candidate {
	if after != nil && !c.before(after, x) {
		return x
	}
	return c.offer(x)
}

// sorted empties c into its candidates, best first.
func (c *collector) sorted() []*candidate {
	out := make([]*candidate, len(c.heap))
	for i := len(c.heap) - 1; i >= 0; i-- {
		out[i] = heap.Pop(c).(*candidate)
	}
	return out
}

// reader returns a reader of a snapshot of Bleve's index and the function
// that releases it; Close waits for it.
func (ix *Index) reader() (bindex.IndexReader, func(), error) {
	ix.closeMu.RLock()
	adv, err := ix.b.Advanced()
	if err != nil {
		ix.closeMu.RUnlock()
		return nil, nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		ix.closeMu.RUnlock()
		return nil, nil, err
	}
	return r, func() {
		r.Close()
		ix.closeMu.RUnlock()
	}, nil
}

// collected is what collect finds.
type collected struct {
	hits       []*candidate // in order
	total      uint64
	scored     uint64                                      // matches scored (topK skips some)
	segMatches map[*scorch.SegmentSnapshot]*roaring.Bitmap // topK: each segment's matches, for facets
	page       map[string]*search.DocumentMatch            // topK: the hits' scores and locations, by id, as pageHits finds them
	facets     map[string][]Facet
}

// countFacets returns the top size terms of each facet field over the
// documents of ids (n internal ids, one after another): from the segments'
// facet ordinals (facets.go), or else from the doc values.
func (ix *Index) countFacets(ctx context.Context, r bindex.IndexReader, ids []byte, n, size int) (map[string][]Facet, error) {
	counts, ok, err := ix.countFacetsCached(ctx, r, ids, n)
	if err != nil {
		return nil, err
	}
	if !ok {
		if counts, err = countFacetsDocValues(ctx, r, ids, n); err != nil {
			return nil, err
		}
	}
	return topFacets(counts, size), nil
}

// countFacetsDocValues counts the terms of each facet field over the
// documents of ids from the doc values. They are most of the time: half the
// documents are counted on another goroutine.
func countFacetsDocValues(ctx context.Context, r bindex.IndexReader, ids []byte, n int) (map[string]map[string]int, error) {
	fields := facetFieldNames()
	idLen := len(ids) / max(n, 1)
	count := func(ids []byte) (map[string]map[string]int, error) {
		dv, err := r.DocValueReader(fields)
		if err != nil {
			return nil, err
		}
		counts := map[string]map[string]int{}
		for _, f := range fields {
			counts[f] = map[string]int{}
		}
		visit := func(field string, term []byte) {
			counts[field][string(term)]++
		}
		for i := 0; i < len(ids); i += idLen {
			if i%(1024*idLen) == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			if err := dv.VisitDocValues(bindex.IndexInternalID(ids[i:i+idLen]), visit); err != nil {
				return nil, err
			}
		}
		return counts, nil
	}
	if n < 4096 {
		return count(ids)
	}
	half := n / 2 * idLen
	var other map[string]map[string]int
	var otherErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		other, otherErr = count(ids[half:])
	}()
	counts, err := count(ids[:half])
	<-done
	if err = cmp.Or(err, otherErr); err != nil {
		return nil, err
	}
	for f, m := range other {
		for t, k := range m {
			counts[f][t] += k
		}
	}
	return counts, nil
}

// snapshotOf returns the scorch snapshot r reads.
func snapshotOf(r bindex.IndexReader) (*scorch.IndexSnapshot, bool) {
	switch v := r.(type) {
	case *scorch.IndexSnapshot:
		return v, true
	case *foldReader:
		return v.snap, true
	}
	return nil, false
}

// fastTopK is false in tests that compare topK with collect.
var fastTopK = true

// find returns what collect does, through topK when it runs q.
func (ix *Index) find(ctx context.Context, r bindex.IndexReader, q query.Query, ord order, n int, after *candidate, facetSize int) (*collected, error) {
	snap, ok := snapshotOf(r)
	if ok && fastTopK {
		if p, err := compileTopK(q, ord); err == nil {
			res, err := ix.topK(ctx, snap, p, n, after, facetSize)
			if !errors.Is(err, errNotTopK) {
				return res, err
			}
		}
	}
	return ix.collect(ctx, r, q, ord, n, after, facetSize)
}

// collect runs q and returns the best n matches in order after the one
// after (nil for the first page), the number of matches, and the top
// facetSize terms of each facet field (none when facetSize is 0).
func (ix *Index) collect(ctx context.Context, r bindex.IndexReader, q query.Query, ord order, n int, after *candidate, facetSize int) (*collected, error) {
	opts := search.SearcherOptions{}
	if ord != byScore {
		// Scores are read for the page only (pageHits).
		opts.Score = "none"
	}
	s, err := q.Searcher(ctx, r, ix.mapping, opts)
	if err != nil {
		return nil, err
	}
	defer s.Close()

	var dv bindex.DocValueReader
	if ord != byScore {
		if dv, err = r.DocValueReader([]string{"published"}); err != nil {
			return nil, err
		}
	}
	var published []byte
	visit := func(field string, term []byte) {
		if ok, shift := numeric.ValidPrefixCodedTermBytes(term); ok && shift == 0 {
			published = append(published[:0], term...)
		}
	}
	var matched []byte // internal ids of the matches, for facets

	c := &collector{order: ord, n: n, r: r}
	pool := search.NewDocumentMatchPool(s.DocumentMatchPoolSize()+n+2, 0)
	sctx := &search.SearchContext{DocumentMatchPool: pool, IndexReader: r}
	out := &collected{}
	var spare *candidate
	for {
		if out.total%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		d, err := s.Next(sctx)
		if err != nil {
			return nil, err
		}
		if d == nil {
			break
		}
		out.total++
		out.scored++
		if facetSize > 0 {
			matched = append(matched, d.IndexInternalID...)
		}
		x := spare
		if x == nil {
			x = &candidate{}
		}
		*x = candidate{d: d, score: d.Score}
		if dv != nil {
			published = published[:0]
			if err := dv.VisitDocValues(d.IndexInternalID, visit); err != nil {
				return nil, err
			}
			switch {
			case ord == byScore:
			case len(published) > 0:
				x.key = string(published)
			case ord == byNewest:
				x.key = lowTerm
			default:
				x.key = highTerm
			}
		}
		spare = nil
		spare = c.offerAfter(x, after)
		if c.err != nil {
			return nil, c.err
		}
		if spare != nil {
			pool.Put(spare.d)
		}
	}
	out.hits = c.sorted()
	if c.err != nil {
		return nil, c.err
	}
	if facetSize > 0 {
		if out.facets, err = ix.countFacets(ctx, r, matched, int(out.total), facetSize); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// afterCandidate makes the candidate a cursor's sort values describe.
func afterCandidate(ord order, values []string) (*candidate, error) {
	if len(values) != 2 || values[1] == "" {
		return nil, fmt.Errorf("bad cursor")
	}
	x := &candidate{id: values[1]}
	if ord == byScore {
		f, err := strconv.ParseFloat(values[0], 64)
		if err != nil {
			return nil, err
		}
		x.score = f
	} else {
		x.key = values[0]
	}
	return x, nil
}

// cursorValues returns the sort values of a hit for a cursor.
func cursorValues(ord order, x *candidate) []string {
	if ord == byScore {
		return []string{strconv.FormatFloat(x.score, 'g', -1, 64), x.id}
	}
	return []string{x.key, x.id}
}

// pageHits searches the page's documents again for their scores and the
// positions of the words that match, by id.
func (ix *Index) pageHits(ctx context.Context, r bindex.IndexReader, q query.Query, ids []string) (map[string]*search.DocumentMatch, error) {
	ctx = context.WithValue(ctx, pageIDs{}, ids)
	page := query.NewConjunctionQuery([]query.Query{q, &constantQuery{q: query.NewDocIDQuery(ids)}})
	s, err := page.Searcher(ctx, r, ix.mapping, search.SearcherOptions{IncludeTermVectors: true})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize()+len(ids)+1, 0), IndexReader: r}
	out := map[string]*search.DocumentMatch{}
	for {
		d, err := s.Next(sctx)
		if err != nil {
			return nil, err
		}
		if d == nil {
			break
		}
		if d.ID, err = r.ExternalID(d.IndexInternalID); err != nil {
			return nil, err
		}
		d.Complete(nil)
		out[d.ID] = d
	}
	return out, nil
}
