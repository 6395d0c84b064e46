package crawler

import (
	"context"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baotinh/baotinh/internal/sitegen"
)

// fixtureServers serves the three fixture sites on 127.0.0.1 and returns the
// profiles to crawl them with and their mirrors.
func fixtureServers(t *testing.T) ([]*Profile, map[string]*url.URL, map[string]*countingHandler) {
	t.Helper()
	generic, err := GenericProfile("https://baovidu.vn")
	if err != nil {
		t.Fatal(err)
	}
	profiles := []*Profile{mustProfile(t, "baohatinh"), mustProfile(t, "baosonla"), generic}
	dirs := map[string]string{"baohatinh": "baohatinh", "baosonla": "baosonla", generic.Name: "generic"}
	bases := map[string]*url.URL{}
	handlers := map[string]*countingHandler{}
	for _, p := range profiles {
		h := &countingHandler{next: sitegen.Handler(filepath.Join(sitesDir, dirs[p.Name])), hits: map[string]int{}}
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		bases[p.Name], _ = url.Parse(srv.URL)
		handlers[p.Name] = h
	}
	return profiles, bases, handlers
}

func TestCrawlFixtureSites(t *testing.T) {
	want := loadFixtures(t)
	profiles, bases, handlers := fixtureServers(t)
	dir := tempData(t)
	opt := Options{DataDir: dir, Sites: profiles, BaseURLs: bases, Delay: -1, Parallel: 4, Backoff: 10 * time.Millisecond}
	sum, err := Crawl(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("summary: discovered %d new %d failed %v skipped %v layers %v", sum.Discovered, sum.New, sum.Failed, sum.Skipped, sum.Layers)
	if sum.FailedTotal() != 0 {
		t.Errorf("failures on the fixture sites: %v", sum.Failed)
	}
	st := stateOf(t, dir)
	recs := archivedArticles(t, dir)
	siteName := map[string]string{"baohatinh": "baohatinh", "baosonla": "baosonla", "generic": profiles[2].Name}
	for _, w := range want {
		key := siteName[w.Site] + ":" + w.ID
		if w.Site == "generic" {
			u, _ := url.Parse(w.URL)
			key = siteName[w.Site] + ":" + u.EscapedPath()
		}
		a := st[key]
		if a == nil || a.Status != StatusOK {
			t.Errorf("%s (%s, routes %v): not collected (state %+v)", w.URL, w.Template, w.Routes, a)
			continue
		}
		if a.URL != w.URL {
			t.Errorf("%s: stored URL %s", w.URL, a.URL)
		}
		rs := recs[key]
		if len(rs) != 1 {
			t.Errorf("%s: archived %d times, want once", w.URL, len(rs))
			continue
		}
		r := rs[0]
		if r.Article.Title != w.Title {
			t.Errorf("%s: title %q, want %q", w.URL, r.Article.Title, w.Title)
		}
		if got := r.Article.Published.Format(time.RFC3339); got != w.Published {
			t.Errorf("%s: published %s, want %s", w.URL, got, w.Published)
		}
		if r.Article.Category != w.Category {
			t.Errorf("%s: category %q, want %q", w.URL, r.Article.Category, w.Category)
		}
		if strings.Join(r.Article.Authors, "|") != strings.Join(w.Authors, "|") {
			t.Errorf("%s: authors %q, want %q", w.URL, r.Article.Authors, w.Authors)
		}
		if strings.Join(r.Article.Tags, "|") != strings.Join(w.Tags, "|") {
			t.Errorf("%s: tags %q, want %q", w.URL, r.Article.Tags, w.Tags)
		}
	}
	if got := len(st); got != len(want) {
		var extra []string
		for k := range st {
			extra = append(extra, k+" "+st[k].Status)
		}
		t.Errorf("state holds %d articles, want %d: %v", got, len(want), extra)
	}

	// A second run on the unchanged sites fetches no article page.
	before := map[string]int{}
	beforePaths := map[string]map[string]int{}
	byName := map[string]*Profile{}
	for _, p := range profiles {
		byName[p.Name] = p
	}
	for name, h := range handlers {
		before[name] = h.articleHits(byName[name])
		beforePaths[name] = h.snapshot()
	}
	sum, err = Crawl(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	for name, h := range handlers {
		if got := h.articleHits(byName[name]) - before[name]; got != 0 {
			var again []string
			for p, n := range h.snapshot() {
				if n != beforePaths[name][p] {
					again = append(again, p)
				}
			}
			t.Errorf("%s: re-crawl of the unchanged site fetched %d article pages; requests again: %v", name, got, again)
		}
	}
	if sum.Fetched != 0 || sum.New != 0 || sum.FailedTotal() != 0 {
		t.Errorf("re-crawl: fetched %d new %d failed %v, want 0, 0, none (sitemaps answer 304, the gzipped one too)", sum.Fetched, sum.New, sum.Failed)
	}
}
