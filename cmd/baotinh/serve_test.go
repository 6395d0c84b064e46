package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/baotinh/baotinh/index"
	"github.com/baotinh/baotinh/internal/sitegen"
	"github.com/baotinh/baotinh/server"
)

// serveProcess is `baotinh serve` running as a real process (the test
// binary re-executed as the command).
type serveProcess struct {
	cmd    *exec.Cmd
	url    string
	stderr *syncBuffer
	done   chan error
}

func startServe(t *testing.T, args ...string) *serveProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), "BAOTINH_TEST_MAIN=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &serveProcess{cmd: cmd, stderr: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-p.done
		}
	})
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			select {
			case line <- sc.Text():
			default:
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { p.done <- cmd.Wait() }()
	select {
	case l := <-line:
		m := regexp.MustCompile(`at (http://127\.0\.0\.1:\d+)/`).FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("serve printed %q", l)
		}
		p.url = m[1]
	case err := <-p.done:
		t.Fatalf("serve exited: %v\n%s", err, p.stderr)
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not start\n%s", p.stderr)
	}
	return p
}

func (p *serveProcess) crawls(t *testing.T) server.CrawlStatus {
	t.Helper()
	resp, err := http.Get(p.url + "/api/crawls")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st server.CrawlStatus
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

// waitFor polls the crawl status until ok says so.
func (p *serveProcess) waitFor(t *testing.T, what string, ok func(server.CrawlStatus) bool) server.CrawlStatus {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		st := p.crawls(t)
		if ok(st) {
			return st
		}
		if time.Now().After(deadline) {
			b, _ := json.MarshalIndent(st, "", " ")
			t.Fatalf("waited 60s for %s: %s\n%s", what, b, p.stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop sends SIGTERM and wants a clean exit.
func (p *serveProcess) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("serve after SIGTERM: %v\n%s", err, p.stderr)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not stop within 30s of SIGTERM\n%s", p.stderr)
	}
	if !strings.Contains(p.stderr.String(), "stopped: the index is closed") {
		t.Errorf("serve did not say it closed the index:\n%s", p.stderr)
	}
}

// TestServeRestartDuringCrawl stops the server with SIGTERM in the middle of
// a scheduled crawl, checks that the index opens cleanly with what was
// crawled, restarts it and sees the crawl resume and finish.
func TestServeRestartDuringCrawl(t *testing.T) {
	var slow atomic.Bool
	slow.Store(true)
	mirror := func(dir string) *httptest.Server {
		h := sitegen.Handler(dir)
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if slow.Load() && strings.Contains(r.URL.Path, "-") {
				time.Sleep(400 * time.Millisecond) // article pages: a crawl long enough to be stopped
			}
			h.ServeHTTP(w, r)
		}))
	}
	ht, sl := mirror("../../testdata/sites/baohatinh"), mirror("../../testdata/sites/baosonla")
	defer ht.Close()
	defer sl.Close()
	data := filepath.Join(t.TempDir(), "data")
	args := []string{"--data", data, "--sites", "baohatinh,baosonla", "--crawl-every", "1h", "--delay", "0",
		"--base-url", "baohatinh=" + ht.URL, "--base-url", "baosonla=" + sl.URL}

	p := startServe(t, args...)
	st := p.waitFor(t, "the scheduled crawl to index some articles", func(st server.CrawlStatus) bool {
		return st.Running != nil && st.Running.Indexed > 0
	})
	if st.Running.Trigger != "schedule" || st.Next == nil {
		t.Errorf("first crawl: trigger %q, next %v: want a scheduled one", st.Running.Trigger, st.Next)
	}
	// Searches go on during the crawl and see its first batches (the data
	// directory was empty).
	resp, err := http.Get(p.url + "/api/search?q=&limit=1")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("search during the crawl: %v %v", err, resp)
	}
	var mid server.SearchResponse
	json.NewDecoder(resp.Body).Decode(&mid)
	resp.Body.Close()
	if mid.Total == 0 || mid.Total >= 48 {
		t.Errorf("a search in the middle of the crawl finds %d articles: want those of the batches written so far", mid.Total)
	}
	p.stop(t)

	// The index opens cleanly and holds what was crawled; the crawl was
	// not finished.
	ix, err := index.Open(index.DataDir(data), index.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("the index after SIGTERM: %v", err)
	}
	n, _, err := ix.Count()
	ix.Close()
	if err != nil || n == 0 || n >= 48 {
		t.Fatalf("the index after SIGTERM holds %d articles (%v): want some of the 48", n, err)
	}
	if _, err := os.Stat(filepath.Join(data, "serve", "crawl-running.json")); err != nil {
		t.Fatalf("no mark of the unfinished crawl: %v", err)
	}

	// Restarted, the server resumes the crawl at once, and it finishes.
	slow.Store(false)
	p = startServe(t, args...)
	st = p.waitFor(t, "the resumed crawl to finish", func(st server.CrawlStatus) bool {
		return st.Running == nil && len(st.History) >= 2
	})
	if h := st.History[1]; h.Status != "interrupted" || h.Trigger != "schedule" {
		t.Errorf("the first crawl in the history: %s, %s: want an interrupted scheduled crawl", h.Status, h.Trigger)
	}
	h := st.History[0]
	if h.Status != "finished" || h.Trigger != "resume" || h.Summary == nil {
		t.Fatalf("the second crawl: %+v: want a resumed crawl that finished", h)
	}
	if h.Summary.Known == 0 {
		t.Error("the resumed crawl fetched everything again: nothing was kept from the first")
	}
	resp, err = http.Get(p.url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var health server.Health
	json.NewDecoder(resp.Body).Decode(&health)
	resp.Body.Close()
	if health.Articles != 48 {
		t.Errorf("after the resumed crawl the index holds %d articles, want 48", health.Articles)
	}
	if _, err := os.Stat(filepath.Join(data, "serve", "crawl-running.json")); err == nil {
		t.Error("the unfinished-crawl mark is still there after the crawl finished")
	}
	p.stop(t)
}
