package crawler

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// faultSite is a small Hà Tĩnh-like site for fault tests: robots.txt, a
// sitemap of n articles, a home page listing them, and per-path overrides
// that misbehave.
type faultSite struct {
	t   *testing.T
	srv *httptest.Server

	mu        sync.Mutex
	n         int
	robots    string
	lastmod   map[int]time.Time
	body      map[int]string // replaced article text
	override  map[string]http.HandlerFunc
	hits      map[string]int
	hitTimes  map[string][]time.Time
	delay     time.Duration // per article response
	etags     bool
	notInSite map[int]bool // left out of the sitemap
}

func newFaultSite(t *testing.T, n int) *faultSite {
	s := &faultSite{t: t, n: n, lastmod: map[int]time.Time{}, body: map[int]string{},
		override: map[string]http.HandlerFunc{}, hits: map[string]int{}, hitTimes: map[string][]time.Time{},
		notInSite: map[int]bool{}}
	s.robots = "User-agent: *\nDisallow: /search\nSitemap: https://baohatinh.vn/sitemap.xml\n"
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func articlePath(i int) string {
	return fmt.Sprintf("/hoi-nghi-so-%d-ve-cong-tac-dan-van-post%d.html", i, 300000+i)
}
func articleID(i int) string { return fmt.Sprint(300000 + i) }

func (s *faultSite) base() *url.URL { u, _ := url.Parse(s.srv.URL); return u }

func (s *faultSite) set(path string, h http.HandlerFunc) {
	s.mu.Lock()
	s.override[path] = h
	s.mu.Unlock()
}

func (s *faultSite) hitsOf(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// articleHits counts requests for article pages.
func (s *faultSite) articleHits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for p, h := range s.hits {
		if strings.Contains(p, "-post") {
			n += h
		}
	}
	return n
}

func (s *faultSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	s.hitTimes[r.URL.Path] = append(s.hitTimes[r.URL.Path], time.Now())
	h := s.override[r.URL.Path]
	delay := s.delay
	s.mu.Unlock()
	if h != nil {
		h(w, r)
		return
	}
	switch {
	case r.URL.Path == "/robots.txt":
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, s.robots)
	case r.URL.Path == "/sitemap.xml":
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, s.sitemap())
	case r.URL.Path == "/":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, s.home())
	case strings.Contains(r.URL.Path, "-post"):
		var i int
		if _, err := fmt.Sscanf(r.URL.Path[strings.LastIndex(r.URL.Path, "-post")+5:], "%d", &i); err != nil || i <= 300000 || i > 300000+s.n {
			http.NotFound(w, r)
			return
		}
		if delay > 0 {
			time.Sleep(delay)
		}
		i -= 300000
		page := s.article(i)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if s.etags {
			etag := fmt.Sprintf(`"%x"`, len(page)*7919+i)
			w.Header().Set("ETag", etag)
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		fmt.Fprint(w, page)
	default:
		http.NotFound(w, r)
	}
}

func (s *faultSite) sitemap() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for i := 1; i <= s.n; i++ {
		if s.notInSite[i] {
			continue
		}
		lm := s.lastmod[i]
		if lm.IsZero() {
			lm = time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
		}
		fmt.Fprintf(&b, "<url><loc>https://baohatinh.vn%s</loc><lastmod>%s</lastmod></url>\n", articlePath(i), lm.Format(time.RFC3339))
	}
	b.WriteString("</urlset>\n")
	return b.String()
}

func (s *faultSite) home() string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Báo Hà Tĩnh</title></head><body><main>`)
	for i := 1; i <= s.n; i++ {
		fmt.Fprintf(&b, `<article class="story"><h2 class="story__heading"><a class="cms-link" href="%s">Bài %d</a></h2></article>`, articlePath(i), i)
	}
	b.WriteString(`<a href="/search?q=x">Tìm kiếm</a></main></body></html>`)
	return b.String()
}

func (s *faultSite) article(i int) string {
	s.mu.Lock()
	text := s.body[i]
	s.mu.Unlock()
	if text == "" {
		text = fmt.Sprintf("Chủ tịch UBND tỉnh Võ Trọng Hải chủ trì hội nghị lần thứ %d. Hội nghị đã thông qua 12 nghị quyết.", i)
	}
	title := fmt.Sprintf("Hội nghị số %d về công tác dân vận", i)
	pub := time.Date(2025, 6, 1, 8, 0, 0, 0, time.FixedZone("", 7*3600)).Add(time.Duration(i) * time.Hour)
	return fmt.Sprintf(`<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>%[1]s</title>
<link rel="canonical" href="https://baohatinh.vn%[2]s">
<meta property="og:type" content="article"><meta property="og:title" content="%[1]s">
<meta property="article:published_time" content="%[3]s">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"%[1]s","datePublished":"%[4]s"}</script>
</head><body>
<article class="article">
<h1 class="article__title cms-title">%[1]s</h1>
<div class="article__sapo cms-desc">(Baohatinh.vn) - Sáng nay, tỉnh tổ chức hội nghị số %[5]d.</div>
<div class="article__body zce-content-body cms-body" itemprop="articleBody">
<p>%[6]s</p>
<p>Các đại biểu đã thảo luận nhiều nội dung quan trọng về phát triển kinh tế - xã hội của địa phương trong thời gian tới.</p>
<p style="text-align: right;"><strong>Thu Hà</strong></p>
</div></article></body></html>`, title, articlePath(i), pub.Format("2006-01-02T15:04:05-0700"), pub.Format(time.RFC3339), i, text)
}

// testOptions are fast options for a crawl of the fault site.
func (s *faultSite) options(dir string) Options {
	ht := mustProfile(s.t, "baohatinh")
	return Options{
		DataDir:  dir,
		Sites:    []*Profile{ht},
		BaseURLs: map[string]*url.URL{"baohatinh": s.base()},
		Delay:    -1,
		Parallel: 4,
		Backoff:  20 * time.Millisecond,
		Timeout:  2 * time.Second,
	}
}

func mustProfile(t testing.TB, name string) *Profile {
	t.Helper()
	p, err := Resolve(name, Profiles())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// stateOf returns every article's state in a data directory.
func stateOf(t *testing.T, dir string) map[string]*ArticleState {
	t.Helper()
	st, err := OpenState(StatePath(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	out := map[string]*ArticleState{}
	if err := st.Articles("", func(a *ArticleState) error { out[a.Site+":"+a.ID] = a; return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func keys[V any](m map[string]V) []string {
	var k []string
	for x := range m {
		k = append(k, x)
	}
	sort.Strings(k)
	return k
}

func tempData(t *testing.T) string { return filepath.Join(t.TempDir(), "data") }
