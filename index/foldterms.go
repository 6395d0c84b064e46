package index

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/scorer"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/blevesearch/vellum"

	"github.com/baotinh/baotinh/index/analysis/tokenfilter/fold"
)

// Folded terms. The index holds every syllable as written only; the folded
// form of a word ("~dan" for dân, dần, đàn, …) is a term of the queries
// alone, made of the accented terms of the field that fold to it: their
// postings united, a document's frequencies summed, their positions merged.
// It matches, scores and locates as a folded copy of every accented
// syllable indexed beside it would, without the copy's postings and
// positions, which were a third of the index and of the time to build it.
//
// topK reads a folded term's postings in each segment (foldedPostings);
// Bleve's searchers, which run the other queries, read the index through
// foldReader, which gives them folded terms as if the index had them, in
// its dictionaries too (wildcards and fuzzy words typed without
// diacritics).

// isFolded reports whether term is a folded term of a query.
func isFolded(term string) bool { return strings.HasPrefix(term, fold.FoldedPrefix) }

// segFolds maps the folded terms of a field of one segment to the terms
// that fold to them, built once from the segment's dictionary.
type segFolds struct {
	once  sync.Once
	err   error
	forms map[string][]string // "~dan" -> dân, dần, …
	keys  []string            // the folded terms, sorted
	fst   *vellum.FST         // the folded terms, for automata (fuzzy words, wildcards, regular expressions); nil when none
}

// foldsOf returns the folded terms of a field of the segment.
func (e *segEntry) foldsOf(seg segment.Segment, field string) (*segFolds, error) {
	e.mu.Lock()
	if e.folds == nil {
		e.folds = map[string]*segFolds{}
	}
	f := e.folds[field]
	if f == nil {
		f = &segFolds{}
		e.folds[field] = f
	}
	e.mu.Unlock()
	f.once.Do(func() { f.err = f.read(seg, field) })
	return f, f.err
}

func (f *segFolds) read(seg segment.Segment, field string) error {
	f.forms = map[string][]string{}
	d, err := seg.Dictionary(field)
	if err != nil || d == nil {
		return err
	}
	it := d.AutomatonIterator(&vellum.AlwaysMatch{}, nil, nil)
	for {
		e, err := it.Next()
		if err != nil && err != vellum.ErrIteratorDone {
			return err
		}
		if e == nil || err != nil {
			break
		}
		if !fold.HasDiacritics(e.Term) {
			continue
		}
		folded := fold.Fold(e.Term)
		if folded == "" {
			continue
		}
		key := fold.FoldedPrefix + folded
		f.forms[key] = append(f.forms[key], e.Term)
	}
	f.keys = make([]string, 0, len(f.forms))
	for k := range f.forms {
		f.keys = append(f.keys, k)
	}
	slices.Sort(f.keys)
	return f.buildFST()
}

// buildFST makes the FST of the folded terms, which Bleve's automata run
// on as they run on a segment's dictionary.
func (f *segFolds) buildFST() error {
	if len(f.keys) == 0 {
		return nil
	}
	var buf bytes.Buffer
	b, err := vellum.New(&buf, nil)
	if err != nil {
		return err
	}
	for i, k := range f.keys {
		if err := b.Insert([]byte(k), uint64(i)); err != nil {
			return err
		}
	}
	if err := b.Close(); err != nil {
		return err
	}
	f.fst, err = vellum.Load(buf.Bytes())
	return err
}

// postingsOf returns the postings list of term in a field of the segment,
// a folded term's made of its forms'; except leaves documents out.
func (ix *Index) postingsOf(seg segment.Segment, d segment.TermDictionary, field, term string, except *roaring.Bitmap) (segment.PostingsList, error) {
	if !isFolded(term) || ix.copies {
		if d == nil {
			return nil, nil
		}
		return d.PostingsList([]byte(term), except, nil)
	}
	folds, err := ix.segCache.get(seg).foldsOf(seg, field)
	if err != nil {
		return nil, err
	}
	forms := folds.forms[term]
	if len(forms) == 0 || d == nil {
		return nil, nil
	}
	u := &foldedPostings{cache: ix.segCache.get(seg), key: field + "\x00" + term, except: except}
	for _, t := range forms {
		pl, err := d.PostingsList([]byte(t), except, nil)
		if err != nil {
			return nil, err
		}
		if pl != nil && pl.Count() > 0 {
			u.lists = append(u.lists, pl)
		}
	}
	if except != nil && !except.IsEmpty() {
		// The cache reads the forms with their deleted documents.
		u.all = func() ([]segment.PostingsList, error) {
			var all []segment.PostingsList
			for _, t := range forms {
				pl, err := d.PostingsList([]byte(t), nil, nil)
				if err != nil {
					return nil, err
				}
				if pl != nil {
					all = append(all, pl)
				}
			}
			return all, nil
		}
	}
	if len(u.lists) == 0 {
		return nil, nil
	}
	return u, nil
}

// foldedPostings is the postings list of a folded term in a segment: the
// union of its forms' lists.
type foldedPostings struct {
	lists  []segment.PostingsList
	except *roaring.Bitmap // the documents the lists leave out
	bm     *roaring.Bitmap // the documents, worked out once; read only
	mem    *foldedMem
	walker *foldedIterator                        // at's, when the term is not in memory
	all    func() ([]segment.PostingsList, error) // the forms with deleted documents, when except has some
	// The segment's cache keeps the folded term in memory (foldedTerm).
	cache *segEntry
	key   string
}

// foldedMem is a folded term of a segment read into memory: its documents
// (deleted ones too), and in their order each one's summed frequency and
// norm, and the largest √freq × norm (topK's bound).
type foldedMem struct {
	bm   *roaring.Bitmap
	freq []uint32
	norm []float32
	max  float64
}

func (m *foldedMem) size() uint64 { return m.bm.GetSizeInBytes() + 8*uint64(len(m.freq)) + 64 }

// readFolded reads the postings of a folded term's forms into memory.
func readFolded(lists []segment.PostingsList) (*foldedMem, error) {
	// The forms' postings merged in the order of the documents.
	its := make([]segment.PostingsIterator, len(lists))
	cur := make([]segment.Posting, len(lists))
	for i, pl := range lists {
		// Deleted documents too: the lists are read without them left
		// out only when the cache holds them for every snapshot.
		its[i] = pl.Iterator(true, true, false, nil)
		p, err := its[i].Next()
		if err != nil {
			return nil, err
		}
		cur[i] = p
	}
	m := &foldedMem{}
	var docs []uint32
	for {
		min := uint64(math.MaxUint64)
		for _, p := range cur {
			if p != nil && p.Number() < min {
				min = p.Number()
			}
		}
		if min == math.MaxUint64 {
			break
		}
		var freq uint32
		var norm float32
		for i, p := range cur {
			if p == nil || p.Number() != min {
				continue
			}
			freq += uint32(p.Frequency())
			norm = float32(p.Norm())
			next, err := its[i].Next()
			if err != nil {
				return nil, err
			}
			cur[i] = next
		}
		docs = append(docs, uint32(min))
		m.freq = append(m.freq, freq)
		m.norm = append(m.norm, norm)
		var tf float64
		if freq < scorer.MaxSqrtCache {
			tf = scorer.SqrtCache[int(freq)]
		} else {
			tf = math.Sqrt(float64(freq))
		}
		m.max = max(m.max, tf*float64(norm))
	}
	m.bm = roaring.BitmapOf(docs...)
	m.bm.RunOptimize()
	return m, nil
}

// memory returns the folded term read into memory, once per segment.
func (u *foldedPostings) memory() (*foldedMem, error) {
	if u.mem == nil {
		var err error
		lists := func() ([]segment.PostingsList, error) { return u.lists, nil }
		if u.all != nil {
			lists = u.all
		}
		if u.mem, err = u.cache.foldedTerm(u.key, lists); err != nil {
			return nil, err
		}
	}
	return u.mem, nil
}

// bitmap returns the documents of the folded term without those left out:
// the cached bitmap itself when none are. Read only.
func (u *foldedPostings) bitmap() *roaring.Bitmap {
	if u.bm != nil {
		return u.bm
	}
	// The union of the forms' documents, deleted ones too, kept with the
	// segment's phrases (a key no phrase has).
	all, err := u.cache.phrase("\x01"+u.key, func() (*roaring.Bitmap, error) {
		bm := roaring.New()
		for _, pl := range u.lists {
			if err := orInto(pl, bm); err != nil {
				return nil, err
			}
		}
		return bm, nil
	})
	if err != nil {
		parts := make([]*roaring.Bitmap, 0, len(u.lists))
		for _, pl := range u.lists {
			if bm, err := actualBitmap(pl); err == nil {
				parts = append(parts, bm)
			}
		}
		u.bm = roaring.FastOr(parts...)
		return u.bm
	}
	u.bm = all
	if u.except != nil && !u.except.IsEmpty() {
		u.bm = roaring.AndNot(all, u.except)
	}
	return u.bm
}

// bound returns the largest √freq × norm of the folded term in the
// segment, kept apart from the term in memory (which may be dropped).
func (u *foldedPostings) bound(k tkKey) (float64, error) {
	return u.cache.bound(k, func() (float64, error) {
		mem, err := u.memory()
		if err != nil {
			return 0, err
		}
		return mem.max, nil
	})
}

// at reports whether the folded term is in doc, with its summed frequency
// and norm there: from memory when the segment keeps the term there (its
// bound read it), else from the forms' postings. The documents asked for
// go up.
func (u *foldedPostings) at(doc uint64) (bool, uint64, float64, error) {
	mem := u.mem
	if mem == nil {
		mem = u.cache.peekFolded(u.key)
		u.mem = mem
	}
	if mem == nil {
		// Not in memory (any more): the forms' postings are walked, those
		// that have doc only.
		if u.walker == nil {
			u.walker = u.Iterator(true, true, false, nil).(*foldedIterator)
		}
		p, err := u.walker.Advance(doc)
		if err != nil || p == nil || p.Number() != doc {
			return false, 0, 0, err
		}
		return true, p.Frequency(), p.Norm(), nil
	}
	if !mem.bm.Contains(uint32(doc)) {
		return false, 0, 0, nil
	}
	r := mem.bm.Rank(uint32(doc)) - 1
	return true, uint64(mem.freq[r]), float64(mem.norm[r]), nil
}

func (u *foldedPostings) Count() uint64 { return u.bitmap().GetCardinality() }
func (u *foldedPostings) Size() int     { return 64 * len(u.lists) }

// OrInto adds the documents of every form, deleted ones too.
func (u *foldedPostings) OrInto(bm *roaring.Bitmap) {
	for _, pl := range u.lists {
		_ = orInto(pl, bm)
	}
}

func (u *foldedPostings) Iterator(freq, norm, locs bool, _ segment.PostingsIterator) segment.PostingsIterator {
	it := &foldedIterator{u: u, its: make([]segment.PostingsIterator, len(u.lists)),
		cur: make([]segment.Posting, len(u.lists)), started: make([]bool, len(u.lists))}
	for i, pl := range u.lists {
		it.its[i] = pl.Iterator(freq, norm, locs, nil)
	}
	return it
}

// foldedIterator walks the forms' postings together.
type foldedIterator struct {
	u       *foldedPostings
	its     []segment.PostingsIterator
	cur     []segment.Posting // each form's posting at or after the last document asked for; nil when done
	started []bool
	post    foldedPosting
	bms     []*roaring.Bitmap     // the forms' documents
	peek    []roaring.IntPeekable // iterators of bms
	next    []int64               // each form's next document at or after the last asked for, from peek
}

// ActualBitmap is the documents of the folded term (as zap's iterator
// gives its own), read only.
func (it *foldedIterator) ActualBitmap() *roaring.Bitmap { return it.u.bitmap() }

// ReplaceActual is not supported: topK and Bleve's optimizations leave
// folded terms alone.
func (it *foldedIterator) ReplaceActual(*roaring.Bitmap) {}

func (it *foldedIterator) Next() (segment.Posting, error) {
	var from uint64
	if it.post.valid {
		from = it.post.num + 1
	}
	return it.Advance(from)
}

// catchUp moves form i's postings to doc or past it, unless they are there
// already, and returns its current posting (nil at the end).
func (it *foldedIterator) catchUp(i int, doc uint64) (segment.Posting, error) {
	p := it.cur[i]
	if !it.started[i] || p != nil && p.Number() < doc {
		var err error
		if p, err = it.its[i].Advance(doc); err != nil {
			return nil, err
		}
		it.started[i] = true
		it.cur[i] = p
	}
	return p, nil
}

// Advance gives the first document at or after doc (doc is past the last
// one given, as topK and zap's users ask).
func (it *foldedIterator) Advance(doc uint64) (segment.Posting, error) {
	if it.bms == nil {
		it.bms = make([]*roaring.Bitmap, len(it.u.lists))
		it.peek = make([]roaring.IntPeekable, len(it.u.lists))
		it.next = make([]int64, len(it.u.lists))
		for i, pl := range it.u.lists {
			bm, err := actualBitmap(pl)
			if err != nil {
				return nil, err
			}
			it.bms[i] = bm
			it.peek[i] = bm.Iterator()
			it.next[i] = -1
		}
	}
	// The usual case, a document of the term: only the forms it has are
	// moved (reaching a document reads every posting before it); the
	// others catch up when a later document has them. Which forms have
	// it, their bitmaps' iterators tell, a step ahead of the postings.
	found := false
	for i := range it.its {
		if it.next[i] < int64(doc) {
			it.peek[i].AdvanceIfNeeded(uint32(doc))
			if it.peek[i].HasNext() {
				it.next[i] = int64(it.peek[i].PeekNext())
			} else {
				it.next[i] = math.MaxInt64
			}
		}
		if it.next[i] != int64(doc) {
			continue
		}
		found = true
		if _, err := it.catchUp(i, doc); err != nil {
			return nil, err
		}
	}
	if found {
		it.post = foldedPosting{num: doc, valid: true, locs: it.post.locs[:0]}
		for i, p := range it.cur {
			if p != nil && p.Number() == doc && it.next[i] == int64(doc) {
				it.post.freq += p.Frequency()
				it.post.norm = p.Norm()
				it.post.locs = append(it.post.locs, p.Locations()...)
			}
		}
		return &it.post, nil
	}
	min := uint64(math.MaxUint64)
	for i := range it.its {
		p, err := it.catchUp(i, doc)
		if err != nil {
			return nil, err
		}
		if p != nil && p.Number() < min {
			min = p.Number()
		}
	}
	if min == math.MaxUint64 {
		it.post.valid = false
		return nil, nil
	}
	it.post = foldedPosting{num: min, valid: true, locs: it.post.locs[:0]}
	for _, p := range it.cur {
		if p != nil && p.Number() == min {
			it.post.freq += p.Frequency()
			it.post.norm = p.Norm()
			it.post.locs = append(it.post.locs, p.Locations()...)
		}
	}
	return &it.post, nil
}

func (it *foldedIterator) Size() int { return 64 * len(it.its) }

// foldedPosting is a document of a folded term.
type foldedPosting struct {
	num   uint64
	freq  uint64
	norm  float64
	locs  []segment.Location
	valid bool
}

func (p *foldedPosting) Number() uint64                { return p.num }
func (p *foldedPosting) Frequency() uint64             { return p.freq }
func (p *foldedPosting) Norm() float64                 { return p.norm }
func (p *foldedPosting) Locations() []segment.Location { return p.locs }
func (p *foldedPosting) Size() int                     { return 64 + 8*len(p.locs) }

// foldReader is an IndexReader of a snapshot that has folded terms: a
// folded term's reader merges its forms' readers, and the dictionaries of
// a field list its folded terms too.
type foldReader struct {
	bindex.IndexReader
	ix   *Index
	snap *scorch.IndexSnapshot
}

// withFolds returns r with folded terms, when it is a snapshot of scorch.
func (ix *Index) withFolds(r bindex.IndexReader) bindex.IndexReader {
	if ix.copies {
		return r
	}
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		return &foldReader{IndexReader: r, ix: ix, snap: snap}
	}
	return r
}

// count returns the number of live documents with any of a folded term's
// forms.
func (r *foldReader) count(field, term string) (uint64, error) {
	var n uint64
	for _, s := range r.snap.Segments() {
		d, err := s.Segment().Dictionary(field)
		if err != nil {
			return 0, err
		}
		pl, err := r.ix.postingsOf(s.Segment(), d, field, term, s.Deleted())
		if err != nil {
			return 0, err
		}
		if pl != nil {
			n += pl.Count()
		}
	}
	return n, nil
}

func (r *foldReader) TermFieldReader(ctx context.Context, term []byte, field string, freq, norm, vectors bool) (bindex.TermFieldReader, error) {
	if !isFolded(string(term)) {
		return r.IndexReader.TermFieldReader(ctx, term, field, freq, norm, vectors)
	}
	u := &foldedReader{term: string(term), freq: freq, norm: norm, vectors: vectors}
	var offset uint64
	for _, s := range r.snap.Segments() {
		d, err := s.Segment().Dictionary(field)
		if err != nil {
			return nil, err
		}
		pl, err := r.ix.postingsOf(s.Segment(), d, field, string(term), s.Deleted())
		if err != nil {
			return nil, err
		}
		if pl != nil {
			fp := pl.(*foldedPostings)
			u.segs = append(u.segs, foldedSeg{u: fp, offset: offset, end: offset + s.Segment().Count()})
			u.count += fp.Count()
		}
		offset += s.Segment().Count()
	}
	return u, nil
}

// foldedReader reads a folded term's documents segment by segment, from
// the term's postings there (foldedPostings): from memory when only
// frequencies and norms are asked for (the term is read into memory once
// per segment, as topK reads it), from the forms' postings when positions
// are, from its documents' bitmap when nothing else is.
type foldedReader struct {
	term                string
	count               uint64
	freq, norm, vectors bool
	segs                []foldedSeg // the segments that have the term, in order
	i                   int         // the segment read
	cur                 foldedCursor
	last                uint64 // the internal number of the last document given
	started             bool
	post                foldedPosting
}

// foldedSeg is a segment that has a folded term: its postings and the
// internal numbers of its documents, from offset up to end.
type foldedSeg struct {
	u           *foldedPostings
	offset, end uint64
}

// foldedCursor gives a folded term's documents in a segment: seek gives
// the first at or after a number (never less than the last asked for),
// with its frequency, norm and (when asked for) locations; nil past the
// last.
type foldedCursor interface {
	seek(doc uint64) (p *foldedPosting, err error)
}

func (u *foldedReader) Count() uint64 { return u.count }
func (u *foldedReader) Size() int     { return 64 * len(u.segs) }
func (u *foldedReader) Close() error  { return nil }

func (u *foldedReader) Next(pre *bindex.TermFieldDoc) (*bindex.TermFieldDoc, error) {
	if !u.started {
		return u.seek(0, pre)
	}
	return u.seek(u.last+1, pre)
}

func (u *foldedReader) Advance(id bindex.IndexInternalID, pre *bindex.TermFieldDoc) (*bindex.TermFieldDoc, error) {
	if len(id) != 8 {
		return nil, fmt.Errorf("index: internal id % x", []byte(id))
	}
	num := binary.BigEndian.Uint64(id)
	if u.started && num <= u.last {
		// Backwards (Bleve's readers start again then).
		u.i, u.cur, u.started = 0, nil, false
	}
	return u.seek(num, pre)
}

// seek gives the first document at or after internal number num.
func (u *foldedReader) seek(num uint64, pre *bindex.TermFieldDoc) (*bindex.TermFieldDoc, error) {
	u.started = true
	for u.i < len(u.segs) {
		sg := u.segs[u.i]
		if num >= sg.end {
			u.i, u.cur = u.i+1, nil
			continue
		}
		if u.cur == nil {
			c, err := u.cursor(sg.u)
			if err != nil {
				return nil, err
			}
			u.cur = c
		}
		local := uint64(0)
		if num > sg.offset {
			local = num - sg.offset
		}
		p, err := u.cur.seek(local)
		if err != nil {
			return nil, err
		}
		if p == nil {
			u.i, u.cur = u.i+1, nil
			continue
		}
		if pre == nil {
			pre = &bindex.TermFieldDoc{}
		}
		pre.Reset()
		pre.Term = u.term
		u.last = sg.offset + p.num
		pre.ID = binary.BigEndian.AppendUint64(pre.ID[:0], u.last)
		if u.freq {
			pre.Freq = p.freq
		}
		if u.norm {
			pre.Norm = p.norm
		}
		if u.vectors {
			// As Bleve's readers do: the vectors of pre are reused.
			if cap(pre.Vectors) < len(p.locs) {
				pre.Vectors = make([]*bindex.TermFieldVector, len(p.locs))
				backing := make([]bindex.TermFieldVector, len(p.locs))
				for i := range backing {
					pre.Vectors[i] = &backing[i]
				}
			}
			pre.Vectors = pre.Vectors[:len(p.locs)]
			for i, loc := range p.locs {
				*pre.Vectors[i] = bindex.TermFieldVector{Field: loc.Field(), ArrayPositions: loc.ArrayPositions(),
					Pos: loc.Pos(), Start: loc.Start(), End: loc.End()}
			}
		}
		return pre, nil
	}
	return nil, nil
}

// cursor returns the cursor of the folded term in a segment for what the
// reader is asked for.
func (u *foldedReader) cursor(fp *foldedPostings) (foldedCursor, error) {
	switch {
	case u.vectors:
		return &iterCursor{it: fp.Iterator(u.freq, u.norm, true, nil).(*foldedIterator)}, nil
	case u.freq || u.norm:
		mem, err := fp.memory()
		if err != nil {
			return nil, err
		}
		return &memCursor{mem: mem, except: fp.except, it: mem.bm.Iterator()}, nil
	}
	return &bitmapCursor{it: fp.bitmap().Iterator()}, nil
}

// iterCursor walks the forms' postings (foldedIterator).
type iterCursor struct {
	it   *foldedIterator
	last *foldedPosting
}

func (c *iterCursor) seek(doc uint64) (*foldedPosting, error) {
	if c.last != nil && c.last.valid && c.last.num >= doc {
		return c.last, nil
	}
	p, err := c.it.Advance(doc)
	if err != nil || p == nil {
		return nil, err
	}
	c.last = p.(*foldedPosting)
	return c.last, nil
}

// memCursor reads the folded term in memory, skipping deleted documents.
type memCursor struct {
	mem    *foldedMem
	except *roaring.Bitmap
	it     roaring.IntPeekable
	rank   int // the index in mem of the document it gives next; -1: unknown
	post   foldedPosting
}

func (c *memCursor) seek(doc uint64) (*foldedPosting, error) {
	if c.post.valid && c.post.num >= doc {
		return &c.post, nil
	}
	if c.it.HasNext() && uint64(c.it.PeekNext()) < doc {
		c.it.AdvanceIfNeeded(uint32(doc))
		c.rank = -1
	}
	for c.it.HasNext() {
		d := c.it.Next()
		if c.rank < 0 {
			c.rank = int(c.mem.bm.Rank(d)) - 1
		}
		r := c.rank
		c.rank++
		if c.except != nil && c.except.Contains(d) {
			continue
		}
		c.post = foldedPosting{num: uint64(d), freq: uint64(c.mem.freq[r]), norm: float64(c.mem.norm[r]), valid: true}
		return &c.post, nil
	}
	c.post.valid = false
	return nil, nil
}

// bitmapCursor gives the folded term's documents alone.
type bitmapCursor struct {
	it   roaring.IntPeekable
	post foldedPosting
}

func (c *bitmapCursor) seek(doc uint64) (*foldedPosting, error) {
	if c.post.valid && c.post.num >= doc {
		return &c.post, nil
	}
	c.it.AdvanceIfNeeded(uint32(doc))
	if !c.it.HasNext() {
		c.post.valid = false
		return nil, nil
	}
	c.post = foldedPosting{num: uint64(c.it.Next()), valid: true}
	return &c.post, nil
}

// FieldDict lists a field's terms and its folded terms, in order.
func (r *foldReader) FieldDict(field string) (bindex.FieldDict, error) {
	return r.dict(field, "", func() (bindex.FieldDict, error) { return r.IndexReader.FieldDict(field) })
}

// FieldDictPrefix lists the terms, folded ones too, with a prefix.
func (r *foldReader) FieldDictPrefix(field string, prefix []byte) (bindex.FieldDict, error) {
	return r.dict(field, string(prefix), func() (bindex.FieldDict, error) { return r.IndexReader.FieldDictPrefix(field, prefix) })
}

func (r *foldReader) dict(field, prefix string, real func() (bindex.FieldDict, error)) (bindex.FieldDict, error) {
	d, err := real()
	if err != nil {
		return nil, err
	}
	if prefix != "" && !isFolded(prefix) && !strings.HasPrefix(fold.FoldedPrefix, prefix) {
		return d, nil
	}
	var keys []string
	for _, s := range r.snap.Segments() {
		f, err := r.ix.segCache.get(s.Segment()).foldsOf(s.Segment(), field)
		if err != nil {
			d.Close()
			return nil, err
		}
		for _, k := range f.keys {
			if strings.HasPrefix(k, prefix) {
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	folded := make([]bindex.DictEntry, 0, len(keys))
	for _, k := range keys {
		folded = append(folded, bindex.DictEntry{Term: k})
	}
	return r.merged(field, d, folded)
}

// merged returns the dictionary d with the folded terms of folded (in
// order), counted.
func (r *foldReader) merged(field string, d bindex.FieldDict, folded []bindex.DictEntry) (bindex.FieldDict, error) {
	for i := range folded {
		n, err := r.count(field, folded[i].Term)
		if err != nil {
			d.Close()
			return nil, err
		}
		folded[i].Count = n
	}
	return &mergedDict{real: d, folded: folded}, nil
}

// FieldDictFuzzy lists the terms, folded ones too, within fuzziness edits
// of term and with prefix.
func (r *foldReader) FieldDictFuzzy(field, term string, fuzziness int, prefix string) (bindex.FieldDict, error) {
	d, _, err := r.FieldDictFuzzyAutomaton(field, term, fuzziness, prefix)
	return d, err
}

// FieldDictFuzzyAutomaton is FieldDictFuzzy with its automaton: the
// snapshot's Levenshtein automaton runs on the segments' dictionaries, as
// it does without folded terms, and on their folded terms' FSTs.
func (r *foldReader) FieldDictFuzzyAutomaton(field, term string, fuzziness int, prefix string) (bindex.FieldDict, bindex.FuzzyAutomaton, error) {
	d, fa, err := r.snap.FieldDictFuzzyAutomaton(field, term, fuzziness, prefix)
	if err != nil {
		return nil, nil, err
	}
	var beg, end []byte
	if prefix != "" {
		beg = []byte(prefix)
		end = prefixEnd(beg)
	}
	md, err := r.automatonDict(field, d, fa, beg, end)
	if err != nil {
		return nil, nil, err
	}
	return md, fa, nil
}

// FieldDictRegexp lists the terms, folded ones too, a regular expression
// matches.
func (r *foldReader) FieldDictRegexp(field, regex string) (bindex.FieldDict, error) {
	d, _, err := r.FieldDictRegexpAutomaton(field, regex)
	return d, err
}

// FieldDictRegexpAutomaton is FieldDictRegexp with its automaton, run on
// the segments' dictionaries and on their folded terms' FSTs.
func (r *foldReader) FieldDictRegexpAutomaton(field, regex string) (bindex.FieldDict, bindex.RegexAutomaton, error) {
	d, ra, err := r.snap.FieldDictRegexpAutomaton(field, regex)
	if err != nil {
		return nil, nil, err
	}
	md, err := r.automatonDict(field, d, ra, nil, nil)
	if err != nil {
		return nil, nil, err
	}
	return md, ra, nil
}

// automatonDict merges d, the snapshot's dictionary of the terms the
// automaton a matches (between beg and end when set), with the folded
// terms a matches in each segment's FST of them (which holds far fewer
// terms than the dictionary, and only these are counted).
func (r *foldReader) automatonDict(field string, d bindex.FieldDict, a any, beg, end []byte) (bindex.FieldDict, error) {
	aut, ok := a.(vellum.Automaton)
	if !ok {
		d.Close()
		return nil, fmt.Errorf("index: %T is not an automaton", a)
	}
	dist := map[string]uint8{}
	for _, s := range r.snap.Segments() {
		f, err := r.ix.segCache.get(s.Segment()).foldsOf(s.Segment(), field)
		if err != nil {
			d.Close()
			return nil, err
		}
		if f.fst == nil {
			continue
		}
		it, err := f.fst.Search(aut, beg, end)
		for err == nil {
			k, _ := it.Current()
			dist[string(k)] = it.EditDistance()
			err = it.Next()
		}
		if err != vellum.ErrIteratorDone {
			d.Close()
			return nil, err
		}
	}
	folded := make([]bindex.DictEntry, 0, len(dist))
	for k, ed := range dist {
		folded = append(folded, bindex.DictEntry{Term: k, EditDistance: ed})
	}
	slices.SortFunc(folded, func(a, b bindex.DictEntry) int { return strings.Compare(a.Term, b.Term) })
	return r.merged(field, d, folded)
}

// prefixEnd returns the first key after those with prefix p (nil: none).
func prefixEnd(p []byte) []byte {
	end := bytes.Clone(p)
	for i := len(end) - 1; i >= 0; i-- {
		end[i]++
		if end[i] != 0 {
			return end[:i+1]
		}
	}
	return nil
}

// mergedDict merges a field's dictionary and its folded terms in order.
type mergedDict struct {
	real   bindex.FieldDict
	folded []bindex.DictEntry
	next   *bindex.DictEntry // the real dictionary's next entry, read ahead
	read   bool
	done   bool
	out    bindex.DictEntry
}

func (m *mergedDict) Next() (*bindex.DictEntry, error) {
	if !m.read && !m.done {
		e, err := m.real.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			m.done = true
		} else {
			c := *e
			m.next = &c
		}
		m.read = true
	}
	if len(m.folded) > 0 && (m.next == nil || m.folded[0].Term < m.next.Term) {
		m.out = m.folded[0]
		m.folded = m.folded[1:]
		return &m.out, nil
	}
	if m.next == nil {
		return nil, nil
	}
	m.out = *m.next
	m.next, m.read = nil, false
	return &m.out, nil
}

func (m *mergedDict) Close() error      { return m.real.Close() }
func (m *mergedDict) Cardinality() int  { return m.real.Cardinality() + len(m.folded) }
func (m *mergedDict) BytesRead() uint64 { return m.real.BytesRead() }

// The disk statistics of Bleve's segments, which folded terms do not keep.
func (u *foldedPostings) BytesRead() uint64      { return 0 }
func (u *foldedPostings) ResetBytesRead(uint64)  {}
func (u *foldedPostings) BytesWritten() uint64   { return 0 }
func (it *foldedIterator) BytesRead() uint64     { return 0 }
func (it *foldedIterator) ResetBytesRead(uint64) {}
func (it *foldedIterator) BytesWritten() uint64  { return 0 }

// FieldDictContains is the snapshot's (range queries ask it; folded terms
// are not in ranges).
func (r *foldReader) FieldDictContains(field string) (bindex.FieldDictContains, error) {
	return r.snap.FieldDictContains(field)
}
