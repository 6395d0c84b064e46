package index

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/scorer"
	"github.com/blevesearch/bleve/v2/search/searcher"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/baotinh/baotinh/index/analysis/tokenfilter/fold"
)

// How the best hits of a common query are found without scoring every
// match. A query that matches most of the corpus ("dân", "nong thon moi",
// "nông thôn mới") has tens of thousands of matches, and scoring each with
// every word in every field was most of a search's time. topK runs such
// queries on the segments of the index directly:
//
//   - The number of matches is counted on the postings' bitmaps (a word is
//     the union of its fields, a phrase the documents that have it), not by
//     visiting each match.
//   - The page is found with MaxScore (Turtle and Flood 1995, as Lucene
//     and PISA use it): every clause of the query (a term, or a phrase) has
//     an upper bound of what it can add to a score in a segment; once the
//     page's worst hit scores more than the weakest clauses can together
//     (with the coordination of Bleve's disjunctions), a document that has
//     only those is skipped, and a document whose clauses cannot reach the
//     page together is not scored. The documents of the strongest clause
//     come first, so that the bar rises soon.
//   - Filters (sites, dates, person, title, place) are bitmaps too, and an
//     order by date reads each segment's publication times once.
//   - The page's scores and the locations of its matches (for marks) are
//     read from the postings of the page's documents (topkpage.go), not by
//     a second search.
//   - A segment never changes, so a term's bound, the documents that have
//     a phrase and the publication times are worked out once per segment
//     and kept (segcache.go); the first search of a term or phrase in a
//     segment reads its postings once more, later ones do not.
//
// Scores are Bleve's, computed as its searchers compute them (the same
// products and sums, in the same order), so a hit's score, its place, its
// marks and the paging cursors are those of the general path (collect,
// pageHits), which runs the queries topK does not take: fuzzy, wildcard,
// regular expressions, ranges typed in the query and boolean (+ and -)
// queries. TestTopK compares the two.

// tkKind is the kind of a node of a topK plan.
type tkKind int

const (
	tkTerm   tkKind = iota // one term in one field
	tkOr                   // a disjunction of its kids, coordinated
	tkPhrase               // words at consecutive positions of one value
)

// tkNode is a node of the plan of a query.
type tkNode struct {
	kind  tkKind
	key   int     // tkTerm: the term's index in plan.keys
	boost float64 // tkTerm
	qw    float64 // tkTerm: the query weight (boost × idf × query norm)
	idf   float64 // tkTerm
	kids  []*tkNode
	// tkPhrase: kids are the words (a term, or an or of its
	// alternatives); alts the keys of each word's alternatives; order the
	// words in the order Bleve's conjunction sums them.
	alts  [][]int
	order []int
	field string
	count uint64 // as Bleve's searcher counts: the sum of the terms' postings

	bm *roaring.Bitmap // the matches in the current segment

	// A clause (a term outside phrases, or a phrase) in the current
	// segment: the most it adds to a score, and whether a document may
	// have it (weakBound).
	ub    float64
	weak  bool
	dense []uint64 // bm as a bitset, for docBound
}

// has reports whether a clause has doc.
func (n *tkNode) has(doc uint32) bool {
	w := int(doc >> 6)
	return w < len(n.dense) && n.dense[w]&(1<<(doc&63)) != 0
}

// tkKey is a term of a field.
type tkKey struct{ field, term string }

// tkPlan is a query compiled for topK.
type tkPlan struct {
	ix      *Index
	root    *tkNode // nil: every document
	order   order
	filters []*tkNode   // unscored: a hit has each
	dates   []dateRange // a hit's publication time is in each

	keys   []tkKey
	byKey  map[tkKey]int
	terms  []*tkNode // every term node, for the bounds
	phrase []*tkNode

	// The current segment.
	pl      []segment.PostingsList
	it      []segment.PostingsIterator
	done    []bool
	curDoc  []uint64
	curFreq []uint64
	curNorm []float64
	started []bool
}

// errNotTopK is a query topK does not run.
var errNotTopK = errors.New("index: not a top-k query")

// compileTopK compiles q (as searchQuery makes it: the researcher's
// query, restricted to the filters) for hits in order ord, or returns
// errNotTopK.
func compileTopK(q query.Query, ord order) (*tkPlan, error) {
	p := &tkPlan{byKey: map[tkKey]int{}}
	user, filters := q, query.Query(nil)
	switch c := q.(type) {
	case *query.ConjunctionQuery:
		if len(c.Conjuncts) != 2 {
			return nil, errNotTopK
		}
		f, ok := c.Conjuncts[1].(*constantQuery)
		if !ok || f.score != 0 {
			return nil, errNotTopK
		}
		user, filters = c.Conjuncts[0], f.q
	case *constantQuery:
		// Filters alone: every hit scores 1.
		user, filters = nil, c.q
	case *query.MatchAllQuery:
		user = nil
	}
	var root *tkNode
	var err error
	switch q := user.(type) {
	case nil:
		// Hits scored alike are in the order of their ids, which would
		// all have to be read: only an order by date is run here.
		if ord == byScore {
			return nil, errNotTopK
		}
	case *query.BooleanQuery:
		if q.Must != nil || q.MustNot != nil || q.Filter != nil || q.Should == nil {
			return nil, errNotTopK
		}
		root, err = p.node(q.Should)
	case *query.DisjunctionQuery:
		root, err = p.node(q)
	default:
		return nil, errNotTopK
	}
	if err != nil {
		return nil, err
	}
	if root != nil && root.kind != tkOr {
		return nil, errNotTopK
	}
	if root != nil && tooWide(root) {
		return nil, errNotTopK
	}
	p.root, p.order = root, ord
	if filters != nil {
		fs := []query.Query{filters}
		if c, ok := filters.(*query.ConjunctionQuery); ok {
			fs = c.Conjuncts
		}
		for _, f := range fs {
			if d, ok := f.(*query.DateRangeQuery); ok {
				r, err := newDateRange(d)
				if err != nil {
					return nil, err
				}
				p.dates = append(p.dates, r)
				continue
			}
			n, err := p.node(f)
			if err != nil {
				return nil, err
			}
			p.filters = append(p.filters, n)
		}
	}
	return p, nil
}

// tooWide reports whether an or under n has more kids than Bleve's
// disjunction searcher merges in a slice: past that it uses a heap, and
// sums the scores of a document's matches in the heap's order, which topK
// does not follow (a query of more than ten words).
func tooWide(n *tkNode) bool {
	if n.kind == tkTerm {
		return false
	}
	if n.kind == tkOr && len(n.kids) > searcher.DisjunctionHeapTakeover {
		return true
	}
	for _, k := range n.kids {
		if tooWide(k) {
			return true
		}
	}
	return false
}

// dateRange is a range of publication times, as Bleve's date range query
// on published matches it (times in Unix nanoseconds).
type dateRange struct {
	lo, hi         int64
	hasLo, hasHi   bool
	inclLo, inclHi bool
}

func newDateRange(q *query.DateRangeQuery) (dateRange, error) {
	if q.FieldVal != "published" {
		return dateRange{}, errNotTopK
	}
	r := dateRange{inclLo: true}
	if q.InclusiveStart != nil {
		r.inclLo = *q.InclusiveStart
	}
	if q.InclusiveEnd != nil {
		r.inclHi = *q.InclusiveEnd
	}
	if !q.Start.IsZero() {
		r.lo, r.hasLo = q.Start.UnixNano(), true
	}
	if !q.End.IsZero() {
		r.hi, r.hasHi = q.End.UnixNano(), true
	}
	return r, nil
}

// has reports whether the range holds v.
func (r dateRange) has(v int64) bool {
	switch {
	case r.hasLo && r.inclLo && v < r.lo, r.hasLo && !r.inclLo && v <= r.lo:
		return false
	case r.hasHi && r.inclHi && v > r.hi, r.hasHi && !r.inclHi && v >= r.hi:
		return false
	}
	return true
}

func (p *tkPlan) key(field, term string) int {
	k := tkKey{field, term}
	i, ok := p.byKey[k]
	if !ok {
		i = len(p.keys)
		p.keys = append(p.keys, k)
		p.byKey[k] = i
	}
	return i
}

func (p *tkPlan) term(field, term string, boost float64) *tkNode {
	n := &tkNode{kind: tkTerm, key: p.key(field, term), boost: boost}
	p.terms = append(p.terms, n)
	return n
}

func (p *tkPlan) node(q query.Query) (*tkNode, error) {
	switch q := q.(type) {
	case *query.DisjunctionQuery:
		if q.Min > 1 || len(q.Disjuncts) == 0 {
			return nil, errNotTopK
		}
		n := &tkNode{kind: tkOr}
		for _, d := range q.Disjuncts {
			k, err := p.node(d)
			if err != nil {
				return nil, err
			}
			n.kids = append(n.kids, k)
		}
		return n, nil
	case *query.TermQuery:
		if q.FieldVal == "" {
			return nil, errNotTopK
		}
		return p.term(q.FieldVal, q.Term, boostOf(q.BoostVal)), nil
	case *foldedTerm:
		// As foldedTerm.disjunction.
		return &tkNode{kind: tkOr, kids: []*tkNode{
			p.term(q.field, q.term, q.boost*exactBoost),
			p.term(q.field, fold.FoldedPrefix+q.term, q.boost),
		}}, nil
	case *phrase:
		return p.phraseNode(q), nil
	case *foldedPhrase:
		return &tkNode{kind: tkOr, kids: []*tkNode{p.phraseNode(q.exact), p.phraseNode(q.folded)}}, nil
	}
	return nil, errNotTopK
}

func (p *tkPlan) phraseNode(q *phrase) *tkNode {
	n := &tkNode{kind: tkPhrase, field: q.field}
	for _, alts := range q.terms {
		var keys []int
		var word *tkNode
		if len(alts) == 1 {
			word = p.term(q.field, alts[0], q.boost)
			keys = []int{word.key}
		} else {
			word = &tkNode{kind: tkOr}
			for _, t := range alts {
				k := p.term(q.field, t, q.boost)
				word.kids = append(word.kids, k)
				keys = append(keys, k.key)
			}
		}
		n.kids = append(n.kids, word)
		n.alts = append(n.alts, keys)
	}
	p.phrase = append(p.phrase, n)
	return n
}

// setCounts sets the counts of the nodes from the terms' and sorts the
// kids of ors, and the words of phrases, as Bleve's searchers order them.
func (n *tkNode) setCounts(counts []uint64) uint64 {
	switch n.kind {
	case tkTerm:
		n.count = counts[n.key]
	case tkOr:
		n.count = 0
		for _, k := range n.kids {
			n.count += k.setCounts(counts)
		}
		// NewDisjunctionSearcher sorts its searchers by count.
		sort.Sort(byNodeCount(n.kids))
	case tkPhrase:
		n.count = 0
		for _, k := range n.kids {
			n.count += k.setCounts(counts)
		}
		n.order = make([]int, len(n.kids))
		for i := range n.order {
			n.order[i] = i
		}
		sort.Sort(byCount{n.order, func(i int) uint64 { return n.kids[i].count }})
	}
	return n.count
}

type byNodeCount []*tkNode

func (b byNodeCount) Len() int           { return len(b) }
func (b byNodeCount) Less(i, j int) bool { return b[i].count < b[j].count }
func (b byNodeCount) Swap(i, j int)      { b[i], b[j] = b[j], b[i] }

// weight is the node's weight as Bleve's searchers add it up.
func (n *tkNode) weight() float64 {
	switch n.kind {
	case tkTerm:
		w := n.boost * n.idf
		return w * w
	case tkOr:
		var rv float64
		for _, k := range n.kids {
			rv += k.weight()
		}
		return rv
	}
	var rv float64
	for _, i := range n.order {
		rv += n.kids[i].weight()
	}
	return rv
}

// setNorm sets the query weight of every term.
func (n *tkNode) setNorm(norm float64) {
	if n.kind == tkTerm {
		n.qw = n.boost * n.idf * norm
		return
	}
	for _, k := range n.kids {
		k.setNorm(norm)
	}
}

// topK runs a compiled query on the segments of snap: the best n hits
// after after, in c's order, and the number of matches.
func (ix *Index) topK(ctx context.Context, snap *scorch.IndexSnapshot, p *tkPlan, n int, after *candidate, facetSize int) (*collected, error) {
	p.ix = ix
	segs := snap.Segments()
	docs, err := snap.DocCount()
	if err != nil {
		return nil, err
	}
	// Postings of every term in every segment, and the terms' counts.
	lists := make([][]segment.PostingsList, len(segs))
	counts := make([]uint64, len(p.keys))
	dicts := map[string]segment.TermDictionary{}
	for si, s := range segs {
		clear(dicts)
		lists[si] = make([]segment.PostingsList, len(p.keys))
		for k, key := range p.keys {
			d, ok := dicts[key.field]
			if !ok {
				if d, err = s.Segment().Dictionary(key.field); err != nil {
					return nil, err
				}
				dicts[key.field] = d
			}
			if d == nil {
				continue
			}
			pl, err := ix.postingsOf(s.Segment(), d, key.field, key.term, s.Deleted())
			if err != nil {
				return nil, err
			}
			lists[si][k] = pl
			if pl != nil {
				counts[k] += pl.Count()
			}
		}
	}
	for _, t := range p.terms {
		// As scorer.NewTermQueryScorer (tf-idf).
		t.idf = 1.0 + math.Log(float64(docs)/float64(counts[t.key]+1.0))
	}
	if p.root != nil {
		p.root.setCounts(counts)
		p.root.setNorm(1.0 / math.Sqrt(p.root.weight()))
	}

	ix.segCache.retain(segs)
	if err := ix.warm(ctx, segs, p); err != nil {
		return nil, err
	}
	c := &collector{order: p.order, n: n, r: snap}
	out := &collected{}
	if facetSize > 0 {
		out.segMatches = map[*scorch.SegmentSnapshot]*roaring.Bitmap{}
	}
	var offset uint64
	for si, s := range segs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := ix.topKSegment(ctx, p, s, lists[si], offset, c, after, out, facetSize > 0); err != nil {
			return nil, err
		}
		if c.err != nil {
			return nil, c.err
		}
		offset += s.Segment().Count()
	}
	out.hits = c.sorted()
	if c.err != nil {
		return nil, c.err
	}
	if facetSize > 0 {
		if out.facets, err = ix.countFacetsOf(ctx, snap, out.segMatches, facetSize); err != nil {
			return nil, err
		}
		out.segMatches = nil
	}
	if out.page, err = ix.topKPage(ctx, snap, p, lists, out.hits); err != nil {
		return nil, err
	}
	return out, nil
}

// warm works out, on every core, the documents that have the phrases of p
// in the segments whose caches lack them. A search that meets a phrase
// first (every search of the command line, which starts afresh) then waits
// for the longest of those checks, not for their sum. (The terms' bounds
// are worked out as the search goes: it needs only those of the terms and
// phrases a segment has.)
func (ix *Index) warm(ctx context.Context, segs []*scorch.SegmentSnapshot, p *tkPlan) error {
	var tasks []func() error
	for _, s := range segs {
		seg, e := s.Segment(), ix.segCache.get(s.Segment())
		for _, n := range p.phrase {
			key := n.cacheKey(p.keys)
			if e.hasPhrase(key) {
				continue
			}
			tasks = append(tasks, func() error {
				_, err := e.phrase(key, func() (*roaring.Bitmap, error) { return p.verify(ctx, n, seg) })
				return err
			})
		}
	}
	workers := min(runtime.GOMAXPROCS(0), len(tasks))
	if workers < 2 {
		return nil // the search works it out as it goes
	}
	next := make(chan func() error)
	errs := make(chan error, workers)
	for range workers {
		go func() {
			var err error
			for task := range next {
				if err == nil {
					err = task()
				}
			}
			errs <- err
		}()
	}
	for _, task := range tasks {
		next <- task
	}
	close(next)
	var first error
	for range workers {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// topKSegment finds the matches of one segment that enter the page.
func (ix *Index) topKSegment(ctx context.Context, p *tkPlan, s *scorch.SegmentSnapshot, lists []segment.PostingsList, offset uint64, c *collector, after *candidate, out *collected, facets bool) error {
	seg := s.Segment()
	cache := ix.segCache.get(seg)
	if err := p.prepare(ctx, s, lists, cache, true); err != nil {
		return err
	}
	// The matches: of the query, with every filter.
	var root *roaring.Bitmap
	if p.root != nil {
		root = p.root.bm // union made it: ours to change
	} else {
		root = roaring.New()
		root.AddRange(0, seg.Count())
		if del := s.Deleted(); del != nil {
			root.AndNot(del)
		}
	}
	for _, f := range p.filters {
		root.And(f.bm)
	}
	var dates *segDates
	if len(p.dates) > 0 || p.order != byScore {
		var err error
		if dates, err = cache.datesOf(seg); err != nil {
			return err
		}
	}
	if len(p.dates) > 0 && !root.IsEmpty() {
		in := roaring.New()
		it := root.Iterator()
		for it.HasNext() {
			doc := it.Next()
			v, ok := dates.at(doc)
			if !ok {
				continue
			}
			all := true
			for _, r := range p.dates {
				all = all && r.has(v)
			}
			if all {
				in.Add(doc)
			}
		}
		root = in
	}
	out.total += root.GetCardinality()
	if root.IsEmpty() {
		return nil
	}
	if facets {
		out.segMatches[s] = root // not changed from here on
	}

	if p.order != byScore {
		return c.byDate(ctx, root, dates, offset, after, out)
	}

	// The clauses (terms and phrases) by their bound, weakest first, and
	// the bounds summed.
	var clauses []*tkNode
	if err := p.clauses(p.root, lists, seg, cache, &clauses); err != nil {
		return err
	}
	slices.SortFunc(clauses, func(a, b *tkNode) int {
		switch {
		case a.ub < b.ub:
			return -1
		case a.ub > b.ub:
			return 1
		}
		return 0
	})

	// weak is how many of the weakest clauses cannot make a hit of the
	// page together: documents that have only those are skipped.
	weak := 0
	cands := root
	var seen *roaring.Bitmap // documents scored already
	// strengthen skips, once the page is full, the documents that have only
	// clauses too weak for it; it reports whether any document is left.
	strengthen := func() bool {
		if len(c.heap) < c.n {
			return true
		}
		bar := c.heap[0].score
		w := weak
		for w < len(clauses) {
			clauses[w].weak = true
			if p.root.weakBound()*(1+1e-9) >= bar {
				clauses[w].weak = false
				break
			}
			w++
		}
		if w == weak {
			return true
		}
		weak = w
		if weak == len(clauses) {
			return false
		}
		strong := roaring.New()
		for _, c := range clauses[weak:] {
			strong.Or(c.bm)
		}
		strong.And(root)
		if seen != nil {
			strong.AndNot(seen)
		}
		cands = strong
		return true
	}
	if !strengthen() {
		return nil
	}
	var spare *candidate
	visited := 0
	bounds := newBoundProgram(p.root)
	// scan scores the documents of it, skipping those strengthen leaves
	// out as the bar rises when skip is set.
	scan := func(it roaring.IntPeekable, skip bool) (bool, error) {
		for it.HasNext() {
			doc := it.Next()
			visited++
			out.scored++
			if visited%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return false, err
				}
			}
			// A document whose clauses cannot make the page together
			// is not scored: its terms' postings are not read.
			if len(c.heap) == c.n && bounds.of(doc, p.root)*(1+1e-9) < c.heap[0].score {
				continue
			}
			score, ok, err := p.eval(p.root, uint64(doc))
			if err != nil {
				return false, err
			}
			if !ok {
				continue
			}
			x := reuse(spare, offset+uint64(doc))
			x.score, x.d.Score = score, score
			spare = c.offerAfter(x, after)
			if c.err != nil {
				return false, c.err
			}
			if spare == x || !skip {
				continue // the bar did not move
			}
			was := weak
			if !strengthen() {
				return false, nil // nothing left can enter the page
			}
			if weak != was {
				it = cands.Iterator()
				it.AdvanceIfNeeded(doc + 1)
			}
		}
		return true, nil
	}
	// First the documents of the strongest clause, which raise the bar
	// soonest when the page is not full yet; then the others, with the
	// terms' postings read again from the start.
	if len(c.heap) < c.n && len(clauses) > 1 {
		first := roaring.And(clauses[len(clauses)-1].bm, root)
		if more, err := scan(first.Iterator(), false); err != nil || !more {
			return err
		}
		seen = first
		cands = roaring.AndNot(cands, seen)
		if !strengthen() {
			return nil
		}
		p.rewind()
	}
	_, err := scan(cands.Iterator(), true)
	return err
}

// prepare readies the plan for a segment: the terms' postings from the
// start, the matches of the query's terms and phrases and of the filters,
// and, with unite, of the query and of each filter.
func (p *tkPlan) prepare(ctx context.Context, s *scorch.SegmentSnapshot, lists []segment.PostingsList, cache *segEntry, unite bool) error {
	seg := s.Segment()
	nk := len(p.keys)
	p.pl = lists
	p.it = make([]segment.PostingsIterator, nk)
	p.done = make([]bool, nk)
	p.curDoc = make([]uint64, nk)
	p.curFreq = make([]uint64, nk)
	p.curNorm = make([]float64, nk)
	p.started = make([]bool, nk)
	// The terms' bitmaps, without deleted documents (lists leave them
	// out): the postings' own, not copied, so never changed.
	bms := make([]*roaring.Bitmap, nk)
	for k, pl := range lists {
		bm, err := actualBitmap(pl)
		if err != nil {
			return err
		}
		bms[k] = bm
	}
	for _, n := range append([]*tkNode{p.root}, p.filters...) {
		if n == nil {
			continue
		}
		if err := p.bitmaps(ctx, n, bms, seg, s.Deleted(), cache); err != nil {
			return err
		}
		if unite && n.kind == tkOr {
			n.bm = n.union()
		}
	}
	return nil
}

// reuse returns spare, or a new candidate, made the document of internal
// number num, unscored.
func reuse(spare *candidate, num uint64) *candidate {
	x := spare
	if x == nil {
		x = &candidate{d: &search.DocumentMatch{}}
	}
	d := x.d
	d.IndexInternalID = binary.BigEndian.AppendUint64(d.IndexInternalID[:0], num)
	d.Score = 0
	*x = candidate{d: d}
	return x
}

// byDate offers the matches of a segment to c, which orders them by
// publication time.
func (c *collector) byDate(ctx context.Context, matches *roaring.Bitmap, dates *segDates, offset uint64, after *candidate, out *collected) error {
	missing := highTerm
	if c.order == byNewest {
		missing = lowTerm
	}
	var spare *candidate
	visited := 0
	it := matches.Iterator()
	for it.HasNext() {
		doc := it.Next()
		visited++
		if visited%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		key := missing
		if _, ok := dates.at(doc); ok {
			key = dates.keys[doc]
		}
		// Most matches are older (or newer) than the page's last hit.
		if len(c.heap) == c.n {
			worst := c.heap[0].key
			if c.order == byNewest && key < worst || c.order == byOldest && key > worst {
				continue
			}
		}
		out.scored++
		x := reuse(spare, offset+uint64(doc))
		x.key = key
		spare = c.offerAfter(x, after)
		if c.err != nil {
			return c.err
		}
	}
	return nil
}

// clauses appends the clauses of n in the current segment (a term outside
// phrases, or a phrase: what adds to a score on its own), with their bm,
// ub and dense set. A term adds at
// most its largest √freq × norm there times idf and query weight; a phrase
// at most the sum of its terms' (the coordination of an or is at most 1).
func (p *tkPlan) clauses(n *tkNode, lists []segment.PostingsList, seg segment.Segment, cache *segEntry, out *[]*tkNode) error {
	switch n.kind {
	case tkOr:
		for _, k := range n.kids {
			if err := p.clauses(k, lists, seg, cache, out); err != nil {
				return err
			}
		}
		return nil
	case tkTerm, tkPhrase:
		n.ub, n.weak, n.dense = 0, false, nil
		if n.bm.IsEmpty() {
			return nil
		}
		ub, err := p.bound(n, lists, seg, cache)
		if err != nil {
			return err
		}
		n.ub = ub
		n.dense = n.bm.ToDense()
		*out = append(*out, n)
	}
	return nil
}

// weakBound is the most a document that has only weak clauses scores: a
// clause adds at most its bound, and an or of n kids of which k can match
// multiplies their sum by k/n at most.
func (n *tkNode) weakBound() float64 {
	switch n.kind {
	case tkOr:
		var sum float64
		k := 0
		for _, kid := range n.kids {
			if b := kid.weakBound(); b > 0 {
				sum += b
				k++
			}
		}
		return sum * float64(k) / float64(len(n.kids))
	}
	if n.weak {
		return n.ub
	}
	return 0
}

// boundProgram works out docBound for a segment without walking the
// nodes: the clauses of the segment (the others add nothing) and the ors
// above them, children before parents.
type boundProgram struct {
	ops   []boundOp
	stack []float64
}

// boundOp is a clause (pushes its bound if the document has it, else 0)
// or an or (pops live values, pushes their coordinated sum).
type boundOp struct {
	clause *tkNode
	live   int // or: how many values to pop
	kids   int // or: all its kids, for the coordination
}

func newBoundProgram(root *tkNode) *boundProgram {
	b := &boundProgram{}
	var emit func(n *tkNode) bool
	emit = func(n *tkNode) bool {
		if n.kind != tkOr {
			if n.ub <= 0 {
				return false
			}
			b.ops = append(b.ops, boundOp{clause: n})
			return true
		}
		live := 0
		for _, k := range n.kids {
			if emit(k) {
				live++
			}
		}
		if live == 0 {
			return false
		}
		b.ops = append(b.ops, boundOp{live: live, kids: len(n.kids)})
		return true
	}
	emit(root)
	return b
}

// checkBounds, in tests, is given every bound of a document the program
// works out and the one docBound works out from the nodes.
var checkBounds func(program, nodes float64)

// of returns root.docBound(doc).
func (b *boundProgram) of(doc uint32, root *tkNode) float64 {
	v := b.run(doc)
	if checkBounds != nil {
		checkBounds(v, root.docBound(doc))
	}
	return v
}

func (b *boundProgram) run(doc uint32) float64 {
	st := b.stack[:0]
	for i := range b.ops {
		op := &b.ops[i]
		if op.clause != nil {
			v := 0.0
			if op.clause.has(doc) {
				v = op.clause.ub
			}
			st = append(st, v)
			continue
		}
		var sum float64
		k := 0
		for _, v := range st[len(st)-op.live:] {
			if v > 0 {
				sum += v
				k++
			}
		}
		st = st[:len(st)-op.live]
		st = append(st, sum*float64(k)/float64(op.kids))
	}
	b.stack = st
	if len(st) == 0 {
		return 0
	}
	return st[0]
}

// docBound is the most doc scores given the clauses it has.
func (n *tkNode) docBound(doc uint32) float64 {
	if n.kind == tkOr {
		var sum float64
		k := 0
		for _, kid := range n.kids {
			if b := kid.docBound(doc); b > 0 {
				sum += b
				k++
			}
		}
		return sum * float64(k) / float64(len(n.kids))
	}
	if n.ub > 0 && n.has(doc) {
		return n.ub
	}
	return 0
}

// bound is the most n adds to a score in the current segment.
func (p *tkPlan) bound(n *tkNode, lists []segment.PostingsList, seg segment.Segment, cache *segEntry) (float64, error) {
	if n.kind == tkTerm {
		key := p.keys[n.key]
		if u, ok := lists[n.key].(*foldedPostings); ok {
			impact, err := u.bound(key)
			return impact * n.idf * n.qw, err
		}
		impact, err := cache.maxImpact(key, func() (segment.PostingsList, error) {
			// Deleted documents too: the bound holds for every snapshot.
			d, err := seg.Dictionary(key.field)
			if err != nil {
				return nil, err
			}
			return p.ix.postingsOf(seg, d, key.field, key.term, nil)
		})
		return impact * n.idf * n.qw, err
	}
	var sum float64
	for _, k := range n.kids {
		b, err := p.bound(k, lists, seg, cache)
		if err != nil {
			return 0, err
		}
		sum += b
	}
	return sum, nil
}

// bitmaps sets the matches of the terms and phrases of n in the current
// segment (those of an or are worked out only where needed: union).
// deleted are the segment's deleted documents, or nil.
func (p *tkPlan) bitmaps(ctx context.Context, n *tkNode, bms []*roaring.Bitmap, seg segment.Segment, deleted *roaring.Bitmap, cache *segEntry) error {
	switch n.kind {
	case tkTerm:
		n.bm = bms[n.key]
	case tkOr:
		for _, k := range n.kids {
			if err := p.bitmaps(ctx, k, bms, seg, deleted, cache); err != nil {
				return err
			}
		}
	case tkPhrase:
		bm, err := cache.phrase(n.cacheKey(p.keys), func() (*roaring.Bitmap, error) {
			return p.verify(ctx, n, seg)
		})
		if err != nil {
			return err
		}
		// The cached matches (read only) hold deleted documents too.
		n.bm = bm
		if deleted != nil && !deleted.IsEmpty() {
			n.bm = roaring.AndNot(bm, deleted)
		}
	}
	return nil
}

// union returns a new bitmap of the documents n matches: those of its
// terms and phrases, united.
func (n *tkNode) union() *roaring.Bitmap {
	var parts []*roaring.Bitmap
	var walk func(n *tkNode)
	walk = func(n *tkNode) {
		if n.kind == tkOr {
			for _, k := range n.kids {
				walk(k)
			}
			return
		}
		parts = append(parts, n.bm)
	}
	walk(n)
	return roaring.FastOr(parts...)
}

// actualBitmap returns the documents of a postings list, without those it
// was made to leave out. It may be the list's own bitmap: read it only.
func actualBitmap(pl segment.PostingsList) (*roaring.Bitmap, error) {
	if pl == nil {
		return roaring.New(), nil
	}
	if u, ok := pl.(*foldedPostings); ok {
		return u.bitmap(), nil
	}
	it := pl.Iterator(false, false, false, nil)
	if o, ok := it.(segment.OptimizablePostingsIterator); ok {
		if bm := o.ActualBitmap(); bm != nil {
			return bm, nil
		}
	}
	// One document, or none, or a postings list of another kind.
	bm := roaring.New()
	for {
		post, err := it.Next()
		if err != nil {
			return nil, err
		}
		if post == nil {
			return bm, nil
		}
		bm.Add(uint32(post.Number()))
	}
}

// orInto adds the documents of a postings list to bm, deleted ones too;
// segments that cannot are not searched by topK.
func orInto(pl segment.PostingsList, bm *roaring.Bitmap) error {
	o, ok := pl.(interface{ OrInto(*roaring.Bitmap) })
	if !ok {
		return errNotTopK
	}
	o.OrInto(bm)
	return nil
}

// cacheKey names a phrase in a segment's cache.
func (n *tkNode) cacheKey(keys []tkKey) string {
	var b strings.Builder
	b.WriteString(n.field)
	for _, alts := range n.alts {
		b.WriteByte(0)
		for j, k := range alts {
			if j > 0 {
				b.WriteByte(1)
			}
			b.WriteString(keys[k].term)
		}
	}
	return b.String()
}

// verify returns the documents of the segment that have the phrase: of
// those that have every word, the ones where the words follow each other
// in one value of the field. Deleted documents are checked too, so that
// the result holds for every snapshot of the segment.
func (p *tkPlan) verify(ctx context.Context, n *tkNode, seg segment.Segment) (*roaring.Bitmap, error) {
	d, err := seg.Dictionary(n.field)
	if err != nil || d == nil {
		return roaring.New(), err
	}
	type alt struct {
		it    segment.PostingsIterator
		cur   segment.Posting
		done  bool
		count uint64
	}
	words := make([][]*alt, len(n.alts))
	cand := (*roaring.Bitmap)(nil)
	for i, keys := range n.alts {
		union := roaring.New()
		for _, k := range keys {
			pl, err := p.ix.postingsOf(seg, d, n.field, p.keys[k].term, nil)
			if err != nil {
				return nil, err
			}
			if pl == nil {
				continue
			}
			if err := orInto(pl, union); err != nil {
				return nil, err
			}
			words[i] = append(words[i], &alt{it: pl.Iterator(true, true, true, nil), count: pl.Count()})
		}
		if cand == nil {
			cand = union
		} else {
			cand.And(union)
		}
	}
	out := roaring.New()
	if cand == nil {
		return out, nil
	}
	// The words from the rarest: a document stops being checked at the
	// first word that leaves no start, and the locations of the words
	// after it are skipped, not decoded.
	order := make([]int, len(words))
	counts := make([]uint64, len(words))
	for i := range order {
		order[i] = i
		for _, a := range words[i] {
			counts[i] += a.count
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(counts[a], counts[b]) })
	var starts, common []uint64
	visited := 0
	it := cand.Iterator()
	for it.HasNext() {
		doc := uint64(it.Next())
		visited++
		if visited%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		for n, i := range order {
			starts = starts[:0]
			for _, a := range words[i] {
				if a.done || a.cur != nil && a.cur.Number() > doc {
					continue
				}
				if a.cur == nil || a.cur.Number() < doc {
					if a.cur, err = a.it.Advance(doc); err != nil {
						return nil, err
					}
					if a.cur == nil {
						a.done = true
						continue
					}
				}
				if a.cur.Number() != doc {
					continue
				}
				for _, l := range a.cur.Locations() {
					k, ok, fits := vectorKey(l.Pos(), l.ArrayPositions(), i)
					if !fits {
						return nil, errNotTopK
					}
					if ok {
						starts = append(starts, k)
					}
				}
			}
			if !slices.IsSorted(starts) {
				slices.Sort(starts)
			}
			if n == 0 {
				common = append(common[:0], starts...)
			} else {
				common = intersectSorted(common, starts)
			}
			if len(common) == 0 {
				break
			}
		}
		if len(common) > 0 {
			out.Add(uint32(doc))
		}
	}
	return out, nil
}

// intersectSorted keeps in a (sorted) the values b (sorted) has too.
func intersectSorted(a, b []uint64) []uint64 {
	out := a[:0]
	j := 0
	for _, v := range a {
		for j < len(b) && b[j] < v {
			j++
		}
		if j == len(b) {
			break
		}
		if b[j] == v {
			out = append(out, v)
		}
	}
	return out
}

// rewind makes the terms' postings start again.
func (p *tkPlan) rewind() {
	for k := range p.it {
		p.it[k] = nil
		p.done[k] = false
		p.started[k] = false
	}
}

// at moves term k to doc: its frequency and norm there, if it has it.
func (p *tkPlan) at(k int, doc uint64) (bool, error) {
	if p.done[k] {
		return false, nil
	}
	if p.started[k] && p.curDoc[k] >= doc {
		return p.curDoc[k] == doc, nil
	}
	if u, ok := p.pl[k].(*foldedPostings); ok {
		// A folded term is read from memory, not walked.
		found, freq, norm, err := u.at(doc)
		if err != nil || !found {
			return false, err
		}
		p.started[k] = true
		p.curDoc[k], p.curFreq[k], p.curNorm[k] = doc, freq, norm
		return true, nil
	}
	if p.it[k] == nil {
		if p.pl[k] == nil {
			p.done[k] = true
			return false, nil
		}
		p.it[k] = p.pl[k].Iterator(true, true, false, nil)
	}
	p.started[k] = true
	post, err := p.it[k].Advance(doc)
	if err != nil {
		return false, err
	}
	if post == nil {
		p.done[k] = true
		return false, nil
	}
	p.curDoc[k], p.curFreq[k], p.curNorm[k] = post.Number(), post.Frequency(), post.Norm()
	return p.curDoc[k] == doc, nil
}

// eval scores doc as Bleve's searchers would, if it matches n.
func (p *tkPlan) eval(n *tkNode, doc uint64) (float64, bool, error) {
	switch n.kind {
	case tkTerm:
		if n.dense != nil && !n.has(uint32(doc)) {
			// Not there: its postings are not read up to doc.
			return 0, false, nil
		}
		ok, err := p.at(n.key, doc)
		if !ok || err != nil {
			return 0, false, err
		}
		// As scorer.TermQueryScorer.Score.
		freq := p.curFreq[n.key]
		var tf float64
		if freq < scorer.MaxSqrtCache {
			tf = scorer.SqrtCache[int(freq)]
		} else {
			tf = math.Sqrt(float64(freq))
		}
		score := tf * p.curNorm[n.key] * n.idf
		if n.qw != 1.0 {
			score = score * n.qw
		}
		return score, true, nil
	case tkOr:
		// As scorer.DisjunctionQueryScorer.Score.
		var sum float64
		matched := 0
		for _, k := range n.kids {
			s, ok, err := p.eval(k, doc)
			if err != nil {
				return 0, false, err
			}
			if ok {
				sum += s
				matched++
			}
		}
		if matched == 0 {
			return 0, false, nil
		}
		return sum * (float64(matched) / float64(len(n.kids))), true, nil
	}
	if n.dense != nil && !n.has(uint32(doc)) || n.dense == nil && !n.bm.Contains(uint32(doc)) {
		return 0, false, nil
	}
	// As the conjunction of the words.
	var sum float64
	for _, i := range n.order {
		s, ok, err := p.eval(n.kids[i], doc)
		if err != nil {
			return 0, false, err
		}
		if !ok {
			return 0, false, nil
		}
		sum += s
	}
	return sum, true, nil
}
