package index

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/baotinh/baotinh/extract"
)

// Intervals of a timeline, each with the field that holds an article's
// period.
var intervals = map[string]string{"day": "day", "week": "week", "month": "month", "year": "year"}

// Timeline asks how much attention a query got over time.
type Timeline struct {
	Query    string
	Interval string // day, week, month (default) or year
	Sites    []string
	From, To time.Time
}

// Period is one period of a timeline: the articles that match, all the
// articles of the period, and their ratio, the share of the paper's output
// the subject had (Media Cloud's normalized attention).
type Period struct {
	Period   string  `json:"period"` // 2024-11, 2024-W47, 2024-11-19 or 2024
	Matching int     `json:"matching"`
	Total    int     `json:"total"`
	Ratio    float64 `json:"ratio"`
}

// Timeline returns the periods from the first to the last that has an
// article, with no gaps: a period without articles has a zero total.
func (ix *Index) Timeline(ctx context.Context, t *Timeline) ([]Period, error) {
	if t.Interval == "" {
		t.Interval = "month"
	}
	field, ok := intervals[t.Interval]
	if !ok {
		return nil, badQuery("unknown interval %q (day, week, month or year)", t.Interval)
	}
	user, err := ix.parser().Parse(t.Query)
	if err != nil {
		return nil, err
	}
	filters := siteDateFilters(t.Sites, t.From, t.To)
	// Both counts read one snapshot, with folded terms (foldterms.go).
	r, release, err := ix.reader()
	if err != nil {
		return nil, fmt.Errorf("index: timeline: %w", err)
	}
	defer release()
	r = ix.withFolds(r)
	counts := func(q query.Query) (map[string]int, error) {
		m, err := ix.periodCounts(ctx, r, q, field)
		if err != nil {
			return nil, fmt.Errorf("index: timeline: %w", err)
		}
		return m, nil
	}
	all, err := counts(restrict(query.NewMatchAllQuery(), filters))
	if err != nil {
		return nil, err
	}
	match, err := counts(restrict(user, filters))
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return []Period{}, nil
	}
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out []Period
	for _, p := range periods(t.Interval, keys[0], keys[len(keys)-1]) {
		r := Period{Period: p, Matching: match[p], Total: all[p]}
		if r.Total > 0 {
			r.Ratio = float64(r.Matching) / float64(r.Total)
		}
		out = append(out, r)
	}
	return out, nil
}

// periodCounts counts the matches of q by their term of a keyword field
// (the period of their publication).
func (ix *Index) periodCounts(ctx context.Context, r bindex.IndexReader, q query.Query, field string) (map[string]int, error) {
	s, err := q.Searcher(ctx, r, ix.mapping, search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	dv, err := r.DocValueReader([]string{field})
	if err != nil {
		return nil, err
	}
	m := map[string]int{}
	visit := func(_ string, term []byte) { m[string(term)]++ }
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0), IndexReader: r}
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		d, err := s.Next(sctx)
		if err != nil {
			return nil, err
		}
		if d == nil {
			return m, nil
		}
		if err := dv.VisitDocValues(d.IndexInternalID, visit); err != nil {
			return nil, err
		}
		sctx.DocumentMatchPool.Put(d)
	}
}

// periods lists every period from first to last.
func periods(interval, first, last string) []string {
	var start time.Time
	var step func(time.Time) time.Time
	var name func(time.Time) string
	switch interval {
	case "day":
		start, _ = time.ParseInLocation(time.DateOnly, first, extract.Vietnam)
		step = func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }
		name = func(t time.Time) string { return t.Format(time.DateOnly) }
	case "month":
		start, _ = time.ParseInLocation("2006-01", first, extract.Vietnam)
		step = func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }
		name = func(t time.Time) string { return t.Format("2006-01") }
	case "year":
		start, _ = time.ParseInLocation("2006", first, extract.Vietnam)
		step = func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }
		name = func(t time.Time) string { return t.Format("2006") }
	case "week":
		start = weekStart(first)
		step = func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }
		name = func(t time.Time) string {
			y, w := t.ISOWeek()
			return strconv.Itoa(y) + "-W" + twoDigits(w)
		}
	}
	var out []string
	for t := start; len(out) < 100000; t = step(t) {
		p := name(t)
		out = append(out, p)
		if p >= last {
			break
		}
	}
	return out
}

// weekStart returns the Monday of an ISO week "2024-W47".
func weekStart(s string) time.Time {
	var y, w int
	if _, err := fmt.Sscanf(s, "%d-W%d", &y, &w); err != nil {
		return time.Time{}
	}
	// January 4th is always in week 1.
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, extract.Vietnam)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	return monday.AddDate(0, 0, 7*(w-1))
}
