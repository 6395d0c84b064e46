package crawler

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/baotinh/baotinh/crawler/warc"
	"github.com/baotinh/baotinh/extract"
)

// Version goes into the User-Agent and the WARC warcinfo records.
var Version = "0.4"

// Options configure a crawl. Zero values give the polite defaults.
type Options struct {
	DataDir  string
	Sites    []*Profile
	BaseURLs map[string]*url.URL // profile name -> mirror origin (--base-url)
	Since    time.Time           // skip articles published (or last modified) before
	Until    time.Time           // skip articles published after
	Max      int                 // at most this many article pages fetched per site (0: no limit)
	// Delay is the least time between two requests to one host (default 1s;
	// negative turns politeness off, for benchmarks on loopback). A larger
	// robots.txt Crawl-delay wins.
	Delay    time.Duration
	Parallel int    // requests in flight at once, over all hosts (default 2)
	Contact  string // put in the User-Agent (an e-mail or URL)
	Timeout  time.Duration
	MaxBody  int           // response size cap in bytes (default 10 MiB)
	Retries  int           // attempts after the first on 5xx, 429 and timeouts (default 3; negative: none)
	Backoff  time.Duration // first retry wait, doubled each time (default 2s)
	// MaxRetryAfter caps how long a Retry-After is honoured within one run;
	// longer waits leave the page for the next run (default 2m).
	MaxRetryAfter time.Duration
	WARCMaxSize   int64
	// OnArticle is called for every new or updated article, after it is
	// archived and recorded, with the extractor's analysis of it (the search
	// index hooks in here). The extractor runs only for it: its results are
	// not stored in the archive, which reindex reads with the extractor of
	// the day.
	OnArticle func(*Page, *extract.Analysis) error
	// Progress is called after every article page.
	Progress func(Progress)
	// Log receives one line per notable event (no trailing newline).
	Log func(string)
}

// Progress is a running crawl's count.
type Progress struct {
	Discovered, Fetched, New, Updated, Unchanged, Failed int
	Elapsed                                              time.Duration
}

// Summary is what a crawl did.
type Summary struct {
	Sites       []string                  `json:"sites"`
	Started     time.Time                 `json:"started"`
	Finished    time.Time                 `json:"finished"`
	Discovered  int                       `json:"discovered"` // distinct articles found by discovery
	Known       int                       `json:"known"`      // of those, already archived and not changed since: not fetched
	Fetched     int                       `json:"fetched"`    // article pages requested
	New         int                       `json:"new"`
	Updated     int                       `json:"updated"`
	Unchanged   int                       `json:"unchanged"` // fetched (or 304) with the same article
	Pages       int                       `json:"pages"`     // robots, sitemaps, feeds and listings fetched
	NotFound    int                       `json:"not_found"` // guessed URLs answering 404: normal
	Skipped     map[string]int            `json:"skipped"`   // by reason
	Failed      map[string]int            `json:"failed"`    // by reason; retried next run
	Layers      map[string]map[string]int `json:"layers"`    // field -> parse layer -> articles
	PerSite     map[string]*SiteCount     `json:"per_site"`
	Requests    int                       `json:"requests"` // every HTTP request, retries included
	Bytes       int64                     `json:"bytes"`    // response bytes received
	Interrupted bool                      `json:"interrupted,omitempty"`
}

// SiteCount is a summary's per-site part.
type SiteCount struct {
	Discovered int `json:"discovered"`
	New        int `json:"new"`
	Updated    int `json:"updated"`
	Unchanged  int `json:"unchanged"`
	Failed     int `json:"failed"`
}

// FailedTotal sums failures over reasons.
func (s *Summary) FailedTotal() int {
	n := 0
	for _, v := range s.Failed {
		n += v
	}
	return n
}

// Paths of a data directory.
func StatePath(dataDir string) string { return filepath.Join(dataDir, "crawl", "state.db") }
func WARCDir(dataDir string) string   { return filepath.Join(dataDir, "warc") }

// Crawl runs one crawl of the given sites into the data directory. It returns
// a summary when the crawl ran (failed pages are counted, and retried next
// run) and an error only when it could not run: the data directory is held by
// another crawl, the state or archive cannot be written, or ctx was cancelled
// (the summary is returned then too).
func Crawl(ctx context.Context, opt Options) (*Summary, error) {
	if len(opt.Sites) == 0 {
		return nil, errors.New("crawler: no site to crawl")
	}
	opt.defaults()
	lock, err := AcquireLock(opt.DataDir)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	st, err := OpenState(StatePath(opt.DataDir))
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if err := recoverState(st, opt.DataDir, opt.Log); err != nil {
		return nil, err
	}
	w, err := warc.NewWriter(WARCDir(opt.DataDir), warc.Options{
		Prefix:   "baotinh",
		MaxSize:  opt.WARCMaxSize,
		Software: "baotinh/" + Version,
		Info: map[string]string{
			"robots":                 "obey",
			"operator":               opt.Contact,
			"http-header-user-agent": opt.userAgent(),
			"description":            "baotinh crawl of " + strings.Join(siteNames(opt.Sites), ", "),
		},
	})
	if err != nil {
		return nil, err
	}
	c := &crawl{opt: opt, state: st, warc: w, gates: map[string]*gate{}, robots: map[string]*robots{}}
	c.sum = &Summary{Sites: siteNames(opt.Sites), Started: time.Now(), Skipped: map[string]int{},
		Failed: map[string]int{}, Layers: map[string]map[string]int{}, PerSite: map[string]*SiteCount{}}
	m := newOriginMap()
	for _, p := range opt.Sites {
		if b := opt.BaseURLs[p.Name]; b != nil {
			m.add(p, b)
		}
		c.sum.PerSite[p.Name] = &SiteCount{}
	}
	c.fetch = newFetcher(opt.userAgent(), opt.Timeout, opt.MaxBody, m, c.allowedHost)
	run := &Run{ID: c.sum.Started.UTC().Format("20060102T150405.000000000Z"), Sites: c.sum.Sites, Started: c.sum.Started, PID: os.Getpid()}
	if err := st.PutRun(run); err != nil {
		w.Close()
		return nil, err
	}
	runErr := c.run(ctx)
	c.sum.Finished = time.Now()
	if ctx.Err() != nil {
		c.sum.Interrupted = true
	}
	if err := w.Close(); err != nil && runErr == nil {
		runErr = err
	}
	run.Finished, run.Summary, run.WARCs = c.sum.Finished, c.sum, c.warcFiles()
	if runErr != nil {
		run.Error = runErr.Error()
	}
	if err := st.PutRun(run); err != nil && runErr == nil {
		runErr = err
	}
	return c.sum, runErr
}

func siteNames(ps []*Profile) []string {
	var n []string
	for _, p := range ps {
		n = append(n, p.Name)
	}
	return n
}

func (o *Options) defaults() {
	if o.Delay == 0 {
		o.Delay = time.Second
	}
	if o.Delay < 0 {
		o.Delay = 0
	}
	if o.Parallel <= 0 {
		o.Parallel = 2
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.MaxBody <= 0 {
		o.MaxBody = 10 << 20
	}
	if o.Retries < 0 {
		o.Retries = 0
	} else if o.Retries == 0 {
		o.Retries = 3
	}
	if o.Backoff <= 0 {
		o.Backoff = 2 * time.Second
	}
	if o.MaxRetryAfter <= 0 {
		o.MaxRetryAfter = 2 * time.Minute
	}
	if o.WARCMaxSize <= 0 {
		o.WARCMaxSize = 1 << 30
	}
	if o.Log == nil {
		o.Log = func(string) {}
	}
}

func (o *Options) userAgent() string {
	ua := "baotinh/" + Version + " (research crawler; +https://github.com/baotinh/baotinh"
	if o.Contact != "" {
		ua += "; " + o.Contact
	}
	return ua + ")"
}

// crawl is one run in progress.
type crawl struct {
	opt   Options
	state *State
	warc  *warc.Writer
	fetch *fetcher

	mu     sync.Mutex
	sum    *Summary
	gates  map[string]*gate
	robots map[string]*robots
	files  map[string]bool
}

type job struct {
	site   *Profile
	id     string
	link   Link
	prev   *ArticleState
	walker *walker
}

func (c *crawl) allowedHost(host string) bool {
	for _, p := range c.opt.Sites {
		if p.Allowed(host) {
			return true
		}
	}
	return false
}

func (c *crawl) logf(format string, args ...any) { c.opt.Log(fmt.Sprintf(format, args...)) }

func (c *crawl) run(ctx context.Context) error {
	jobs := make(chan job, 256)
	var fatal error
	var fatalOnce sync.Once
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	setFatal := func(err error) {
		fatalOnce.Do(func() { fatal = err; cancel() })
	}
	var workers sync.WaitGroup
	for i := 0; i < c.opt.Parallel; i++ {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for j := range jobs {
				if cctx.Err() == nil {
					// When stopped, the rest is drained unfetched: found again next run.
					if err := c.article(cctx, j); err != nil {
						setFatal(err)
					}
				}
				j.walker.pending.Add(-1)
			}
		}()
	}
	var disc sync.WaitGroup
	for _, p := range c.opt.Sites {
		disc.Add(1)
		go func(p *Profile) {
			defer disc.Done()
			if err := c.discover(cctx, p, jobs); err != nil {
				setFatal(err)
			}
		}(p)
	}
	disc.Wait()
	close(jobs)
	workers.Wait()
	if fatal != nil {
		return fatal
	}
	if ctx.Err() != nil {
		return fmt.Errorf("crawler: interrupted: %w", ctx.Err())
	}
	return nil
}

// gate spaces the requests to one host.
type gate struct {
	mu    sync.Mutex
	next  time.Time
	delay time.Duration
}

func (g *gate) wait(ctx context.Context) error {
	g.mu.Lock()
	now := time.Now()
	t := g.next
	if t.Before(now) {
		t = now
	}
	g.next = t.Add(g.delay)
	g.mu.Unlock()
	if d := time.Until(t); d > 0 {
		tm := time.NewTimer(d)
		defer tm.Stop()
		select {
		case <-tm.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// setDelay changes the least time between two requests (robots.txt
// Crawl-delay).
func (g *gate) setDelay(d time.Duration) {
	g.mu.Lock()
	g.delay = d
	g.mu.Unlock()
}

// pause keeps the host quiet for d (429 and 503 with Retry-After).
func (g *gate) pause(d time.Duration) {
	g.mu.Lock()
	if until := time.Now().Add(d); until.After(g.next) {
		g.next = until
	}
	g.mu.Unlock()
}

func (c *crawl) gateFor(fetchURL *url.URL) *gate {
	c.mu.Lock()
	defer c.mu.Unlock()
	g := c.gates[fetchURL.Host]
	if g == nil {
		g = &gate{delay: c.opt.Delay}
		c.gates[fetchURL.Host] = g
	}
	return g
}

// get fetches a URL politely: the host's gate, retries with exponential
// backoff on timeouts and 5xx, Retry-After on 429 and 503 (robots.txt is the
// caller's to check). Every exchange is archived; meta, if not nil, is called
// for the final response's metadata record.
func (c *crawl) get(ctx context.Context, rawURL string, hdr http.Header, meta func(*Fetch) []byte) (*Fetch, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("crawler: %w", err)
	}
	g := c.gateFor(c.fetch.mapping.fetchURL(u))
	var last *Fetch
	var lastErr error
	backoff := c.opt.Backoff
	for attempt := 0; attempt <= c.opt.Retries; attempt++ {
		if err := g.wait(ctx); err != nil {
			return last, err
		}
		f, err := c.fetch.get(ctx, rawURL, hdr)
		if ctx.Err() != nil {
			return last, ctx.Err()
		}
		c.mu.Lock()
		c.sum.Requests++
		if f != nil {
			for _, h := range f.Hops {
				c.sum.Bytes += int64(len(h.Response))
			}
		}
		c.mu.Unlock()
		if f != nil && len(f.Hops) > 0 {
			var md []byte
			if meta != nil && err == nil && f.Status > 0 {
				md = meta(f)
			}
			if aerr := c.archive(f, md); aerr != nil {
				return f, aerr
			}
		}
		last, lastErr = f, err
		retry := false
		wait := backoff
		switch {
		case err != nil:
			retry = isTransient(err)
		case f.Status == http.StatusTooManyRequests || f.Status == http.StatusServiceUnavailable:
			retry = true
			if ra, ok := retryAfter(f.Header.Get("Retry-After")); ok {
				if ra > c.opt.MaxRetryAfter {
					return f, fmt.Errorf("%w: %s: http %d with Retry-After %s: left for the next run", errRateLimited, rawURL, f.Status, ra)
				}
				wait = ra
			}
			g.pause(wait)
		case f.Status >= 500:
			retry = true
		}
		if !retry || attempt == c.opt.Retries {
			break
		}
		c.logf("retry %s in %s (attempt %d): %s", rawURL, wait, attempt+1, describe(f, err))
		tm := time.NewTimer(wait)
		select {
		case <-tm.C:
		case <-ctx.Done():
			tm.Stop()
			return last, ctx.Err()
		}
		backoff *= 2
	}
	return last, lastErr
}

func describe(f *Fetch, err error) string {
	if err != nil {
		return err.Error()
	}
	return "http " + strconv.Itoa(f.Status)
}

// isTransient tells errors worth a retry: timeouts, resets, cut bodies.
func isTransient(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	s := err.Error()
	for _, t := range []string{"timeout", "EOF", "connection reset", "connection refused", "broken pipe", "unexpected EOF"} {
		if strings.Contains(s, t) {
			return true
		}
	}
	return false
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := time.Until(t)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// Errors that name why a fetch failed.
var (
	errRedirectLoop = errors.New("redirect loop")
	errOffSite      = errors.New("redirect off site")
	errRateLimited  = errors.New("rate limited")
)

// failReason is the summary's key for a failed fetch.
func failReason(f *Fetch, err error) string {
	if err != nil {
		for _, e := range []error{errRedirectLoop, errOffSite, errRateLimited} {
			if errors.Is(err, e) {
				return e.Error()
			}
		}
		switch {
		case isTimeout(err):
			return "timeout"
		case strings.Contains(err.Error(), "EOF"):
			return "truncated"
		}
		return "network"
	}
	if f != nil && f.Status > 0 {
		return "http " + strconv.Itoa(f.Status)
	}
	return "network"
}

func isTimeout(err error) bool {
	var ne net.Error
	return (errors.As(err, &ne) && ne.Timeout()) || strings.Contains(err.Error(), "Timeout") || strings.Contains(err.Error(), "timeout")
}

func (c *crawl) archive(f *Fetch, meta []byte) error {
	for i, h := range f.Hops {
		e := warc.Exchange{URL: h.URL, Date: h.Date, IP: h.IP, Request: h.Request, Response: h.Response}
		if i == len(f.Hops)-1 {
			e.Metadata = meta
			if f.Truncated {
				e.Truncated = "length"
			}
		}
		if len(e.Response) == 0 {
			continue // nothing came back (refused, timed out before a byte)
		}
		loc, err := c.warc.WriteExchange(e)
		if err != nil {
			return fmt.Errorf("%w: %w", errArchive, err)
		}
		c.mu.Lock()
		if c.files == nil {
			c.files = map[string]bool{}
		}
		c.files[loc.File] = true
		c.mu.Unlock()
		if i == len(f.Hops)-1 {
			f.loc = loc
		}
	}
	return nil
}

func (c *crawl) warcFiles() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var fs []string
	for f := range c.files {
		fs = append(fs, filepath.Base(f))
	}
	sort.Strings(fs)
	return fs
}

// ArchiveRecord is the JSON of the metadata record written beside every
// article response: what the parser made of the page. The extractor's
// analysis is not stored: reindex derives it from the response with the
// extractor of the day.
type ArchiveRecord struct {
	Site     string            `json:"site"`
	ID       string            `json:"id"`
	URL      string            `json:"url"`
	FetchURL string            `json:"fetch_url,omitempty"`
	Status   string            `json:"status"`
	Change   string            `json:"change,omitempty"`
	Hash     string            `json:"hash,omitempty"`
	Layers   map[string]string `json:"layers,omitempty"`
	Charset  string            `json:"charset,omitempty"`
	Article  *ArticleFields    `json:"article,omitempty"`
}

// ArticleFields are the article's fields as parsed.
type ArticleFields struct {
	Title     string    `json:"title"`
	Published time.Time `json:"published,omitzero"`
	Modified  time.Time `json:"modified,omitzero"`
	Category  string    `json:"category,omitempty"`
	Tags      []string  `json:"tags,omitempty"`
	Authors   []string  `json:"authors,omitempty"`
	Text      string    `json:"text"`
}

// articleHash identifies an article's content, not its page: the chrome
// around it (latest-news lists, counters) changes without the article
// changing.
func articleHash(a *extract.Article) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", a.Text, a.Published.UTC().Format(time.RFC3339), strings.Join(a.Authors, ","))
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

func isHTML(f *Fetch) bool {
	ct := f.Header.Get("Content-Type")
	if ct == "" {
		b := strings.TrimSpace(string(f.Body[:min(len(f.Body), 512)]))
		return strings.HasPrefix(b, "<")
	}
	mt, _, _ := mime.ParseMediaType(ct)
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// article fetches, parses, archives and records one article.
func (c *crawl) article(ctx context.Context, j job) error {
	p := j.site
	now := time.Now()
	st := j.prev
	if st == nil {
		st = &ArticleState{Site: p.Name, ID: j.id, Source: j.link.Source, FirstSeen: now}
	}
	u, _ := url.Parse(j.link.URL)
	st.URL = p.Canonical(u)
	st.LastSeen = now
	if !j.link.Lastmod.IsZero() {
		st.Lastmod = j.link.Lastmod
	}
	if !c.robotsAllow(p, u) {
		st.Status, st.LastError = StatusSkipped, "disallowed by robots.txt"
		c.count(func(s *Summary) { s.Skipped["disallowed by robots.txt"]++ })
		return c.state.PutArticle(st)
	}
	var hdr http.Header
	if st.Status == StatusOK {
		hdr = conditional(st.ETag, st.LastModified)
	}
	var page *Page
	var parseErr error
	var rec *ArchiveRecord
	meta := func(f *Fetch) []byte {
		rec = &ArchiveRecord{Site: p.Name, ID: j.id, URL: st.URL, FetchURL: f.FetchURL}
		switch {
		case f.Status == http.StatusNotModified:
			rec.Status, rec.Change, rec.Hash = "not-modified", ChangeUnchanged, st.Hash
		case f.Status != http.StatusOK:
			rec.Status = "http " + strconv.Itoa(f.Status)
		case f.Truncated:
			rec.Status = "oversized"
		case !isHTML(f):
			rec.Status = "not html"
		default:
			page, parseErr = ParseArticle(f.Body, f.Header.Get("Content-Type"), mustParse(f.URL), p)
			if parseErr != nil {
				rec.Status = "parse error: " + parseErr.Error()
				break
			}
			if !page.IsArticle {
				rec.Status = "not an article"
				break
			}
			// The crawl's identity of the article (a generic site's page may
			// name a post number of its own).
			page.Article.SiteID = j.id
			if page.Article.URL == "" {
				page.Article.URL = st.URL
			}
			a := page.Article
			rec.Status, rec.Hash, rec.Layers, rec.Charset = "ok", articleHash(a), page.Layers, page.Charset
			rec.Change = ChangeNew
			if st.Hash != "" {
				rec.Change = ChangeUpdated
				if st.Hash == rec.Hash {
					rec.Change = ChangeUnchanged
				}
			}
			if rec.Change != ChangeUnchanged {
				j.walker.found(page.Links)
			}
			rec.Article = &ArticleFields{Title: titleAsShown(a), Published: a.Published, Modified: a.Modified,
				Category: a.Category, Tags: a.Tags, Authors: a.Authors, Text: a.Text}
		}
		b, _ := json.Marshal(rec)
		return b
	}
	f, err := c.get(ctx, j.link.URL, hdr, meta)
	if ctx.Err() != nil {
		return nil // in flight when stopped: found again next run
	}
	st.Attempts++
	st.LastFetched = now
	c.count(func(s *Summary) { s.Fetched++ })
	if err != nil && (f == nil || f.Status == 0 || rec == nil) {
		if errors.Is(err, errArchive) {
			return err
		}
		return c.fail(st, failReason(f, err), err.Error())
	}
	if rec == nil {
		return c.fail(st, failReason(f, nil), describe(f, nil))
	}
	index := false // a new or updated article, for OnArticle
	switch {
	case rec.Status == "not-modified":
		st.Status, st.Change, st.LastError = StatusOK, ChangeUnchanged, ""
		c.count(func(s *Summary) { s.Unchanged++; s.PerSite[p.Name].Unchanged++ })
	case f.Status == http.StatusNotFound || f.Status == http.StatusGone:
		st.Status, st.LastError = StatusGone, rec.Status
		c.count(func(s *Summary) { s.Skipped["gone (404/410)"]++ })
	case rec.Status == "not html" || rec.Status == "not an article":
		st.Status, st.LastError = StatusSkipped, rec.Status
		c.count(func(s *Summary) { s.Skipped[rec.Status]++ })
	case rec.Status != "ok":
		reason := rec.Status
		if strings.HasPrefix(reason, "parse error") {
			reason = "parse error"
		}
		return c.fail(st, reason, rec.Status)
	default:
		a := page.Article
		// Fetched before its date was known to be after --until: archived and
		// recorded (nothing fetched is thrown away), but not counted or indexed.
		afterUntil := !c.opt.Until.IsZero() && a.Published.After(c.opt.Until)
		index = rec.Change != ChangeUnchanged && !afterUntil
		st.Status, st.Change, st.Hash, st.LastError = StatusOK, rec.Change, rec.Hash, ""
		st.ETag, st.LastModified = f.Header.Get("ETag"), f.Header.Get("Last-Modified")
		st.Published = a.Published
		st.WARCFile, st.WARCOffset = filepath.Base(f.loc.File), f.loc.Offset
		c.count(func(s *Summary) {
			switch {
			case afterUntil:
				s.Skipped["after --until"]++
			case rec.Change == ChangeNew:
				s.New++
				s.PerSite[p.Name].New++
			case rec.Change == ChangeUpdated:
				s.Updated++
				s.PerSite[p.Name].Updated++
			default:
				s.Unchanged++
				s.PerSite[p.Name].Unchanged++
			}
			for field, layer := range page.Layers {
				if s.Layers[field] == nil {
					s.Layers[field] = map[string]int{}
				}
				s.Layers[field][layer]++
			}
		})
	}
	if err := c.state.PutArticle(st); err != nil {
		return err
	}
	if index && c.opt.OnArticle != nil {
		if err := c.opt.OnArticle(page, extract.Analyze(page.Article)); err != nil {
			return fmt.Errorf("crawler: %s: %w", st.URL, err)
		}
	}
	c.progress()
	return nil
}

// conditional returns the headers of a conditional GET for a page fetched
// before with these validators.
func conditional(etag, lastModified string) http.Header {
	h := http.Header{}
	if etag != "" {
		h.Set("If-None-Match", etag)
	}
	if lastModified != "" {
		h.Set("If-Modified-Since", lastModified)
	}
	return h
}

// errArchive marks a failure to write the archive: fatal, since a page that
// cannot be archived must not be counted as collected.
var errArchive = errors.New("crawler: archive")

// titleAsShown is the title block's text as the page shows it.
func titleAsShown(a *extract.Article) string {
	for _, b := range a.Blocks {
		if b.Kind == extract.BlockTitle {
			return strings.Join(strings.Fields(a.BlockText(b)), " ")
		}
	}
	return ""
}

func mustParse(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		return &url.URL{}
	}
	return u
}

func (c *crawl) fail(st *ArticleState, reason, detail string) error {
	st.Status, st.LastError = StatusFailed, detail
	c.count(func(s *Summary) { s.Failed[reason]++; s.PerSite[st.Site].Failed++ })
	c.logf("failed %s: %s", st.URL, detail)
	if err := c.state.PutArticle(st); err != nil {
		return err
	}
	c.progress()
	return nil
}

func (c *crawl) count(fn func(*Summary)) {
	c.mu.Lock()
	fn(c.sum)
	c.mu.Unlock()
}

func (c *crawl) progress() {
	if c.opt.Progress == nil {
		return
	}
	c.mu.Lock()
	s := c.sum
	pr := Progress{Discovered: s.Discovered, Fetched: s.Fetched, New: s.New, Updated: s.Updated,
		Unchanged: s.Unchanged, Failed: s.FailedTotal(), Elapsed: time.Since(s.Started)}
	c.mu.Unlock()
	c.opt.Progress(pr)
}
