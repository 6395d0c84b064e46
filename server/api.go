package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/baotinh/baotinh/crawler"
	"github.com/baotinh/baotinh/index"
)

// paramError is a request the server will not answer as asked: a bad
// parameter (400) or one too long (413).
type paramError struct {
	status int
	msg    string
}

func (e *paramError) Error() string { return e.msg }

func badParam(format string, args ...any) error {
	return &paramError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// text returns a text parameter: at most MaxQueryBytes of valid UTF-8.
func text(v url.Values, name string) (string, error) {
	s := strings.TrimSpace(v.Get(name))
	if len(s) > MaxQueryBytes {
		return "", &paramError{http.StatusRequestEntityTooLarge, fmt.Sprintf("%s is longer than %d bytes", name, MaxQueryBytes)}
	}
	if !utf8.ValidString(s) {
		return "", badParam("%s is not valid UTF-8", name)
	}
	return s, nil
}

// list returns a parameter given several times or comma-separated.
func list(v url.Values, name string) ([]string, error) {
	var out []string
	for _, val := range v[name] {
		if len(val) > MaxQueryBytes || !utf8.ValidString(val) {
			return nil, badParam("%s is too long or not UTF-8", name)
		}
		for _, p := range strings.Split(val, ",") {
			if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// number returns an integer parameter in min..max, or def when absent.
func number(v url.Values, name string, def, min, max int) (int, error) {
	s := v.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		return 0, badParam("%s must be a whole number from %d to %d, not %q", name, min, max, clip(s))
	}
	return n, nil
}

// flag returns a yes/no parameter: 1, true, on or yes; 0, false, off, no or
// absent.
func flag(v url.Values, name string) (bool, error) {
	switch strings.ToLower(v.Get(name)) {
	case "", "0", "false", "off", "no":
		return false, nil
	case "1", "true", "on", "yes":
		return true, nil
	}
	return false, badParam("%s must be 1 or 0, not %q", name, clip(v.Get(name)))
}

// oneOf returns a parameter that must be one of allowed (the first when
// absent).
func oneOf(v url.Values, name string, allowed ...string) (string, error) {
	s := v.Get(name)
	if s == "" {
		return allowed[0], nil
	}
	if !slices.Contains(allowed, s) {
		return "", badParam("%s must be %s, not %q", name, strings.Join(allowed, ", "), clip(s))
	}
	return s, nil
}

// clip shortens a bad value for an error message.
func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	for i := 40; i > 0; i-- {
		if utf8.RuneStart(s[i]) {
			return s[:i] + "…"
		}
	}
	return ""
}

// days reads from and to (YYYY-MM-DD, both included).
func days(v url.Values) (time.Time, time.Time, error) {
	f, t, err := index.DayRange(v.Get("from"), v.Get("to"))
	if err != nil {
		return f, t, badParam("%v", err)
	}
	return f, t, nil
}

// searchRequest reads a search's parameters, those of `baotinh search`: q,
// site, from, to, person, title, place, limit (1..100), after, sort, facets.
func searchRequest(v url.Values) (*index.Search, error) {
	s := &index.Search{}
	var err error
	if s.Query, err = text(v, "q"); err != nil {
		return nil, err
	}
	for _, p := range []struct {
		name string
		dst  *string
	}{{"person", &s.Person}, {"title", &s.Title}, {"place", &s.Place}, {"after", &s.After}} {
		if *p.dst, err = text(v, p.name); err != nil {
			return nil, err
		}
	}
	if s.Sites, err = list(v, "site"); err != nil {
		return nil, err
	}
	if s.From, s.To, err = days(v); err != nil {
		return nil, err
	}
	if s.Limit, err = number(v, "limit", 10, 1, MaxPageSize); err != nil {
		return nil, err
	}
	if s.Sort, err = oneOf(v, "sort", "relevance", "newest", "oldest"); err != nil {
		return nil, err
	}
	facets, err := flag(v, "facets")
	if err != nil {
		return nil, err
	}
	if facets {
		s.Facets = 10
	}
	return s, nil
}

// officialsRequest reads the parameters of `baotinh officials`: title,
// person, place, site, from, to.
func officialsRequest(v url.Values) (*index.OfficialsFilter, error) {
	f := &index.OfficialsFilter{}
	var err error
	for _, p := range []struct {
		name string
		dst  *string
	}{{"title", &f.Title}, {"person", &f.Person}, {"place", &f.Place}} {
		if *p.dst, err = text(v, p.name); err != nil {
			return nil, err
		}
	}
	if f.Sites, err = list(v, "site"); err != nil {
		return nil, err
	}
	if f.From, f.To, err = days(v); err != nil {
		return nil, err
	}
	return f, nil
}

// timelineRequest reads the parameters of `baotinh timeline`: q, interval,
// site, from, to.
func timelineRequest(v url.Values) (*index.Timeline, error) {
	t := &index.Timeline{}
	var err error
	if t.Query, err = text(v, "q"); err != nil {
		return nil, err
	}
	if t.Interval, err = oneOf(v, "interval", "month", "day", "week", "year"); err != nil {
		return nil, err
	}
	if t.Sites, err = list(v, "site"); err != nil {
		return nil, err
	}
	if t.From, t.To, err = days(v); err != nil {
		return nil, err
	}
	return t, nil
}

// status maps an error to an HTTP status and a message for the user. Bad
// input is never a 500.
func (s *Server) status(r *http.Request, err error) (int, string) {
	var pe *paramError
	var qe *index.QueryError
	switch {
	case errors.As(err, &pe):
		return pe.status, pe.msg
	case errors.As(err, &qe):
		return http.StatusBadRequest, qe.Msg
	case errors.Is(err, errBusy):
		return http.StatusTooManyRequests, err.Error()
	case errors.Is(err, errCrawlRunning):
		return http.StatusConflict, err.Error()
	case errors.Is(err, errNoCrawls), errors.Is(err, errNotStarted):
		return http.StatusServiceUnavailable, err.Error()
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, fmt.Sprintf("the request took longer than the server's limit (%s): narrow it", s.cfg.RequestTimeout)
	case errors.Is(err, context.Canceled):
		return 499, "request cancelled" // the client left: nobody reads it
	}
	s.cfg.Log(fmt.Sprintf("error serving %s %s: %v", r.Method, r.URL.RequestURI(), err))
	return http.StatusInternalServerError, "internal error (the server's log has the details)"
}

// APIError is the body of every API error response.
type APIError struct {
	Error  string `json:"error"`
	Status int    `json:"status"`
}

func writeError(w http.ResponseWriter, status int, msg string) {
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	writeJSON(w, status, APIError{msg, status})
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := s.status(r, err)
	writeError(w, status, msg)
}

// writeJSON writes v as JSON; HTML characters are escaped, as crawled text
// may hold markup.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// SearchResponse is the answer of GET /api/search: the JSON of `baotinh
// search --format json`, with the time taken.
type SearchResponse struct {
	Query string `json:"query"`
	*index.Result
	TookMS float64 `json:"took_ms"`
}

func (s *Server) search(ctx context.Context, q *index.Search) (*index.Result, error) {
	release, err := s.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return s.ix.Search(ctx, q)
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) {
	q, err := searchRequest(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.search(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, SearchResponse{q.Query, res, float64(res.Took.Microseconds()) / 1000})
}

// ArticleResponse is the answer of GET /api/articles/{id}: the article as
// `baotinh export` writes it, with its analysis, and every extracted fact's
// span in the text as a flat list.
type ArticleResponse struct {
	*index.Article
	Marks []Mark `json:"marks"`
}

func (s *Server) apiArticle(w http.ResponseWriter, r *http.Request) {
	a, err := s.article(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if a == nil {
		writeError(w, http.StatusNotFound, "no article "+strconv.Quote(r.PathValue("id"))+" in the index")
		return
	}
	writeJSON(w, http.StatusOK, ArticleResponse{a, marks(a)})
}

func (s *Server) article(r *http.Request) (*index.Article, error) {
	id := r.PathValue("id")
	if len(id) > 300 || !utf8.ValidString(id) {
		return nil, badParam("not an article id")
	}
	return s.ix.Article(id)
}

// officialsOrder sorts the officials table by a column.
var officialsOrder = map[string]func(a, b *index.Official) int{
	"last_seen":  func(a, b *index.Official) int { return strings.Compare(b.LastSeen, a.LastSeen) },
	"first_seen": func(a, b *index.Official) int { return strings.Compare(a.FirstSeen, b.FirstSeen) },
	"articles":   func(a, b *index.Official) int { return b.Articles - a.Articles },
	"name":       func(a, b *index.Official) int { return compareVietnamese(a.Name, b.Name) },
	"title":      func(a, b *index.Official) int { return compareVietnamese(a.Title, b.Title) },
	"place":      func(a, b *index.Official) int { return compareVietnamese(a.Place, b.Place) },
}

// officials returns the table for a request: filtered, sorted by its sort
// parameter (last_seen first by default, as the CLI).
func (s *Server) officials(ctx context.Context, v url.Values) ([]*index.Official, error) {
	f, err := officialsRequest(v)
	if err != nil {
		return nil, err
	}
	by, err := oneOf(v, "sort", "last_seen", "first_seen", "articles", "name", "title", "place")
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("officials\x00%s\x00%s\x00%s\x00%q\x00%s\x00%s\x00%s", f.Title, f.Person, f.Place, f.Sites, f.From, f.To, by)
	cached, err := s.cache.get(key, func() (any, error) {
		release, err := s.acquire(ctx)
		if err != nil {
			return nil, err
		}
		defer release()
		rows, err := s.ix.Officials(ctx, f)
		if err != nil {
			return nil, err
		}
		if by != "last_seen" {
			slices.SortStableFunc(rows, officialsOrder[by])
		}
		return rows, nil
	})
	if err != nil {
		return nil, err
	}
	return cached.([]*index.Official), nil // shared: callers only read it
}

func (s *Server) apiOfficials(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	format, err := oneOf(v, "format", "json", "csv")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mentions, err := flag(v, "mentions")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	offset, err := number(v, "offset", 0, 0, 1<<30)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	limit, err := number(v, "limit", 0, 0, 1<<30)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if mentions {
		ms, err := s.mentions(r.Context(), v)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("X-Total-Count", strconv.Itoa(len(ms)))
		ms = window(ms, offset, limit)
		if format == "csv" {
			writeCSV(w, "mentions.csv", index.MentionColumns, len(ms), func(i int) []string { return ms[i].Row() })
			return
		}
		writeJSON(w, http.StatusOK, ms)
		return
	}
	rows, err := s.officials(r.Context(), v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("X-Total-Count", strconv.Itoa(len(rows)))
	rows = window(rows, offset, limit)
	if format == "csv" {
		writeCSV(w, "officials.csv", index.OfficialColumns, len(rows), func(i int) []string { return rows[i].Row() })
		return
	}
	writeJSON(w, http.StatusOK, rows)
}

func (s *Server) mentions(ctx context.Context, v url.Values) ([]*index.Mention, error) {
	f, err := officialsRequest(v)
	if err != nil {
		return nil, err
	}
	release, err := s.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	ms, err := s.ix.Mentions(ctx, f)
	if ms == nil {
		ms = []*index.Mention{}
	}
	return ms, err
}

// window returns rows[offset:offset+limit] (limit 0: to the end), never nil.
func window[T any](rows []T, offset, limit int) []T {
	if offset > len(rows) {
		offset = len(rows)
	}
	rows = rows[offset:]
	if limit > 0 && limit < len(rows) {
		rows = rows[:limit]
	}
	if rows == nil {
		rows = []T{}
	}
	return rows
}

// TimelineResponse is the answer of GET /api/timeline: the JSON of `baotinh
// timeline --format json`.
type TimelineResponse struct {
	Query    string         `json:"query"`
	Interval string         `json:"interval"`
	Periods  []index.Period `json:"periods"`
}

func (s *Server) timeline(ctx context.Context, t *index.Timeline) ([]index.Period, error) {
	release, err := s.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	ps, err := s.ix.Timeline(ctx, t)
	if ps == nil {
		ps = []index.Period{}
	}
	return ps, err
}

func (s *Server) apiTimeline(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	format, err := oneOf(v, "format", "json", "csv")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := timelineRequest(v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ps, err := s.timeline(r.Context(), t)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if format == "csv" {
		writeCSV(w, "timeline.csv", []string{"period", "matching", "total", "ratio"}, len(ps), func(i int) []string {
			p := ps[i]
			return []string{p.Period, strconv.Itoa(p.Matching), strconv.Itoa(p.Total), strconv.FormatFloat(p.Ratio, 'f', 6, 64)}
		})
		return
	}
	writeJSON(w, http.StatusOK, TimelineResponse{t.Query, t.Interval, ps})
}

// StatsResponse is the answer of GET /api/stats: what `baotinh stats
// --format json` reports.
type StatsResponse struct {
	Index        *index.Stats            `json:"index"`
	ArchiveBytes int64                   `json:"archive_bytes"`
	ArchiveFiles int                     `json:"archive_files"`
	LastCrawl    map[string]*crawler.Run `json:"last_crawl"`
	CrawlRunning bool                    `json:"crawl_running"`
}

// indexStats returns what the index holds, cached until the index changes:
// the pages that need only its sites and counts read it without the
// archive's and the crawl state's I/O of stats.
func (s *Server) indexStats(ctx context.Context) (*index.Stats, error) {
	v, err := s.cache.get("stats", func() (any, error) {
		release, err := s.acquire(ctx)
		if err != nil {
			return nil, err
		}
		defer release()
		return s.ix.Stats(ctx)
	})
	if err != nil {
		return nil, err
	}
	return v.(*index.Stats), nil
}

func (s *Server) stats(ctx context.Context) (*StatsResponse, error) {
	st, err := s.indexStats(ctx)
	if err != nil {
		return nil, err
	}
	out := &StatsResponse{Index: st, LastCrawl: map[string]*crawler.Run{}}
	out.ArchiveBytes, _ = index.DirSize(crawler.WARCDir(s.cfg.DataDir))
	if files, err := os.ReadDir(crawler.WARCDir(s.cfg.DataDir)); err == nil {
		out.ArchiveFiles = len(files)
	}
	runs, err := s.crawlRuns()
	out.CrawlRunning = errors.Is(err, crawler.ErrStateBusy)
	for _, r := range runs {
		for _, site := range r.Sites {
			if prev := out.LastCrawl[site]; prev == nil || r.Started.After(prev.Started) {
				out.LastCrawl[site] = r
			}
		}
	}
	return out, nil
}

// crawlRuns reads the crawl state's runs; while a crawl holds the state it
// returns crawler.ErrStateBusy.
func (s *Server) crawlRuns() ([]*crawler.Run, error) {
	path := crawler.StatePath(s.cfg.DataDir)
	if _, err := os.Stat(path); err != nil {
		return nil, nil
	}
	st, err := crawler.OpenStateReadOnly(path)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return st.Runs()
}

func (s *Server) apiStats(w http.ResponseWriter, r *http.Request) {
	st, err := s.stats(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

func (s *Server) apiCrawls(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.crawls.status())
}

// apiStartCrawl starts a crawl now: an admin action, with the token in
// "Authorization: Bearer TOKEN".
func (s *Server) apiStartCrawl(w http.ResponseWriter, r *http.Request) {
	if s.cfg.AdminToken == "" {
		writeError(w, http.StatusForbidden, "admin actions are off: start the server with --admin-token")
		return
	}
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || !s.authorized(strings.TrimSpace(token)) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="baotinh"`)
		writeError(w, http.StatusUnauthorized, "a valid admin token is needed (Authorization: Bearer TOKEN)")
		return
	}
	if err := s.crawls.trigger("admin"); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"status": "started"})
}

// Health is the answer of GET /healthz.
type Health struct {
	Status        string  `json:"status"`
	Articles      int     `json:"articles"`
	Crawl         string  `json:"crawl"` // idle, running or off
	UptimeSeconds float64 `json:"uptime_seconds"`
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	n, _, err := s.ix.Count()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := Health{Status: "ok", Articles: n, Crawl: "off", UptimeSeconds: time.Since(s.started).Seconds()}
	if s.crawls.enabled() {
		h.Crawl = "idle"
		if s.crawls.busy() {
			h.Crawl = "running"
		}
	}
	writeJSON(w, http.StatusOK, h)
}
