package server

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/baotinh/baotinh/crawler"
	"github.com/baotinh/baotinh/internal/ingest"
)

// CrawlRun is one crawl the server ran or runs.
type CrawlRun struct {
	ID       string           `json:"id"`
	Trigger  string           `json:"trigger"` // schedule, admin or resume
	Sites    []string         `json:"sites"`
	Started  time.Time        `json:"started"`
	Finished time.Time        `json:"finished,omitzero"`
	Status   string           `json:"status"` // running, finished, interrupted or failed
	Progress CrawlProgress    `json:"progress"`
	Indexed  int              `json:"indexed"`   // new or updated articles indexed so far
	CaughtUp int              `json:"caught_up"` // archived articles an earlier crawl had not indexed
	Error    string           `json:"error,omitempty"`
	Summary  *crawler.Summary `json:"summary,omitempty"`
	Log      []string         `json:"log,omitempty"` // the last notable events
}

// CrawlProgress is a running crawl's count.
type CrawlProgress struct {
	Discovered     int     `json:"discovered"`
	Fetched        int     `json:"fetched"`
	New            int     `json:"new"`
	Updated        int     `json:"updated"`
	Unchanged      int     `json:"unchanged"`
	Failed         int     `json:"failed"`
	ElapsedSeconds float64 `json:"elapsed_seconds"`
}

// CrawlStatus is the answer of GET /api/crawls.
type CrawlStatus struct {
	Sites        []string    `json:"sites"`         // the sites a crawl collects; none: crawls are off
	Every        string      `json:"every"`         // time between scheduled crawls, "" when none are
	EverySeconds float64     `json:"every_seconds"` // the same in seconds, 0 when none
	Next         *time.Time  `json:"next"`          // the next scheduled crawl
	Admin        bool        `json:"admin"`         // admin actions are on (--admin-token)
	Running      *CrawlRun   `json:"running"`       // the crawl running now, or null
	History      []*CrawlRun `json:"history"`       // the finished crawls, newest first
}

const (
	historyKept = 100 // crawls kept in memory and shown
	logKept     = 30  // lines of a run's log kept
)

// errCrawlRunning is returned when a crawl is asked for while one runs.
var errCrawlRunning = errors.New("a crawl is running already: it must finish first")

// errNotStarted is returned when a crawl is asked for before Start.
var errNotStarted = errors.New("the server's crawls are not started")

// errNoCrawls is returned when crawls are asked for but no sites are set.
var errNoCrawls = errors.New("this server has no sites to crawl (serve --sites)")

// scheduler runs the server's crawls one at a time: every CrawlEvery, on an
// admin's request, and at start when the previous server process stopped
// in the middle of one. Its history is kept in DATA/serve/crawls.jsonl;
// DATA/serve/crawl-running.json marks a crawl that has not finished.
type scheduler struct {
	s    *Server
	dir  string
	kick chan string // a trigger

	mu      sync.Mutex
	next    time.Time
	running *CrawlRun
	history []*CrawlRun // oldest first

	cancel context.CancelFunc
	done   chan struct{}
}

func newScheduler(s *Server) *scheduler {
	sc := &scheduler{s: s, dir: filepath.Join(s.cfg.DataDir, "serve"), kick: make(chan string, 1)}
	sc.history = sc.load()
	return sc
}

func (sc *scheduler) enabled() bool { return len(sc.s.cfg.Crawl.Sites) > 0 }

func (sc *scheduler) historyPath() string { return filepath.Join(sc.dir, "crawls.jsonl") }
func (sc *scheduler) markerPath() string  { return filepath.Join(sc.dir, "crawl-running.json") }

// load reads the history file; lines it cannot read are skipped and logged.
func (sc *scheduler) load() []*CrawlRun {
	f, err := os.Open(sc.historyPath())
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			sc.s.cfg.Log(fmt.Sprintf("crawl history: %v", err))
		}
		return nil
	}
	defer f.Close()
	var runs []*CrawlRun
	sn := bufio.NewScanner(f)
	sn.Buffer(make([]byte, 64<<10), 16<<20)
	for n := 1; sn.Scan(); n++ {
		var r CrawlRun
		if err := json.Unmarshal(sn.Bytes(), &r); err != nil {
			sc.s.cfg.Log(fmt.Sprintf("crawl history: %s line %d: %v (skipped)", sc.historyPath(), n, err))
			continue
		}
		runs = append(runs, &r)
		if len(runs) > historyKept {
			runs = runs[1:]
		}
	}
	return runs
}

// record appends a finished run to the history file.
func (sc *scheduler) record(r *CrawlRun) error {
	if err := os.MkdirAll(sc.dir, 0o755); err != nil {
		return err
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(sc.historyPath(), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeMarker notes that r runs, atomically (written aside, then renamed).
func (sc *scheduler) writeMarker(r *CrawlRun) error {
	if err := os.MkdirAll(sc.dir, 0o755); err != nil {
		return err
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	tmp := sc.markerPath() + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, sc.markerPath())
}

// unfinished returns the run an earlier process left running, if any.
func (sc *scheduler) unfinished() *CrawlRun {
	b, err := os.ReadFile(sc.markerPath())
	if err != nil {
		return nil
	}
	var r CrawlRun
	if json.Unmarshal(b, &r) != nil {
		r = CrawlRun{ID: "unknown", Status: "interrupted"}
	}
	return &r
}

func (sc *scheduler) start(ctx context.Context) {
	if !sc.enabled() {
		return
	}
	ctx, cancel := context.WithCancel(ctx)
	sc.mu.Lock()
	sc.cancel, sc.done = cancel, make(chan struct{})
	trigger := ""
	if prev := sc.unfinished(); prev != nil {
		// The previous process stopped in the middle of a crawl: if it was
		// killed, its run is not in the history yet.
		if n := len(sc.history); n == 0 || sc.history[n-1].ID != prev.ID {
			prev.Status, prev.Error = "interrupted", "the server stopped before the crawl finished"
			sc.history = append(sc.history, prev)
			if err := sc.record(prev); err != nil {
				sc.s.cfg.Log(fmt.Sprintf("crawl history: %v", err))
			}
		}
		trigger = "resume"
	}
	if every := sc.s.cfg.CrawlEvery; every > 0 {
		sc.next = time.Now()
		for i := len(sc.history) - 1; i >= 0; i-- {
			if h := sc.history[i]; h.Trigger != "admin" {
				if t := h.Started.Add(every); t.After(sc.next) {
					sc.next = t
				}
				break
			}
		}
	}
	sc.mu.Unlock()
	if trigger != "" {
		sc.kick <- trigger
	}
	go sc.loop(ctx)
}

func (sc *scheduler) loop(ctx context.Context) {
	defer close(sc.done)
	for {
		var timer <-chan time.Time
		var t *time.Timer
		sc.mu.Lock()
		if !sc.next.IsZero() {
			t = time.NewTimer(time.Until(sc.next))
			timer = t.C
		}
		sc.mu.Unlock()
		trigger := "schedule"
		select {
		case <-ctx.Done():
		case trigger = <-sc.kick:
		case <-timer:
		}
		if t != nil {
			t.Stop()
		}
		if ctx.Err() != nil {
			return
		}
		sc.run(ctx, trigger)
		if ctx.Err() != nil {
			return
		}
	}
}

// trigger asks for a crawl now.
func (sc *scheduler) trigger(why string) error {
	if !sc.enabled() {
		return errNoCrawls
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.done == nil {
		return errNotStarted
	}
	if sc.running != nil {
		return errCrawlRunning
	}
	select {
	case sc.kick <- why:
		return nil
	default:
		return errCrawlRunning
	}
}

func (sc *scheduler) run(ctx context.Context, trigger string) {
	cfg := &sc.s.cfg
	r := &CrawlRun{ID: time.Now().UTC().Format("20060102T150405.000Z"), Trigger: trigger, Started: time.Now(), Status: "running"}
	for _, p := range cfg.Crawl.Sites {
		r.Sites = append(r.Sites, p.Name)
	}
	sc.mu.Lock()
	sc.running = r
	if cfg.CrawlEvery > 0 {
		sc.next = r.Started.Add(cfg.CrawlEvery)
	}
	sc.mu.Unlock()
	if err := sc.writeMarker(r); err != nil {
		cfg.Log(fmt.Sprintf("crawl: %v", err))
	}
	cfg.Log(fmt.Sprintf("crawl %s of %v started (%s)", r.ID, r.Sites, trigger))

	opt := cfg.Crawl
	if opt.BatchBytes == 0 {
		opt.BatchBytes = 512 << 10 // small batches: a crawl's articles show up soon
	}
	if opt.FlushEvery == 0 {
		opt.FlushEvery = 5 * time.Second
	}
	opt.Progress = func(p crawler.Progress) {
		sc.mu.Lock()
		r.Progress = CrawlProgress{p.Discovered, p.Fetched, p.New, p.Updated, p.Unchanged, p.Failed, p.Elapsed.Seconds()}
		sc.mu.Unlock()
	}
	opt.Log = func(line string) {
		sc.mu.Lock()
		r.Log = append(r.Log, time.Now().Format("15:04:05")+" "+line)
		if len(r.Log) > logKept {
			r.Log = r.Log[len(r.Log)-logKept:]
		}
		sc.mu.Unlock()
		cfg.Log("crawl: " + line)
	}
	opt.OnFlush = func(n int) {
		sc.s.cache.changed()
		sc.mu.Lock()
		r.Indexed = n - r.CaughtUp
		sc.mu.Unlock()
	}
	opt.OnCatchUp = func(n int) {
		sc.mu.Lock()
		r.CaughtUp = n
		sc.mu.Unlock()
	}
	res, err := ingest.Crawl(ctx, sc.s.ix, opt)
	sc.s.cache.changed()

	sc.mu.Lock()
	r.Finished = time.Now()
	r.Indexed, r.CaughtUp, r.Summary = res.Indexed, res.CaughtUp, res.Summary
	if sum := res.Summary; sum != nil {
		// Progress is reported after article pages only: a crawl that
		// found nothing new has none.
		r.Progress = CrawlProgress{sum.Discovered, sum.Fetched, sum.New, sum.Updated, sum.Unchanged, sum.FailedTotal(), sum.Finished.Sub(sum.Started).Seconds()}
	}
	switch {
	case ctx.Err() != nil || (res.Summary != nil && res.Summary.Interrupted):
		r.Status = "interrupted"
		r.Error = "the server was stopped; the crawl resumes when it starts again"
	case err != nil:
		r.Status, r.Error = "failed", err.Error()
	default:
		r.Status = "finished"
	}
	sc.running = nil
	sc.history = append(sc.history, r)
	if len(sc.history) > historyKept {
		sc.history = sc.history[1:]
	}
	sc.mu.Unlock()
	if err := sc.record(r); err != nil {
		cfg.Log(fmt.Sprintf("crawl history: %v", err))
	}
	if r.Status != "interrupted" {
		if err := os.Remove(sc.markerPath()); err != nil && !errors.Is(err, os.ErrNotExist) {
			cfg.Log(fmt.Sprintf("crawl: %v", err))
		}
	}
	cfg.Log(fmt.Sprintf("crawl %s %s: %d indexed (%d caught up) %s", r.ID, r.Status, r.Indexed, r.CaughtUp, r.Error))
}

// stop cancels a running crawl and waits until it has written its last
// batch and its history.
func (sc *scheduler) stop() {
	sc.mu.Lock()
	cancel, done := sc.cancel, sc.done
	sc.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
}

// busy reports whether a crawl runs now.
func (sc *scheduler) busy() bool {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.running != nil
}

// status returns a copy of the schedule, the running crawl and the history.
func (sc *scheduler) status() *CrawlStatus {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	st := &CrawlStatus{Sites: []string{}, Admin: sc.s.cfg.AdminToken != "", History: []*CrawlRun{}}
	for _, p := range sc.s.cfg.Crawl.Sites {
		st.Sites = append(st.Sites, p.Name)
	}
	if e := sc.s.cfg.CrawlEvery; e > 0 && sc.enabled() {
		st.Every, st.EverySeconds = shortDuration(e), e.Seconds()
		if !sc.next.IsZero() {
			n := sc.next
			st.Next = &n
		}
	}
	if sc.running != nil {
		c := *sc.running
		c.Log = append([]string(nil), c.Log...)
		st.Running = &c
	}
	for i := len(sc.history) - 1; i >= 0; i-- {
		st.History = append(st.History, sc.history[i])
	}
	return st
}

// shortDuration writes 6h0m0s as 6h and 1h30m0s as 1h30m.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}
