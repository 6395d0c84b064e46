package main

import (
	"fmt"
	"net"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/baotinh/baotinh/crawler"
	"github.com/baotinh/baotinh/internal/ingest"
	"github.com/baotinh/baotinh/server"
)

func newServeCmd() *cobra.Command {
	var (
		addr, dataDir, token string
		every, delay         time.Duration
		timeout              time.Duration
		sites, baseURLs      []string
		contact              string
		searches             int
	)
	c := &cobra.Command{
		Use:   "serve [flags]",
		Short: "Web interface and JSON API over the index, with crawls on a schedule",
		Long: `serve answers on --addr (loopback only by default) with a web interface for researchers (search
with filters and facets, each article with every extracted person, title, date, figure and quote
marked in its text, the officials table with CSV download, a timeline chart, crawl status) and a
JSON API with the parameters of the command line:

  GET /api/search?q=dan+van&site=baohatinh&from=2024-01-01&limit=20&facets=1&after=TOKEN
  GET /api/articles/{id}           the article, its analysis and every fact's span
  GET /api/officials?title=bi+thu&format=csv      (mentions=1 for the evidence)
  GET /api/timeline?q=chuyen+doi+so&interval=month
  GET /api/stats    GET /api/crawls    POST /api/crawls (admin)    GET /healthz

With --crawl-every the server crawls --sites itself, one crawl at a time, while search stays
available; new articles are searchable after each batch. An admin (--admin-token, or
$BAOTINH_ADMIN_TOKEN, which keeps it out of the process list) can start a crawl now; without a token
admin actions are off. A crawl stopped by Ctrl-C or SIGTERM writes its last batch and resumes when
the server starts again.`,
		DisableFlagsInUseLine: true,
		Args:                  cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if every < 0 || delay < 0 || timeout < 0 || searches < 0 {
				return usageError("serve: --crawl-every, --delay, --request-timeout and --max-searches cannot be negative")
			}
			if every > 0 && every < time.Minute {
				return usageError("serve: --crawl-every %s is too often: at least 1m (the papers are crawled politely)", every)
			}
			if token == "" {
				token = os.Getenv("BAOTINH_ADMIN_TOKEN")
			}
			if token != "" && len(token) < 16 {
				return usageError("serve: the admin token must be at least 16 characters")
			}
			known, err := knownProfiles(dataDir)
			if err != nil {
				return &exitError{exitError1, err}
			}
			cfg := server.Config{DataDir: dataDir, AdminToken: token, CrawlEvery: every, MaxSearches: searches, RequestTimeout: timeout}
			if len(sites) > 0 {
				profiles, err := resolveSites(sites, known)
				if err != nil {
					return usageError("serve: --sites: %v", err)
				}
				opt := crawler.Options{Sites: profiles, Delay: delay, Contact: contact}
				if delay == 0 {
					opt.Delay = -1
				}
				if opt.BaseURLs, err = parseBaseURLs(baseURLs, profiles); err != nil {
					return usageError("serve: --base-url: %v", err)
				}
				cfg.Crawl = ingest.Options{Options: opt}
			} else if every > 0 || len(baseURLs) > 0 {
				return usageError("serve: --crawl-every and --base-url need --sites")
			}
			stderr := c.ErrOrStderr()
			cfg.Log = func(line string) { fmt.Fprintf(stderr, "%s %s\n", time.Now().Format("15:04:05"), line) }
			if err := os.MkdirAll(dataDir, 0o755); err != nil {
				return &exitError{exitError1, fmt.Errorf("serve: %w", err)}
			}
			srv, err := server.New(cfg)
			if err != nil {
				return &exitError{exitError1, fmt.Errorf("serve: %w (a crawl or reindex may be writing %s: it must end first)", err, dataDir)}
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				srv.Close()
				return &exitError{exitError1, fmt.Errorf("serve: %w", err)}
			}
			shown := ln.Addr().String()
			if host, port, _ := net.SplitHostPort(shown); !net.ParseIP(host).IsLoopback() {
				fmt.Fprintf(stderr, "warning: serving on %s, reachable from other machines\n", ln.Addr())
				if net.ParseIP(host).IsUnspecified() {
					shown = net.JoinHostPort("127.0.0.1", port) // every address: this one works here
				}
			}
			fmt.Fprintf(c.OutOrStdout(), "baotinh is serving %s at http://%s/ (Ctrl-C stops)\n", dataDir, shown)
			if err := srv.Serve(c.Context(), ln); err != nil {
				return &exitError{exitError1, fmt.Errorf("serve: %w", err)}
			}
			fmt.Fprintln(stderr, "stopped: the index is closed")
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on (loopback by default)")
	f.StringVar(&token, "admin-token", "", "token for admin actions (or $BAOTINH_ADMIN_TOKEN); none: admin actions off")
	f.DurationVar(&every, "crawl-every", 0, "crawl --sites this often, e.g. 6h (0: only when an admin asks)")
	f.StringSliceVar(&sites, "sites", nil, "the sites the server crawls: baohatinh,baosonla, all, ...")
	f.StringArrayVar(&baseURLs, "base-url", nil, "crawl a site from a mirror: NAME=URL (as crawl --base-url)")
	f.DurationVar(&delay, "delay", time.Second, "least time between two requests to one host while crawling")
	f.StringVar(&contact, "contact", "", "an e-mail or URL put in the crawler's User-Agent")
	f.IntVar(&searches, "max-searches", 0, "searches running at once (0: 4 per CPU); as many more wait, the rest get 429")
	f.DurationVar(&timeout, "request-timeout", 15*time.Second, "longest time a request may take")
	addDataFlag(c, &dataDir)
	return c
}
