package index

import (
	"cmp"
	"context"
	"encoding/binary"
	"math"
	"slices"
	"sort"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// The page of a topK search: its hits' scores and the locations of their
// matches, for the marks of titles and snippets.

// topKPage finds what the page's second search (pageHits) finds for the
// hits of topK: each hit's score, and the locations of the words that
// match (for a phrase, of the words that make one up), read from the
// postings of the page's documents only.
func (ix *Index) topKPage(ctx context.Context, snap *scorch.IndexSnapshot, p *tkPlan, lists [][]segment.PostingsList, hits []*candidate) (map[string]*search.DocumentMatch, error) {
	segs := snap.Segments()
	offsets := segmentOffsets(segs)
	type pageDoc struct {
		x   *candidate
		doc uint64
	}
	bySeg := map[int][]pageDoc{}
	for _, x := range hits {
		num := binary.BigEndian.Uint64(x.d.IndexInternalID)
		si := sort.Search(len(segs), func(i int) bool { return offsets[i+1] > num })
		if si == len(segs) {
			return nil, errNotTopK
		}
		bySeg[si] = append(bySeg[si], pageDoc{x, num - offsets[si]})
	}
	out := make(map[string]*search.DocumentMatch, len(hits))
	for si, docs := range bySeg {
		slices.SortFunc(docs, func(a, b pageDoc) int { return cmp.Compare(a.doc, b.doc) })
		s := segs[si]
		if err := p.prepare(ctx, s, lists[si], ix.segCache.get(s.Segment()), false); err != nil {
			return nil, err
		}
		loc := &pageLocator{p: p, lists: lists[si], it: make([]segment.PostingsIterator, len(p.keys)),
			cur: make([][]search.Location, len(p.keys)), at: make([]int64, len(p.keys))}
		for k := range loc.at {
			loc.at[k] = -1
		}
		for _, pd := range docs {
			m := &search.DocumentMatch{ID: pd.x.id, IndexInternalID: pd.x.d.IndexInternalID}
			switch {
			case p.order == byScore:
				m.Score = pd.x.score
			case p.root == nil:
				m.Score = 1 // as the match-all (or the filters') searcher scores
			default:
				score, _, err := p.eval(p.root, pd.doc)
				if err != nil {
					return nil, err
				}
				m.Score = score
			}
			if p.root != nil {
				if err := loc.add(m, p.root, pd.doc); err != nil {
					return nil, err
				}
			}
			out[m.ID] = m
		}
	}
	return out, nil
}

// pageLocator reads the locations of the terms in the page's documents of
// one segment, in increasing order.
type pageLocator struct {
	p     *tkPlan
	lists []segment.PostingsList
	it    []segment.PostingsIterator
	cur   [][]search.Location // per term: its locations in document at
	at    []int64
}

// locations returns the locations of term k in doc (nil if it has none).
// The documents asked for go up: a term's postings are read once.
func (l *pageLocator) locations(k int, doc uint64) ([]search.Location, error) {
	if l.at[k] >= int64(doc) {
		if l.at[k] == int64(doc) {
			return l.cur[k], nil
		}
		return nil, nil
	}
	if l.lists[k] == nil {
		return nil, nil
	}
	if l.it[k] == nil {
		l.it[k] = l.lists[k].Iterator(true, true, true, nil)
	}
	post, err := l.it[k].Advance(doc)
	if err != nil {
		return nil, err
	}
	if post == nil {
		l.at[k] = math.MaxInt64 // no more
		return nil, nil
	}
	// The posting is the iterator's own, overwritten by its next move.
	locs := l.cur[k][:0]
	for _, z := range post.Locations() {
		var aps search.ArrayPositions
		if a := z.ArrayPositions(); len(a) > 0 {
			aps = append(aps, a...)
		}
		locs = append(locs, search.Location{Pos: z.Pos(), Start: z.Start(), End: z.End(), ArrayPositions: aps})
	}
	l.cur[k], l.at[k] = locs, int64(post.Number())
	if post.Number() != doc {
		return nil, nil
	}
	return locs, nil
}

// add adds to m the locations n's terms match in doc.
func (l *pageLocator) add(m *search.DocumentMatch, n *tkNode, doc uint64) error {
	switch n.kind {
	case tkOr:
		for _, k := range n.kids {
			if err := l.add(m, k, doc); err != nil {
				return err
			}
		}
		return nil
	case tkTerm:
		if n.bm == nil || !n.bm.Contains(uint32(doc)) {
			return nil // its postings are not read up to doc
		}
		locs, err := l.locations(n.key, doc)
		if err != nil {
			return err
		}
		key := l.p.keys[n.key]
		for i := range locs {
			addLocation(m, key, &locs[i])
		}
		return nil
	}
	if n.bm == nil || !n.bm.Contains(uint32(doc)) {
		return nil
	}
	// Where the phrase starts, then the words' locations there.
	var common []uint64
	for i, alts := range n.alts {
		var starts []uint64
		for _, k := range alts {
			locs, err := l.locations(k, doc)
			if err != nil {
				return err
			}
			for _, z := range locs {
				if v, ok, fits := vectorKey(z.Pos, z.ArrayPositions, i); !fits {
					return errNotTopK
				} else if ok {
					starts = append(starts, v)
				}
			}
		}
		slices.Sort(starts)
		if i == 0 {
			common = starts
		} else {
			common = intersectSorted(common, starts)
		}
	}
	for i, alts := range n.alts {
		for _, k := range alts {
			locs, err := l.locations(k, doc)
			if err != nil {
				return err
			}
			key := l.p.keys[k]
			for j := range locs {
				if v, ok, _ := vectorKey(locs[j].Pos, locs[j].ArrayPositions, i); ok {
					if _, in := slices.BinarySearch(common, v); in {
						addLocation(m, key, &locs[j])
					}
				}
			}
		}
	}
	return nil
}

// addLocation adds a copy of a term's location to m.Locations.
func addLocation(m *search.DocumentMatch, key tkKey, z *search.Location) {
	if m.Locations == nil {
		m.Locations = search.FieldTermLocationMap{}
	}
	tlm := m.Locations[key.field]
	if tlm == nil {
		tlm = search.TermLocationMap{}
		m.Locations[key.field] = tlm
	}
	c := *z
	if len(c.ArrayPositions) > 0 {
		c.ArrayPositions = append(search.ArrayPositions(nil), c.ArrayPositions...)
	}
	tlm[key.term] = append(tlm[key.term], &c)
}
