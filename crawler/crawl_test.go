package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/baotinh/baotinh/extract"
)

func crawlT(t *testing.T, opt Options) *Summary {
	t.Helper()
	sum, err := Crawl(context.Background(), opt)
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	return sum
}

func TestCrawlIncremental(t *testing.T) {
	s := newFaultSite(t, 12)
	s.etags = true
	dir := tempData(t)
	var indexed []string
	opt := s.options(dir)
	opt.OnArticle = func(p *Page, a *extract.Analysis) error {
		indexed = append(indexed, p.Article.SiteID)
		if len(a.People) == 0 {
			t.Errorf("article %s: the extractor found nobody", p.Article.SiteID)
		}
		return nil
	}
	opt.Parallel = 1 // indexed is appended without a lock
	sum := crawlT(t, opt)
	if sum.New != 12 || sum.Fetched != 12 || sum.FailedTotal() != 0 {
		t.Fatalf("first crawl: new %d fetched %d failed %v, want 12, 12, none", sum.New, sum.Fetched, sum.Failed)
	}
	if len(indexed) != 12 {
		t.Errorf("OnArticle called %d times, want 12", len(indexed))
	}
	if got := s.hitsOf("/search"); got != 0 {
		t.Errorf("/search (disallowed by robots.txt) fetched %d times", got)
	}
	st := stateOf(t, dir)
	for i := 1; i <= 12; i++ {
		a := st["baohatinh:"+articleID(i)]
		if a == nil || a.Status != StatusOK || a.Change != ChangeNew {
			t.Fatalf("article %d: state %+v, want ok/new", i, a)
		}
		if want := "https://baohatinh.vn" + articlePath(i); a.URL != want {
			t.Errorf("article %d: stored URL %s, want the real origin %s", i, a.URL, want)
		}
	}

	// Second run on the unchanged site: no article page is fetched.
	before := s.articleHits()
	indexed = nil
	sum = crawlT(t, opt)
	if got := s.articleHits() - before; got != 0 || sum.Fetched != 0 {
		t.Errorf("re-crawl of an unchanged site fetched %d article pages (summary %d), want 0", got, sum.Fetched)
	}
	if sum.Known != 12 || sum.New != 0 || len(indexed) != 0 {
		t.Errorf("re-crawl: known %d new %d indexed %d, want 12, 0, 0", sum.Known, sum.New, len(indexed))
	}

	// The sitemap says two articles changed: one really did (new text), the
	// other answers 304 to the conditional GET.
	s.mu.Lock()
	s.lastmod[3] = time.Now().Add(time.Hour)
	s.lastmod[5] = time.Now().Add(time.Hour)
	s.body[3] = "Phó Chủ tịch UBND tỉnh Nguyễn Hồng Lĩnh chủ trì hội nghị, sửa lại bài."
	s.mu.Unlock()
	sum = crawlT(t, opt)
	if sum.Fetched != 2 || sum.Updated != 1 || sum.Unchanged != 1 {
		t.Errorf("after changes: fetched %d updated %d unchanged %d, want 2, 1, 1", sum.Fetched, sum.Updated, sum.Unchanged)
	}
	if len(indexed) != 1 || indexed[0] != articleID(3) {
		t.Errorf("re-indexed %v, want only %s", indexed, articleID(3))
	}
	st = stateOf(t, dir)
	if a := st["baohatinh:"+articleID(3)]; a.Change != ChangeUpdated {
		t.Errorf("changed article: change %q, want updated", a.Change)
	}
	// The updated article is archived a second time.
	recs := archivedArticles(t, dir)
	if n := len(recs["baohatinh:"+articleID(3)]); n != 2 {
		t.Errorf("updated article archived %d times, want 2", n)
	}
	if n := len(recs["baohatinh:"+articleID(1)]); n != 1 {
		t.Errorf("unchanged article archived %d times, want 1", n)
	}
}

func TestCrawlFaults(t *testing.T) {
	tests := []struct {
		name  string
		setup func(s *faultSite, opt *Options)
		check func(t *testing.T, s *faultSite, sum *Summary, st map[string]*ArticleState)
	}{
		{
			name: "500 then success",
			setup: func(s *faultSite, opt *Options) {
				n := 0
				s.set(articlePath(2), func(w http.ResponseWriter, r *http.Request) {
					n++
					if n == 1 {
						http.Error(w, "lỗi máy chủ", http.StatusInternalServerError)
						return
					}
					w.Header().Set("Content-Type", "text/html; charset=utf-8")
					fmt.Fprint(w, s.article(2))
				})
			},
			check: func(t *testing.T, s *faultSite, sum *Summary, st map[string]*ArticleState) {
				if got := s.hitsOf(articlePath(2)); got != 2 {
					t.Errorf("requests for the page: %d, want 2 (500, then the retry)", got)
				}
				if a := st["baohatinh:"+articleID(2)]; a.Status != StatusOK {
					t.Errorf("status %s, want ok after the retry", a.Status)
				}
			},
		},
		{
			name: "always 503",
			setup: func(s *faultSite, opt *Options) {
				s.set(articlePath(2), func(w http.ResponseWriter, r *http.Request) {
					http.Error(w, "bảo trì", http.StatusServiceUnavailable)
				})
			},
			check: func(t *testing.T, s *faultSite, sum *Summary, st map[string]*ArticleState) {
				if got := s.hitsOf(articlePath(2)); got != 4 {
					t.Errorf("requests: %d, want 4 (first and 3 retries)", got)
				}
				if a := st["baohatinh:"+articleID(2)]; a.Status != StatusFailed {
					t.Errorf("status %s, want failed", a.Status)
				}
				if sum.Failed["http 503"] != 1 {
					t.Errorf("failed by reason %v, want http 503: 1", sum.Failed)
				}
			},
		},
		{
			name: "429 with Retry-After",
			setup: func(s *faultSite, opt *Options) {
				n := 0
				s.set(articlePath(2), func(w http.ResponseWriter, r *http.Request) {
					n++
					if n == 1 {
						w.Header().Set("Retry-After", "1")
						w.WriteHeader(http.StatusTooManyRequests)
						return
					}
					w.Header().Set("Content-Type", "text/html; charset=utf-8")
					fmt.Fprint(w, s.article(2))
				})
			},
			check: func(t *testing.T, s *faultSite, sum *Summary, st map[string]*ArticleState) {
				s.mu.Lock()
				times := s.hitTimes[articlePath(2)]
				s.mu.Unlock()
				if len(times) != 2 {
					t.Fatalf("requests: %d, want 2", len(times))
				}
				if gap := times[1].Sub(times[0]); gap < 950*time.Millisecond {
					t.Errorf("retry came %s after the 429, want at least Retry-After (1s)", gap)
				}
				if a := st["baohatinh:"+articleID(2)]; a.Status != StatusOK {
					t.Errorf("status %s, want ok", a.Status)
				}
			},
		},
		{
			name: "timeout then success",
			setup: func(s *faultSite, opt *Options) {
				opt.Timeout = 300 * time.Millisecond
				n := 0
				s.set(articlePath(2), func(w http.ResponseWriter, r *http.Request) {
					n++
					if n == 1 {
						select {
						case <-time.After(2 * time.Second):
						case <-r.Context().Done():
						}
						return
					}
					w.Header().Set("Content-Type", "text/html; charset=utf-8")
					fmt.Fprint(w, s.article(2))
				})
			},
			check: func(t *testing.T, s *faultSite, sum *Summary, st map[string]*ArticleState) {
				if a := st["baohatinh:"+articleID(2)]; a.Status != StatusOK || s.hitsOf(articlePath(2)) != 2 {
					t.Errorf("status %s after %d requests, want ok after 2", a.Status, s.hitsOf(articlePath(2)))
				}
			},
		},
		{
			name: "truncated body",
			setup: func(s *faultSite, opt *Options) {
				s.set(articlePath(2), func(w http.ResponseWriter, r *http.Request) {
					page := s.article(2)
					hj, _ := w.(http.Hijacker)
					conn, buf, err := hj.Hijack()
					if err != nil {
						return
					}
					defer conn.Close()
					fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s", len(page)+500, page[:len(page)/2])
					buf.Flush()
				})
			},
			check: func(t *testing.T, s *faultSite, sum *Summary, st map[string]*ArticleState) {
				if a := st["baohatinh:"+articleID(2)]; a.Status != StatusFailed {
					t.Errorf("status %s, want failed", a.Status)
				}
				if sum.Failed["truncated"] != 1 {
					t.Errorf("failed %v, want truncated: 1", sum.Failed)
				}
				if got := s.hitsOf(articlePath(2)); got != 4 {
					t.Errorf("requests %d, want 4 (a cut body is retried)", got)
				}
			},
		},
		{
			name: "redirect loop",
			setup: func(s *faultSite, opt *Options) {
				s.set(articlePath(2), func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, "https://baohatinh.vn/vong-lap.html", http.StatusMovedPermanently)
				})
				s.set("/vong-lap.html", func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, articlePath(2), http.StatusFound)
				})
			},
			check: func(t *testing.T, s *faultSite, sum *Summary, st map[string]*ArticleState) {
				if sum.Failed["redirect loop"] != 1 {
					t.Errorf("failed %v, want redirect loop: 1", sum.Failed)
				}
				if got := s.hitsOf("/vong-lap.html"); got < 1 || got > 2 {
					t.Errorf("loop page fetched %d times per attempt, want the loop cut at once", got)
				}
			},
		},
		{
			name: "redirect off site",
			setup: func(s *faultSite, opt *Options) {
				s.set(articlePath(2), func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, "https://example.com/x", http.StatusFound)
				})
			},
			check: func(t *testing.T, s *faultSite, sum *Summary, st map[string]*ArticleState) {
				if sum.Failed["redirect off site"] != 1 {
					t.Errorf("failed %v, want redirect off site: 1", sum.Failed)
				}
			},
		},
		{
			name: "robots disallow",
			setup: func(s *faultSite, opt *Options) {
				s.robots = "User-agent: *\nDisallow: " + articlePath(2) + "\nSitemap: https://baohatinh.vn/sitemap.xml\n\nUser-agent: OtherBot\nDisallow: /\n"
			},
			check: func(t *testing.T, s *faultSite, sum *Summary, st map[string]*ArticleState) {
				if got := s.hitsOf(articlePath(2)); got != 0 {
					t.Errorf("disallowed page fetched %d times", got)
				}
				if sum.Skipped["disallowed by robots.txt"] != 1 || sum.New != 5 {
					t.Errorf("skipped %v new %d, want robots.txt: 1 and 5 new", sum.Skipped, sum.New)
				}
			},
		},
		{
			name: "robots.txt unreachable",
			setup: func(s *faultSite, opt *Options) {
				s.set("/robots.txt", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "x", 500) })
			},
			check: func(t *testing.T, s *faultSite, sum *Summary, st map[string]*ArticleState) {
				if s.articleHits() != 0 || sum.Failed["robots.txt unreachable"] != 1 {
					t.Errorf("article hits %d, failed %v: want no fetch when robots.txt answers 5xx (RFC 9309)", s.articleHits(), sum.Failed)
				}
			},
		},
		{
			name: "non-HTML content",
			setup: func(s *faultSite, opt *Options) {
				s.set(articlePath(2), func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/pdf")
					fmt.Fprint(w, "%PDF-1.4 binary")
				})
			},
			check: func(t *testing.T, s *faultSite, sum *Summary, st map[string]*ArticleState) {
				if a := st["baohatinh:"+articleID(2)]; a.Status != StatusSkipped || sum.Skipped["not html"] != 1 {
					t.Errorf("status %s skipped %v, want skipped as not html", a.Status, sum.Skipped)
				}
			},
		},
		{
			name: "oversized page",
			setup: func(s *faultSite, opt *Options) {
				opt.MaxBody = 64 << 10
				s.set(articlePath(2), func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html; charset=utf-8")
					fmt.Fprint(w, "<html><body>"+strings.Repeat("<p>Chủ tịch UBND tỉnh.</p>", 10000)+"</body></html>")
				})
			},
			check: func(t *testing.T, s *faultSite, sum *Summary, st map[string]*ArticleState) {
				if a := st["baohatinh:"+articleID(2)]; a.Status != StatusFailed || sum.Failed["oversized"] != 1 {
					t.Errorf("status %s failed %v, want failed as oversized", a.Status, sum.Failed)
				}
			},
		},
		{
			name: "one article under two URLs",
			setup: func(s *faultSite, opt *Options) {
				s.set("/", func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html; charset=utf-8")
					fmt.Fprintf(w, `<html><body><a href="%[1]s?fbclid=abc">a</a><a href="https://www.baohatinh.vn%[1]s">b</a><a href="%[2]s">c</a></body></html>`,
						articlePath(2), strings.TrimSuffix(articlePath(2), ".html")+".amp")
				})
			},
			check: func(t *testing.T, s *faultSite, sum *Summary, st map[string]*ArticleState) {
				if got := s.articleHits(); got != 6 {
					t.Errorf("article requests %d, want 6 (each article once)", got)
				}
				if sum.Discovered != 6 {
					t.Errorf("discovered %d, want 6", sum.Discovered)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newFaultSite(t, 6)
			dir := tempData(t)
			opt := s.options(dir)
			tc.setup(s, &opt)
			sum := crawlT(t, opt)
			tc.check(t, s, sum, stateOf(t, dir))
		})
	}
}

func TestCrawlDelayFromRobots(t *testing.T) {
	s := newFaultSite(t, 3)
	s.robots = "User-agent: *\nCrawl-delay: 1\nSitemap: https://baohatinh.vn/sitemap.xml\n"
	opt := s.options(tempData(t))
	opt.Parallel = 3
	// Only the home page as entry listing: every request waits its turn.
	p := *opt.Sites[0]
	p.Entry.Listings = []string{"/"}
	opt.Sites = []*Profile{&p}
	crawlT(t, opt)
	s.mu.Lock()
	var times []time.Time
	for p, ts := range s.hitTimes {
		if strings.Contains(p, "-post") {
			times = append(times, ts...)
		}
	}
	s.mu.Unlock()
	if len(times) != 3 {
		t.Fatalf("article requests %d, want 3", len(times))
	}
	sortTimes(times)
	for i := 1; i < len(times); i++ {
		if gap := times[i].Sub(times[i-1]); gap < 950*time.Millisecond {
			t.Errorf("requests %d and %d %s apart, want robots.txt's Crawl-delay of 1s even with politeness off and 3 in parallel", i-1, i, gap)
		}
	}
}

func sortTimes(ts []time.Time) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].Before(ts[j-1]); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

func TestCrawlMaxAndSince(t *testing.T) {
	s := newFaultSite(t, 10)
	opt := s.options(tempData(t))
	opt.Max = 4
	sum := crawlT(t, opt)
	if sum.Fetched != 4 {
		t.Errorf("--max 4: fetched %d", sum.Fetched)
	}
	// The rest comes on the next run.
	opt.Max = 0
	sum = crawlT(t, opt)
	if sum.New != 6 {
		t.Errorf("next run: new %d, want the 6 left", sum.New)
	}

	s2 := newFaultSite(t, 10)
	opt = s2.options(tempData(t))
	// Sitemap lastmods are 2025-06-01 08:00 UTC + i hours.
	opt.Since = time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC).Add(6*time.Hour + time.Minute)
	sum = crawlT(t, opt)
	if sum.New != 4 || sum.Skipped["before --since"] != 6 {
		t.Errorf("--since: new %d skipped %v, want 4 new and 6 before --since", sum.New, sum.Skipped)
	}
}

func TestCrawlLock(t *testing.T) {
	dir := tempData(t)
	l, err := AcquireLock(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := newFaultSite(t, 1)
	_, err = Crawl(context.Background(), s.options(dir))
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
		t.Errorf("second crawl: %v, want ErrLocked naming the running process", err)
	}
	if s.articleHits() != 0 {
		t.Error("a crawl refused by the lock fetched pages")
	}
	l.Release()
	if _, err := Crawl(context.Background(), s.options(dir)); err != nil {
		t.Errorf("after release: %v", err)
	}
}

func TestCrawlCancel(t *testing.T) {
	s := newFaultSite(t, 20)
	s.delay = 50 * time.Millisecond
	dir := tempData(t)
	opt := s.options(dir)
	opt.Parallel = 2
	ctx, cancel := context.WithCancel(context.Background())
	opt.Progress = func(p Progress) {
		if p.Fetched >= 5 {
			cancel()
		}
	}
	sum, err := Crawl(ctx, opt)
	if err == nil || sum == nil || !sum.Interrupted {
		t.Fatalf("cancelled crawl: err %v, summary %+v; want an interruption error and a summary", err, sum)
	}
	opt.Progress = nil
	sum2 := crawlT(t, opt)
	if got := sum.New + sum2.New; got != 20 {
		t.Errorf("new over the two runs %d, want 20", got)
	}
}

func TestCrawlUntil(t *testing.T) {
	s := newFaultSite(t, 10)
	var indexed int
	opt := s.options(tempData(t))
	opt.Parallel = 1
	opt.OnArticle = func(*Page, *extract.Analysis) error { indexed++; return nil }
	// Articles are published 2025-06-01 08:00 +07:00 + i hours.
	opt.Until = time.Date(2025, 6, 1, 8, 0, 0, 0, time.FixedZone("", 7*3600)).Add(4*time.Hour + time.Minute)
	sum := crawlT(t, opt)
	if sum.New != 4 || sum.Skipped["after --until"] != 6 || indexed != 4 {
		t.Errorf("--until: new %d, skipped %v, indexed %d; want 4 new and indexed, 6 after --until", sum.New, sum.Skipped, indexed)
	}
	// Nothing fetched is thrown away: all ten are in the archive.
	if got := len(archivedArticles(t, opt.DataDir)); got != 10 {
		t.Errorf("archived %d articles, want 10", got)
	}
}
