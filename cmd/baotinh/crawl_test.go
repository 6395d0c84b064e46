package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baotinh/baotinh/crawler"
	"github.com/baotinh/baotinh/internal/sitegen"
)

func TestCrawlCommand(t *testing.T) {
	srv := httptest.NewServer(sitegen.Handler("../../testdata/sites/baosonla"))
	defer srv.Close()
	data := filepath.Join(t.TempDir(), "data")
	code, out, errs := run(t, "", "crawl", "--site", "baosonla", "--base-url", srv.URL, "--delay", "0", "--data", data)
	if code != 0 {
		t.Fatalf("crawl: exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"crawl of baosonla finished", "new          24", "failed       0", "parse layers used"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if files, _ := filepath.Glob(filepath.Join(data, "warc", "*.warc.gz")); len(files) == 0 {
		t.Error("no WARC file in DATA/warc")
	}

	// Again, as JSON: nothing new, nothing fetched.
	code, out, errs = run(t, "", "crawl", "--site", "baosonla", "--base-url", srv.URL, "--delay", "0", "--data", data, "--format", "json")
	if code != 0 {
		t.Fatalf("second crawl: exit %d\n%s", code, errs)
	}
	var sum crawler.Summary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("--format json: %v\n%s", err, out)
	}
	// Pagination stops at the first page with nothing new, so the oldest
	// articles are not even looked at again.
	if sum.Fetched != 0 || sum.New != 0 || sum.Known == 0 {
		t.Errorf("second crawl: fetched %d new %d known %d, want 0, 0 and some known", sum.Fetched, sum.New, sum.Known)
	}

	// A second crawl while one holds the data directory fails at once.
	lock, err := crawler.AcquireLock(data)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	code, _, errs = run(t, "", "crawl", "--site", "baosonla", "--base-url", srv.URL, "--data", data)
	if code != 1 || !strings.Contains(errs, "another crawl is running") || !strings.Contains(errs, "pid ") {
		t.Errorf("crawl on a locked data directory: exit %d, %q; want 1 and a message naming the process", code, errs)
	}
}

func TestCrawlUsageErrors(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"crawl", "--data", data}, `required flag(s) "site" not set`},
		{[]string{"crawl", "--site", "baodanang", "--data", data}, `unknown site "baodanang"`},
		{[]string{"crawl", "--site", "baosonla", "--since", "21/11/2026", "--data", data}, `--since: "21/11/2026" is not a date`},
		{[]string{"crawl", "--site", "baosonla", "--since", "2025-02-01", "--until", "2025-01-01", "--data", data}, "is before --since"},
		{[]string{"crawl", "--site", "all", "--base-url", "http://127.0.0.1:9", "--data", data}, "with several sites, give NAME=URL"},
		{[]string{"crawl", "--site", "baosonla", "--base-url", "baohatinh=http://127.0.0.1:9", "--data", data}, `"baohatinh" is not one of the sites crawled`},
		{[]string{"crawl", "--site", "baosonla", "--base-url", "ftp://x", "--data", data}, "is not an http(s) URL"},
		{[]string{"crawl", "--site", "baosonla", "--format", "xml", "--data", data}, "--format must be text or json"},
		{[]string{"crawl", "--site", "baosonla", "--max", "-1", "--data", data}, "cannot be negative"},
		{[]string{"crawl", "--site", "baosonla", "--backoff", "0s", "--data", data}, "--backoff must be positive"},
		{[]string{"crawl", "extra", "--site", "baosonla", "--data", data}, "unknown command"},
	}
	for _, tc := range tests {
		code, _, errs := run(t, "", tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("baotinh %s: exit %d, %q; want 2 and %q", strings.Join(tc.args, " "), code, errs, tc.want)
		}
	}
	if _, err := os.Stat(data); err == nil {
		t.Error("a crawl refused for bad flags created the data directory")
	}
}

func TestCrawlUserProfile(t *testing.T) {
	// A paper added with a file, no code: the Sơn La fixture under another name.
	data := filepath.Join(t.TempDir(), "data")
	os.MkdirAll(filepath.Join(data, "profiles"), 0o755)
	b, err := os.ReadFile("../../crawler/profiles/baosonla.json")
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]any
	json.Unmarshal(b, &p)
	p["name"] = "baotaybac"
	p["paper"] = "Báo Tây Bắc (thử)"
	nb, _ := json.Marshal(p)
	os.WriteFile(filepath.Join(data, "profiles", "baotaybac.json"), nb, 0o644)
	srv := httptest.NewServer(sitegen.Handler("../../testdata/sites/baosonla"))
	defer srv.Close()
	code, out, errs := run(t, "", "crawl", "--site", "baotaybac", "--base-url", srv.URL, "--delay", "0", "--data", data, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var sum crawler.Summary
	json.Unmarshal([]byte(out), &sum)
	if sum.New != 24 {
		t.Errorf("user profile crawl: new %d, want 24", sum.New)
	}
	os.WriteFile(filepath.Join(data, "profiles", "broken.json"), []byte(`{"name": "x", "origin": "https://x.vn", "article": {"pattern": "("}}`), 0o644)
	code, _, errs = run(t, "", "crawl", "--site", "baotaybac", "--data", data)
	if code != 1 || !strings.Contains(errs, "broken.json") {
		t.Errorf("broken profile: exit %d, %q; want 1 and the file named", code, errs)
	}
}

// --retries 0 means no retry (in crawler.Options a zero means the default).
func TestCrawlRetriesFlag(t *testing.T) {
	const article = "/xa-hoi/bai-viet-thu-nghiem-AbC123xYz.html"
	for _, tc := range []struct {
		retries string
		want    int
	}{{"0", 1}, {"2", 3}} {
		hits := 0
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/":
				fmt.Fprintf(w, `<html><body><a href="%s">bài</a></body></html>`, article)
			case article:
				hits++
				http.Error(w, "bảo trì", http.StatusServiceUnavailable)
			default:
				http.NotFound(w, r)
			}
		}))
		data := filepath.Join(t.TempDir(), "data")
		code, out, errs := run(t, "", "crawl", "--site", "baosonla", "--base-url", srv.URL, "--delay", "0",
			"--retries", tc.retries, "--backoff", "10ms", "--data", data, "--format", "json")
		srv.Close()
		if code != 0 {
			t.Fatalf("--retries %s: exit %d: %s", tc.retries, code, errs)
		}
		var sum crawler.Summary
		json.Unmarshal([]byte(out), &sum)
		if hits != tc.want || sum.Failed["http 503"] != 1 {
			t.Errorf("--retries %s: %d requests, failed %v; want %d requests and one http 503", tc.retries, hits, sum.Failed, tc.want)
		}
	}
}
