package crawler

import (
	"bytes"
	"compress/gzip"
	"net/url"
	"strings"
	"testing"
	"time"
)

func gz(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.Bytes()
}

func TestParseSitemap(t *testing.T) {
	index := `<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://baohatinh.vn/sitemaps/news-2025-9.xml.gz</loc><lastmod>2025-09-30T23:10:00+0700</lastmod></sitemap>
<sitemap><loc> https://baohatinh.vn/sitemaps/news-2025-8.xml </loc></sitemap></sitemapindex>`
	urlset := `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://baohatinh.vn/a-post1.html</loc><lastmod>2025-06-17T13:43:02+07:00</lastmod></url>
<url><loc>https://baohatinh.vn/b-post2.html</loc><news:news><news:publication_date>2025-06-18</news:publication_date></news:news></url>
<url><loc></loc></url></urlset>`
	vn := time.FixedZone("", 7*3600)
	tests := []struct {
		name  string
		body  []byte
		index bool
		want  []Link
	}{
		{"index", []byte(index), true, []Link{
			{URL: "https://baohatinh.vn/sitemaps/news-2025-9.xml.gz", Lastmod: time.Date(2025, 9, 30, 23, 10, 0, 0, vn), Source: "sitemap"},
			{URL: "https://baohatinh.vn/sitemaps/news-2025-8.xml", Source: "sitemap"}}},
		{"urlset gzipped, news date", gz(urlset), false, []Link{
			{URL: "https://baohatinh.vn/a-post1.html", Lastmod: time.Date(2025, 6, 17, 13, 43, 2, 0, vn), Source: "sitemap"},
			{URL: "https://baohatinh.vn/b-post2.html", Lastmod: time.Date(2025, 6, 18, 0, 0, 0, 0, vn), Source: "sitemap"}}},
	}
	for _, tc := range tests {
		sm, err := ParseSitemap(tc.body)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if sm.Index != tc.index || len(sm.Links) != len(tc.want) {
			t.Fatalf("%s: index %v, %d links; want %v, %d", tc.name, sm.Index, len(sm.Links), tc.index, len(tc.want))
		}
		for i, w := range tc.want {
			if g := sm.Links[i]; g.URL != w.URL || !g.Lastmod.Equal(w.Lastmod) || g.Source != w.Source {
				t.Errorf("%s: link %d = %+v, want %+v", tc.name, i, g, w)
			}
		}
	}
	for _, bad := range []string{`<html><body>404</body></html>`, `not xml`, ""} {
		if _, err := ParseSitemap([]byte(bad)); err == nil {
			t.Errorf("ParseSitemap(%q): no error", bad)
		}
	}
}

func TestParseFeed(t *testing.T) {
	rss := `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Báo Hà Tĩnh</title>
<item><title>A</title><link>https://baohatinh.vn/a-post1.html</link><pubDate>Tue, 17 Jun 2025 06:43:02 GMT</pubDate></item>
<item><title>B</title><guid>https://baohatinh.vn/b-post2.html</guid><pubDate>Wed, 18 Jun 2025 09:00:00 +0700</pubDate></item>
</channel></rss>`
	atom := `<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="self" href="https://x.vn/self"/><link href="https://baovidu.vn/2025/06/a/"/><published>2025-06-17T13:43:02+07:00</published></entry></feed>`
	rdf := `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><item><link>https://baovidu.vn/b/</link><dc:date>2025-06-18T09:00:00+07:00</dc:date></item></rdf:RDF>`
	instant := time.Date(2025, 6, 17, 6, 43, 2, 0, time.UTC)
	tests := []struct {
		name string
		body string
		urls []string
		t0   time.Time
	}{
		{"rss", rss, []string{"https://baohatinh.vn/a-post1.html", "https://baohatinh.vn/b-post2.html"}, instant},
		{"atom", atom, []string{"https://baovidu.vn/2025/06/a/"}, instant},
		{"rdf", rdf, []string{"https://baovidu.vn/b/"}, time.Date(2025, 6, 18, 2, 0, 0, 0, time.UTC)},
	}
	for _, tc := range tests {
		links, err := ParseFeed([]byte(tc.body))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var got []string
		for _, l := range links {
			got = append(got, l.URL)
		}
		if strings.Join(got, " ") != strings.Join(tc.urls, " ") {
			t.Errorf("%s: links %v, want %v", tc.name, got, tc.urls)
		}
		if len(links) > 0 && !links[0].Lastmod.Equal(tc.t0) {
			t.Errorf("%s: first date %v, want %v", tc.name, links[0].Lastmod, tc.t0)
		}
	}
	if _, err := ParseFeed([]byte(`<html></html>`)); err == nil {
		t.Error("ParseFeed of an HTML page: no error")
	}
}

func TestPageLinks(t *testing.T) {
	base, _ := url.Parse("https://baohatinh.vn/chinh-tri/")
	page := `<html><head><link rel="alternate" type="application/rss+xml" href="/rss/home.rss"></head><body>
<article class=" story"><h2><a class="cms-link" href="/a-post1.html#top">A</a></h2><time class="time" datetime="2025-08-30T01:07:33+0700">30/08/2025 01:07</time></article>
<a href="/a-post1.html">A again</a><a href="javascript:void(0)">x</a><a href="mailto:x@y.vn">m</a><a href="HTTPS://BaoHaTinh.vn/b-post2.html">B</a>
</body></html>`
	links, feeds := pageLinks(page, base)
	if len(links) != 2 || links[0].URL != "https://baohatinh.vn/a-post1.html" || links[1].URL != "https://baohatinh.vn/b-post2.html" {
		t.Fatalf("links %+v", links)
	}
	if want := time.Date(2025, 8, 29, 18, 7, 33, 0, time.UTC); !links[0].Lastmod.Equal(want) || !links[1].Lastmod.IsZero() {
		t.Errorf("listing times %v, %v; want %v and none", links[0].Lastmod, links[1].Lastmod, want)
	}
	if len(feeds) != 1 || feeds[0] != "https://baohatinh.vn/rss/home.rss" {
		t.Errorf("feeds %v", feeds)
	}
}
