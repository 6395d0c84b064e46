package index

import (
	"math"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search/scorer"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// What topK keeps about a segment of the index, which never changes: the
// terms' bounds, the documents that have a phrase, and the documents'
// publication times.

// segDates are the publication times of a segment's documents.
type segDates struct {
	keys []string // as prefix-coded terms, collect's sort keys; "" for none
	vals []int64  // in Unix nanoseconds
}

// at returns the publication time of doc, if it has one.
func (d *segDates) at(doc uint32) (int64, bool) {
	if int(doc) >= len(d.keys) || d.keys[doc] == "" {
		return 0, false
	}
	return d.vals[doc], true
}

// readDates reads the publication times of every document of seg from its
// doc values.
func readDates(seg segment.Segment) (*segDates, error) {
	dv, ok := seg.(segment.DocValueVisitable)
	if !ok {
		return nil, errNotTopK
	}
	n := seg.Count()
	d := &segDates{keys: make([]string, n), vals: make([]int64, n)}
	var doc uint64
	visit := func(field string, term []byte) {
		if field != "published" {
			return
		}
		if ok, shift := numeric.ValidPrefixCodedTermBytes(term); ok && shift == 0 {
			v, err := numeric.PrefixCoded(term).Int64()
			if err == nil {
				d.keys[doc], d.vals[doc] = string(term), v
			}
		}
	}
	fields := []string{"published"}
	var state segment.DocVisitState
	for doc = 0; doc < n; doc++ {
		var err error
		if state, err = dv.VisitDocValues(doc, fields, visit, state); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// segCache keeps what topK works out about the segments searched lately:
// the terms' bounds and the documents that have a phrase.
type segCache struct {
	mu   sync.Mutex
	segs map[segment.Segment]*segEntry
}

// segEntry is what is known of one segment.
type segEntry struct {
	dates     *segDates
	datesErr  error
	datesOnce sync.Once

	mu      sync.Mutex
	impact  map[tkKey]float64
	folds   map[string]*segFolds  // by field
	folded  map[string]*foldedMem // folded terms in memory, by field and term
	fbytes  uint64                // of folded
	phrases map[string]*roaring.Bitmap
	making  map[string]chan struct{} // phrases being worked out, closed when done
	bytes   uint64                   // of phrases (their bitmaps and keys)
	docs    uint64                   // in the segment, deleted ones too
}

// Bounds on a segment's entry. The phrases' matches may take
// segCacheBytes and segCacheDocBytes a document of the segment (a phrase in
// half the documents of a segment takes about an eighth of a byte a
// document: room for 2,000 such phrases), so that the cache of an index
// grows with its size: about 70 MB for the 50,000 articles of the
// benchmarks in 14 segments. Past the bound, phrases are dropped at random
// until half of it is left. Past segCacheTerms bounds, the terms' bounds
// start again.
const (
	segCacheTerms    = 1 << 14
	segCacheBytes    = 4 << 20
	segCacheDocBytes = 256
)

// The bound on a segment's folded terms in memory (foldterms.go): a
// folded term in every document takes 8 bytes a document; the bound
// holds a day's vocabulary of a busy server (about 50 MB at 50,000
// articles in use, 16 MB a segment and 1 KB a document at most).
const (
	foldedCacheBytes    = 16 << 20
	foldedCacheDocBytes = 1 << 10
)

// get returns the entry of seg; the entries of segments that are no
// longer live (not in the index's last snapshot) are dropped lazily.
func (c *segCache) get(seg segment.Segment) *segEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.segs[seg]
	if e == nil {
		if c.segs == nil {
			c.segs = map[segment.Segment]*segEntry{}
		}
		e = &segEntry{impact: map[tkKey]float64{}, phrases: map[string]*roaring.Bitmap{}, docs: seg.Count()}
		c.segs[seg] = e
	}
	return e
}

// retain drops the entries of segments not in live.
func (c *segCache) retain(live []*scorch.SegmentSnapshot) {
	keep := make(map[segment.Segment]bool, len(live))
	for _, s := range live {
		keep[s.Segment()] = true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for s := range c.segs {
		if !keep[s] {
			delete(c.segs, s)
		}
	}
}

// datesOf returns the publication times of the segment's documents, read
// the first time.
func (e *segEntry) datesOf(seg segment.Segment) (*segDates, error) {
	e.datesOnce.Do(func() { e.dates, e.datesErr = readDates(seg) })
	return e.dates, e.datesErr
}

// peekFolded returns a folded term of the segment if it is in memory.
func (e *segEntry) peekFolded(key string) *foldedMem {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.folded[key]
}

// foldedTerm returns a folded term of the segment in memory, read from
// its forms' postings (lists gives them, deleted documents too) the first
// time. The folded terms of a segment are bounded as its phrases are.
func (e *segEntry) foldedTerm(key string, lists func() ([]segment.PostingsList, error)) (*foldedMem, error) {
	e.mu.Lock()
	m, ok := e.folded[key]
	e.mu.Unlock()
	if ok {
		return m, nil
	}
	ls, err := lists()
	if err != nil {
		return nil, err
	}
	if m, err = readFolded(ls); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if old, ok := e.folded[key]; ok {
		return old, nil
	}
	if e.folded == nil {
		e.folded = map[string]*foldedMem{}
	}
	keep(e.folded, &e.fbytes, foldedCacheBytes+foldedCacheDocBytes*e.docs, key, m, (*foldedMem).size)
	return m, nil
}

// hasPhrase reports whether the matches of a phrase are kept.
func (e *segEntry) hasPhrase(key string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, ok := e.phrases[key]
	return ok
}

// maxImpact returns the largest √freq × norm of a term's postings in the
// segment (all of them, of deleted documents too: list gives them): what
// the term adds to a score is at most this × idf × its query weight.
func (e *segEntry) maxImpact(k tkKey, list func() (segment.PostingsList, error)) (float64, error) {
	return e.bound(k, func() (float64, error) {
		pl, err := list()
		if err != nil || pl == nil {
			return 0, err
		}
		var v float64
		it := pl.Iterator(true, true, false, nil)
		for {
			post, err := it.Next()
			if err != nil {
				return 0, err
			}
			if post == nil {
				return v, nil
			}
			freq := post.Frequency()
			var tf float64
			if freq < scorer.MaxSqrtCache {
				tf = scorer.SqrtCache[int(freq)]
			} else {
				tf = math.Sqrt(float64(freq))
			}
			v = max(v, tf*post.Norm())
		}
	})
}

// bound returns the kept bound of a term, worked out by compute the first
// time.
func (e *segEntry) bound(k tkKey, compute func() (float64, error)) (float64, error) {
	e.mu.Lock()
	v, ok := e.impact[k]
	e.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := compute()
	if err != nil {
		return 0, err
	}
	e.mu.Lock()
	if len(e.impact) >= segCacheTerms {
		clear(e.impact)
	}
	e.impact[k] = v
	e.mu.Unlock()
	return v, nil
}

// phrase returns the cached matches of a phrase, worked out by work the
// first time; searches that ask for a phrase another one is working out
// wait for it.
func (e *segEntry) phrase(key string, work func() (*roaring.Bitmap, error)) (*roaring.Bitmap, error) {
	for {
		e.mu.Lock()
		if bm, ok := e.phrases[key]; ok {
			e.mu.Unlock()
			return bm, nil
		}
		wait, busy := e.making[key]
		if !busy {
			if e.making == nil {
				e.making = map[string]chan struct{}{}
			}
			e.making[key] = make(chan struct{})
		}
		e.mu.Unlock()
		if !busy {
			break
		}
		<-wait // then look again: it failed, or was dropped already
	}
	bm, err := work()
	e.mu.Lock()
	defer e.mu.Unlock()
	close(e.making[key])
	delete(e.making, key)
	if err != nil {
		return nil, err
	}
	bm.RunOptimize()
	keep(e.phrases, &e.bytes, segCacheBytes+segCacheDocBytes*e.docs, key, bm, (*roaring.Bitmap).GetSizeInBytes)
	return bm, nil
}

// keep puts v in m under key, counting its size in *bytes; past limit, it
// first drops entries in Go's random order until *bytes is half the limit.
func keep[V any](m map[string]V, bytes *uint64, limit uint64, key string, v V, size func(V) uint64) {
	n := size(v) + uint64(len(key))
	if *bytes+n > limit {
		for k, old := range m {
			if *bytes <= limit/2 {
				break
			}
			*bytes -= size(old) + uint64(len(k))
			delete(m, k)
		}
	}
	m[key] = v
	*bytes += n
}
