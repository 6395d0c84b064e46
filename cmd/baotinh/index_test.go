package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/baotinh/baotinh/crawler"
	"github.com/baotinh/baotinh/index"
	"github.com/baotinh/baotinh/internal/sitegen"
)

var (
	crawledOnce sync.Once
	crawledData string
	crawledErr  string
)

// crawledFixtures crawls the Hà Tĩnh and Sơn La fixture sites once into a
// data directory (indexing as it goes) and returns a copy of it for the test.
func crawledFixtures(t *testing.T) string {
	t.Helper()
	crawledOnce.Do(func() {
		ht := httptest.NewServer(sitegen.Handler("../../testdata/sites/baohatinh"))
		sl := httptest.NewServer(sitegen.Handler("../../testdata/sites/baosonla"))
		defer ht.Close()
		defer sl.Close()
		dir, err := os.MkdirTemp("", "baotinh-cmd-index-")
		if err != nil {
			crawledErr = err.Error()
			return
		}
		crawledData = filepath.Join(dir, "data")
		code, out, errs := run(t, "", "crawl", "--site", "baohatinh,baosonla", "--base-url", "baohatinh="+ht.URL,
			"--base-url", "baosonla="+sl.URL, "--delay", "0", "--data", crawledData)
		if code != 0 || !strings.Contains(out, "indexed 48 new or updated articles") {
			crawledErr = fmt.Sprintf("crawl: exit %d\n%s%s", code, out, errs)
		}
	})
	if crawledErr != "" {
		t.Fatal(crawledErr)
	}
	dst := filepath.Join(t.TempDir(), "data")
	if err := os.CopyFS(dst, os.DirFS(crawledData)); err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestMain(m *testing.M) {
	if os.Getenv("BAOTINH_TEST_MAIN") == "1" {
		// The test binary runs as the baotinh command, for tests that need
		// a real process (signals).
		main()
	}
	code := m.Run()
	if crawledData != "" {
		os.RemoveAll(filepath.Dir(crawledData))
	}
	os.Exit(code)
}

func readCSV(t *testing.T, s string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v\n%s", err, s)
	}
	return recs
}

func TestSearchCommand(t *testing.T) {
	data := crawledFixtures(t)
	code, out, errs := run(t, "", "search", "dan van kheo", "--data", data, "--limit", "3", "--facets")
	if code != 0 {
		t.Fatalf("search: exit %d: %s", code, errs)
	}
	for _, want := range []string{"articles match \"dan van kheo\"; 3 shown", "«dân» «vận» «khéo»", "site:   baohatinh (", "title:  ", "next page: --after "} {
		if !strings.Contains(strings.ToLower(out), strings.ToLower(want)) {
			t.Errorf("search output lacks %q:\n%s", want, out)
		}
	}

	// JSON keeps text and offsets; the next page continues with --after.
	code, out, errs = run(t, "", "search", "dân vận", "--data", data, "--limit", "2", "--format", "json")
	if code != 0 {
		t.Fatalf("search --format json: exit %d: %s", code, errs)
	}
	var res struct {
		Query string `json:"query"`
		index.Result
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Total < 10 || len(res.Hits) != 2 || res.Next == "" || res.Query != "dân vận" {
		t.Fatalf("search json: total %d, %d hits, next %q", res.Total, len(res.Hits), res.Next)
	}
	for _, h := range res.Hits {
		for _, s := range h.Snippets {
			for _, m := range s.Marks {
				if w := strings.ToLower(s.Text[m[0]:m[1]]); w != "dân" && w != "vận" {
					t.Errorf("mark %v of %q is %q", m, s.Text, w)
				}
			}
		}
	}
	code, out, errs = run(t, "", "search", "dân vận", "--data", data, "--limit", "2", "--format", "jsonl", "--after", res.Next)
	if code != 0 {
		t.Fatalf("search --after: exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasPrefix(errs, "next: ") {
		t.Errorf("second page: %d lines, stderr %q", len(lines), errs)
	}
	for _, l := range lines {
		var h index.Hit
		if err := json.Unmarshal([]byte(l), &h); err != nil {
			t.Fatal(err)
		}
		for _, first := range res.Hits {
			if first.ID == h.ID {
				t.Errorf("%s on both pages", h.ID)
			}
		}
	}
	code, out, _ = run(t, "", "search", "\"Dân vận khéo\"", "--site", "baosonla", "--data", data, "--format", "csv")
	recs := readCSV(t, out)
	if code != 0 || len(recs) < 2 || strings.Join(recs[0], ",") != "id,site,published,title,url,score,snippet" {
		t.Fatalf("search csv: exit %d\n%s", code, out)
	}
	for _, r := range recs[1:] {
		if r[1] != "baosonla" {
			t.Errorf("--site baosonla gave %v", r)
		}
	}

	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"search", "\"dân vận"}, 2, "search: unterminated quote"},
		{[]string{"search", "tieude:x"}, 2, "unknown field \"tieude\""},
		{[]string{"search", "x", "--format", "xml"}, 2, "--format must be"},
		{[]string{"search", "x", "--from", "2024-13-01"}, 2, "--from"},
		{[]string{"search", "x", "--limit", "0"}, 2, "--limit"},
		{[]string{"search", "x", "--after", "garbage"}, 2, "--after token"},
		{[]string{"search"}, 2, "want one QUERY"},
		{[]string{"search", "x", "--sort", "random"}, 2, "unknown sort"},
	} {
		code, _, errs := run(t, "", append(c.args, "--data", data)...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d, %q; want %d and %q", c.args, code, errs, c.code, c.msg)
		}
	}
	empty := t.TempDir()
	if code, _, errs := run(t, "", "search", "x", "--data", empty); code != 1 || !strings.Contains(errs, "no search index") {
		t.Errorf("search without an index: exit %d, %q", code, errs)
	}
}

func TestOfficialsCommand(t *testing.T) {
	data := crawledFixtures(t)
	code, out, errs := run(t, "", "officials", "--data", data, "--format", "csv")
	if code != 0 {
		t.Fatalf("officials: exit %d: %s", code, errs)
	}
	recs := readCSV(t, out)
	if strings.Join(recs[0], ",") != strings.Join(index.OfficialColumns, ",") || len(recs) < 100 {
		t.Fatalf("officials csv: header %v, %d rows", recs[0], len(recs))
	}
	if !strings.Contains(out, "\r\n") {
		t.Error("officials csv lines do not end in CRLF (RFC 4180)")
	}
	sites := map[string]bool{}
	for _, r := range recs[1:] {
		if strings.Contains(r[8], "baohatinh.vn") {
			sites["baohatinh"] = true
		}
		if strings.Contains(r[8], "baosonla.vn") {
			sites["baosonla"] = true
		}
	}
	if len(sites) != 2 {
		t.Errorf("officials from %v, want both sites", sites)
	}
	code, out, _ = run(t, "", "officials", "--data", data, "--title", "truong ban dan van", "--format", "json")
	var rows []index.Official
	if err := json.Unmarshal([]byte(out), &rows); code != 0 || err != nil || len(rows) == 0 {
		t.Fatalf("officials --title json: exit %d, %v, %d rows", code, err, len(rows))
	}
	found := false
	for _, r := range rows {
		if !strings.Contains(r.Title, "Trưởng ban Dân vận") {
			t.Errorf("--title truong ban dan van gave %q", r.Title)
		}
		found = found || r.Name == "Trương Thanh Huyền" && r.Place == "Hà Tĩnh"
	}
	if !found {
		t.Errorf("Trương Thanh Huyền, Trưởng ban Dân vận Tỉnh ủy Hà Tĩnh, not among %v", rows)
	}
	code, out, _ = run(t, "", "officials", "--data", data, "--person", "Trương Thanh Huyền", "--mentions", "--format", "csv")
	recs = readCSV(t, out)
	if code != 0 || len(recs) < 2 || strings.Join(recs[0], ",") != strings.Join(index.MentionColumns, ",") {
		t.Fatalf("officials --mentions: exit %d\n%s", code, out)
	}
	for _, r := range recs[1:] {
		if !strings.Contains(r[10], "Trương Thanh Huyền") && !strings.Contains(r[10], "Huyền") {
			t.Errorf("evidence sentence %q does not name her", r[10])
		}
	}
	code, out, _ = run(t, "", "officials", "--data", data, "--site", "baosonla", "--from", "2025-01-01")
	if code != 0 || !strings.Contains(out, "rows (person and title)") {
		t.Errorf("officials table: exit %d\n%s", code, out)
	}
}

func TestTimelineExportStats(t *testing.T) {
	data := crawledFixtures(t)
	code, out, errs := run(t, "", "timeline", "\"dân vận\"", "--interval", "year", "--data", data, "--format", "csv")
	if code != 0 {
		t.Fatalf("timeline: exit %d: %s", code, errs)
	}
	recs := readCSV(t, out)
	matching, total := 0, 0
	for _, r := range recs[1:] {
		var m, n int
		json.Unmarshal([]byte(r[1]), &m)
		json.Unmarshal([]byte(r[2]), &n)
		matching, total = matching+m, total+n
	}
	if strings.Join(recs[0], ",") != "period,matching,total,ratio" || total != 48 || matching == 0 || matching >= total {
		t.Errorf("timeline: %v, matching %d of %d", recs[0], matching, total)
	}
	if code, _, errs := run(t, "", "timeline", "x", "--interval", "fortnight", "--data", data); code != 2 || !strings.Contains(errs, "unknown interval") {
		t.Errorf("timeline --interval fortnight: exit %d, %q", code, errs)
	}

	code, out, errs = run(t, "", "export", "--data", data)
	if code != 0 || !strings.Contains(errs, "exported 48 articles") {
		t.Fatalf("export: exit %d, %q", code, errs)
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<24)
	n, prev := 0, ""
	for sc.Scan() {
		var a index.Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
		if a.ID <= prev || a.Analysis == nil || a.Text == "" || len(a.Blocks) == 0 {
			t.Errorf("export line %d: id %q after %q, analysis %v", n, a.ID, prev, a.Analysis != nil)
		}
		for _, p := range a.Analysis.People {
			for _, s := range p.Spans {
				if s[1] > len(a.Text) {
					t.Errorf("%s: span %v outside the text", a.ID, s)
				}
			}
		}
		prev = a.ID
		n++
	}
	if n != 48 {
		t.Errorf("export gave %d lines, want 48", n)
	}
	code, out, errs = run(t, "", "export", "--data", data, "--format", "csv", "--site", "baohatinh", "--from", "2024-01-01", "--to", "2024-12-31")
	recs = readCSV(t, out)
	if code != 0 || len(recs) != 11 || !strings.Contains(errs, "exported 10 articles") {
		t.Errorf("export csv of baohatinh 2024: exit %d, %d records, %q", code, len(recs), errs)
	}

	code, out, errs = run(t, "", "stats", "--data", data)
	if code != 0 {
		t.Fatalf("stats: exit %d: %s", code, errs)
	}
	for _, want := range []string{"index: 48 articles", "baohatinh      24 articles, 2019-10-08 to 2025-11-21", "by year: 2019: 2, 2021: 1", "archive: 1 WARC files", "last crawl per site:", "24 new, 0 updated, 0 failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("stats lacks %q:\n%s", want, out)
		}
	}
}

// TestReindexEquivalence rebuilds the index from the archive and checks it
// answers as the index built while crawling did.
func TestReindexEquivalence(t *testing.T) {
	data := crawledFixtures(t)
	queries := [][]string{
		{"search", "dan van kheo", "--limit", "50", "--format", "json", "--facets"},
		{"search", "\"Bí thư\" -\"Hà Tĩnh\"", "--limit", "50", "--format", "json"},
		{"search", "", "--person", "luu minh quan", "--format", "json"},
		{"search", "hội nghị", "--sort", "newest", "--limit", "50", "--format", "json"},
		{"officials", "--format", "csv"},
		{"officials", "--mentions", "--format", "csv"},
		{"timeline", "nông thôn mới", "--format", "csv"},
	}
	before := map[int]string{}
	for i, q := range queries {
		code, out, errs := run(t, "", append(q, "--data", data)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", q, code, errs)
		}
		before[i] = out
	}
	code, out, errs := run(t, "", "reindex", "--data", data)
	if code != 0 || !strings.Contains(out, "reindexed 48 articles from 1 WARC files") {
		t.Fatalf("reindex: exit %d\n%s%s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(data, "index.rebuild")); !os.IsNotExist(err) {
		t.Errorf("index.rebuild left behind: %v", err)
	}
	for i, q := range queries {
		_, after, _ := run(t, "", append(q, "--data", data)...)
		if after != before[i] {
			t.Errorf("%v differs after reindex:\nbefore %s\nafter  %s", q, firstDiff(before[i], after), "")
		}
	}
	// Reindex while a crawl holds the data directory is refused.
	lock, err := crawler.AcquireLock(data)
	if err != nil {
		t.Fatal(err)
	}
	code, _, errs = run(t, "", "reindex", "--data", data)
	lock.Release()
	if code != 1 || !strings.Contains(errs, "another crawl is running") {
		t.Errorf("reindex during a crawl: exit %d, %q", code, errs)
	}
	if code, _, errs := run(t, "", "reindex", "--data", t.TempDir()); code != 1 || !strings.Contains(errs, "no archive") {
		t.Errorf("reindex without an archive: exit %d, %q", code, errs)
	}
}

// TestCrawlCatchUp: a crawl that died before writing its last batch leaves
// archived articles out of the index; the next crawl indexes them from the
// archive, though it fetches nothing.
func TestCrawlCatchUp(t *testing.T) {
	data := crawledFixtures(t)
	if err := os.RemoveAll(index.DataDir(data)); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sitegen.Handler("../../testdata/sites/baosonla"))
	defer srv.Close()
	code, out, errs := run(t, "", "crawl", "--site", "baosonla", "--base-url", srv.URL, "--delay", "0", "--data", data)
	if code != 0 || !strings.Contains(errs, "indexed 48 archived articles a previous crawl had not indexed") ||
		!strings.Contains(out, "new          0") {
		t.Fatalf("crawl after losing the index: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = run(t, "", "stats", "--data", data)
	if code != 0 || !strings.Contains(out, "index: 48 articles") {
		t.Errorf("stats after the catch-up:\n%s", out)
	}
	// Nothing is left to catch up.
	code, _, errs = run(t, "", "crawl", "--site", "baosonla", "--base-url", srv.URL, "--delay", "0", "--data", data)
	if code != 0 || strings.Contains(errs, "had not indexed") {
		t.Errorf("third crawl: exit %d, %q", code, errs)
	}
}

// TestIndexBusy: while a crawl writes the index, a search says so at once.
func TestIndexBusy(t *testing.T) {
	data := crawledFixtures(t)
	ix, err := index.Open(index.DataDir(data), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	code, _, errs := run(t, "", "search", "dân", "--data", data)
	if code != 1 || !strings.Contains(errs, "in use by another process") {
		t.Errorf("search while the index is open for writing: exit %d, %q", code, errs)
	}
}

// TestReindexRefusedWhileServed: reindex would swap the index away from
// under a server that writes it; it refuses, and leaves the index as it was.
func TestReindexRefusedWhileServed(t *testing.T) {
	data := crawledFixtures(t)
	ix, err := index.Open(index.DataDir(data), index.Options{}) // as `baotinh serve` holds it
	if err != nil {
		t.Fatal(err)
	}
	code, _, errs := run(t, "", "reindex", "--data", data)
	if code != 1 || !strings.Contains(errs, "open for writing by another process (`baotinh serve`?)") {
		t.Errorf("reindex while the index is served: exit %d, %q", code, errs)
	}
	if n, _, err := ix.Count(); err != nil || n != 48 {
		t.Errorf("the served index after the refused reindex: %d articles, %v", n, err)
	}
	ix.Close()
	if _, err := os.Stat(index.DataDir(data) + ".rebuild"); err == nil {
		t.Error("reindex left a half-built index behind")
	}
}

// TestCrawlNamesTheRunningCrawl: a second crawl of a data directory fails at
// once and says which process holds it.
func TestCrawlNamesTheRunningCrawl(t *testing.T) {
	data := crawledFixtures(t)
	lock, err := crawler.AcquireLock(data)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	code, _, errs := run(t, "", "crawl", "--site", "baosonla", "--base-url", "http://127.0.0.1:9", "--data", data)
	if code != 1 || !strings.Contains(errs, "another crawl is running") || !strings.Contains(errs, fmt.Sprintf("pid %d", os.Getpid())) {
		t.Errorf("second crawl: exit %d, %q", code, errs)
	}
}
