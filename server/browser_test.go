package server

// The real-browser test (issue 6): Debian's chromium, driven by chromedp,
// uses the web interface as a researcher does, over data built as users
// build it (the fixture sites crawled by the server's own crawl), and a
// hostile article proves in the browser that nothing from a crawled page
// runs. It fails, never skips, in CI (CI=true) when chromium is missing;
// .ci/run installs it.

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/baotinh/baotinh/crawler"
	"github.com/baotinh/baotinh/index"
	"github.com/baotinh/baotinh/index/analysis/tokenfilter/fold"
	"github.com/baotinh/baotinh/internal/ingest"
	"github.com/baotinh/baotinh/internal/sitegen"
)

// xssID is the hostile fixture article (testdata/xss-site).
const xssID = "baohatinh:999001"

// payloads are what the hostile article carries as text, each of which
// would run if a page put it into the DOM as markup.
var payloads = []string{
	`<script>window.__pwned=1</script>`,
	`<img src=x onerror="window.__pwned=1">`,
	`<a href="javascript:window.__pwned=1">`,
	`"><svg onload=window.__pwned=1>`,
}

// chromium finds the browser: $BAOTINH_CHROMIUM, else chromium on the PATH.
// Missing, the test fails in CI and skips elsewhere.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("BAOTINH_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("$BAOTINH_CHROMIUM: %v", err)
		}
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "chromium not found (apt-get install chromium, or set $BAOTINH_CHROMIUM): the real-browser test cannot run"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + "; in CI it must (.ci/run installs it)")
	}
	t.Skip(msg)
	return ""
}

// browserEnv is a server over the crawled fixtures and a browser tab on it.
type browserEnv struct {
	t     *testing.T
	srv   *Server
	ts    *httptest.Server
	ctx   context.Context // the tab
	token string

	mu       sync.Mutex
	problems []string // exceptions and CSP violations the pages reported
	dialogs  atomic.Int32
	logs     []string

	articlePath string // an article with people and quotes, for its screenshot
}

func (e *browserEnv) url(path string) string { return e.ts.URL + path }

// do runs browser actions, failing the test on error.
func (e *browserEnv) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	e.t.Helper()
	if err := chromedp.Do(e.ctx, steps...); err != nil {
		e.t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](e *browserEnv, js string) T {
	e.t.Helper()
	v, err := chromedp.Run(e.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		e.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// open navigates to a page of the server and waits for its main element.
func (e *browserEnv) open(path string) {
	e.t.Helper()
	resp, err := chromedp.Run(e.ctx, chromedp.NavigateResponse(e.url(path)))
	if err != nil {
		e.t.Fatalf("open %s: %v", path, err)
	}
	if resp.Status != http.StatusOK {
		e.t.Fatalf("open %s: status %d", path, resp.Status)
	}
	e.do("wait for "+path, chromedp.WaitReady(chromedp.CSS("main#main")))
}

// follow clicks an element that navigates and waits for the new page.
func (e *browserEnv) follow(sel string) {
	e.t.Helper()
	resp, err := chromedp.RunResponse(e.ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		e.t.Fatalf("click %s: %v", sel, err)
	}
	if resp.Status != http.StatusOK {
		e.t.Fatalf("click %s: %s answered %d", sel, resp.URL, resp.Status)
	}
	e.do("wait after clicking "+sel, chromedp.WaitReady(chromedp.CSS("main#main")))
}

// get fetches a URL of the server outside the browser.
func (e *browserEnv) get(path string) (*http.Response, []byte) {
	e.t.Helper()
	resp, err := http.Get(e.url(path))
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, b
}

// nothingRuns is evaluated in every page: it lists what could run script
// that the server did not write.
const nothingRuns = `(() => {
  const bad = [];
  if (typeof window.__pwned !== "undefined") bad.push("window.__pwned is " + String(window.__pwned));
  for (const s of document.querySelectorAll("script")) {
    if (s.getAttribute("src") !== "/static/app.js") bad.push("script element " + s.outerHTML.slice(0, 200));
  }
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      const n = a.name.toLowerCase();
      if (n.startsWith("on")) bad.push("attribute " + n + " on <" + el.localName + ">");
      if (["href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"].includes(n) &&
          /^[\s\u0000-\u001f]*(javascript|vbscript|data:text\/html)/i.test(a.value)) {
        bad.push(n + "=" + JSON.stringify(a.value) + " on <" + el.localName + ">");
      }
    }
  }
  for (const a of document.querySelectorAll("a[href]")) {
    if (a.protocol !== "http:" && a.protocol !== "https:") bad.push("link to " + a.protocol + " " + a.getAttribute("href"));
  }
  for (const el of document.querySelectorAll("iframe, frame, object, embed, base, meta[http-equiv], form:not([action])")) {
    bad.push("element <" + el.localName + ">");
  }
  for (const el of document.querySelectorAll("svg")) {
    if (!el.closest("figure.chart")) bad.push("svg outside the timeline chart");
  }
  return bad;
})()`

// assertNothingRan checks the page now shown and what the pages reported.
func (e *browserEnv) assertNothingRan(what string) {
	e.t.Helper()
	for _, b := range eval[[]string](e, nothingRuns) {
		e.t.Errorf("%s: %s", what, b)
	}
	if n := e.dialogs.Load(); n > 0 {
		e.t.Errorf("%s: %d JavaScript dialogs opened", what, n)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, p := range e.problems {
		e.t.Errorf("%s: the browser reported %s", what, p)
	}
	e.problems = nil
}

// newBrowserEnv crawls the fixture sites with the server's own crawl, as an
// admin starts it from the crawl page, then the hostile article, and opens
// a browser tab.
func newBrowserEnv(t *testing.T) *browserEnv {
	exe := chromium(t)
	e := &browserEnv{t: t, token: "browser-test-admin-token"}

	ht := httptest.NewServer(sitegen.Handler("../testdata/sites/baohatinh"))
	t.Cleanup(ht.Close)
	sl := httptest.NewServer(sitegen.Handler("../testdata/sites/baosonla"))
	t.Cleanup(sl.Close)
	xss := httptest.NewServer(sitegen.Handler("testdata/xss-site"))
	t.Cleanup(xss.Close)

	known := crawler.Profiles()
	hatinh, err := crawler.Resolve("baohatinh", known)
	if err != nil {
		t.Fatal(err)
	}
	sonla, err := crawler.Resolve("baosonla", known)
	if err != nil {
		t.Fatal(err)
	}
	base := func(u string) *url.URL {
		p, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	data := filepath.Join(t.TempDir(), "data")
	cfg := Config{
		DataDir:    data,
		AdminToken: e.token,
		Crawl: ingest.Options{Options: crawler.Options{
			Sites:    []*crawler.Profile{hatinh, sonla},
			BaseURLs: map[string]*url.URL{"baohatinh": base(ht.URL), "baosonla": base(sl.URL)},
			Delay:    -1,
		}},
		Log: func(s string) {
			e.mu.Lock()
			e.logs = append(e.logs, s)
			e.mu.Unlock()
		},
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	sctx, stop := context.WithCancel(context.Background())
	srv.Start(sctx)
	t.Cleanup(func() {
		stop()
		if err := srv.Close(); err != nil {
			t.Error(err)
		}
		if t.Failed() {
			e.mu.Lock()
			t.Logf("server log:\n%s", strings.Join(e.logs, "\n"))
			e.mu.Unlock()
		}
	})
	e.ts = httptest.NewServer(srv.Handler())
	t.Cleanup(e.ts.Close)

	// The browser: Debian's chromium, headless, in a fresh profile.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox, // root in CI containers
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(cancelTab)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	e.ctx = ctx
	// Whatever the pages do: a dialog is counted and dismissed; an uncaught
	// exception or a Content-Security-Policy violation is a problem.
	dialogs := chromedp.Events(ctx, cdppage.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			e.dialogs.Add(1)
			chromedp.Call(ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.IsException() || strings.Contains(m.Text, "Content Security Policy") {
				e.mu.Lock()
				e.problems = append(e.problems, fmt.Sprintf("%s %s (%s:%d)", m.Type, m.Text, m.URL, m.Line+1))
				e.mu.Unlock()
			}
		}
	}()

	// An admin starts the first crawl from the crawl page.
	e.open("/crawls")
	if got := eval[string](e, `document.querySelector("#running").innerText`); !strings.Contains(got, "Không có đợt thu thập nào đang chạy") {
		t.Fatalf("crawl page before the crawl: %q", got)
	}
	e.do("admin token", chromedp.SendKeys(chromedp.CSS(`form.admin input[name=token]`), e.token))
	e.follow(`form.admin button[type=submit]`)
	if loc := eval[string](e, `location.pathname + location.search`); loc != "/crawls?started=1" {
		t.Fatalf("after starting a crawl the page is %s", loc)
	}
	e.do("crawl started notice", chromedp.WaitVisible(chromedp.CSS(`p.ok`)))
	var st CrawlStatus
	for deadline := time.Now().Add(60 * time.Second); ; {
		_, b := e.get("/api/crawls")
		if err := json.Unmarshal(b, &st); err != nil {
			t.Fatal(err)
		}
		if st.Running == nil && len(st.History) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the crawl has not finished in 60s: %s", b)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if r := st.History[0]; r.Status != "finished" || r.Indexed != 48 {
		t.Fatalf("crawl %s: %d indexed, error %q", r.Status, r.Indexed, r.Error)
	}

	// The hostile article, from a mirror of Báo Hà Tĩnh that has only it.
	res, err := ingest.Crawl(context.Background(), srv.Index(), ingest.Options{Options: crawler.Options{
		DataDir: data, Sites: []*crawler.Profile{hatinh},
		BaseURLs: map[string]*url.URL{"baohatinh": base(xss.URL)}, Delay: -1,
	}})
	if err != nil || res.Indexed != 1 {
		t.Fatalf("crawling the XSS fixture: %d indexed, %v", res.Indexed, err)
	}
	return e
}

func TestBrowser(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("the real-browser test is not short")
	}
	start := time.Now()
	e := newBrowserEnv(t)
	t.Logf("fixtures crawled and browser started in %s", time.Since(start).Round(time.Millisecond))

	t.Run("search", e.testSearch)
	t.Run("article", e.testArticle)
	t.Run("officials", e.testOfficials)
	t.Run("xss", e.testXSS)
	t.Run("screenshots", e.testScreenshots)
	t.Logf("browser test took %s", time.Since(start).Round(time.Millisecond))
}

// testSearch: Tab reaches the search box, a query without diacritics finds
// the accented words and marks them.
func (e *browserEnv) testSearch(t *testing.T) {
	e.t = t
	e.open("/")
	focused := ""
	for range 12 {
		e.do("Tab", chromedp.KeyEvent(kb.Tab))
		if focused = eval[string](e, `document.activeElement.id`); focused == "q" {
			break
		}
	}
	if focused != "q" {
		t.Fatalf("Tab does not reach the search box (focus on #%s)", focused)
	}
	e.do("type a query", chromedp.KeyEvent("dan van kheo"))
	resp, err := chromedp.RunResponse(e.ctx, chromedp.KeyEvent(kb.Enter))
	if err != nil || resp.Status != http.StatusOK {
		t.Fatalf("Enter in the search box: %v %v", resp, err)
	}
	e.do("results", chromedp.WaitVisible(chromedp.CSS("#found")))
	if q := eval[string](e, `new URLSearchParams(location.search).get("q")`); q != "dan van kheo" {
		t.Errorf("the search page's query is %q", q)
	}
	found := eval[string](e, `document.querySelector("#found").textContent`)
	hits := eval[int](e, `document.querySelectorAll("ol.hits li.hit").length`)
	if hits < 3 || !strings.Contains(found, "bài viết khớp") {
		t.Fatalf("search dan van kheo: %q, %d hits", found, hits)
	}
	// A query without diacritics matches every accented form of its words
	// (van: vận, văn, vân), and the page marks the words as written.
	marks := eval[[]string](e, `[...document.querySelectorAll("ol.hits mark")].map(m => m.textContent.toLowerCase())`)
	if !slices.Contains(marks, "khéo") || !slices.Contains(marks, "dân") || !slices.Contains(marks, "vận") {
		t.Errorf("the hits do not mark dân, vận and khéo: %q", marks)
	}
	for _, m := range marks {
		if f := fold.Fold(strings.ToLower(m)); f != "dan" && f != "van" && f != "kheo" {
			t.Errorf("a mark is %q, not a word of the query", m)
		}
	}
	e.assertNothingRan("search page")
}

// testArticle: from the results to an article, with its people and quotes
// marked in the text and listed beside it.
func (e *browserEnv) testArticle(t *testing.T) {
	e.t = t
	// The first hit with quotes: the reader clicks it.
	var res index.Result
	_, b := e.get("/api/search?q=dan+van+kheo&limit=20")
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	nth := 0
	for i, h := range res.Hits {
		a, err := e.srv.Index().Article(h.ID)
		if err == nil && a != nil && a.Analysis != nil && len(a.Analysis.Quotes) > 0 && len(a.Analysis.People) > 0 {
			nth = i + 1
			break
		}
	}
	if nth == 0 {
		t.Fatal("no hit of dan van kheo has quotes")
	}
	e.open("/?q=dan+van+kheo")
	link := fmt.Sprintf("ol.hits > li.hit:nth-child(%d) h2 a", nth)
	title := eval[string](e, `document.querySelector("`+link+`").textContent`)
	e.follow(link)
	e.articlePath = eval[string](e, `location.pathname`)
	if !strings.HasPrefix(eval[string](e, `location.pathname`), "/articles/") {
		t.Fatalf("the first hit leads to %s", eval[string](e, `location.href`))
	}
	if h1 := eval[string](e, `document.querySelector("#art-title").textContent`); h1 != title {
		t.Errorf("article title %q, the hit said %q", h1, title)
	}
	counts := eval[map[string]int](e, `({
	  person: document.querySelectorAll("#text p .m-person").length,
	  quote: document.querySelectorAll("#text p .m-quote").length,
	  listPerson: document.querySelectorAll("#list-person li").length,
	  listQuote: document.querySelectorAll("#list-quote li").length,
	})`)
	for _, k := range []string{"person", "quote", "listPerson", "listQuote"} {
		if counts[k] == 0 {
			t.Errorf("article %q: no %s (%v)", title, k, counts)
		}
	}
	// The first person listed is in the text, and its link leads to the mark.
	name := eval[string](e, `document.querySelector("#list-person li a").textContent`)
	inText := eval[[]string](e, `[...document.querySelectorAll("#text p .m-person")].map(m => m.textContent)`)
	if !slices.Contains(inText, name) {
		t.Errorf("%q is listed but not marked in the text: %q", name, inText)
	}
	e.do("click a listed person", chromedp.Click(chromedp.CSS("#list-person li a"), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS("#text .flash")))
	if got := eval[string](e, `location.hash`); !strings.HasPrefix(got, "#m") {
		t.Errorf("the person's link went to %q", got)
	}
	// The legend switches a kind of mark off.
	e.do("legend", chromedp.Click(chromedp.CSS(`.legend input[data-kind=person]`), chromedp.NodeVisible))
	if !eval[bool](e, `document.querySelector("#text").classList.contains("hide-person")`) {
		t.Error("unticking Người does not hide the people's marks")
	}
	e.assertNothingRan("article page")
}

// testOfficials: filter the table by title, then download it as CSV.
func (e *browserEnv) testOfficials(t *testing.T) {
	e.t = t
	e.open("/officials")
	const rowsJS = `[...document.querySelectorAll("table.officials tbody tr")].map(tr => tr.cells[1].firstChild.textContent.trim())`
	countBefore := eval[string](e, `document.querySelector("#count").textContent`)
	before := eval[[]string](e, rowsJS)
	if len(before) < 50 {
		t.Fatalf("officials table: %d rows (%s)", len(before), countBefore)
	}
	e.do("fill the title filter", chromedp.SendKeys(chromedp.CSS(`form.filters input[name=title]`), "chu tich"))
	e.follow(`form.filters button[type=submit]`)
	if got := eval[string](e, `new URLSearchParams(location.search).get("title")`); got != "chu tich" {
		t.Errorf("the filter sent title=%q", got)
	}
	countAfter := eval[string](e, `document.querySelector("#count").textContent`)
	after := eval[[]string](e, rowsJS)
	if len(after) == 0 || countAfter == countBefore || slices.Equal(after, before) {
		t.Fatalf("filtering by title changed nothing: %s → %s", countBefore, countAfter)
	}
	for _, title := range after {
		if !strings.Contains(strings.ToLower(title), "chủ tịch") {
			t.Errorf("row title %q does not match chu tich", title)
		}
	}
	if v := eval[string](e, `document.querySelector("form.filters input[name=title]").value`); v != "chu tich" {
		t.Errorf("the filter box lost its text: %q", v)
	}
	e.assertNothingRan("officials page")

	// The CSV link carries the filter.
	href := eval[string](e, `document.querySelector("#csv").getAttribute("href")`)
	if !strings.HasPrefix(href, "/api/officials?") || !strings.Contains(href, "format=csv") || !strings.Contains(href, "title=chu+tich") {
		t.Fatalf("CSV link %q", href)
	}
	resp, body := e.get(href)
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "text/csv; charset=utf-8" {
		t.Fatalf("CSV: status %d, Content-Type %q", resp.StatusCode, ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
		t.Errorf("CSV Content-Disposition %q", cd)
	}
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v", err)
	}
	if got := strings.Join(recs[0], ","); got != strings.Join(index.OfficialColumns, ",") || !strings.HasPrefix(got, "name,title,organization,") {
		t.Errorf("CSV header %q", got)
	}
	if n := resp.Header.Get("X-Total-Count"); fmt.Sprint(len(recs)-1) != n || len(recs)-1 < len(after) {
		t.Errorf("CSV has %d rows, X-Total-Count %s, the page shows %d", len(recs)-1, n, len(after))
	}
	for _, r := range recs[1:] {
		if !strings.Contains(strings.ToLower(r[1]), "chủ tịch") {
			t.Errorf("CSV row %q does not match the filter", r)
		}
	}

	// And the browser downloads the same file.
	dir := t.TempDir()
	if _, err := chromedp.CallBrowser(e.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir, EventsEnabled: new(true)}); err != nil {
		t.Fatal(err)
	}
	dctx, cancel := context.WithTimeout(e.ctx, 20*time.Second)
	defer cancel()
	progress := chromedp.BrowserEvents(dctx, browser.DownloadProgress)
	e.do("click Tải CSV", chromedp.Click(chromedp.CSS("#csv"), chromedp.NodeVisible))
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("download: %v", err)
		}
		if ev.State == browser.DownloadProgressStateCanceled {
			t.Fatal("the browser cancelled the download")
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			break
		}
	}
	got, err := os.ReadFile(filepath.Join(dir, "officials.csv"))
	if err != nil {
		entries, _ := os.ReadDir(dir)
		t.Fatalf("downloaded file: %v (the directory has %v)", err, entries)
	}
	if !bytes.Equal(got, body) {
		t.Errorf("the browser's download (%d bytes) differs from the CSV (%d bytes)", len(got), len(body))
	}
}

// testXSS opens every page that shows the hostile article's text, and pages
// that echo hostile input, and checks that nothing ran.
func (e *browserEnv) testXSS(t *testing.T) {
	e.t = t
	// The payloads reached the index as text: else this proves nothing.
	a, err := e.srv.Index().Article(xssID)
	if err != nil || a == nil {
		t.Fatalf("the XSS fixture is not indexed: %v", err)
	}
	for _, p := range payloads {
		if !strings.Contains(a.Text, p) {
			t.Errorf("the indexed text lacks the payload %s:\n%s", p, a.Text)
		}
	}
	if !strings.Contains(a.Title, payloads[0]) {
		t.Errorf("the indexed title %q lacks the payload", a.Title)
	}
	caption := false
	for _, b := range a.Blocks {
		caption = caption || (b.Kind == "caption" && strings.Contains(a.Text[b.Span[0]:b.Span[1]], payloads[3]))
	}
	if !caption {
		t.Error("no caption carries the svg payload")
	}
	if !strings.Contains(strings.Join(a.Authors, " "), "onerror") {
		t.Errorf("the authors (from JSON-LD) lack the payload: %q", a.Authors)
	}
	if a.Analysis == nil || len(a.Analysis.Quotes) == 0 || len(a.Analysis.People) == 0 {
		t.Fatal("the XSS fixture has no people or quotes")
	}

	// Search finds it; its title and snippets are marked text.
	e.open("/?q=" + url.QueryEscape(`"ma doc"`))
	hit := eval[string](e, `document.querySelector("ol.hits li.hit h2 a").textContent`)
	if hit != a.Title {
		t.Fatalf(`search "ma doc": first hit %q`, hit)
	}
	e.assertNothingRan("search page with the hostile article")

	e.follow("ol.hits li.hit h2 a")
	if p := eval[string](e, `location.pathname`); p != "/articles/"+xssID {
		t.Fatalf("the hit leads to %s", p)
	}
	text := eval[string](e, `document.querySelector("#text").innerText`)
	for _, p := range payloads {
		if !strings.Contains(text, p) {
			t.Errorf("the article page does not show %s as text", p)
		}
	}
	if h1 := eval[string](e, `document.querySelector("#art-title").textContent`); h1 != a.Title {
		t.Errorf("article heading %q", h1)
	}
	if n := eval[int](e, `document.querySelectorAll("#text p .m-quote").length`); n == 0 {
		t.Error("the hostile article's quotes are not marked")
	}
	e.assertNothingRan("hostile article page")

	// Its officials, in the table and in the evidence sentences.
	e.open("/officials?place=" + url.QueryEscape("Thạch Kim"))
	if n := eval[int](e, `document.querySelectorAll("table.officials tbody tr").length`); n == 0 {
		t.Error("the officials of the hostile article are not in the table")
	}
	e.assertNothingRan("officials page")
	e.open("/officials?mentions=1&place=" + url.QueryEscape("Thạch Kim"))
	if got := eval[string](e, `document.querySelector("ol.mentions").innerText`); !strings.Contains(got, "window.__pwned") {
		t.Errorf("the evidence sentences do not show the payload as text: %q", got)
	}
	e.assertNothingRan("evidence page")

	// Hostile input echoed back: query, filters, an unknown article.
	hostile := url.QueryEscape(payloads[0] + payloads[1] + payloads[3])
	for _, path := range []string{
		"/?q=" + hostile + "&person=" + hostile,
		"/officials?title=" + hostile,
		"/timeline?q=" + hostile,
		"/officials?from=" + hostile,
	} {
		if _, err := chromedp.Run(e.ctx, chromedp.NavigateResponse(e.url(path))); err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
		e.do("wait", chromedp.WaitReady(chromedp.CSS("main#main")))
		e.assertNothingRan(path)
	}
	if _, err := chromedp.Run(e.ctx, chromedp.NavigateResponse(e.url("/articles/"+url.PathEscape(payloads[0])))); err != nil {
		t.Fatal(err)
	}
	e.assertNothingRan("unknown article page")

	// The JSON of the article escapes HTML.
	resp, body := e.get("/api/articles/" + xssID)
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("article JSON: %d %q", resp.StatusCode, ct)
	}
	if bytes.ContainsAny(body, "<>") {
		i := bytes.IndexAny(body, "<>")
		t.Errorf("the article JSON has a raw < or >: …%s…", body[max(0, i-60):min(len(body), i+60)])
	}
	if !bytes.Contains(body, []byte(`\u003cscript\u003ewindow.__pwned=1\u003c/script\u003e`)) {
		t.Error(`the article JSON lacks the escaped payload \u003cscript\u003e`)
	}
	var back ArticleResponse
	if err := json.Unmarshal(body, &back); err != nil || back.Article == nil || back.Title != a.Title {
		t.Errorf("the article JSON does not read back: %v", err)
	}
}

// testScreenshots saves full-page screenshots of the main pages at laptop
// and phone sizes, into $BAOTINH_SCREENSHOTS or a temporary directory, and
// checks that no page is wider than the screen.
func (e *browserEnv) testScreenshots(t *testing.T) {
	e.t = t
	dir := os.Getenv("BAOTINH_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	pages := []struct{ name, path string }{
		{"search", "/?q=dan+van+kheo"},
		{"article", e.articlePath},
		{"officials", "/officials"},
		{"timeline", "/timeline?q=" + url.QueryEscape("dân vận")},
		{"crawls", "/crawls"},
		{"home", "/"},
	}
	if e.articlePath == "" {
		t.Fatal("the article test found no article to show")
	}
	for _, size := range []struct {
		name          string
		width, height int64
		mobile        bool
	}{{"laptop", 1280, 800, false}, {"phone", 390, 844, true}} {
		vp := chromedp.EmulateViewport(size.width, size.height)
		if size.mobile {
			vp = chromedp.EmulateViewport(size.width, size.height, chromedp.EmulateMobile, chromedp.EmulateTouch)
		}
		e.do("viewport "+size.name, vp)
		for _, p := range pages {
			e.open(p.path)
			if w := eval[int](e, `document.documentElement.scrollWidth`); w > int(size.width) {
				t.Errorf("%s at %s: the page is %dpx wide, wider than the screen (%dpx)", p.name, size.name, w, size.width)
			}
			png, err := chromedp.Run(e.ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("screenshot of %s: %v", p.name, err)
			}
			file := filepath.Join(dir, p.name+"-"+size.name+".png")
			if err := os.WriteFile(file, png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	e.do("reset the viewport", chromedp.EmulateReset())
	e.assertNothingRan("screenshot pages")
	t.Logf("screenshots in %s", dir)
}
