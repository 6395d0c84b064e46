package server

import (
	"bytes"
	"context"
	"embed"
	"encoding/csv"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/baotinh/baotinh/extract"
	"github.com/baotinh/baotinh/index"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// siteNames are the papers' names as the pages show them.
var siteNames = map[string]string{"baohatinh": "Báo Hà Tĩnh", "baosonla": "Báo Sơn La"}

func siteName(site string) string {
	if n, ok := siteNames[site]; ok {
		return n
	}
	return site
}

// piece is a run of text, matched (shown as <mark>) or not.
type piece struct {
	Text string
	Mark bool
}

// pieces cuts text at its marks for a template to wrap the marked ones.
func pieces(text string, marks []extract.Span) []piece {
	var out []piece
	at := 0
	for _, m := range marks {
		if m[0] < at || m[1] > len(text) || m[0] >= m[1] {
			continue
		}
		if m[0] > at {
			out = append(out, piece{text[at:m[0]], false})
		}
		out = append(out, piece{text[m[0]:m[1]], true})
		at = m[1]
	}
	if at < len(text) {
		out = append(out, piece{text[at:], false})
	}
	return out
}

// day formats a published value as dd/mm/yyyy, as Vietnamese papers do.
func day(published string) string {
	if len(published) < 10 {
		return "không rõ ngày"
	}
	t, err := time.Parse(time.DateOnly, published[:10])
	if err != nil {
		return published
	}
	return t.Format("02/01/2006")
}

// withParam returns the query string of v with name set to value (removed
// when value is "") and the page cursor dropped.
func withParam(v url.Values, pairs ...string) string {
	c := url.Values{}
	for k, vs := range v {
		if k != "after" && k != "p" && k != "offset" {
			c[k] = vs
		}
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			c.Del(pairs[i])
		} else {
			c.Set(pairs[i], pairs[i+1])
		}
	}
	return c.Encode()
}

var funcs = template.FuncMap{
	"pieces":   pieces,
	"day":      day,
	"siteName": siteName,
	"param":    withParam,
	"percent":  func(r float64) string { return strconv.FormatFloat(r*100, 'f', 1, 64) + "%" },
	"mb":       func(n int64) string { return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + " MB" },
	"flat":     func(s string) string { return strings.Join(strings.Fields(s), " ") },
	"add":      func(a, b int) int { return a + b },
	"clock": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Local().Format("02/01/2006 15:04")
	},
	"seconds":  func(s float64) string { return (time.Duration(s * float64(time.Second))).Round(time.Second).String() },
	"kindName": kindName,
	"trigger": func(t string) string {
		switch t {
		case "schedule":
			return "theo lịch"
		case "admin":
			return "quản trị viên"
		case "resume":
			return "tiếp tục đợt bị dừng"
		}
		return t
	},
	"number": func(n any) string {
		s := fmt.Sprint(n)
		for i := len(s) - 3; i > 0; i -= 3 {
			s = s[:i] + "." + s[i:]
		}
		return s
	},
}

var pages = template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html"))

// staticHandler serves the style sheet and the script, cached for an hour.
func staticHandler() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	fsrv := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fsrv.ServeHTTP(w, r)
	})
}

// page is what every page's layout needs.
type page struct {
	Title  string // of the document
	Nav    string // the menu entry that is current
	Params url.Values
	Status int
	Error  string
	Body   any
}

// render writes a page, buffered so that a template error is a clean 500.
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, p *page) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, p); err != nil {
		s.cfg.Log(fmt.Sprintf("template %s: %v", name, err))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if p.Status != 0 {
		w.WriteHeader(p.Status)
	}
	buf.WriteTo(w)
}

// pageError shows an error as a page with the right status.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, r, "error.html", &page{Title: "Lỗi", Status: status, Error: msg, Params: url.Values{}})
}

// pageFail shows the error of a request on its page, with the form kept so
// the user can fix the input.
func (s *Server) pageFail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := s.status(r, err)
	if status == 499 {
		return
	}
	s.pageError(w, r, status, msg)
}

type searchView struct {
	Search  *index.Search
	Result  *index.Result
	Page    int
	Facets  []facetView
	Sites   []index.SiteStats
	Total   int
	Asked   bool
	NextURL string
}

type facetView struct {
	Name   string
	Values []facetValue
}

type facetValue struct {
	Term  string
	Count int
	URL   string
	On    bool
}

func (s *Server) pageSearch(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q, err := searchRequest(v)
	if err != nil {
		s.formError(w, r, "search.html", "Tìm kiếm", "search", err)
		return
	}
	view := &searchView{Search: q, Page: 1}
	view.Asked = q.Query != "" || q.Person != "" || q.Title != "" || q.Place != "" || len(q.Sites) > 0 || !q.From.IsZero() || !q.To.IsZero()
	if n, err := number(v, "p", 1, 1, 1<<20); err == nil {
		view.Page = n
	}
	if !view.Asked {
		st, err := s.indexStats(r.Context())
		if err != nil {
			s.pageFail(w, r, err)
			return
		}
		view.Sites, view.Total = st.Sites, st.Articles
		s.render(w, r, "search.html", &page{Title: "Tìm kiếm", Nav: "search", Params: v, Body: view})
		return
	}
	q.Facets = 8
	res, err := s.search(r.Context(), q)
	if err != nil {
		s.formError(w, r, "search.html", "Tìm kiếm", "search", err)
		return
	}
	view.Result = res
	if res.Next != "" {
		n := url.Values{}
		for k, vs := range v {
			n[k] = vs
		}
		n.Set("after", res.Next)
		n.Set("p", strconv.Itoa(view.Page+1))
		view.NextURL = "/?" + n.Encode()
	}
	for _, f := range []struct{ key, name, param string }{
		{"site", "Báo", "site"}, {"year", "Năm", ""}, {"person", "Người", "person"}, {"title", "Chức danh", "title"}} {
		fv := facetView{Name: f.name}
		for _, t := range res.Facets[f.key] {
			val := facetValue{Term: t.Term, Count: t.Count}
			switch f.key {
			case "year":
				val.URL = "/?" + withParam(v, "from", t.Term+"-01-01", "to", t.Term+"-12-31")
				val.On = v.Get("from") == t.Term+"-01-01" && v.Get("to") == t.Term+"-12-31"
			case "site":
				val.URL = "/?" + withParam(v, "site", t.Term)
				val.On = slices.Equal(q.Sites, []string{t.Term})
				val.Term = siteName(t.Term)
			default:
				val.URL = "/?" + withParam(v, f.param, `"`+t.Term+`"`)
				val.On = v.Get(f.param) == `"`+t.Term+`"`
			}
			fv.Values = append(fv.Values, val)
		}
		if len(fv.Values) > 0 {
			view.Facets = append(view.Facets, fv)
		}
	}
	title := "Tìm kiếm"
	if q.Query != "" {
		title = q.Query + " – tìm kiếm"
	}
	s.render(w, r, "search.html", &page{Title: title, Nav: "search", Params: v, Body: view})
}

// formError shows a page's form again with the error above it: a query the
// parser rejects is the user's to fix, with a 400.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, tmpl, title, nav string, err error) {
	status, msg := s.status(r, err)
	if status == 499 {
		return
	}
	s.render(w, r, tmpl, &page{Title: title, Nav: nav, Params: r.URL.Query(), Status: status, Error: msg})
}

type articleView struct {
	A      *index.Article
	Blocks []blockView
	Lists  []factList
	Counts map[string]int
	Kinds  []kindView
}

type kindView struct{ Kind, Name string }

type blockView struct {
	Kind     string
	Segments []segment
}

type factList struct {
	Kind, Name string
	Facts      []factView
}

type factView struct {
	Label  string
	Detail []string
	Anchor string // the id of its first mark in the text, "" when none
	Count  int
}

func (s *Server) pageArticle(w http.ResponseWriter, r *http.Request) {
	a, err := s.article(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	if a == nil {
		s.pageError(w, r, http.StatusNotFound, "Không có bài viết này trong chỉ mục.")
		return
	}
	ms := marks(a)
	ids := make([]string, len(ms))
	first := map[string]string{} // kind/fact -> id of the first mark
	counts := map[string]int{}
	for i, m := range ms {
		ids[i] = markID(i)
		key := m.Kind + "/" + strconv.Itoa(m.Fact)
		if _, ok := first[key]; !ok {
			first[key] = ids[i]
		}
		counts[m.Kind]++
	}
	view := &articleView{A: a, Counts: counts}
	for _, k := range kinds {
		view.Kinds = append(view.Kinds, kindView{k.kind, k.name})
	}
	for _, b := range a.Blocks {
		if b.Span[0] < 0 || b.Span[1] > len(a.Text) || b.Span[0] >= b.Span[1] {
			continue
		}
		view.Blocks = append(view.Blocks, blockView{string(b.Kind), segments(a.Text, b.Span[0], b.Span[1], ms, ids)})
	}
	view.Lists = factLists(a, first)
	s.render(w, r, "article.html", &page{Title: a.Title, Nav: "search", Params: url.Values{}, Body: view})
}

// factLists lists an article's facts by kind for the page's side panel.
func factLists(a *index.Article, first map[string]string) []factList {
	an := a.Analysis
	if an == nil {
		return nil
	}
	anchor := func(kind string, i int) string { return first[kind+"/"+strconv.Itoa(i)] }
	var people, titles, quotes, dates, figures, places, terms, docs []factView
	role := 0
	for i, p := range an.People {
		fv := factView{Label: p.Name, Anchor: anchor("person", i), Count: p.Mentions}
		if p.Place != "" {
			fv.Detail = append(fv.Detail, "Địa phương: "+string(p.Place))
		}
		for _, r := range p.Roles {
			t := roleLabel(p.Name, r)
			titles = append(titles, factView{Label: t[len(p.Name)+2:], Detail: []string{p.Name}, Anchor: anchor("title", role), Count: len(r.Spans)})
			fv.Detail = append(fv.Detail, t[len(p.Name)+2:])
			role++
		}
		people = append(people, fv)
	}
	for i, q := range an.Quotes {
		quotes = append(quotes, factView{Label: q.Text, Detail: []string{quoteLabel(q)}, Anchor: anchor("quote", i)})
	}
	for i, d := range an.Dates {
		dates = append(dates, factView{Label: d.Text, Detail: []string{d.Value}, Anchor: anchor("date", i), Count: len(d.Spans)})
	}
	for i, f := range an.Figures {
		figures = append(figures, factView{Label: f.Text, Detail: []string{figureLabel(f)}, Anchor: anchor("figure", i)})
	}
	for i, p := range an.Places {
		fv := factView{Label: p.Name, Anchor: anchor("place", i), Count: len(p.Spans)}
		if p.Level != "" {
			fv.Detail = append(fv.Detail, string(p.Level))
		}
		places = append(places, fv)
	}
	for i, t := range an.Terms {
		terms = append(terms, factView{Label: t.Text, Anchor: anchor("term", i), Count: len(t.Spans)})
	}
	for i, d := range an.Documents {
		docs = append(docs, factView{Label: d.Text, Detail: []string{strings.TrimSpace(d.Kind + " " + d.Number)}, Anchor: anchor("document", i)})
	}
	byKind := map[string][]factView{"person": people, "title": titles, "quote": quotes, "date": dates,
		"figure": figures, "place": places, "term": terms, "document": docs}
	var out []factList
	for _, k := range kinds {
		out = append(out, factList{k.kind, k.name, byKind[k.kind]})
	}
	return out
}

// officialsPageSize is the rows one officials page shows.
const officialsPageSize = 100

type officialsView struct {
	Rows     []*index.Official
	Mentions []*mentionView
	Total    int
	Offset   int
	Prev     string
	Next     string
	CSV      string
	Sort     string
	Columns  []columnView
	Evidence bool
}

type columnView struct {
	Name, Label, URL string
	On               bool
}

type mentionView struct {
	M        *index.Mention
	Sentence []piece
}

func (s *Server) pageOfficials(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	view := &officialsView{}
	var err error
	if view.Offset, err = number(v, "offset", 0, 0, 1<<30); err != nil {
		s.formError(w, r, "officials.html", "Quan chức", "officials", err)
		return
	}
	if view.Evidence, err = flag(v, "mentions"); err != nil {
		s.formError(w, r, "officials.html", "Quan chức", "officials", err)
		return
	}
	view.CSV = "/api/officials?" + withParam(v, "format", "csv", "offset", "")
	var total int
	if view.Evidence {
		ms, err := s.mentions(r.Context(), v)
		if err != nil {
			s.formError(w, r, "officials.html", "Quan chức", "officials", err)
			return
		}
		total = len(ms)
		for _, m := range window(ms, view.Offset, officialsPageSize) {
			mv := &mentionView{M: m}
			mv.Sentence = pieces(m.Sentence, []extract.Span{{m.Span[0] - m.Start, m.Span[1] - m.Start}})
			view.Mentions = append(view.Mentions, mv)
		}
	} else {
		rows, err := s.officials(r.Context(), v)
		if err != nil {
			s.formError(w, r, "officials.html", "Quan chức", "officials", err)
			return
		}
		total = len(rows)
		view.Rows = window(rows, view.Offset, officialsPageSize)
	}
	view.Total = total
	view.Sort = v.Get("sort")
	if view.Sort == "" {
		view.Sort = "last_seen"
	}
	for _, c := range []struct{ name, label string }{{"name", "Họ tên"}, {"title", "Chức danh"}, {"place", "Địa phương"},
		{"first_seen", "Lần đầu"}, {"last_seen", "Gần nhất"}, {"articles", "Số bài"}} {
		view.Columns = append(view.Columns, columnView{c.name, c.label, "/officials?" + withParam(v, "sort", c.name), view.Sort == c.name})
	}
	if view.Offset > 0 {
		view.Prev = "/officials?" + withParam(v, "offset", strconv.Itoa(max(0, view.Offset-officialsPageSize)))
	}
	if view.Offset+officialsPageSize < total {
		view.Next = "/officials?" + withParam(v, "offset", strconv.Itoa(view.Offset+officialsPageSize))
	}
	s.render(w, r, "officials.html", &page{Title: "Quan chức", Nav: "officials", Params: v, Body: view})
}

type timelineView struct {
	Timeline *index.Timeline
	Chart    *chart
	Rows     []timelineRow
	CSV      string
	SVG      string
}

type timelineRow struct {
	Period string
	Cells  []index.Period
}

// timelineSeries returns a query's timeline over all sites and per site.
func (s *Server) timelineSeries(ctx context.Context, t *index.Timeline) ([]string, [][]index.Period, error) {
	all, err := s.timeline(ctx, t)
	if err != nil {
		return nil, nil, err
	}
	names := []string{"Tất cả"}
	series := [][]index.Period{all}
	sites := t.Sites
	if len(sites) == 0 {
		st, err := s.indexStats(ctx)
		if err != nil {
			return nil, nil, err
		}
		for _, site := range st.Sites {
			sites = append(sites, site.Site)
		}
	}
	if len(sites) < 2 {
		return names, series, nil
	}
	for _, site := range sites {
		one := *t
		one.Sites = []string{site}
		ps, err := s.timeline(ctx, &one)
		if err != nil {
			return nil, nil, err
		}
		names = append(names, siteName(site))
		series = append(series, align(all, ps))
	}
	return names, series, nil
}

// align returns ps on the periods of all (zero where ps has none).
func align(all, ps []index.Period) []index.Period {
	by := map[string]index.Period{}
	for _, p := range ps {
		by[p.Period] = p
	}
	out := make([]index.Period, len(all))
	for i, p := range all {
		out[i] = by[p.Period]
		out[i].Period = p.Period
	}
	return out
}

func (s *Server) pageTimeline(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	t, err := timelineRequest(v)
	if err != nil {
		s.formError(w, r, "timeline.html", "Diễn biến", "timeline", err)
		return
	}
	view := &timelineView{Timeline: t}
	if t.Query == "" {
		s.render(w, r, "timeline.html", &page{Title: "Diễn biến", Nav: "timeline", Params: v, Body: view})
		return
	}
	names, series, err := s.timelineSeries(r.Context(), t)
	if err != nil {
		s.formError(w, r, "timeline.html", "Diễn biến", "timeline", err)
		return
	}
	view.Chart = newChart(t.Query, names, series)
	view.CSV = "/api/timeline?" + withParam(v, "format", "csv")
	view.SVG = "/timeline.svg?" + v.Encode()
	for i, p := range series[0] {
		row := timelineRow{Period: p.Period}
		for _, sr := range series {
			row.Cells = append(row.Cells, sr[i])
		}
		view.Rows = append(view.Rows, row)
	}
	s.render(w, r, "timeline.html", &page{Title: t.Query + " – diễn biến", Nav: "timeline", Params: v, Body: view})
}

// timelineSVG serves the chart alone, to save or embed in a paper.
func (s *Server) timelineSVG(w http.ResponseWriter, r *http.Request) {
	t, err := timelineRequest(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names, series, err := s.timelineSeries(r.Context(), t)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, "chart.svg", newChart(t.Query, names, series)); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml; charset=utf-8")
	buf.WriteString("\n")
	buf.WriteTo(w)
}

type crawlsView struct {
	Status *CrawlStatus
	Done   bool
}

func (s *Server) pageCrawls(w http.ResponseWriter, r *http.Request) {
	view := &crawlsView{Status: s.crawls.status(), Done: r.URL.Query().Get("started") == "1"}
	s.render(w, r, "crawls.html", &page{Title: "Thu thập", Nav: "crawls", Params: url.Values{}, Body: view})
}

// pageStartCrawl is the crawl page's form: an admin starts a crawl now.
func (s *Server) pageStartCrawl(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, http.StatusRequestEntityTooLarge, "Yêu cầu quá lớn.")
		return
	}
	if s.cfg.AdminToken == "" {
		s.pageError(w, r, http.StatusForbidden, "Chức năng quản trị đang tắt: khởi động máy chủ với --admin-token.")
		return
	}
	if !s.authorized(r.PostForm.Get("token")) {
		s.pageError(w, r, http.StatusUnauthorized, "Mã quản trị không đúng.")
		return
	}
	if err := s.crawls.trigger("admin"); err != nil {
		s.pageFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/crawls?started=1", http.StatusSeeOther)
}

// writeCSV writes an RFC 4180 table (CRLF, UTF-8, a header row) as a
// download.
func writeCSV(w http.ResponseWriter, name string, header []string, n int, row func(int) []string) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	cw.Write(header)
	for i := 0; i < n; i++ {
		cw.Write(row(i))
	}
	cw.Flush()
}

// compareVietnamese orders names as a Vietnamese reader would (Đ after D,
// tones after the base letter).
func compareVietnamese(a, b string) int {
	c := collatorPool.Get().(*collate.Collator)
	defer collatorPool.Put(c)
	return c.CompareString(a, b)
}

var collatorPool = sync.Pool{New: func() any { return collate.New(language.Vietnamese, collate.IgnoreCase) }}
