package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baotinh/baotinh/server"
)

// TestDemoNoServe runs the README's first command: the embedded sample is
// crawled, indexed and summarized.
func TestDemoNoServe(t *testing.T) {
	code, out, errs := run(t, "", "demo", "--no-serve")
	if code != 0 {
		t.Fatalf("demo --no-serve: exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{
		"indexed 48 articles",
		"baohatinh  24 articles", "baosonla   24 articles",
		"== the ten officials named in the most articles",
		"Lưu Minh Quân       Sơn La         2         baohatinh,baosonla  Trưởng ban Dân vận Tỉnh ủy",
		`articles match "\"dan van kheo\""; 3 shown`,
		"«dân» «vận» «khéo»",
		"PERIOD  MATCHING  TOTAL  RATIO",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	// Officials of both papers.
	top := out[strings.Index(out, "== the ten officials"):strings.Index(out, "== baotinh search")]
	for _, site := range []string{"baohatinh", "baosonla"} {
		if strings.Count(top, site) < 2 {
			t.Errorf("the officials table names %s fewer than twice:\n%s", site, top)
		}
	}
	if n := strings.Count(top, "\n"); n != 13 {
		t.Errorf("the officials table has %d lines, want a heading, a header and ten rows:\n%s", n, top)
	}
}

// TestDemoServes: without --no-serve the demo serves the web interface on
// the sample until it is stopped.
func TestDemoServes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out, errs syncBuffer
	done := make(chan int)
	dir := t.TempDir()
	go func() {
		done <- Run(ctx, []string{"demo", "--addr", "127.0.0.1:0", "--data", dir}, strings.NewReader(""), &out, &errs)
	}()
	re := regexp.MustCompile(`the web interface is at (http://127\.0\.0\.1:\d+)/`)
	var base string
	for deadline := time.Now().Add(30 * time.Second); base == ""; {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("the demo did not serve within 30 s:\n%s%s", out.String(), errs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var h server.Health
	json.NewDecoder(resp.Body).Decode(&h)
	resp.Body.Close()
	if h.Articles != 48 {
		t.Errorf("healthz: %+v, want the 48 articles of the sample", h)
	}
	resp, err = http.Get(base + "/?q=dan+van+kheo")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("search page: %v %v", err, resp)
	}
	resp.Body.Close()
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("demo after Ctrl-C: exit %d\n%s", code, errs.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the demo did not stop")
	}
	// With --data, the data stays for the other commands.
	code, sout, serr := run(t, "", "search", "khéo", "--data", dir, "--format", "json")
	if code != 0 || !strings.Contains(sout, `"total":`) {
		t.Errorf("search of the demo's data: exit %d %s %s", code, sout, serr)
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// BenchmarkDemo measures `baotinh demo --no-serve`: serving the embedded
// sample, crawling its 129 pages, extracting and indexing the 48 articles and
// printing the summary (issue 7's bar: within 30 s).
//
//	go test ./cmd/baotinh -run '^$' -bench Demo -benchtime 5x
func BenchmarkDemo(b *testing.B) {
	for i := 0; i < b.N; i++ {
		var out bytes.Buffer
		if err := runDemo(context.Background(), &out, io.Discard, "", b.TempDir(), true); err != nil {
			b.Fatal(err)
		}
		if !strings.Contains(out.String(), "indexed 48 articles") {
			b.Fatalf("the demo did not index the sample:\n%s", out.String())
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/demo")
}
