package crawler

import (
	"context"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/baotinh/baotinh/extract"
	"github.com/baotinh/baotinh/internal/sitegen"
)

// BenchmarkCrawlSynthetic crawls a synthetic Hà Tĩnh-like site of 5,000
// articles (BAOTINH_BENCH_ARTICLES to change) on loopback with politeness
// off: discovery, fetching, parsing, extraction, WARC archiving and the crawl
// state, all of it, with the extractor's analysis handed to OnArticle as the
// index takes it. In the same run a plain colly loop fetches the same
// article pages with the same parallelism and does nothing with them; the
// ratio of the two rates is reported. Run it with -benchtime 1x:
//
//	go test ./crawler -run '^$' -bench CrawlSynthetic -benchtime 1x
func BenchmarkCrawlSynthetic(b *testing.B) {
	n := 5000
	if v, err := strconv.Atoi(os.Getenv("BAOTINH_BENCH_ARTICLES")); err == nil && v > 0 {
		n = v
	}
	const parallel = 4
	srv := httptest.NewServer(sitegen.Synthetic(n))
	defer srv.Close()
	base, _ := url.Parse(srv.URL)
	ht := mustProfile(b, "baohatinh")
	b.ResetTimer()
	var crawlRate, collyRate float64
	var bytes int64
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		start := time.Now()
		// The analysis is consumed as the search index will consume it, so
		// that the extractor's work is measured.
		var people atomic.Int64
		sum, err := Crawl(context.Background(), Options{DataDir: dir, Sites: []*Profile{ht},
			BaseURLs: map[string]*url.URL{"baohatinh": base}, Delay: -1, Parallel: parallel,
			OnArticle: func(_ *Page, a *extract.Analysis) error { people.Add(int64(len(a.People))); return nil }})
		if err != nil {
			b.Fatal(err)
		}
		el := time.Since(start)
		if sum.New != n {
			b.Fatalf("crawl collected %d articles of %d (failed %v)", sum.New, n, sum.Failed)
		}
		if people.Load() == 0 {
			b.Fatal("the extractor found nobody in the synthetic articles")
		}
		crawlRate = float64(sum.New) / el.Seconds()
		bytes = sum.Bytes
	}
	b.StopTimer()
	rss := peakRSSMB()

	// The plain colly loop: a default collector visiting the same article
	// pages one after the other, no parsing, no archive, no state.
	urls := sitegen.SyntheticURLs(n)
	c := colly.NewCollector(colly.AllowURLRevisit(), colly.IgnoreRobotsTxt())
	var got atomic.Int64
	c.OnResponse(func(r *colly.Response) { got.Add(1) })
	start := time.Now()
	for _, u := range urls {
		c.Visit(strings.Replace(u, "https://baohatinh.vn", srv.URL, 1))
	}
	el := time.Since(start)
	if int(got.Load()) != n {
		b.Fatalf("plain colly loop fetched %d of %d", got.Load(), n)
	}
	collyRate = float64(n) / el.Seconds()

	// The same with colly's async mode and our parallelism, for reference.
	ca := colly.NewCollector(colly.Async(true), colly.AllowURLRevisit(), colly.IgnoreRobotsTxt())
	ca.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: parallel})
	got.Store(0)
	ca.OnResponse(func(r *colly.Response) { got.Add(1) })
	start = time.Now()
	for _, u := range urls {
		ca.Visit(strings.Replace(u, "https://baohatinh.vn", srv.URL, 1))
	}
	ca.Wait()
	asyncRate := float64(got.Load()) / time.Since(start).Seconds()
	b.ReportMetric(asyncRate, "colly-async-articles/s")

	b.SetBytes(bytes) // every byte received, robots.txt to the last article
	b.ReportMetric(crawlRate, "articles/s")
	b.ReportMetric(collyRate, "colly-articles/s")
	b.ReportMetric(crawlRate/collyRate, "ratio")
	b.ReportMetric(rss, "peak-RSS-MB")
}

// peakRSSMB reads the process's peak resident set (Linux), or 0.
func peakRSSMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				kb, _ := strconv.ParseFloat(f[1], 64)
				return kb / 1024
			}
		}
	}
	return 0
}
