// Package server is baotinh's HTTP side: a JSON API and a web interface over
// one search index, for researchers who search, read an article with what
// was extracted from it marked in the text, download tables of officials and
// follow a subject's share of the news over time; and crawls on a schedule
// that write into the same index while it serves.
//
// Everything it shows comes from crawled pages, which are untrusted: pages
// are html/template with no inline script or style, JSON escapes HTML, and
// every response carries a strict Content-Security-Policy.
package server

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/baotinh/baotinh/index"
	"github.com/baotinh/baotinh/internal/ingest"
)

// Config sets up a server.
type Config struct {
	DataDir string
	// AdminToken enables the admin actions (start a crawl now) for requests
	// that carry it; "" turns them off.
	AdminToken string
	// Crawl is the crawl the server runs on schedule or on an admin's
	// request (its DataDir is the server's). Sites empty: no crawls.
	Crawl ingest.Options
	// CrawlEvery is the time between the starts of two scheduled crawls (0:
	// only on an admin's request).
	CrawlEvery time.Duration
	// MaxSearches bounds the searches running at once (default 4×GOMAXPROCS);
	// up to as many more wait for a turn, and further ones get 429.
	MaxSearches int
	// RequestTimeout bounds a request's work (default 15s).
	RequestTimeout time.Duration
	// Log receives one line per notable event (default: the log package).
	Log func(string)
}

// Limits on what one request may ask.
const (
	MaxPageSize   = 100  // hits or rows per page
	MaxQueryBytes = 1000 // a query or filter text
	MaxURLBytes   = 8192 // a request's query string
	maxBodyBytes  = 4096 // a POST's form
)

// Server serves one data directory's index.
type Server struct {
	cfg     Config
	ix      *index.Index
	mux     *http.ServeMux
	crawls  *scheduler
	slots   chan struct{}
	waiting atomic.Int64
	started time.Time
	cache   *cache
}

// New opens the data directory's index (creating it when there is none yet)
// for reading and, for the crawls, writing. Close releases it.
func New(cfg Config) (*Server, error) {
	if cfg.MaxSearches <= 0 {
		cfg.MaxSearches = 4 * runtime.GOMAXPROCS(0)
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 15 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = func(s string) { log.Print(s) }
	}
	cfg.Crawl.DataDir = cfg.DataDir
	ix, err := index.Open(index.DataDir(cfg.DataDir), index.Options{})
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	s := &Server{cfg: cfg, ix: ix, slots: make(chan struct{}, cfg.MaxSearches), started: time.Now(), cache: newCache(16)}
	s.crawls = newScheduler(s)
	s.routes()
	return s, nil
}

// Index is the server's index.
func (s *Server) Index() *index.Index { return s.ix }

// Start starts the crawl schedule. A crawl that an earlier server process
// left unfinished (stopped or killed) starts again at once.
func (s *Server) Start(ctx context.Context) { s.crawls.start(ctx) }

// Close stops a running crawl, letting it write its last batch, and closes
// the index.
func (s *Server) Close() error {
	s.crawls.stop()
	return s.ix.Close()
}

// Serve serves on ln until ctx ends, then shuts down gracefully: it stops
// accepting requests, lets the running ones finish (up to 10s), stops the
// crawl after its current batch and closes the index.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      s.cfg.RequestTimeout + 30*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(logWriter(s.cfg.Log), "", 0),
	}
	s.Start(ctx)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	hs.Shutdown(sctx)
	if cerr := s.Close(); err == nil || errors.Is(err, http.ErrServerClosed) {
		err = cerr
	}
	return err
}

type logWriter func(string)

func (w logWriter) Write(p []byte) (int, error) {
	w(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Handler returns the server's routes wrapped in its limits and headers.
func (s *Server) Handler() http.Handler { return s.secure(s.mux) }

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /healthz", s.healthz)
	m.HandleFunc("GET /api/search", s.apiSearch)
	m.HandleFunc("GET /api/articles/{id}", s.apiArticle)
	m.HandleFunc("GET /api/officials", s.apiOfficials)
	m.HandleFunc("GET /api/timeline", s.apiTimeline)
	m.HandleFunc("GET /api/stats", s.apiStats)
	m.HandleFunc("GET /api/crawls", s.apiCrawls)
	m.HandleFunc("POST /api/crawls", s.apiStartCrawl)
	m.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such API endpoint: "+r.URL.Path)
	})
	m.HandleFunc("GET /{$}", s.pageSearch)
	m.HandleFunc("GET /articles/{id}", s.pageArticle)
	m.HandleFunc("GET /officials", s.pageOfficials)
	m.HandleFunc("GET /timeline", s.pageTimeline)
	m.HandleFunc("GET /timeline.svg", s.timelineSVG)
	m.HandleFunc("GET /crawls", s.pageCrawls)
	m.HandleFunc("POST /crawls", s.pageStartCrawl)
	m.Handle("GET /static/", staticHandler())
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.pageError(w, r, http.StatusNotFound, "Không tìm thấy trang này.")
	})
	s.mux = m
}

// contentSecurityPolicy allows the server's own script, styles and images
// and nothing else: no inline script, no framing, no plugins.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// secure sets the security headers, bounds a request's size and time and
// turns a panic into a 500 that names no detail.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.cfg.Log(fmt.Sprintf("panic serving %s %s: %v", r.Method, r.URL.Path, v))
				writeError(w, http.StatusInternalServerError, "internal error")
			}
		}()
		if len(r.URL.RawQuery) > MaxURLBytes {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the request's parameters are longer than %d bytes", MaxURLBytes))
			return
		}
		if r.ContentLength > maxBodyBytes {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the request's body is larger than %d bytes", maxBodyBytes))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// errBusy is returned when too many searches run and wait.
var errBusy = errors.New("too many searches at once: try again in a moment")

// acquire waits for a search slot: as many searches as MaxSearches run at
// once, as many more wait, and the rest are refused at once.
func (s *Server) acquire(ctx context.Context) (release func(), err error) {
	select {
	case s.slots <- struct{}{}:
		return func() { <-s.slots }, nil
	default:
	}
	if s.waiting.Add(1) > int64(cap(s.slots)) {
		s.waiting.Add(-1)
		return nil, errBusy
	}
	defer s.waiting.Add(-1)
	select {
	case s.slots <- struct{}{}:
		return func() { <-s.slots }, nil
	case <-ctx.Done():
		return nil, errBusy
	}
}

// authorized reports whether token is the admin token (in constant time).
// Admin actions are off when the server has no token.
func (s *Server) authorized(token string) bool {
	if s.cfg.AdminToken == "" || token == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.AdminToken)) == 1
}
