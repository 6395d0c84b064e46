package server

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baotinh/baotinh/crawler"
	"github.com/baotinh/baotinh/index"
	"github.com/baotinh/baotinh/internal/ingest"
	"github.com/baotinh/baotinh/internal/sitegen"
)

var fixture struct {
	once sync.Once
	dir  string
	err  error
}

// fixtureSites serves the fixture mirrors of both papers and returns crawl
// options that fetch them through --base-url.
func fixtureSites(t testing.TB) crawler.Options {
	t.Helper()
	ht := httptest.NewServer(sitegen.Handler("../testdata/sites/baohatinh"))
	sl := httptest.NewServer(sitegen.Handler("../testdata/sites/baosonla"))
	t.Cleanup(ht.Close)
	t.Cleanup(sl.Close)
	var sites []*crawler.Profile
	for _, name := range []string{"baohatinh", "baosonla"} {
		p, err := crawler.Resolve(name, crawler.Profiles())
		if err != nil {
			t.Fatal(err)
		}
		sites = append(sites, p)
	}
	hu, _ := url.Parse(ht.URL)
	su, _ := url.Parse(sl.URL)
	return crawler.Options{Sites: sites, Delay: -1, BaseURLs: map[string]*url.URL{"baohatinh": hu, "baosonla": su}}
}

// crawledData returns a fresh copy of a data directory into which both
// fixture sites were crawled (with the real crawler) and indexed once.
func crawledData(t *testing.T) string {
	t.Helper()
	fixture.once.Do(func() {
		dir, err := os.MkdirTemp("", "baotinh-server-")
		if err != nil {
			fixture.err = err
			return
		}
		fixture.dir = filepath.Join(dir, "data")
		opt := fixtureSites(t)
		opt.DataDir = fixture.dir
		ix, err := index.Open(index.DataDir(fixture.dir), index.Options{})
		if err != nil {
			fixture.err = err
			return
		}
		res, err := ingest.Crawl(context.Background(), ix, ingest.Options{Options: opt})
		if cerr := ix.Close(); err == nil {
			err = cerr
		}
		if err == nil && res.Indexed != 48 {
			err = fmt.Errorf("the fixture crawl indexed %d articles, want 48", res.Indexed)
		}
		fixture.err = err
	})
	if fixture.err != nil {
		t.Fatal(fixture.err)
	}
	dst := filepath.Join(t.TempDir(), "data")
	if err := os.CopyFS(dst, os.DirFS(fixture.dir)); err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixture.dir != "" {
		os.RemoveAll(filepath.Dir(fixture.dir))
	}
	os.Exit(code)
}

// newTestServer serves a copy of the fixture data.
func newTestServer(t *testing.T, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	if cfg.DataDir == "" {
		cfg.DataDir = crawledData(t)
	}
	cfg.Log = func(s string) { t.Log(s) }
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		hs.Close()
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s, hs
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func get(t *testing.T, base, path string) response {
	t.Helper()
	return do(t, http.MethodGet, base+path, nil, "")
}

func do(t *testing.T, method, u string, header http.Header, body string) response {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, b}
}

func decode[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body is not the JSON expected: %v\n%s", err, r.body)
	}
	return v
}

func TestSearchAPI(t *testing.T) {
	_, hs := newTestServer(t, Config{})
	r := get(t, hs.URL, "/api/search?q=dan+van+kheo&limit=3&facets=1")
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	res := decode[SearchResponse](t, r)
	if res.Query != "dan van kheo" || res.Total < 3 || len(res.Hits) != 3 || res.Next == "" {
		t.Fatalf("query %q total %d hits %d next %q: want the query, at least 3 hits on a page of 3 and a next token", res.Query, res.Total, len(res.Hits), res.Next)
	}
	found := false
	for _, h := range res.Hits {
		for _, sn := range h.Snippets {
			for _, m := range sn.Marks {
				if w := sn.Text[m[0]:m[1]]; w == "khéo" {
					found = true
				}
			}
		}
	}
	if !found {
		t.Errorf("no snippet marks «khéo» for the unaccented kheo: %+v", res.Hits)
	}
	for _, name := range []string{"site", "year", "person", "title"} {
		if len(res.Facets[name]) == 0 {
			t.Errorf("no %s facet", name)
		}
	}
	// The next page: same total, other articles.
	next := decode[SearchResponse](t, get(t, hs.URL, "/api/search?q=dan+van+kheo&limit=3&facets=1&after="+url.QueryEscape(res.Next)))
	if next.Total != res.Total || len(next.Hits) == 0 {
		t.Fatalf("page 2: total %d (want %d), %d hits", next.Total, res.Total, len(next.Hits))
	}
	for _, h := range next.Hits {
		for _, p := range res.Hits {
			if h.ID == p.ID {
				t.Errorf("%s is on both pages", h.ID)
			}
		}
	}
	// The CLI's filters.
	f := decode[SearchResponse](t, get(t, hs.URL, "/api/search?q=&site=baosonla&from=2024-01-01&to=2024-12-31&limit=100&sort=newest"))
	if f.Total == 0 {
		t.Fatal("no Sơn La article of 2024")
	}
	for i, h := range f.Hits {
		if h.Site != "baosonla" || h.Published[:4] != "2024" {
			t.Errorf("hit %s (%s, %s) is outside the filter", h.ID, h.Site, h.Published)
		}
		if i > 0 && h.Published > f.Hits[i-1].Published {
			t.Errorf("newest first: %s after %s", h.Published, f.Hits[i-1].Published)
		}
	}
}

// TestBadRequests: bad input gets a JSON error with the right status, never
// a 500.
func TestBadRequests(t *testing.T) {
	_, hs := newTestServer(t, Config{})
	long := strings.Repeat("dân ", 300)
	cases := []struct {
		path   string
		status int
		msg    string // in the error
	}{
		{"/api/search?q=%2B%2B", 400, "syntax"},
		{"/api/search?q=title:%22a", 400, ""},
		{"/api/search?q=nope:x", 400, "unknown field"},
		{"/api/search?q=/[/", 400, ""},
		{"/api/search?q=a&limit=0", 400, "limit must be a whole number from 1 to 100"},
		{"/api/search?q=a&limit=101", 400, "limit"},
		{"/api/search?q=a&limit=ten", 400, "limit"},
		{"/api/search?q=a&sort=best", 400, "sort must be relevance, newest, oldest"},
		{"/api/search?q=a&from=2024-13-01", 400, "not a date"},
		{"/api/search?q=a&from=2024-02-01&to=2024-01-01", 400, "before"},
		{"/api/search?q=a&facets=maybe", 400, "facets"},
		{"/api/search?q=a&after=garbage", 400, "token"},
		{"/api/search?q=%ff%fe", 400, "UTF-8"},
		{"/api/search?q=" + url.QueryEscape(long), 413, "longer than 1000 bytes"},
		{"/api/search?q=a&x=" + strings.Repeat("a", 9000), 413, "longer than 8192 bytes"},
		{"/api/articles/nope:1", 404, "no article"},
		{"/api/articles/" + strings.Repeat("x", 400), 400, "not an article id"},
		{"/api/officials?format=xml", 400, "format must be json, csv"},
		{"/api/officials?sort=height", 400, "sort"},
		{"/api/officials?mentions=2", 400, "mentions"},
		{"/api/officials?offset=-1", 400, "offset"},
		{"/api/timeline?q=a&interval=hour", 400, "interval must be month, day, week, year"},
		{"/api/timeline?q=%2B%2B", 400, "syntax"},
		{"/api/nothing", 404, "no such API endpoint"},
		{"/api/crawls", 200, ""},
	}
	for _, c := range cases {
		r := get(t, hs.URL, c.path)
		if r.status != c.status {
			t.Errorf("GET %.80s: status %d, want %d (%s)", c.path, r.status, c.status, r.body)
			continue
		}
		if c.status == 200 {
			continue
		}
		e := decode[APIError](t, r)
		if e.Status != c.status || !strings.Contains(e.Error, c.msg) {
			t.Errorf("GET %.80s: error %+v, want status %d and %q", c.path, e, c.status, c.msg)
		}
	}
	// A body larger than allowed.
	r := do(t, http.MethodPost, hs.URL+"/crawls", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, "token="+strings.Repeat("a", 10000))
	if r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("POST of 10 kB: status %d, want 413", r.status)
	}
}

// TestNoServerErrors throws odd values at every parameter of every endpoint:
// none may give a 5xx.
func TestNoServerErrors(t *testing.T) {
	_, hs := newTestServer(t, Config{})
	values := []string{"", "*", "\"", "a\"b", "(", ")", "[", "{", "~", "^2", "a:b", "+", "-", "!", "/.*/", "\\",
		"dân*", "%00", "\x00", "0", "-1", "99999999999999999999", "2024-02-30", "1e9", "javascript:alert(1)",
		"<script>alert(1)</script>", "published:>\"2020\"", "year:>=x", "title:", "\"\"", "..", "🙂", "d\u0323\u0302n"}
	paths := map[string][]string{
		"/api/search":    {"q", "site", "from", "to", "person", "title", "place", "limit", "after", "sort", "facets"},
		"/api/officials": {"title", "person", "place", "site", "from", "to", "mentions", "format", "sort", "offset", "limit"},
		"/api/timeline":  {"q", "interval", "site", "from", "to", "format"},
		"/":              {"q", "site", "from", "to", "person", "title", "sort", "p", "after"},
		"/officials":     {"title", "person", "sort", "offset", "mentions"},
		"/timeline":      {"q", "interval", "from"},
		"/timeline.svg":  {"q", "interval"},
	}
	n := 0
	for path, params := range paths {
		for _, p := range params {
			for _, v := range values {
				r := get(t, hs.URL, path+"?q=dan&"+url.QueryEscape(p)+"="+url.QueryEscape(v))
				n++
				if r.status >= 500 {
					t.Errorf("GET %s?%s=%q: status %d: %s", path, p, v, r.status, r.body)
				}
			}
		}
	}
	for _, id := range []string{"%00", "..%2F..%2Fetc%2Fpasswd", "baohatinh:", ":", "%ff"} {
		for _, prefix := range []string{"/api/articles/", "/articles/"} {
			if r := get(t, hs.URL, prefix+id); r.status >= 500 || r.status == 200 {
				t.Errorf("GET %s%s: status %d", prefix, id, r.status)
			}
		}
	}
	t.Logf("%d requests, none a server error", n)
}

func TestArticleAPI(t *testing.T) {
	_, hs := newTestServer(t, Config{})
	res := decode[SearchResponse](t, get(t, hs.URL, "/api/search?q=%22Tr%C6%B0%C6%A1ng+Thanh+Huy%E1%BB%81n%22&limit=1"))
	if len(res.Hits) == 0 {
		t.Fatal("no article names Trương Thanh Huyền")
	}
	r := get(t, hs.URL, "/api/articles/"+res.Hits[0].ID)
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	a := decode[ArticleResponse](t, r)
	if a.ID != res.Hits[0].ID || a.Analysis == nil || len(a.Text) == 0 {
		t.Fatalf("article %q: analysis %v, %d bytes of text", a.ID, a.Analysis != nil, len(a.Text))
	}
	kinds := map[string]int{}
	for _, m := range a.Marks {
		if m.Start < 0 || m.End > len(a.Text) || m.Start >= m.End {
			t.Fatalf("mark %+v is outside the text (%d bytes)", m, len(a.Text))
		}
		kinds[m.Kind]++
		if m.Kind == "person" && a.Text[m.Start:m.End] != m.Label && !strings.HasSuffix(m.Label, a.Text[m.Start:m.End]) {
			t.Errorf("person mark %q labelled %q", a.Text[m.Start:m.End], m.Label)
		}
	}
	for _, k := range []string{"person", "title", "place", "date"} {
		if kinds[k] == 0 {
			t.Errorf("no %s mark in %s (marks by kind: %v)", k, a.ID, kinds)
		}
	}
	found := false
	for _, m := range a.Marks {
		found = found || (m.Kind == "person" && a.Text[m.Start:m.End] == "Trương Thanh Huyền")
	}
	if !found {
		t.Error("Trương Thanh Huyền is not marked as a person")
	}
}

func TestOfficialsAPI(t *testing.T) {
	_, hs := newTestServer(t, Config{})
	all := decode[[]index.Official](t, get(t, hs.URL, "/api/officials"))
	if len(all) < 20 {
		t.Fatalf("%d officials, want the fixture's many", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].LastSeen > all[i-1].LastSeen {
			t.Fatalf("not sorted by last_seen: %s after %s", all[i].LastSeen, all[i-1].LastSeen)
		}
	}
	byArticles := decode[[]index.Official](t, get(t, hs.URL, "/api/officials?sort=articles&limit=5&offset=1"))
	if len(byArticles) != 5 {
		t.Fatalf("limit 5: %d rows", len(byArticles))
	}
	for i := 1; i < len(byArticles); i++ {
		if byArticles[i].Articles > byArticles[i-1].Articles {
			t.Errorf("sort=articles: %d after %d", byArticles[i].Articles, byArticles[i-1].Articles)
		}
	}
	r := get(t, hs.URL, "/api/officials?title=b%C3%AD+th%C6%B0&format=csv")
	if r.status != 200 || r.header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.Contains(r.header.Get("Content-Disposition"), "officials.csv") {
		t.Fatalf("CSV: status %d, %q, %q", r.status, r.header.Get("Content-Type"), r.header.Get("Content-Disposition"))
	}
	if !strings.Contains(string(r.body), "\r\n") {
		t.Error("CSV lines do not end in CRLF (RFC 4180)")
	}
	recs, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(recs[0], index.OfficialColumns) || len(recs) < 2 {
		t.Fatalf("header %v, %d rows", recs[0], len(recs)-1)
	}
	if got := r.header.Get("X-Total-Count"); got != fmt.Sprint(len(recs)-1) {
		t.Errorf("X-Total-Count %s, %d rows", got, len(recs)-1)
	}
	for _, rec := range recs[1:] {
		if !strings.Contains(strings.ToLower(rec[1]), "bí thư") {
			t.Errorf("title filter bí thư kept %q", rec[1])
		}
	}
	ms := decode[[]index.Mention](t, get(t, hs.URL, "/api/officials?mentions=1&person=Tr%C6%B0%C6%A1ng+Thanh+Huy%E1%BB%81n"))
	if len(ms) == 0 {
		t.Fatal("no mention of Trương Thanh Huyền")
	}
	for _, m := range ms {
		if m.Name != "Trương Thanh Huyền" || !strings.Contains(m.Sentence, "Trương Thanh Huyền") {
			t.Errorf("mention %+v", m)
		}
	}
}

func TestTimelineStatsHealth(t *testing.T) {
	_, hs := newTestServer(t, Config{})
	tl := decode[TimelineResponse](t, get(t, hs.URL, "/api/timeline?q=dan+van&interval=year"))
	if tl.Interval != "year" || len(tl.Periods) < 3 {
		t.Fatalf("timeline %+v", tl)
	}
	matching := 0
	for _, p := range tl.Periods {
		matching += p.Matching
		if p.Matching > p.Total || (p.Total > 0 && p.Ratio != float64(p.Matching)/float64(p.Total)) {
			t.Errorf("period %+v", p)
		}
	}
	if matching == 0 {
		t.Error("no period has a matching article")
	}
	r := get(t, hs.URL, "/api/timeline?q=dan+van&format=csv")
	if !strings.HasPrefix(string(r.body), "period,matching,total,ratio\r\n") {
		t.Errorf("timeline CSV starts %.40q", r.body)
	}
	st := decode[StatsResponse](t, get(t, hs.URL, "/api/stats"))
	if st.Index == nil || st.Index.Articles != 48 || st.ArchiveBytes == 0 || st.LastCrawl["baohatinh"] == nil {
		t.Errorf("stats: %+v", st)
	}
	h := decode[Health](t, get(t, hs.URL, "/healthz"))
	if h.Status != "ok" || h.Articles != 48 || h.Crawl != "off" {
		t.Errorf("healthz %+v", h)
	}
}

func TestSecurityHeaders(t *testing.T) {
	_, hs := newTestServer(t, Config{})
	for _, p := range []string{"/", "/?q=dan", "/api/search?q=dan", "/static/style.css", "/nope", "/api/nope", "/officials", "/healthz"} {
		r := get(t, hs.URL, p)
		csp := r.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", p, csp)
		}
		if r.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", p)
		}
		if strings.HasPrefix(r.header.Get("Content-Type"), "text/html") && strings.Contains(string(r.body), "<script>") {
			t.Errorf("%s: inline script in the page", p)
		}
	}
}

// TestSearchLimit: searches beyond the running ones and the waiting ones are
// refused with 429 at once.
func TestSearchLimit(t *testing.T) {
	s, hs := newTestServer(t, Config{MaxSearches: 1})
	s.slots <- struct{}{} // a search runs
	s.waiting.Store(1)    // and another waits
	r := get(t, hs.URL, "/api/search?q=dan")
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
		t.Fatalf("status %d, Retry-After %q: want 429 with Retry-After", r.status, r.header.Get("Retry-After"))
	}
	s.waiting.Store(0)
	done := make(chan response)
	go func() { done <- do(t, http.MethodGet, hs.URL+"/api/search?q=dan", nil, "") }()
	for deadline := time.Now().Add(10 * time.Second); s.waiting.Load() != 1; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the second search did not wait for a turn")
		}
	}
	<-s.slots // the running search ends: the waiting one goes on
	if r := <-done; r.status != 200 {
		t.Fatalf("the search that waited: status %d: %s", r.status, r.body)
	}
}

func TestAdminCrawl(t *testing.T) {
	opt := fixtureSites(t)
	data := crawledData(t)
	// Without a token admin actions are off.
	_, off := newTestServer(t, Config{DataDir: data + "-off", Crawl: ingest.Options{Options: opt}})
	if r := do(t, http.MethodPost, off.URL+"/api/crawls", http.Header{"Authorization": {"Bearer x"}}, ""); r.status != http.StatusForbidden {
		t.Errorf("admin off: status %d, want 403", r.status)
	}
	const token = "a-token-of-enough-length"
	s, hs := newTestServer(t, Config{DataDir: data, AdminToken: token, Crawl: ingest.Options{Options: opt}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.Start(ctx)
	for _, h := range []http.Header{nil, {"Authorization": {"Bearer wrong-token-of-enough-length"}}, {"Authorization": {token}}} {
		if r := do(t, http.MethodPost, hs.URL+"/api/crawls", h, ""); r.status != http.StatusUnauthorized {
			t.Errorf("Authorization %v: status %d, want 401", h, r.status)
		}
	}
	if r := do(t, http.MethodPost, hs.URL+"/crawls", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, "token=wrong"); r.status != http.StatusUnauthorized {
		t.Errorf("form with a wrong token: status %d, want 401", r.status)
	}
	r := do(t, http.MethodPost, hs.URL+"/api/crawls", http.Header{"Authorization": {"Bearer " + token}}, "")
	if r.status != http.StatusAccepted {
		t.Fatalf("admin crawl: status %d: %s", r.status, r.body)
	}
	var st CrawlStatus
	deadline := time.Now().Add(30 * time.Second)
	for {
		st = decode[CrawlStatus](t, get(t, hs.URL, "/api/crawls"))
		if st.Running == nil && len(st.History) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the crawl did not finish: %+v", st)
		}
		time.Sleep(50 * time.Millisecond)
	}
	h := st.History[0]
	if h.Trigger != "admin" || h.Status != "finished" || h.Summary == nil || h.Summary.Known != 44 || !st.Admin {
		t.Errorf("history %+v (summary %+v)", h, h.Summary)
	}
	// The history survives a restart.
	b, err := os.ReadFile(filepath.Join(data, "serve", "crawls.jsonl"))
	if err != nil || !strings.Contains(string(b), `"trigger":"admin"`) {
		t.Errorf("crawls.jsonl: %v %s", err, b)
	}
}
