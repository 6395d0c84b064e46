package index

import (
	"context"
	"math"
	"slices"
	"sort"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/scorer"
	bindex "github.com/blevesearch/bleve_index_api"
)

// phraseScan is the searcher of a phrase where only which documents match
// and their scores matter (not the positions of the words: the first
// search of collect). It reads the words' postings itself, checks the
// positions of a document that has every word before scoring it, and
// scores only the documents that have the phrase, as Bleve's searchers of
// phraseSearcher score them: each term scored by Bleve's term scorer, the
// alternatives of a word summed and weighed as a disjunction, the words
// summed as a conjunction, in the order (by postings count) Bleve's
// conjunction sums them. Bleve's searchers instead score every document
// with every word and merge the locations of the words into each.
type phraseScan struct {
	words [][]*scanTerm // per word: its alternatives
	order []int         // words in the order Bleve's conjunction sums them
	score bool
	n     int

	started bool
	done    bool
	target  []byte
	starts  [][]uint64
	next    []int // scratch of startsMeet

	// For foldedPhrase: the phrase as typed (each word's first
	// alternative) scored with its own boost, each word's term by
	// exact[i]; a document is scored as Bleve's disjunction of the
	// phrase as typed and the folded phrase.
	exact      []*scorer.TermQueryScorer
	exactOrder []int // words in the order the conjunction of the exact phrase sums them
}

// scanTerm is one term of a phrase: its postings and its scorer.
type scanTerm struct {
	r      bindex.TermFieldReader
	cur    *bindex.TermFieldDoc // nil when done
	buf    bindex.TermFieldDoc
	scorer *scorer.TermQueryScorer
	count  uint64
}

// newPhraseScan returns the scan of p; exact, when not nil, is the phrase
// as typed whose folded form p is (foldedPhrase).
func newPhraseScan(ctx context.Context, r bindex.IndexReader, p *phrase, exact *phrase, opts search.SearcherOptions) (*phraseScan, error) {
	docs, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	s := &phraseScan{score: opts.Score != "none", n: len(p.terms), starts: make([][]uint64, len(p.terms)), next: make([]int, len(p.terms))}
	for _, alts := range p.terms {
		var w []*scanTerm
		for _, t := range alts {
			tr, err := r.TermFieldReader(ctx, []byte(t), p.field, true, true, true)
			if err != nil {
				s.Close()
				return nil, err
			}
			w = append(w, &scanTerm{r: tr, count: tr.Count(),
				scorer: scorer.NewTermQueryScorer([]byte(t), p.field, p.boost, docs, tr.Count(), 0, opts)})
		}
		s.words = append(s.words, w)
	}
	// As NewConjunctionSearcher sorts its searchers (a word's count is its
	// alternatives' counts summed, as a disjunction counts).
	s.order = make([]int, len(s.words))
	for i := range s.order {
		s.order[i] = i
	}
	sort.Sort(byCount{s.order, s.wordCount})
	if exact != nil {
		s.exactOrder = make([]int, len(s.words))
		for i, alts := range exact.terms {
			s.exactOrder[i] = i
			s.exact = append(s.exact, scorer.NewTermQueryScorer([]byte(alts[0]), exact.field, exact.boost, docs, s.words[i][0].count, 0, opts))
		}
		sort.Sort(byCount{s.exactOrder, func(i int) uint64 { return s.words[i][0].count }})
	}
	// Bleve pushes a conjunction of terms down to their postings.
	single := true
	for _, w := range s.words {
		single = single && len(w) == 1
	}
	if single && len(s.words) > 1 {
		var octx bindex.OptimizableContext
		for _, w := range s.words {
			o, ok := w[0].r.(bindex.Optimizable)
			if !ok {
				octx = nil
				break
			}
			if octx, err = o.Optimize("conjunction", octx); err != nil {
				s.Close()
				return nil, err
			}
			if octx == nil {
				break
			}
		}
		if octx != nil {
			if _, err := octx.Finish(); err != nil {
				s.Close()
				return nil, err
			}
		}
	}
	// As Bleve's conjunction (and phrase) sets the norm when made.
	s.SetQueryNorm(1.0 / math.Sqrt(s.Weight()))
	return s, nil
}

// byCount sorts words as Bleve's OrderedSearcherList sorts searchers.
type byCount struct {
	order []int
	count func(word int) uint64
}

func (b byCount) Len() int           { return len(b.order) }
func (b byCount) Less(i, j int) bool { return b.count(b.order[i]) < b.count(b.order[j]) }
func (b byCount) Swap(i, j int)      { b.order[i], b.order[j] = b.order[j], b.order[i] }

func (s *phraseScan) wordCount(i int) uint64 {
	var n uint64
	for _, t := range s.words[i] {
		n += t.count
	}
	return n
}

func (s *phraseScan) wordWeight(i int) float64 {
	w := s.words[i]
	if len(w) == 1 {
		return w[0].scorer.Weight()
	}
	var rv float64
	for _, t := range w {
		rv += t.scorer.Weight()
	}
	return rv
}

func (s *phraseScan) Weight() float64 {
	var rv float64
	for _, i := range s.order {
		rv += s.wordWeight(i)
	}
	if s.exact == nil {
		return rv
	}
	var e float64
	for _, i := range s.exactOrder {
		e += s.exact[i].Weight()
	}
	return e + rv
}

func (s *phraseScan) SetQueryNorm(n float64) {
	for _, w := range s.words {
		for _, t := range w {
			t.scorer.SetQueryNorm(n)
		}
	}
	for _, e := range s.exact {
		e.SetQueryNorm(n)
	}
}

func (s *phraseScan) Count() uint64 {
	var n uint64
	for i := range s.words {
		n += s.wordCount(i)
	}
	return n
}

func (s *phraseScan) Close() error {
	var err error
	for _, w := range s.words {
		for _, t := range w {
			if e := t.r.Close(); e != nil && err == nil {
				err = e
			}
		}
	}
	return err
}

func (s *phraseScan) Min() int                   { return 0 }
func (s *phraseScan) Size() int                  { return 256 }
func (s *phraseScan) DocumentMatchPoolSize() int { return 2 }

// next moves a term to its next document, or its first at or after id.
func (t *scanTerm) next(id bindex.IndexInternalID) error {
	var err error
	t.buf.Reset()
	if id == nil {
		t.cur, err = t.r.Next(&t.buf)
	} else {
		t.cur, err = t.r.Advance(id, &t.buf)
	}
	return err
}

// wordDoc returns the first document of a word's alternatives, nil when
// they are done.
func (s *phraseScan) wordDoc(i int) bindex.IndexInternalID {
	var min bindex.IndexInternalID
	for _, t := range s.words[i] {
		if t.cur != nil && (min == nil || t.cur.ID.Compare(min) < 0) {
			min = t.cur.ID
		}
	}
	return min
}

func (s *phraseScan) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.started {
		s.started = true
		for _, w := range s.words {
			for _, t := range w {
				if err := t.next(nil); err != nil {
					return nil, err
				}
			}
		}
	}
	return s.scan(ctx)
}

func (s *phraseScan) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	first := !s.started
	s.started = true
	for _, w := range s.words {
		for _, t := range w {
			if first || t.cur != nil && t.cur.ID.Compare(id) < 0 {
				if err := t.next(id); err != nil {
					return nil, err
				}
			}
		}
	}
	return s.scan(ctx)
}

// scan finds the next document, from the terms' current ones, that has
// the phrase.
func (s *phraseScan) scan(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	for !s.done {
		// The furthest of the words' first documents.
		s.target = s.target[:0]
		for i := range s.words {
			d := s.wordDoc(i)
			if d == nil {
				s.done = true
				return nil, nil
			}
			if len(s.target) == 0 || d.Compare(s.target) > 0 {
				s.target = append(s.target[:0], d...)
			}
		}
		all := true
		for _, w := range s.words {
			for _, t := range w {
				if t.cur != nil && t.cur.ID.Compare(s.target) < 0 {
					if err := t.next(s.target); err != nil {
						return nil, err
					}
				}
			}
		}
		for i := range s.words {
			if d := s.wordDoc(i); d == nil || !d.Equals(s.target) {
				all = false
				break
			}
		}
		if !all {
			continue
		}
		var d *search.DocumentMatch
		if s.phraseAt(false) {
			d = ctx.DocumentMatchPool.Get()
			d.IndexInternalID = append(d.IndexInternalID[:0], s.target...)
			if s.score {
				d.Score = s.scoreOf(ctx)
			}
		}
		// On to the next document.
		for _, w := range s.words {
			for _, t := range w {
				if t.cur != nil && t.cur.ID.Equals(s.target) {
					if err := t.next(nil); err != nil {
						return nil, err
					}
				}
			}
		}
		if d != nil {
			return d, nil
		}
	}
	return nil, nil
}

// scoreOf scores the current document as Bleve's conjunction of the words
// (each a term, or a disjunction of its alternatives) does; for
// foldedPhrase, as the disjunction of that and the phrase as typed.
func (s *phraseScan) scoreOf(ctx *search.SearchContext) float64 {
	folded := s.foldedScore(ctx)
	if s.exact == nil {
		return folded
	}
	if !s.phraseAt(true) {
		sum := 0.0
		sum += folded
		return sum * (float64(1) / float64(2))
	}
	var exact float64
	for _, i := range s.exactOrder {
		m := s.exact[i].Score(ctx, s.words[i][0].cur)
		exact += m.Score
		ctx.DocumentMatchPool.Put(m)
	}
	sum := 0.0
	sum += exact
	sum += folded
	return sum * (float64(2) / float64(2))
}

// foldedScore is the score of the conjunction of the words.
func (s *phraseScan) foldedScore(ctx *search.SearchContext) float64 {
	var sum float64
	for _, i := range s.order {
		w := s.words[i]
		if len(w) == 1 {
			sum += s.termScore(ctx, w[0])
			continue
		}
		var ws float64
		matched := 0
		for _, t := range w {
			if t.cur != nil && t.cur.ID.Equals(s.target) {
				ws += s.termScore(ctx, t)
				matched++
			}
		}
		sum += ws * (float64(matched) / float64(len(w)))
	}
	return sum
}

func (s *phraseScan) termScore(ctx *search.SearchContext, t *scanTerm) float64 {
	m := t.scorer.Score(ctx, t.cur)
	sc := m.Score
	ctx.DocumentMatchPool.Put(m)
	return sc
}

// phraseAt reports whether the current document has the words in order:
// with any alternative, or (exact) each word's first.
func (s *phraseScan) phraseAt(exact bool) bool {
	for i := range s.starts {
		s.starts[i] = s.starts[i][:0]
	}
	for i, w := range s.words {
		for a, t := range w {
			if exact && a > 0 {
				break
			}
			if t.cur == nil || !t.cur.ID.Equals(s.target) {
				continue
			}
			for _, v := range t.cur.Vectors {
				k, ok, fits := vectorKey(v.Pos, v.ArrayPositions, i)
				if !fits {
					return s.slowPhraseAt(exact)
				}
				if ok {
					s.starts[i] = append(s.starts[i], k)
				}
			}
		}
	}
	return startsMeet(s.starts, s.next)
}

// vectorKey is key of a term vector.
func vectorKey(pos uint64, aps []uint64, i int) (k uint64, ok, fits bool) {
	var ap uint64
	switch len(aps) {
	case 0:
	case 1:
		ap = aps[0] + 1
	default:
		return 0, false, false
	}
	if pos <= uint64(i) {
		return 0, false, true
	}
	start := pos - uint64(i)
	if start >= 1<<32 || ap >= 1<<31 {
		return 0, false, false
	}
	return ap<<32 | start, true, true
}

// slowPhraseAt checks positions of values with several array positions.
func (s *phraseScan) slowPhraseAt(exact bool) bool {
	vectors := func(i int) []*bindex.TermFieldVector {
		var out []*bindex.TermFieldVector
		for a, t := range s.words[i] {
			if exact && a > 0 {
				break
			}
			if t.cur != nil && t.cur.ID.Equals(s.target) {
				out = append(out, t.cur.Vectors...)
			}
		}
		return out
	}
	for _, first := range vectors(0) {
		ok := true
		for i := 1; i < s.n && ok; i++ {
			ok = false
			for _, v := range vectors(i) {
				if v.Pos == first.Pos+uint64(i) && slices.Equal(v.ArrayPositions, first.ArrayPositions) {
					ok = true
					break
				}
			}
		}
		if ok {
			return true
		}
	}
	return false
}
