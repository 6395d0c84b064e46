package index

import (
	"fmt"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/baotinh/baotinh/extract"
	"github.com/baotinh/baotinh/index/analysis/analyzer/vietnamese"
	"github.com/baotinh/baotinh/index/analysis/tokenfilter/fold"
)

// QueryError is a query the index cannot run: bad syntax, an unknown field,
// a range on a field without order. Its message is for the researcher who
// typed the query.
type QueryError struct{ Msg string }

func (e *QueryError) Error() string { return "index: bad query: " + e.Msg }

func badQuery(format string, args ...any) error {
	return &QueryError{Msg: fmt.Sprintf(format, args...)}
}

// exactBoost weights a term matched exactly as typed (an unaccented word
// found unaccented) above the same word matched through folding. It is
// large enough to outweigh the title's weight (a folded match in a title
// must not beat a word as typed in the body: testdata/search/cases.json).
const exactBoost = 8

// queryParser turns Bleve query-string syntax into a query on the index's
// fields with Vietnamese matching: a word typed with diacritics matches them
// exactly, a word typed without matches every accented form, exact first.
type queryParser struct {
	exact  analysis.Analyzer
	fields map[string]fieldSpec
}

func (ix *Index) parser() *queryParser {
	// The exact analyzer tokenizes queries: the folding one would add the
	// folded form of an accented word and match too much.
	p := &queryParser{exact: ix.mapping.AnalyzerNamed(vietnamese.Exact), fields: map[string]fieldSpec{}}
	for _, f := range articleFields {
		p.fields[f.name] = f
	}
	return p
}

// Parse parses a query string. An empty query, or "*", matches every
// article.
func (p *queryParser) Parse(s string) (query.Query, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "*" {
		return query.NewMatchAllQuery(), nil
	}
	q, err := query.NewQueryStringQuery(extract.NormalizeString(s)).Parse()
	if err != nil {
		return nil, &QueryError{Msg: strings.TrimPrefix(err.Error(), "parse error: ")}
	}
	return p.rewrite(q)
}

func (p *queryParser) rewrite(q query.Query) (query.Query, error) {
	switch q := q.(type) {
	case *query.BooleanQuery:
		for _, part := range []*query.Query{&q.Must, &q.Should, &q.MustNot, &q.Filter} {
			if *part == nil {
				continue
			}
			r, err := p.rewrite(*part)
			if err != nil {
				return nil, err
			}
			*part = r
		}
		return q, nil
	case *query.ConjunctionQuery:
		for i, c := range q.Conjuncts {
			r, err := p.rewrite(c)
			if err != nil {
				return nil, err
			}
			q.Conjuncts[i] = r
		}
		return q, nil
	case *query.DisjunctionQuery:
		// A bare number in a query string is "the word or the number":
		// the index has no numeric fields, so the word it is.
		if len(q.Disjuncts) == 2 {
			if m, ok := q.Disjuncts[0].(*query.MatchQuery); ok {
				if _, ok := q.Disjuncts[1].(*query.NumericRangeQuery); ok {
					return p.rewrite(m)
				}
			}
		}
		for i, c := range q.Disjuncts {
			r, err := p.rewrite(c)
			if err != nil {
				return nil, err
			}
			q.Disjuncts[i] = r
		}
		return q, nil
	case *query.MatchQuery:
		if q.Fuzziness > 2 {
			return nil, badQuery("%s~%d: fuzziness is 1 or 2 edits", q.Match, q.Fuzziness)
		}
		return p.words(q.Match, q.FieldVal, q.Fuzziness, boostOf(q.BoostVal), false)
	case *query.MatchPhraseQuery:
		return p.words(q.MatchPhrase, q.FieldVal, 0, boostOf(q.BoostVal), true)
	case *query.WildcardQuery:
		return p.pattern(q.Wildcard, q.FieldVal, boostOf(q.BoostVal), func(pat, field string) query.FieldableQuery {
			return query.NewWildcardQuery(pat)
		})
	case *query.RegexpQuery:
		if _, err := syntax.Parse(q.Regexp, syntax.Perl); err != nil {
			return nil, badQuery("/%s/: %v", q.Regexp, err)
		}
		return p.pattern(q.Regexp, q.FieldVal, boostOf(q.BoostVal), func(pat, field string) query.FieldableQuery {
			return query.NewRegexpQuery(pat)
		})
	case *query.NumericRangeQuery:
		f, err := p.field(q.FieldVal)
		if err != nil {
			return nil, err
		}
		if f.name != "year" {
			return nil, badQuery("%s has no numbers: number ranges work on year (year:>=2020); dates on published (published:>=\"2024-01-01\")", q.FieldVal)
		}
		lo, hi := "", ""
		if q.Min != nil {
			lo = strconv.Itoa(int(*q.Min))
		}
		if q.Max != nil {
			hi = strconv.Itoa(int(*q.Max))
		}
		r := query.NewTermRangeInclusiveQuery(lo, hi, q.InclusiveMin, q.InclusiveMax)
		r.SetField("year")
		return r, nil
	case *query.DateRangeQuery:
		f, err := p.field(q.FieldVal)
		if err != nil {
			return nil, err
		}
		if f.kind != datetime {
			return nil, badQuery("%s holds no dates: date ranges work on published (published:>=\"2024-01-01\")", q.FieldVal)
		}
		q.SetField(f.name)
		return q, nil
	}
	return q, nil
}

func boostOf(b *query.Boost) float64 {
	if b == nil {
		return 1
	}
	return b.Value()
}

// field resolves a field name as typed; "" is the default fields.
func (p *queryParser) field(name string) (fieldSpec, error) {
	if alias, ok := fieldAliases[name]; ok {
		name = alias
	}
	f, ok := p.fields[name]
	if !ok || name == "person" || name == "official" {
		return f, badQuery("unknown field %q; fields are %s", name, strings.Join(SearchFields(), ", "))
	}
	return f, nil
}

// SearchFields lists the fields a query may name.
func SearchFields() []string {
	var out []string
	for _, f := range articleFields {
		if f.name != "person" && f.name != "official" {
			out = append(out, f.name)
		}
	}
	for a := range fieldAliases {
		out = append(out, a)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// words matches the words of s in a field (all default fields when field is
// ""): one word as a term, several (a phrase, or "Hà-Tĩnh") as a phrase.
func (p *queryParser) words(s, field string, fuzziness int, boost float64, phrase bool) (query.Query, error) {
	if field == "" {
		var qs []query.Query
		for _, df := range defaultFields {
			q, err := p.words(s, df.name, fuzziness, boost*df.boost, phrase)
			if err != nil {
				return nil, err
			}
			qs = append(qs, q)
		}
		return query.NewDisjunctionQuery(qs), nil
	}
	f, err := p.field(field)
	if err != nil {
		return nil, err
	}
	switch f.kind {
	case keyword_:
		t := query.NewTermQuery(strings.TrimSpace(s))
		t.SetField(f.name)
		t.SetBoost(boost)
		return t, nil
	case datetime:
		return nil, badQuery("%s is a date: write a range, %s:>=\"2024-01-01\" %s:<\"2024-02-01\"", field, f.name, f.name)
	case boolean:
		t := query.NewBoolFieldQuery(s == "true")
		t.SetField(f.name)
		return t, nil
	}
	terms := p.terms(s)
	switch {
	case len(terms) == 0:
		return query.NewMatchNoneQuery(), nil
	case len(terms) == 1 && !phrase || len(terms) == 1 && fuzziness > 0:
		return termQuery(terms[0], f.name, fuzziness, boost), nil
	}
	return phraseQuery(terms, f.name, boost), nil
}

// terms analyzes text into the exact terms of its syllables.
func (p *queryParser) terms(s string) []string {
	var out []string
	for _, t := range p.exact.Analyze([]byte(s)) {
		out = append(out, string(t.Term))
	}
	return out
}

// termQuery matches one word: exactly when it has diacritics, otherwise in
// any accented form with the unaccented form first.
func termQuery(t, field string, fuzziness int, boost float64) query.Query {
	one := func(term string, b float64) query.Query {
		if fuzziness > 0 {
			q := query.NewFuzzyQuery(term)
			q.SetFuzziness(fuzziness)
			q.SetField(field)
			q.SetBoost(b)
			return q
		}
		q := query.NewTermQuery(term)
		q.SetField(field)
		q.SetBoost(b)
		return q
	}
	if fold.HasDiacritics(t) {
		return one(t, boost)
	}
	if fuzziness == 0 {
		return &foldedTerm{term: t, field: field, boost: boost}
	}
	return query.NewDisjunctionQuery([]query.Query{one(t, boost*exactBoost), one(fold.FoldedPrefix+t, boost)})
}

// phraseQuery matches words in order, each as termQuery would.
func phraseQuery(terms []string, field string, boost float64) query.Query {
	alts := make([][]string, len(terms))
	folded := false
	for i, t := range terms {
		alts[i] = []string{t}
		if !fold.HasDiacritics(t) {
			alts[i] = append(alts[i], fold.FoldedPrefix+t)
			folded = true
		}
	}
	one := make([][]string, len(terms))
	for i, t := range terms {
		one[i] = []string{t}
	}
	if !folded {
		return newPhrase(one, field, boost)
	}
	return &foldedPhrase{exact: newPhrase(one, field, boost*exactBoost), folded: newPhrase(alts, field, boost)}
}

// pattern runs a wildcard or regular expression on the terms of a field:
// typed without diacritics it also runs on the folded terms.
func (p *queryParser) pattern(pat, field string, boost float64, make func(pat, field string) query.FieldableQuery) (query.Query, error) {
	pat = strings.ToLower(pat)
	fields := []string{field}
	if field == "" {
		fields = fields[:0]
		for _, df := range defaultFields {
			fields = append(fields, df.name)
		}
	}
	var qs []query.Query
	for _, name := range fields {
		f, err := p.field(name)
		if err != nil {
			return nil, err
		}
		add := func(pt string) {
			q := make(pt, f.name)
			q.SetField(f.name)
			if b, ok := q.(query.BoostableQuery); ok {
				b.SetBoost(boost)
			}
			qs = append(qs, q)
		}
		add(pat)
		if f.kind == text && !fold.HasDiacritics(pat) {
			add(fold.FoldedPrefix + pat)
		}
	}
	if len(qs) == 1 {
		return qs[0], nil
	}
	return query.NewDisjunctionQuery(qs), nil
}
