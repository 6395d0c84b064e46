package crawler

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"testing"
	"time"
)

// TestMain lets the test binary act as a crawling subprocess for
// TestCrawlKilledAndResumed.
func TestMain(m *testing.M) {
	if os.Getenv("BAOTINH_TEST_CRAWL_CHILD") == "1" {
		os.Exit(crawlChild())
	}
	os.Exit(m.Run())
}

func crawlChild() int {
	base, err := url.Parse(os.Getenv("BAOTINH_TEST_CRAWL_BASE"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ht, err := Resolve("baohatinh", Profiles())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	_, err = Crawl(context.Background(), Options{
		DataDir: os.Getenv("BAOTINH_TEST_CRAWL_DATA"), Sites: []*Profile{ht},
		BaseURLs: map[string]*url.URL{"baohatinh": base}, Delay: -1, Parallel: 3,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// A crawl killed with SIGKILL in the middle loses at most the pages in
// flight; the next run continues, and in the end every article is in the
// state once and in the archive once.
func TestCrawlKilledAndResumed(t *testing.T) {
	const n = 40
	s := newFaultSite(t, n)
	s.delay = 40 * time.Millisecond
	dir := tempData(t)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "BAOTINH_TEST_CRAWL_CHILD=1", "BAOTINH_TEST_CRAWL_BASE="+s.srv.URL, "BAOTINH_TEST_CRAWL_DATA="+dir)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for s.articleHits() < 15 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the child crawl fetched only %d pages in 20s", s.articleHits())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no clean-up at all
		t.Fatal(err)
	}
	cmd.Wait()
	killedAt := s.articleHits()
	if killedAt >= n {
		t.Fatalf("the child finished (%d pages) before it was killed", killedAt)
	}

	var logs []string
	opt := s.options(dir)
	opt.Log = func(l string) { logs = append(logs, l) }
	sum := crawlT(t, opt)
	t.Logf("killed after %d article requests; resumed run: new %d, known %d; log %q", killedAt, sum.New, sum.Known, logs)

	st := stateOf(t, dir)
	recs := archivedArticles(t, dir)
	for i := 1; i <= n; i++ {
		key := "baohatinh:" + articleID(i)
		if a := st[key]; a == nil || a.Status != StatusOK {
			t.Errorf("article %d lost: state %+v", i, a)
		}
		if got := len(recs[key]); got != 1 {
			t.Errorf("article %d archived %d times, want once", i, got)
		}
	}
	if len(st) != n {
		t.Errorf("state holds %d articles, want %d", len(st), n)
	}
	// At most the pages in flight when the child died are fetched twice.
	if extra := s.articleHits() - n; extra < 0 || extra > opt.Parallel {
		t.Errorf("%d article requests in all for %d articles: %d more than the pages in flight (3) allow", s.articleHits(), n, extra)
	}
}
