package index

import (
	"context"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// phrase matches words in order in one field, each word one of its
// alternatives (a word typed without diacritics: it and its folded form).
// It matches, scores and locates what Bleve's multi-phrase query does: the
// documents with the words at consecutive positions of one value of the
// field, scored as the conjunction of the words, with the positions of the
// words that make up a phrase. It checks the positions on the flat list the
// conjunction of the words reads, where Bleve's phrase searcher builds a
// map of every word's positions for every candidate document. In the
// page's second search (pageIDs in the context) the conjunction also holds
// the page's documents, so that it does not look for the next match past
// each of them.
type phrase struct {
	terms [][]string
	field string
	boost float64
}

func newPhrase(terms [][]string, field string, boost float64) *phrase {
	return &phrase{terms: terms, field: field, boost: boost}
}

func (p *phrase) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	if opts.Explain {
		return searcher.NewMultiPhraseSearcher(ctx, r, p.terms, 0, false, p.field, p.boost, opts)
	}
	if _, page := ctx.Value(pageIDs{}).([]string); !page && !opts.IncludeTermVectors && fastPhrases {
		return newPhraseScan(ctx, r, p, nil, opts)
	}
	locate := opts.IncludeTermVectors
	// The conjunction Bleve's phrase searcher is built on.
	opts.IncludeTermVectors = true
	var parts []search.Searcher
	if ids, ok := ctx.Value(pageIDs{}).([]string); ok {
		ds, err := searcher.NewDocIDSearcher(ctx, r, ids, 0, search.SearcherOptions{Score: "none"})
		if err != nil {
			return nil, err
		}
		parts = append(parts, &constantSearcher{Searcher: ds})
	}
	closeAll := func() {
		for _, s := range parts {
			s.Close()
		}
	}
	for _, alts := range p.terms {
		if len(alts) == 1 {
			ts, err := searcher.NewTermSearcher(ctx, r, alts[0], p.field, p.boost, opts)
			if err != nil {
				closeAll()
				return nil, err
			}
			parts = append(parts, ts)
			continue
		}
		var ts []search.Searcher
		for _, t := range alts {
			s, err := searcher.NewTermSearcher(ctx, r, t, p.field, p.boost, opts)
			if err != nil {
				closeAll()
				for _, s := range ts {
					s.Close()
				}
				return nil, err
			}
			ts = append(ts, s)
		}
		d, err := searcher.NewDisjunctionSearcher(ctx, r, ts, 1, opts)
		if err != nil {
			closeAll()
			return nil, err
		}
		parts = append(parts, d)
	}
	must, err := searcher.NewConjunctionSearcher(ctx, r, parts, opts)
	if err != nil {
		closeAll()
		return nil, err
	}
	must.SetQueryNorm(1 / math.Sqrt(must.Weight()))
	at := map[string][]int{}
	for i, alts := range p.terms {
		for _, t := range alts {
			at[t] = append(at[t], i)
		}
	}
	return &phraseSearcher{must: must, n: len(p.terms), at: at, starts: make([][]uint64, len(p.terms)), scratch: make([]int, len(p.terms)), locate: locate}, nil
}

// pageIDs is the context key of the ids of the page's documents.
type pageIDs struct{}

// phraseSearcher is phrase where the positions of its words are kept (the
// page's second search); phraseScan where only matches and scores matter.
type phraseSearcher struct {
	must    search.Searcher
	n       int              // words
	at      map[string][]int // term -> the word positions it may fill
	starts  [][]uint64       // per word: where a phrase would start, as keys
	scratch []int            // of startsMeet
	locate  bool             // keep the locations of the phrases' words
}

// key is where a phrase would start for a location of its i-th word: the
// value's array position and the position of the first word; ok is false
// when the location cannot be the i-th word or does not fit a key.
func key(l *search.FieldTermLocation, i int) (k uint64, ok, fits bool) {
	var ap uint64
	switch len(l.Location.ArrayPositions) {
	case 0:
	case 1:
		ap = l.Location.ArrayPositions[0] + 1
	default:
		return 0, false, false
	}
	if l.Location.Pos <= uint64(i) {
		return 0, false, true // positions count from 1
	}
	start := l.Location.Pos - uint64(i)
	if start >= 1<<32 || ap >= 1<<31 {
		return 0, false, false
	}
	return ap<<32 | start, true, true
}

// everyWord reports whether a phrase starting at k has all its words.
func (s *phraseSearcher) everyWord(k uint64) bool {
	for i := 0; i < s.n; i++ {
		if _, ok := slices.BinarySearch(s.starts[i], k); !ok {
			return false
		}
	}
	return true
}

// phraseAt reports whether the document has the words in order, each
// word's terms as at gives them, leaving in starts where phrases would
// start; slow is set when it had to check on slowMatches (and starts are
// not set).
func (s *phraseSearcher) phraseAt(d *search.DocumentMatch, at map[string][]int) (found, slow bool) {
	for i := range s.starts {
		s.starts[i] = s.starts[i][:0]
	}
	// The locations of a term usually come one after another.
	var term string
	var words []int
	for j := range d.FieldTermLocations {
		l := &d.FieldTermLocations[j]
		if j == 0 || l.Term != term {
			term, words = l.Term, at[l.Term]
		}
		for _, i := range words {
			k, ok, fits := key(l, i)
			if !fits {
				return s.slowMatches(d, at), true
			}
			if ok {
				s.starts[i] = append(s.starts[i], k)
			}
		}
	}
	return startsMeet(s.starts, s.scratch), false
}

// startsMeet reports whether a start is in every list of starts (sorting
// the lists first where they are not): the lists walked together. next is
// scratch of the lists' number.
func startsMeet(starts [][]uint64, next []int) bool {
	for i := range starts {
		if !slices.IsSorted(starts[i]) {
			slices.Sort(starts[i])
		}
		next[i] = 0
	}
	for _, k := range starts[0] {
		all := true
		for i := 1; i < len(starts) && all; i++ {
			list, p := starts[i], next[i]
			for p < len(list) && list[p] < k {
				p++
			}
			next[i] = p
			if p == len(list) {
				return false
			}
			all = list[p] == k
		}
		if all {
			return true
		}
	}
	return false
}

// matches reports whether the document has the words in order.
func (s *phraseSearcher) matches(d *search.DocumentMatch) bool {
	found, slow := s.phraseAt(d, s.at)
	if slow || !found || !s.locate {
		return found
	}
	// The locations of the words of every phrase found.
	keep := d.FieldTermLocations[:0]
	for _, l := range d.FieldTermLocations {
		for _, i := range s.at[l.Term] {
			if k, ok, _ := key(&l, i); ok && s.everyWord(k) {
				keep = append(keep, l)
				break
			}
		}
	}
	d.FieldTermLocations = keep
	return true
}

// slowMatches checks positions of values with several array positions
// (which baotinh's documents do not have); it locates every word of the
// phrase.
func (s *phraseSearcher) slowMatches(d *search.DocumentMatch, at map[string][]int) bool {
	for k := range d.FieldTermLocations {
		first := &d.FieldTermLocations[k]
		if !slices.Contains(at[first.Term], 0) {
			continue
		}
		ok := true
		for i := 1; i < s.n && ok; i++ {
			ok = false
			for j := range d.FieldTermLocations {
				l := &d.FieldTermLocations[j]
				if l.Location.Pos == first.Location.Pos+uint64(i) && slices.Contains(at[l.Term], i) &&
					slices.Equal(l.Location.ArrayPositions, first.Location.ArrayPositions) {
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

func (s *phraseSearcher) next(ctx *search.SearchContext, d *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
	for d != nil && err == nil {
		if s.matches(d) {
			if !s.locate {
				d.FieldTermLocations = d.FieldTermLocations[:0]
			}
			return d, nil
		}
		ctx.DocumentMatchPool.Put(d)
		d, err = s.must.Next(ctx)
	}
	return nil, err
}

func (s *phraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	d, err := s.must.Next(ctx)
	return s.next(ctx, d, err)
}

func (s *phraseSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := s.must.Advance(ctx, id)
	return s.next(ctx, d, err)
}

func (s *phraseSearcher) Close() error               { return s.must.Close() }
func (s *phraseSearcher) Weight() float64            { return s.must.Weight() }
func (s *phraseSearcher) SetQueryNorm(n float64)     { s.must.SetQueryNorm(n) }
func (s *phraseSearcher) Count() uint64              { return s.must.Count() }
func (s *phraseSearcher) Min() int                   { return 0 }
func (s *phraseSearcher) Size() int                  { return s.must.Size() }
func (s *phraseSearcher) DocumentMatchPoolSize() int { return s.must.DocumentMatchPoolSize() + 1 }

// foldedPhrase is a phrase with words typed without diacritics: the phrase
// as typed (exact, boosted) or with every accented form of those words
// (folded), as Bleve's disjunction of the two phrases matches and scores
// it. A document with the exact phrase has the folded one too, so the
// folded phrase alone finds the documents (phraseScan), and the exact one
// is checked on the same positions and scored with the same postings.
// Where positions are kept (the page's second search) or scores explained,
// it is the disjunction itself.
type foldedPhrase struct {
	exact, folded *phrase
}

// fastPhrases is false in tests that compare phraseScan and foldedPhrase's
// fast path with Bleve's searchers.
var fastPhrases = true

func (p *foldedPhrase) disjunction() query.Query {
	return query.NewDisjunctionQuery([]query.Query{p.exact, p.folded})
}

func (p *foldedPhrase) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	if _, page := ctx.Value(pageIDs{}).([]string); page || opts.Explain || opts.IncludeTermVectors || !fastPhrases {
		return p.disjunction().Searcher(ctx, r, m, opts)
	}
	return newPhraseScan(ctx, r, p.folded, p.exact, opts)
}
