package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/baotinh/baotinh"
	"github.com/baotinh/baotinh/crawler"
	"github.com/baotinh/baotinh/index"
	"github.com/baotinh/baotinh/internal/ingest"
	"github.com/baotinh/baotinh/internal/sitegen"
	"github.com/baotinh/baotinh/server"
)

func newDemoCmd() *cobra.Command {
	var (
		addr, dataDir string
		noServe       bool
	)
	c := &cobra.Command{
		Use:   "demo [--addr 127.0.0.1:8080] [--no-serve] [--data DIR]",
		Short: "The whole pipeline on the embedded sample of both papers: crawl, index, summary, web interface",
		Long: `demo shows baotinh at work with no network and nothing to set up. The binary carries a sample of
Báo Hà Tĩnh and Báo Sơn La: 48 article pages in the papers' own templates, with their home, category,
tag and listing pages, sitemaps, RSS feeds and robots.txt. demo serves it as two mirror sites on
loopback ports, crawls them with the real crawler (as crawl --base-url does), extracts and indexes
every article, and prints what a researcher would look at first: the articles per paper, the ten
officials named in the most articles, a search with its snippets and a timeline. Then it serves the
web interface on --addr until Ctrl-C; --no-serve stops after the summary.

The data goes to a temporary directory, removed at the end, unless --data is given (then it stays,
and the other commands can use it: baotinh search --data DIR ...).`,
		DisableFlagsInUseLine: true,
		Args:                  cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			return runDemo(c.Context(), c.OutOrStdout(), c.ErrOrStderr(), addr, dataDir, noServe)
		},
	}
	f := c.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8080", "address of the web interface")
	f.BoolVar(&noServe, "no-serve", false, "stop after the summary")
	f.StringVar(&dataDir, "data", "", "keep the data in this directory (default: a temporary one, removed at the end)")
	return c
}

func runDemo(ctx context.Context, w, stderr io.Writer, addr, dataDir string, noServe bool) error {
	start := time.Now()
	if dataDir == "" {
		tmp, err := os.MkdirTemp("", "baotinh-demo-")
		if err != nil {
			return &exitError{exitError1, fmt.Errorf("demo: %w", err)}
		}
		defer os.RemoveAll(tmp)
		dataDir = filepath.Join(tmp, "data")
	}
	// The web interface's address is taken first: a busy port is found
	// before the work, not after.
	var ln net.Listener
	if !noServe {
		var err error
		if ln, err = net.Listen("tcp", addr); err != nil {
			return &exitError{exitError1, fmt.Errorf("demo: %w (give another --addr, or --no-serve)", err)}
		}
		defer ln.Close()
	}
	opt := crawler.Options{DataDir: dataDir, Delay: -1, Parallel: 4, BaseURLs: map[string]*url.URL{}}
	var mirrors []string
	for _, name := range baotinh.SampleSites {
		fsys, err := baotinh.Sample(name)
		if err != nil {
			return &exitError{exitError1, err}
		}
		p, err := crawler.Resolve(name, crawler.Profiles())
		if err != nil {
			return &exitError{exitError1, err}
		}
		mln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return &exitError{exitError1, fmt.Errorf("demo: %w", err)}
		}
		hs := &http.Server{Handler: sitegen.FSHandler(fsys), ReadHeaderTimeout: 10 * time.Second}
		go hs.Serve(mln)
		defer hs.Close()
		u := &url.URL{Scheme: "http", Host: mln.Addr().String()}
		opt.Sites = append(opt.Sites, p)
		opt.BaseURLs[name] = u
		mirrors = append(mirrors, fmt.Sprintf("%s at %s", p.Name, u))
	}
	fmt.Fprintf(w, "baotinh demo: the embedded sample of Báo Hà Tĩnh and Báo Sơn La, served as mirrors (%s)\n", strings.Join(mirrors, ", "))
	fmt.Fprintf(w, "crawling, extracting and indexing into %s ...\n", dataDir)

	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return &exitError{exitError1, fmt.Errorf("demo: %w", err)}
	}
	ix, err := index.Open(index.DataDir(dataDir), index.Options{})
	if err != nil {
		return &exitError{exitError1, fmt.Errorf("demo: %w", err)}
	}
	rep := newReporter(stderr, 0)
	opt.Progress, opt.Log = rep.progress, func(string) {}
	res, err := ingest.Crawl(ctx, ix, ingest.Options{Options: opt})
	rep.done()
	if err != nil {
		ix.Close()
		if ctx.Err() != nil {
			return &exitError{exitInterrupted, errors.New("demo interrupted")}
		}
		return &exitError{exitError1, fmt.Errorf("demo: %w", err)}
	}
	sum := res.Summary
	fmt.Fprintf(w, "crawled %d pages (%d articles, %d other pages: robots.txt, sitemaps, feeds, listings), indexed %d articles in %s\n\n",
		sum.Requests, sum.Fetched, sum.Pages, res.Indexed, time.Since(start).Round(10*time.Millisecond))
	err = demoSummary(ctx, w, ix)
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return &exitError{exitError1, fmt.Errorf("demo: %w", err)}
	}
	if noServe {
		return nil
	}

	cfg := server.Config{DataDir: dataDir, Crawl: ingest.Options{Options: opt},
		Log: func(line string) { fmt.Fprintf(stderr, "%s %s\n", time.Now().Format("15:04:05"), line) }}
	cfg.Crawl.Progress, cfg.Crawl.Log = nil, nil
	srv, err := server.New(cfg)
	if err != nil {
		return &exitError{exitError1, fmt.Errorf("demo: %w", err)}
	}
	fmt.Fprintf(w, "\nthe web interface is at http://%s/ (Ctrl-C stops)\n", ln.Addr())
	if err := srv.Serve(ctx, ln); err != nil {
		return &exitError{exitError1, fmt.Errorf("demo: %w", err)}
	}
	return nil
}

// demoSummary prints the articles per paper, the officials named in the most
// articles, a search and a timeline.
func demoSummary(ctx context.Context, w io.Writer, ix *index.Index) error {
	st, err := ix.Stats(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "== articles per paper")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, s := range st.Sites {
		fmt.Fprintf(tw, "%s\t%d articles\t%s to %s\n", s.Site, s.Articles, day(s.First), day(s.Last))
	}
	tw.Flush()

	ms, err := ix.Mentions(ctx, &index.OfficialsFilter{})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\n== the ten officials named in the most articles (baotinh officials has them all, with evidence)")
	writeTopOfficials(w, ms, 10)

	const query = `"dan van kheo"`
	res, err := ix.Search(ctx, &index.Search{Query: query, Limit: 3})
	if err != nil {
		return err
	}
	res.Next = "" // the demo's data is temporary: no paging
	fmt.Fprintf(w, "\n== baotinh search '%s' --limit 3 (a phrase typed without diacritics)\n", query)
	if err := writeSearch(w, io.Discard, "table", &index.Search{Query: query}, res); err != nil {
		return err
	}

	tl := &index.Timeline{Query: `"dân vận"`, Interval: "year"}
	ps, err := ix.Timeline(ctx, tl)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n== baotinh timeline '%s' --interval year\n", tl.Query)
	return writeTimeline(w, "table", tl, ps)
}

// writeTopOfficials groups the evidence by person (name and place) and
// prints the n people named with a title in the most articles.
func writeTopOfficials(w io.Writer, ms []*index.Mention, n int) {
	type person struct {
		name, place string
		articles    map[string]bool
		sites       map[string]bool
		titles      map[string]int
	}
	people := map[string]*person{}
	for _, m := range ms {
		key := m.Name + "\x00" + m.Place
		p := people[key]
		if p == nil {
			p = &person{name: m.Name, place: m.Place, articles: map[string]bool{}, sites: map[string]bool{}, titles: map[string]int{}}
			people[key] = p
		}
		p.articles[m.Article] = true
		p.sites[m.Site] = true
		p.titles[m.Title]++
	}
	list := make([]*person, 0, len(people))
	for _, p := range people {
		list = append(list, p)
	}
	slices.SortFunc(list, func(a, b *person) int {
		return cmp.Or(cmp.Compare(len(b.articles), len(a.articles)), cmp.Compare(len(b.titles), len(a.titles)), strings.Compare(a.name, b.name))
	})
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tPLACE\tARTICLES\tPAPER\tTITLE (most often)")
	for _, p := range list[:min(n, len(list))] {
		title, most := "", 0
		for t, c := range p.titles {
			if c > most || (c == most && t < title) {
				title, most = t, c
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", p.name, p.place, len(p.articles), strings.Join(sortedKeys(p.sites), ","), oneLine(title, 48))
	}
	tw.Flush()
}
