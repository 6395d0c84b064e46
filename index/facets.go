package index

import (
	"cmp"
	"context"
	"encoding/binary"
	"slices"
	"sort"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// How facets are counted. Reading a document's facet terms from Bleve's doc
// values decodes (and decompresses) the chunk of doc values that holds it,
// for every faceted search again. A segment of the index never changes, so
// the facet terms of its documents are read once, into ordinals (a number
// for each distinct term of a field, and each document's list of them), and
// kept while the segment is in the index; counting is then adding ones in
// arrays. A search reader that is not scorch's falls back on the doc
// values.

// segmentFacets holds the facet terms of the documents of one segment.
type segmentFacets struct {
	once  sync.Once
	ok    bool       // false when the segment's doc values cannot be read so
	err   error      //
	terms [][]string // per field: ordinal -> term
	start [][]uint32 // per field: document -> its first ordinal in ords; one more for the end
	ords  [][]uint32 // per field: the ordinals of every document, one document after another
}

// facetCache holds the segmentFacets of the segments searched lately.
type facetCache struct {
	mu   sync.Mutex
	segs map[segment.Segment]*segmentFacets
}

// get returns the facets of segs[i], read the first time; the entries of
// segments no longer in segs are dropped when a new one is added.
func (c *facetCache) get(segs []*scorch.SegmentSnapshot, i int, fields []string) (*segmentFacets, error) {
	seg := segs[i].Segment()
	c.mu.Lock()
	sf := c.segs[seg]
	if sf == nil {
		if c.segs == nil {
			c.segs = map[segment.Segment]*segmentFacets{}
		}
		live := make(map[segment.Segment]bool, len(segs))
		for _, s := range segs {
			live[s.Segment()] = true
		}
		for s := range c.segs {
			if !live[s] {
				delete(c.segs, s)
			}
		}
		sf = &segmentFacets{}
		c.segs[seg] = sf
	}
	c.mu.Unlock()
	sf.once.Do(func() { sf.err = sf.read(seg, fields) })
	return sf, sf.err
}

// read reads the facet terms of every document of seg.
func (sf *segmentFacets) read(seg segment.Segment, fields []string) error {
	dv, ok := seg.(segment.DocValueVisitable)
	if !ok {
		return nil
	}
	have, err := dv.VisitableDocValueFields()
	if err != nil {
		return err
	}
	// A field no document of the segment has is not visitable either.
	for _, f := range fields {
		if !slices.Contains(have, f) && slices.Contains(seg.Fields(), f) {
			return nil
		}
	}
	n := seg.Count()
	index := map[string]int{}
	dicts := make([]map[string]uint32, len(fields))
	sf.terms = make([][]string, len(fields))
	sf.start = make([][]uint32, len(fields))
	sf.ords = make([][]uint32, len(fields))
	for i, f := range fields {
		index[f] = i
		dicts[i] = map[string]uint32{}
		sf.start[i] = make([]uint32, n+1)
	}
	visit := func(field string, term []byte) {
		i, ok := index[field]
		if !ok {
			return
		}
		o, ok := dicts[i][string(term)]
		if !ok {
			o = uint32(len(sf.terms[i]))
			t := string(term)
			dicts[i][t] = o
			sf.terms[i] = append(sf.terms[i], t)
		}
		sf.ords[i] = append(sf.ords[i], o)
	}
	var state segment.DocVisitState
	for doc := uint64(0); doc < n; doc++ {
		for i := range fields {
			sf.start[i][doc] = uint32(len(sf.ords[i]))
		}
		var err error
		if state, err = dv.VisitDocValues(doc, fields, visit, state); err != nil {
			return err
		}
	}
	for i := range fields {
		sf.start[i][n] = uint32(len(sf.ords[i]))
	}
	sf.ok = true
	return nil
}

// facetFieldNames returns the fields of the facets, sorted, once each.
func facetFieldNames() []string {
	var fields []string
	for _, f := range facetFields {
		fields = append(fields, f.field)
	}
	return slices.Compact(slices.Sorted(slices.Values(fields)))
}

// countFacetsCached counts the facet terms of the documents of ids (n
// internal ids of scorch, one after another, in increasing order) with the
// segments' ordinals; ok is false when a segment has none.
func (ix *Index) countFacetsCached(ctx context.Context, r bindex.IndexReader, ids []byte, n int) (counts map[string]map[string]int, ok bool, err error) {
	snap, isSnap := snapshotOf(r)
	if !isSnap || n == 0 || len(ids) != 8*n {
		return nil, false, nil
	}
	fields := facetFieldNames()
	segs := snap.Segments()
	offsets := segmentOffsets(segs)
	type segCounts struct {
		sf     *segmentFacets
		counts [][]int32
	}
	per := make([]*segCounts, len(segs))
	si := -1
	var cur *segCounts
	for k := 0; k < n; k++ {
		if k%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, false, err
			}
		}
		num := binary.BigEndian.Uint64(ids[8*k:])
		if si < 0 || num < offsets[si] || num >= offsets[si+1] {
			si = sort.Search(len(segs), func(x int) bool { return offsets[x+1] > num })
			if si == len(segs) {
				return nil, false, nil
			}
			if per[si] == nil {
				sf, err := ix.facetCache.get(segs, si, fields)
				if err != nil {
					return nil, false, err
				}
				if !sf.ok {
					return nil, false, nil
				}
				sc := &segCounts{sf: sf, counts: make([][]int32, len(fields))}
				for i := range fields {
					sc.counts[i] = make([]int32, len(sf.terms[i]))
				}
				per[si] = sc
			}
			cur = per[si]
		}
		doc := num - offsets[si]
		for i := range fields {
			st := cur.sf.start[i]
			c := cur.counts[i]
			for _, o := range cur.sf.ords[i][st[doc]:st[doc+1]] {
				c[o]++
			}
		}
	}
	counts = map[string]map[string]int{}
	for i, f := range fields {
		m := map[string]int{}
		for _, sc := range per {
			if sc == nil {
				continue
			}
			for o, k := range sc.counts[i] {
				if k > 0 {
					m[sc.sf.terms[i][o]] += int(k)
				}
			}
		}
		counts[f] = m
	}
	return counts, true, nil
}

// segmentOffsets returns the internal number of the first document of
// each segment, and one past the last: numbered as scorch numbers them,
// deleted documents too.
func segmentOffsets(segs []*scorch.SegmentSnapshot) []uint64 {
	offsets := make([]uint64, len(segs)+1)
	for i, s := range segs {
		offsets[i+1] = offsets[i] + s.Segment().Count()
	}
	return offsets
}

// countFacetsOf counts the facet terms of the matches of each segment
// (topK's bitmaps) with the segments' ordinals, or, when a segment has
// none, from the doc values of the matches' internal ids.
func (ix *Index) countFacetsOf(ctx context.Context, snap *scorch.IndexSnapshot, matches map[*scorch.SegmentSnapshot]*roaring.Bitmap, size int) (map[string][]Facet, error) {
	fields := facetFieldNames()
	segs := snap.Segments()
	perField := make([]map[string]int, len(fields))
	for i := range perField {
		perField[i] = map[string]int{}
	}
	var offset uint64
	var ids []byte // for the segments without ordinals
	for si, s := range segs {
		bm := matches[s]
		if bm != nil && !bm.IsEmpty() {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			sf, err := ix.facetCache.get(segs, si, fields)
			if err != nil {
				return nil, err
			}
			if !sf.ok {
				it := bm.Iterator()
				for it.HasNext() {
					ids = binary.BigEndian.AppendUint64(ids, offset+uint64(it.Next()))
				}
			} else {
				for i := range fields {
					counts := make([]int32, len(sf.terms[i]))
					st, ords := sf.start[i], sf.ords[i]
					it := bm.Iterator()
					for it.HasNext() {
						doc := it.Next()
						for _, o := range ords[st[doc]:st[doc+1]] {
							counts[o]++
						}
					}
					for o, k := range counts {
						if k > 0 {
							perField[i][sf.terms[i][o]] += int(k)
						}
					}
				}
			}
		}
		offset += s.Segment().Count()
	}
	counts := map[string]map[string]int{}
	for i, f := range fields {
		counts[f] = perField[i]
	}
	if len(ids) > 0 {
		more, err := countFacetsDocValues(ctx, snap, ids, len(ids)/8)
		if err != nil {
			return nil, err
		}
		for f, m := range more {
			for t, k := range m {
				counts[f][t] += k
			}
		}
	}
	return topFacets(counts, size), nil
}

// topFacets returns the top size terms of each facet.
func topFacets(counts map[string]map[string]int, size int) map[string][]Facet {
	out := map[string][]Facet{}
	for _, f := range facetFields {
		m := counts[f.field]
		list := make([]Facet, 0, len(m))
		for t, k := range m {
			list = append(list, Facet{Term: t, Count: k})
		}
		slices.SortFunc(list, func(a, b Facet) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Term, b.Term))
		})
		out[f.name] = list[:min(len(list), size)]
	}
	return out
}
