package index

import (
	"context"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// How a search is planned. Filters (sites, dates, the person, title and
// place of Search) select documents without scoring
// them: they are one constantQuery in a conjunction with the researcher's
// query, so that the conjunction skips to the documents both match (Bleve's
// BooleanQuery filter instead walks every match of the query and checks the
// filter for each), and their terms neither add to a hit's score nor weigh
// in the query norm, so scores are those of the query alone.

// constantQuery matches what its query matches, every document with the
// same score, without reading frequencies, norms or positions.
type constantQuery struct {
	q     query.Query
	score float64
}

func (c *constantQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, _ search.SearcherOptions) (search.Searcher, error) {
	s, err := c.q.Searcher(ctx, r, m, search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, err
	}
	return &constantSearcher{Searcher: s, score: c.score}, nil
}

// constantSearcher gives its matches a fixed score and weighs nothing.
type constantSearcher struct {
	search.Searcher
	score float64
}

func (s *constantSearcher) fix(d *search.DocumentMatch) *search.DocumentMatch {
	if d != nil {
		d.Score = s.score
		d.Expl = nil
		d.FieldTermLocations = d.FieldTermLocations[:0]
	}
	return d
}

func (s *constantSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	d, err := s.Searcher.Next(ctx)
	return s.fix(d), err
}

func (s *constantSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := s.Searcher.Advance(ctx, id)
	return s.fix(d), err
}

func (s *constantSearcher) Weight() float64      { return 0 }
func (s *constantSearcher) SetQueryNorm(float64) {}

// restrict returns q restricted to the documents that match every filter;
// the filters are not scored. A query that matches everything becomes the
// filters alone, each hit scored 1 as Bleve's match-all query scores it.
func restrict(q query.Query, filters []query.Query) query.Query {
	if len(filters) == 0 {
		return q
	}
	var f query.Query = query.NewConjunctionQuery(filters)
	if len(filters) == 1 {
		f = filters[0]
	}
	if _, all := q.(*query.MatchAllQuery); all {
		return &constantQuery{q: f, score: 1}
	}
	return query.NewConjunctionQuery([]query.Query{q, &constantQuery{q: f}})
}
