package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/baotinh/baotinh/crawler"
	"github.com/baotinh/baotinh/index"
	"github.com/baotinh/baotinh/internal/ingest"
)

// defaultDataDir is --data's default: $BAOTINH_DATA, else ./baotinh-data.
func defaultDataDir() string {
	if d := os.Getenv("BAOTINH_DATA"); d != "" {
		return d
	}
	return "baotinh-data"
}

func addDataFlag(c *cobra.Command, dir *string) {
	c.Flags().StringVar(dir, "data", defaultDataDir(), "data directory ($BAOTINH_DATA when set)")
}

// exitInterrupted is the status after Ctrl-C or SIGTERM (128 + SIGINT).
const exitInterrupted = 130

func newCrawlCmd() *cobra.Command {
	var (
		sites            []string
		since, until     string
		max, parallel    int
		delay            time.Duration
		baseURLs         []string
		dataDir, contact string
		format           string
		logEvery         time.Duration
		retries          int
		timeout, backoff time.Duration
		maxBody          int
	)
	c := &cobra.Command{
		Use:   "crawl --site baohatinh|baosonla|all|URL [flags]",
		Short: "Collect a paper's articles politely into the data directory (archive, crawl state)",
		Long: `crawl discovers a site's articles (robots.txt, sitemaps, feeds, listing pages and their numbered
pages), fetches the ones not archived yet politely (one request per second per host by default; a
larger robots.txt Crawl-delay wins; Retry-After honoured; retries with backoff), keeps every response
verbatim in WARC files under DATA/warc/, parses each article (JSON-LD, meta tags, the site's
selectors, a generic fallback) and records it in the crawl state. New and updated articles are analyzed
and indexed into DATA/index as they come, for search, officials and timeline. Run it again to bring the corpus up to
date: articles already archived are not fetched again unless a sitemap says they changed.

--site takes a profile name (baohatinh, baosonla, a profile in DATA/profiles/), "all", or the URL of
any other news site (crawled with the generic profile). Repeat it or separate names with commas.
--base-url maps a site's real origin (all its hosts) onto a mirror, for mirrors and tests; stored URLs
keep the real origin. With several sites, give NAME=URL.

Exit status: 0 when the crawl ran (pages that failed are listed and retried next run), 1 on a fatal
error (data directory in use, archive not writable), 2 for bad flags, 130 when interrupted (what was
fetched is kept; run the same command to continue).`,
		DisableFlagsInUseLine: true,
		Args:                  cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageError("crawl: --format must be text or json, not %q", format)
			}
			known, err := knownProfiles(dataDir)
			if err != nil {
				return &exitError{exitError1, err}
			}
			profiles, err := resolveSites(sites, known)
			if err != nil {
				return usageError("crawl: %v", err)
			}
			opt := crawler.Options{DataDir: dataDir, Sites: profiles, Max: max, Parallel: parallel,
				Delay: delay, Contact: contact, Retries: retries, Timeout: timeout, MaxBody: maxBody, Backoff: backoff}
			// In Options a zero value means the default; on the command line
			// 0 means none.
			if delay == 0 {
				opt.Delay = -1 // politeness off
			}
			if retries == 0 {
				opt.Retries = -1
			}
			if opt.BaseURLs, err = parseBaseURLs(baseURLs, profiles); err != nil {
				return usageError("crawl: --base-url: %v", err)
			}
			if since != "" {
				if opt.Since, err = index.ParseDay(since, false); err != nil {
					return usageError("crawl: --since: %v", err)
				}
			}
			if until != "" {
				if opt.Until, err = index.ParseDay(until, true); err != nil {
					return usageError("crawl: --until: %v", err)
				}
			}
			if !opt.Since.IsZero() && !opt.Until.IsZero() && opt.Until.Before(opt.Since) {
				return usageError("crawl: --until %s is before --since %s", until, since)
			}
			if max < 0 || parallel < 1 || delay < 0 || retries < 0 || maxBody <= 0 || timeout <= 0 || backoff <= 0 {
				return usageError("crawl: --max, --delay and --retries cannot be negative; --parallel, --max-body, --timeout and --backoff must be positive")
			}
			stderr := c.ErrOrStderr()
			// New and updated articles are indexed as they come, in
			// batches; the archive stays the source of truth (reindex).
			// Another crawl or a reindex is named at once (the crawler
			// takes the lock itself; the index would only say it is busy).
			lock, err := crawler.AcquireLock(dataDir)
			if err != nil {
				return &exitError{exitError1, fmt.Errorf("crawl: %w", err)}
			}
			lock.Release()
			ix, err := index.Open(index.DataDir(dataDir), index.Options{})
			if err != nil {
				return &exitError{exitError1, fmt.Errorf("crawl: %w", err)}
			}
			rep := newReporter(stderr, logEvery)
			opt.Progress = rep.progress
			opt.Log = rep.log
			res, err := ingest.Crawl(c.Context(), ix, ingest.Options{Options: opt, OnCatchUp: func(n int) {
				fmt.Fprintf(stderr, "indexed %d archived articles a previous crawl had not indexed (it did not finish)\n", n)
			}})
			rep.done()
			if cerr := ix.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("crawl: closing the index: %w", cerr)
			}
			if sum := res.Summary; sum != nil {
				if format == "json" {
					enc := json.NewEncoder(c.OutOrStdout())
					enc.SetIndent("", "  ")
					enc.Encode(struct {
						*crawler.Summary
						Indexed int `json:"indexed"`
					}{sum, res.Indexed})
				} else {
					writeSummary(c.OutOrStdout(), sum, dataDir)
					fmt.Fprintf(c.OutOrStdout(), "indexed %d new or updated articles into %s\n", res.Indexed, index.DataDir(dataDir))
				}
			}
			if err != nil {
				if c.Context().Err() != nil {
					return &exitError{exitInterrupted, fmt.Errorf("crawl interrupted: what was fetched is kept; run the same command to continue")}
				}
				return &exitError{exitError1, err}
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringSliceVar(&sites, "site", nil, "baohatinh, baosonla, all, a profile name or a site URL (repeatable)")
	f.StringVar(&since, "since", "", "skip articles published before this day (YYYY-MM-DD)")
	f.StringVar(&until, "until", "", "skip articles published after this day (YYYY-MM-DD)")
	f.IntVar(&max, "max", 0, "fetch at most N article pages per site in this run (0: no limit)")
	f.DurationVar(&delay, "delay", time.Second, "least time between two requests to one host (0 turns politeness off: only for your own mirrors)")
	f.IntVar(&parallel, "parallel", 2, "requests in flight at once, over all hosts")
	f.StringArrayVar(&baseURLs, "base-url", nil, "fetch a site from a mirror: URL, or NAME=URL with several sites (repeatable)")
	f.StringVar(&contact, "contact", "", "an e-mail or URL put in the User-Agent so site owners can reach you")
	f.StringVar(&format, "format", "text", "summary format: text or json")
	f.DurationVar(&logEvery, "log-every", 30*time.Second, "when not on a terminal, a progress line this often")
	f.IntVar(&retries, "retries", 3, "retries of a page on timeouts, 5xx and 429")
	f.DurationVar(&backoff, "backoff", 2*time.Second, "wait before the first retry, doubled for each next one")
	f.DurationVar(&timeout, "timeout", 30*time.Second, "time limit of one request")
	f.IntVar(&maxBody, "max-body", 10<<20, "largest response kept, in bytes")
	addDataFlag(c, &dataDir)
	c.MarkFlagRequired("site")
	return c
}

// knownProfiles are the embedded profiles, replaced or extended by the JSON
// files in DATA/profiles/.
func knownProfiles(dataDir string) ([]*crawler.Profile, error) {
	known := crawler.Profiles()
	user, err := crawler.UserProfiles(filepath.Join(dataDir, "profiles"))
	if err != nil {
		return nil, err
	}
	for _, u := range user {
		replaced := false
		for i, k := range known {
			if k.Name == u.Name {
				known[i], replaced = u, true
			}
		}
		if !replaced {
			known = append(known, u)
		}
	}
	return known, nil
}

func resolveSites(sites []string, known []*crawler.Profile) ([]*crawler.Profile, error) {
	var out []*crawler.Profile
	seen := map[string]bool{}
	add := func(p *crawler.Profile) {
		if !seen[p.Name] {
			seen[p.Name] = true
			out = append(out, p)
		}
	}
	for _, s := range sites {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if s == "all" {
			for _, p := range known {
				add(p)
			}
			continue
		}
		p, err := crawler.Resolve(s, known)
		if err != nil {
			return nil, err
		}
		add(p)
	}
	if len(out) == 0 {
		return nil, errors.New("--site names no site")
	}
	return out, nil
}

func parseBaseURLs(vals []string, sites []*crawler.Profile) (map[string]*url.URL, error) {
	m := map[string]*url.URL{}
	for _, v := range vals {
		name, raw := "", v
		if i := strings.Index(v, "="); i > 0 && !strings.Contains(v[:i], "/") {
			name, raw = v[:i], v[i+1:]
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("%q is not an http(s) URL", raw)
		}
		if u.Path != "" && u.Path != "/" {
			return nil, fmt.Errorf("%q: a mirror is an origin, without a path", raw)
		}
		u.Path = ""
		if name == "" {
			if len(sites) != 1 {
				return nil, fmt.Errorf("with several sites, give NAME=URL (%q)", v)
			}
			name = sites[0].Name
		}
		found := false
		for _, p := range sites {
			found = found || p.Name == name
		}
		if !found {
			return nil, fmt.Errorf("%q is not one of the sites crawled", name)
		}
		m[name] = u
	}
	return m, nil
}

// reporter shows a crawl's progress: a bar on a terminal, else a log line
// every interval.
type reporter struct {
	mu    sync.Mutex
	w     io.Writer
	bar   *progressbar.ProgressBar
	every time.Duration
	last  time.Time
}

func newReporter(w io.Writer, every time.Duration) *reporter {
	r := &reporter{w: w, every: every, last: time.Now()}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		r.bar = progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("crawling"),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("pages"),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return r
}

func (r *reporter) progress(p crawler.Progress) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.bar != nil {
		r.bar.Describe(fmt.Sprintf("crawling: %d discovered, %d new, %d updated, %d unchanged, %d failed",
			p.Discovered, p.New, p.Updated, p.Unchanged, p.Failed))
		r.bar.Set(p.Fetched)
		return
	}
	if r.every > 0 && time.Since(r.last) >= r.every {
		r.last = time.Now()
		fmt.Fprintf(r.w, "%s crawl: %s elapsed, %d discovered, %d fetched, %d new, %d updated, %d unchanged, %d failed\n",
			time.Now().Format("15:04:05"), p.Elapsed.Round(time.Second), p.Discovered, p.Fetched, p.New, p.Updated, p.Unchanged, p.Failed)
	}
}

func (r *reporter) log(line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.bar != nil {
		r.bar.Clear()
	}
	fmt.Fprintf(r.w, "%s %s\n", time.Now().Format("15:04:05"), line)
}

func (r *reporter) done() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.bar != nil {
		r.bar.Finish()
	}
}

func writeSummary(w io.Writer, s *crawler.Summary, dataDir string) {
	d := s.Finished.Sub(s.Started).Round(100 * time.Millisecond)
	state := "finished"
	if s.Interrupted {
		state = "interrupted"
	}
	fmt.Fprintf(w, "crawl of %s %s in %s (data in %s)\n", strings.Join(s.Sites, ", "), state, d, dataDir)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  discovered\t%d\tarticles found by discovery\n", s.Discovered)
	fmt.Fprintf(tw, "  known\t%d\talready archived and unchanged: not fetched\n", s.Known)
	fmt.Fprintf(tw, "  fetched\t%d\tarticle pages requested\n", s.Fetched)
	fmt.Fprintf(tw, "  new\t%d\t\n", s.New)
	fmt.Fprintf(tw, "  updated\t%d\tchanged since last archived: archived again\n", s.Updated)
	fmt.Fprintf(tw, "  unchanged\t%d\tfetched again, same article\n", s.Unchanged)
	fmt.Fprintf(tw, "  failed\t%d\tretried next run\n", s.FailedTotal())
	fmt.Fprintf(tw, "  other pages\t%d\trobots.txt, sitemaps, feeds, listings (%d not found: normal for guessed URLs)\n", s.Pages, s.NotFound)
	fmt.Fprintf(tw, "  requests\t%d\t%.1f MB received\n", s.Requests, float64(s.Bytes)/1e6)
	tw.Flush()
	if len(s.PerSite) > 1 {
		fmt.Fprintln(w, "per site:")
		for _, name := range sortedKeys(s.PerSite) {
			c := s.PerSite[name]
			fmt.Fprintf(w, "  %-10s %d discovered, %d new, %d updated, %d unchanged, %d failed\n", name, c.Discovered, c.New, c.Updated, c.Unchanged, c.Failed)
		}
	}
	if len(s.Failed) > 0 {
		fmt.Fprintln(w, "failed by reason:")
		for _, k := range sortedKeys(s.Failed) {
			fmt.Fprintf(w, "  %-28s %d\n", k, s.Failed[k])
		}
	}
	if len(s.Skipped) > 0 {
		fmt.Fprintln(w, "skipped by reason:")
		for _, k := range sortedKeys(s.Skipped) {
			fmt.Fprintf(w, "  %-28s %d\n", k, s.Skipped[k])
		}
	}
	if len(s.Layers) > 0 {
		fmt.Fprintln(w, "parse layers used (field: layer articles):")
		for _, field := range sortedKeys(s.Layers) {
			var parts []string
			for _, layer := range sortedKeys(s.Layers[field]) {
				parts = append(parts, fmt.Sprintf("%s %d", layer, s.Layers[field][layer]))
			}
			fmt.Fprintf(w, "  %-10s %s\n", field+":", strings.Join(parts, ", "))
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
