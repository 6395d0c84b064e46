package index

import (
	"context"
	"math"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/scorer"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/baotinh/baotinh/index/analysis/tokenfilter/fold"
)

// foldedTerm is a word typed without diacritics in one field: the word as
// typed (boosted by exactBoost) or its folded form, every accented one,
// matched and scored as Bleve's disjunction of the two term queries. Where
// only matches and scores matter (the first search of a page) it reads the
// two postings lists itself, without the disjunction's merging of
// document matches; otherwise (positions, explanations) it is the
// disjunction.
type foldedTerm struct {
	term, field string
	boost       float64
}

func (q *foldedTerm) disjunction() query.Query {
	exact := query.NewTermQuery(q.term)
	exact.SetField(q.field)
	exact.SetBoost(q.boost * exactBoost)
	folded := query.NewTermQuery(fold.FoldedPrefix + q.term)
	folded.SetField(q.field)
	folded.SetBoost(q.boost)
	return query.NewDisjunctionQuery([]query.Query{exact, folded})
}

func (q *foldedTerm) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	if opts.Explain || opts.IncludeTermVectors || !fastPhrases {
		return q.disjunction().Searcher(ctx, r, m, opts)
	}
	docs, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	score := opts.Score != "none"
	s := &foldedTermSearcher{}
	for i, t := range []struct {
		term  string
		boost float64
	}{{q.term, q.boost * exactBoost}, {fold.FoldedPrefix + q.term, q.boost}} {
		tr, err := r.TermFieldReader(ctx, []byte(t.term), q.field, score, score, false)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.terms[i] = &scanTerm{r: tr, count: tr.Count(),
			scorer: scorer.NewTermQueryScorer([]byte(t.term), q.field, t.boost, docs, tr.Count(), 0, opts)}
	}
	// As Bleve's disjunction sets the norm when made.
	s.SetQueryNorm(1.0 / math.Sqrt(s.Weight()))
	return s, nil
}

// foldedTermSearcher is the fast path of foldedTerm.
type foldedTermSearcher struct {
	terms   [2]*scanTerm // the word as typed, its folded form
	started bool
	cur     []byte
}

func (s *foldedTermSearcher) Weight() float64 {
	var rv float64
	rv += s.terms[0].scorer.Weight()
	rv += s.terms[1].scorer.Weight()
	return rv
}

func (s *foldedTermSearcher) SetQueryNorm(n float64) {
	s.terms[0].scorer.SetQueryNorm(n)
	s.terms[1].scorer.SetQueryNorm(n)
}

func (s *foldedTermSearcher) Count() uint64 { return s.terms[0].count + s.terms[1].count }

func (s *foldedTermSearcher) Close() error {
	var err error
	for _, t := range s.terms {
		if t != nil {
			if e := t.r.Close(); e != nil && err == nil {
				err = e
			}
		}
	}
	return err
}

func (s *foldedTermSearcher) Min() int                   { return 0 }
func (s *foldedTermSearcher) Size() int                  { return 128 }
func (s *foldedTermSearcher) DocumentMatchPoolSize() int { return 2 }

func (s *foldedTermSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.started {
		s.started = true
		for _, t := range s.terms {
			if err := t.next(nil); err != nil {
				return nil, err
			}
		}
	}
	return s.match(ctx)
}

func (s *foldedTermSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	first := !s.started
	s.started = true
	for _, t := range s.terms {
		if first || t.cur != nil && t.cur.ID.Compare(id) < 0 {
			if err := t.next(id); err != nil {
				return nil, err
			}
		}
	}
	return s.match(ctx)
}

// match scores the first document of the two terms as the disjunction
// would (the sum of the scores of the terms it has, times the share of the
// two it has) and moves past it.
func (s *foldedTermSearcher) match(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	e, f := s.terms[0], s.terms[1]
	var at []*scanTerm
	switch {
	case e.cur == nil && f.cur == nil:
		return nil, nil
	case f.cur == nil:
		at = []*scanTerm{e}
	case e.cur == nil:
		at = []*scanTerm{f}
	default:
		switch c := e.cur.ID.Compare(f.cur.ID); {
		case c < 0:
			at = []*scanTerm{e}
		case c > 0:
			at = []*scanTerm{f}
		default:
			at = []*scanTerm{e, f}
		}
	}
	d := at[0].scorer.Score(ctx, at[0].cur)
	sum := 0.0
	sum += d.Score
	if len(at) == 2 {
		m := f.scorer.Score(ctx, f.cur)
		sum += m.Score
		ctx.DocumentMatchPool.Put(m)
	}
	d.Score = sum * (float64(len(at)) / float64(2))
	for _, t := range at {
		if err := t.next(nil); err != nil {
			return nil, err
		}
	}
	return d, nil
}
