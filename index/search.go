package index

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/baotinh/baotinh/extract"
	"github.com/baotinh/baotinh/index/analysis/tokenfilter/fold"
	"github.com/baotinh/baotinh/index/analysis/tokenizer/syllable"
)

// Search is a search of the articles.
type Search struct {
	Query  string    // Bleve query-string syntax; "" matches every article
	Sites  []string  // only these sites
	From   time.Time // published at or after
	To     time.Time // published before
	Person string    // a person the article names (phrase, folding as in Query)
	Title  string    // an official title the article gives
	Place  string    // a place the article names
	Limit  int       // hits per page: 1..MaxLimit, 0 for 10
	After  string    // the Next token of the previous page
	Sort   string    // "relevance" (default), "newest" or "oldest"
	Facets int       // terms per facet (site, year, person, title); 0 for none
}

// MaxLimit is the most hits one page holds.
const MaxLimit = 1000

// Result is one page of a search.
type Result struct {
	Total  uint64             `json:"total"` // articles that match
	Hits   []Hit              `json:"hits"`
	Next   string             `json:"next"` // token of the next page; "" on the last
	Facets map[string][]Facet `json:"facets,omitempty"`
	Took   time.Duration      `json:"-"`
}

// Hit is an article that matches.
type Hit struct {
	ID         string         `json:"id"`
	Site       string         `json:"site"`
	URL        string         `json:"url"`
	Title      string         `json:"title"`
	Published  string         `json:"published"`
	Score      float64        `json:"score"`
	TitleMarks []extract.Span `json:"title_marks"` // matched words in Title
	Snippets   []Snippet      `json:"snippets"`
}

// Snippet is a passage of an article's text around words that match.
type Snippet struct {
	Field string         `json:"field"` // lead, body or captions
	Text  string         `json:"text"`
	Start int            `json:"start"` // byte offset of Text in the article's text
	Marks []extract.Span `json:"marks"` // matched words, byte offsets into Text
}

// Facet is a value of a facet and the number of matching articles that have
// it.
type Facet struct {
	Term  string `json:"term"`
	Count int    `json:"count"`
}

// facetFields maps a facet's name to its field.
var facetFields = []struct{ name, field string }{
	{"site", "site"}, {"year", "year"}, {"person", "person"}, {"title", "official"},
}

// siteDateFilters returns the filters on sites and publication time.
func siteDateFilters(sites []string, from, to time.Time) []query.Query {
	var qs []query.Query
	if len(sites) > 0 {
		var ss []query.Query
		for _, s := range sites {
			q := query.NewTermQuery(s)
			q.SetField("site")
			ss = append(ss, q)
		}
		qs = append(qs, query.NewDisjunctionQuery(ss))
	}
	if !from.IsZero() || !to.IsZero() {
		yes, no := true, false
		q := query.NewDateRangeInclusiveQuery(from, to, &yes, &no)
		q.SetField("published")
		qs = append(qs, q)
	}
	return qs
}

func (ix *Index) searchQuery(s *Search) (query.Query, error) {
	p := ix.parser()
	user, err := p.Parse(s.Query)
	if err != nil {
		return nil, err
	}
	filters := siteDateFilters(s.Sites, s.From, s.To)
	for _, f := range []struct{ field, value string }{{"people", s.Person}, {"titles", s.Title}, {"places", s.Place}} {
		if strings.TrimSpace(f.value) == "" {
			continue
		}
		q, err := p.words(extract.NormalizeString(f.value), f.field, 0, 1, true)
		if err != nil {
			return nil, err
		}
		filters = append(filters, q)
	}
	return restrict(user, filters), nil
}

// cursor is what a Next token holds: the sort values of the last hit and a
// digest of the search it belongs to.
type cursor struct {
	After []string `json:"a"`
	Of    string   `json:"q"`
}

func (s *Search) digest() string {
	k := struct {
		Q, Person, Title, Place, Sort string
		Sites                         []string
		From, To                      time.Time
	}{s.Query, s.Person, s.Title, s.Place, s.Sort, s.Sites, s.From, s.To}
	b, _ := json.Marshal(k)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6])
}

func sortOrder(name string) (order, error) {
	switch name {
	case "", "relevance":
		return byScore, nil
	case "newest":
		return byNewest, nil
	case "oldest":
		return byOldest, nil
	}
	return 0, badQuery("unknown sort %q (relevance, newest or oldest)", name)
}

// Search runs a search and returns one page of hits with snippets.
func (ix *Index) Search(ctx context.Context, s *Search) (*Result, error) {
	start := time.Now()
	limit := s.Limit
	if limit == 0 {
		limit = 10
	}
	if limit < 0 || limit > MaxLimit {
		return nil, badQuery("limit %d is out of range 1..%d", limit, MaxLimit)
	}
	q, err := ix.searchQuery(s)
	if err != nil {
		return nil, err
	}
	ord, err := sortOrder(s.Sort)
	if err != nil {
		return nil, err
	}
	var after *candidate
	if s.After != "" {
		c, err := decodeCursor(s.After)
		if err == nil && c.Of == s.digest() {
			after, err = afterCandidate(ord, c.After)
		}
		if err != nil || c.Of != s.digest() {
			return nil, badQuery("the --after token is not one of this search's pages (run the same query, filters and sort)")
		}
	}
	r, release, err := ix.reader()
	if err != nil {
		return nil, fmt.Errorf("index: search: %w", err)
	}
	defer release()
	r = ix.withFolds(r)
	// Both searches read the same snapshot.
	res, err := ix.find(ctx, r, q, ord, limit+1, after, s.Facets)
	if err != nil {
		return nil, fmt.Errorf("index: search: %w", err)
	}
	out := &Result{Total: res.total, Hits: []Hit{}}
	hits := res.hits
	more := len(hits) > limit
	if more {
		hits = hits[:limit]
	}
	var page map[string]*search.DocumentMatch
	if len(hits) > 0 {
		ids := make([]string, len(hits))
		for i, h := range hits {
			ids[i] = h.id
		}
		if page = res.page; page == nil {
			page, err = ix.pageHits(ctx, r, q, ids)
		}
		if err != nil {
			return nil, fmt.Errorf("index: search: %w", err)
		}
	}
	for _, h := range hits {
		m := page[h.id]
		if m == nil {
			m = &search.DocumentMatch{ID: h.id, Score: h.score}
		}
		hit, err := ix.hit(m)
		if err != nil {
			return nil, err
		}
		out.Hits = append(out.Hits, hit)
	}
	if more {
		out.Next = encodeCursor(cursor{After: cursorValues(ord, hits[len(hits)-1]), Of: s.digest()})
	}
	if s.Facets > 0 {
		out.Facets = res.facets
	}
	out.Took = time.Since(start)
	return out, nil
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return c, err
	}
	return c, json.Unmarshal(b, &c)
}

// hit makes a Hit of a Bleve match: the stored article and its snippets.
func (ix *Index) hit(h *search.DocumentMatch) (Hit, error) {
	a, err := ix.article(h.ID, false)
	if err == nil && a == nil {
		// A batch is searchable as soon as the search index takes it, and
		// the store commits it after: a search in between meets a new
		// article the store does not give yet. Once its batch is committed
		// it does.
		ix.awaitStore(h.ID)
		a, err = ix.article(h.ID, false)
	}
	if err != nil {
		return Hit{}, err
	}
	if a == nil {
		return Hit{}, fmt.Errorf("index: %s is in the search index but not in the store (run `baotinh reindex`)", h.ID)
	}
	hit := Hit{ID: a.ID, Site: a.Site, URL: a.URL, Title: a.Title, Published: a.Published, Score: h.Score,
		TitleMarks: []extract.Span{}, Snippets: []Snippet{}}
	var marks []extract.Span // absolute, in a.Text
	for field, terms := range h.Locations {
		var kind extract.BlockKind
		switch field {
		case "title":
			ix.markSpans(field, []string{a.Title}, terms, func(_ int, m extract.Span) {
				hit.TitleMarks = append(hit.TitleMarks, m)
			})
			continue
		case "lead":
			kind = extract.BlockLead
		case "body":
			kind = extract.BlockParagraph
		case "captions":
			kind = extract.BlockCaption
		default:
			continue
		}
		texts, spans := a.blockTexts(kind)
		ix.markSpans(field, texts, terms, func(v int, m extract.Span) {
			b := spans[v]
			if m := (extract.Span{b[0] + m[0], b[0] + m[1]}); m[1] <= b[1] {
				marks = append(marks, m)
			}
		})
	}
	hit.TitleMarks = uniqueSorted(hit.TitleMarks)
	hit.Snippets = snippets(a, uniqueSorted(marks), 2)
	return hit, nil
}

// markSpans calls fn with the byte span in its value of each location of a
// match in a text field, and the value's index: the array position of the
// location (a value of a list, a block of the article), or 0 for a field of
// one value. The index keeps the positions of a field's words, not their
// byte offsets (textField.Analyze), so each value that has a match is
// analyzed again, once and up to its last matched position, for the spans
// of its words by position (positions count from 1 in each value; a folded
// term has the position and the span of its word). A location that does
// not fit its value (a store that differs from the search index) is left
// out.
func (ix *Index) markSpans(field string, values []string, terms search.TermLocationMap, fn func(value int, m extract.Span)) {
	analyzer := ix.docs.analyzers[field]
	if analyzer == nil {
		return
	}
	value := func(l *search.Location) (int, bool) {
		switch len(l.ArrayPositions) {
		case 0:
			return 0, len(values) > 0
		case 1:
			return int(l.ArrayPositions[0]), l.ArrayPositions[0] < uint64(len(values))
		}
		return 0, false
	}
	last := make([]uint64, len(values)) // the last position matched in each value
	for _, locs := range terms {
		for _, l := range locs {
			if v, ok := value(l); ok {
				last[v] = max(last[v], l.Pos)
			}
		}
	}
	at := make([][]extract.Span, len(values))
	for v, n := range last {
		if n > 0 {
			at[v] = positionSpans(analyzer, values[v], n)
		}
	}
	for _, locs := range terms {
		for _, l := range locs {
			if v, ok := value(l); ok && l.Pos < uint64(len(at[v])) && at[v][l.Pos] != (extract.Span{}) {
				fn(v, at[v][l.Pos])
			}
		}
	}
}

// positionSpans returns the spans of the words of a text, up to position
// last, by position, as an analyzer makes them; a position of no word has
// the zero span. With the Vietnamese analyzers, whose fold filter only adds
// tokens at the position and span of others, the syllable tokenizer's
// offsets alone give them, without making terms (a third of a search's
// time for a common word when the whole analyzer ran);
// TestPositionSpans checks that both ways agree.
func positionSpans(a analysis.Analyzer, text string, last uint64) []extract.Span {
	if spansByTokenizer(a) {
		at := make([]extract.Span, 1, min(last+1, uint64(len(text))/2+2))
		syllable.Offsets([]byte(text), func(start, end int) bool {
			at = append(at, extract.Span{start, end})
			return uint64(len(at)) <= last
		})
		return at
	}
	toks := a.Analyze([]byte(text))
	n := 0
	for _, t := range toks {
		if uint64(t.Position) <= last {
			n = max(n, t.Position)
		}
	}
	at := make([]extract.Span, n+1)
	for _, t := range toks {
		if t.Position > 0 && t.Position <= n && t.End > t.Start {
			at[t.Position] = extract.Span{t.Start, t.End}
		}
	}
	return at
}

// spansByTokenizer reports whether the syllable tokenizer's offsets are the
// spans of the words an analyzer makes, by position: it is that tokenizer,
// with no character filter and no token filter but folding.
func spansByTokenizer(a analysis.Analyzer) bool {
	d, ok := a.(*analysis.DefaultAnalyzer)
	if !ok || len(d.CharFilters) > 0 {
		return false
	}
	if _, ok := d.Tokenizer.(*syllable.Tokenizer); !ok {
		return false
	}
	for _, f := range d.TokenFilters {
		if _, ok := f.(*fold.Filter); !ok {
			return false
		}
	}
	return true
}

func uniqueSorted(s []extract.Span) []extract.Span {
	slices.SortFunc(s, func(a, b extract.Span) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	s = slices.Compact(s)
	if s == nil {
		s = []extract.Span{}
	}
	return s
}

// snippetBytes is about the length of a snippet.
const snippetBytes = 260

// snippets picks up to n passages of the article's text, each inside one
// block, that hold the most matched words, in reading order.
func snippets(a *Article, marks []extract.Span, n int) []Snippet {
	type window struct {
		block      extract.Block
		start, end int
		marks      []extract.Span
		distinct   int
	}
	var cands []window
	for _, b := range a.Blocks {
		if b.Kind != extract.BlockLead && b.Kind != extract.BlockParagraph && b.Kind != extract.BlockCaption {
			continue
		}
		var in []extract.Span
		for _, m := range marks {
			if m[0] >= b.Span[0] && m[1] <= b.Span[1] {
				in = append(in, m)
			}
		}
		// A window starting at each mark of the block.
		for i := 0; i < len(in); i++ {
			start, end := windowAround(a.Text, b.Span, in[i][0], snippetBytes)
			var wm []extract.Span
			seen := map[string]bool{}
			for _, m := range in {
				if m[0] >= start && m[1] <= end {
					wm = append(wm, m)
					seen[strings.ToLower(a.Text[m[0]:m[1]])] = true
				}
			}
			cands = append(cands, window{block: b, start: start, end: end, marks: wm, distinct: len(seen)})
		}
	}
	slices.SortStableFunc(cands, func(x, y window) int {
		return cmp.Or(cmp.Compare(y.distinct, x.distinct), cmp.Compare(len(y.marks), len(x.marks)), cmp.Compare(x.start, y.start))
	})
	var chosen []window
	for _, c := range cands {
		if len(chosen) == n {
			break
		}
		overlap := false
		for _, o := range chosen {
			if c.start < o.end && o.start < c.end {
				overlap = true
			}
		}
		if !overlap {
			chosen = append(chosen, c)
		}
	}
	slices.SortFunc(chosen, func(x, y window) int { return cmp.Compare(x.start, y.start) })
	out := []Snippet{}
	for _, c := range chosen {
		s := Snippet{Field: fieldOfBlock(c.block.Kind), Text: a.Text[c.start:c.end], Start: c.start, Marks: []extract.Span{}}
		for _, m := range c.marks {
			s.Marks = append(s.Marks, extract.Span{m[0] - c.start, m[1] - c.start})
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		// Nothing matched in the text (a filter-only search, or a match in
		// the title or a facet field): the lead, or the first paragraph.
		for _, b := range a.Blocks {
			if b.Kind == extract.BlockLead || b.Kind == extract.BlockParagraph {
				start, end := windowAround(a.Text, b.Span, b.Span[0], snippetBytes)
				out = append(out, Snippet{Field: fieldOfBlock(b.Kind), Text: a.Text[start:end], Start: start, Marks: []extract.Span{}})
				break
			}
		}
	}
	return out
}

func fieldOfBlock(k extract.BlockKind) string {
	switch k {
	case extract.BlockLead:
		return "lead"
	case extract.BlockCaption:
		return "captions"
	}
	return "body"
}

// windowAround returns about size bytes of the block around offset at,
// starting a little before it, cut at spaces and never inside a rune.
func windowAround(text string, block extract.Span, at, size int) (int, int) {
	start := max(block[0], at-size/4)
	end := min(block[1], start+size)
	if end-start < size {
		start = max(block[0], end-size)
	}
	if start > block[0] {
		if i := strings.IndexByte(text[start:at], ' '); i >= 0 {
			start += i + 1
		}
		// Not from a dash or a comma: from the word after it.
		for start < at {
			r, size := utf8.DecodeRuneInString(text[start:])
			if !strings.ContainsRune("-–—,;:.) ", r) {
				break
			}
			start += size
		}
	}
	if end < block[1] {
		if i := strings.LastIndexByte(text[at:end], ' '); i > 0 {
			end = at + i
		}
	}
	for start < end && !utf8.RuneStart(text[start]) {
		start++
	}
	for end > start && end < len(text) && !utf8.RuneStart(text[end]) {
		end--
	}
	return start, end
}
