package index

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Stats describes what an index holds.
type Stats struct {
	Articles int         `json:"articles"`
	Roles    int         `json:"roles"`
	Sites    []SiteStats `json:"sites"`
	Bytes    int64       `json:"index_bytes"`
	Mapping  string      `json:"mapping"`
}

// SiteStats are the articles of one site.
type SiteStats struct {
	Site     string         `json:"site"`
	Articles int            `json:"articles"`
	Undated  int            `json:"undated"`
	ByYear   map[string]int `json:"by_year"`
	First    string         `json:"first"` // earliest publication time
	Last     string         `json:"last"`
}

// Stats counts the articles per site and year and finds each site's date
// range.
func (ix *Index) Stats(ctx context.Context) (*Stats, error) {
	st := &Stats{Sites: []SiteStats{}, Mapping: MappingVersion()}
	var err error
	if st.Articles, st.Roles, err = ix.Count(); err != nil {
		return nil, err
	}
	if st.Bytes, err = ix.Size(); err != nil {
		return nil, err
	}
	req := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), 0, 0, false)
	req.AddFacet("site", bleve.NewFacetRequest("site", 10000))
	res, err := ix.b.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("index: stats: %w", err)
	}
	for _, t := range res.Facets["site"].Terms.Terms() {
		s := SiteStats{Site: t.Term, Articles: t.Count, ByYear: map[string]int{}}
		q := restrict(query.NewMatchAllQuery(), siteDateFilters([]string{t.Term}, zero, zero))
		req := bleve.NewSearchRequestOptions(q, 0, 0, false)
		req.AddFacet("year", bleve.NewFacetRequest("year", 10000))
		res, err := ix.b.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("index: stats: %w", err)
		}
		dated := 0
		for _, y := range res.Facets["year"].Terms.Terms() {
			s.ByYear[y.Term] = y.Count
			dated += y.Count
		}
		s.Undated = s.Articles - dated
		for i, order := range []string{"published", "-published"} {
			req := bleve.NewSearchRequestOptions(q, 1, 0, false)
			req.SortBy([]string{order})
			r, err := ix.b.SearchInContext(ctx, req)
			if err != nil {
				return nil, fmt.Errorf("index: stats: %w", err)
			}
			if len(r.Hits) == 0 {
				continue
			}
			a, err := ix.article(r.Hits[0].ID, false)
			if err != nil || a == nil {
				continue
			}
			if i == 0 {
				s.First = a.Published
			} else {
				s.Last = a.Published
			}
		}
		st.Sites = append(st.Sites, s)
	}
	slices.SortFunc(st.Sites, func(a, b SiteStats) int { return b.Articles - a.Articles })
	return st, nil
}

var zero time.Time
