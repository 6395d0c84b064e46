package sitegen

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"html"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"
)

const (
	seedsDir = "../../testdata/seeds"
	sitesDir = "../../testdata/sites"
	regen    = "go run ./internal/sitegen/cmd/gensites"
)

func TestTreeUpToDate(t *testing.T) {
	tree, err := Generate(seedsDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range tree.Paths() {
		got, err := os.ReadFile(filepath.Join(sitesDir, filepath.FromSlash(p)))
		if err != nil {
			t.Fatalf("testdata/sites/%s is missing: run `%s` from the repository root", p, regen)
		}
		if !bytes.Equal(got, tree[p]) {
			t.Fatalf("testdata/sites/%s is out of date: run `%s` from the repository root", p, regen)
		}
	}
	for _, site := range []string{SiteHatinh, SiteSonla, SiteGeneric} {
		filepath.WalkDir(filepath.Join(sitesDir, site), func(f string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(sitesDir, f)
			if _, ok := tree[filepath.ToSlash(rel)]; !ok {
				t.Errorf("testdata/sites/%s is not generated any more: run `%s`", filepath.ToSlash(rel), regen)
			}
			return nil
		})
	}
	seeds, err := LoadSeeds(seedsDir)
	if err != nil {
		t.Fatal(err)
	}
	if string(Corpus(seeds)) != corpusText {
		t.Fatalf("%s is out of date: run `%s` from the repository root", CorpusFile, regen)
	}
}

func loadExpected(t *testing.T) []Expected {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sitesDir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f ExpectedFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f.Articles
}

// pageText returns the page decoded to NFC UTF-8 with entities unescaped.
func pageText(t *testing.T, e Expected) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sitesDir, filepath.FromSlash(e.File)))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if e.Charset == "windows-1258" {
		s = DecodeWindows1258(b)
	}
	return norm.NFC.String(html.UnescapeString(s))
}

func TestExpected(t *testing.T) {
	exp := loadExpected(t)
	count := map[string]int{}
	tmpl := map[string]int{}
	ids := map[string]bool{}
	for _, e := range exp {
		count[e.Site]++
		tmpl[e.Template]++
		key := e.Site + "/" + e.ID
		if ids[key] {
			t.Errorf("duplicate id %s", key)
		}
		ids[key] = true
		if len(e.Routes) == 0 {
			t.Errorf("%s: reachable by no route", e.URL)
		}
		if strings.Contains(e.URL, "?") || !strings.HasPrefix(e.URL, "https://") {
			t.Errorf("%s: not canonical", e.URL)
		}
		txt := pageText(t, e)
		for _, s := range append([]string{e.Title, e.Lead}, e.Authors...) {
			if !strings.Contains(txt, s) {
				t.Errorf("%s: page lacks %q", e.File, s)
			}
		}
		for _, b := range e.Body {
			if !norm.NFC.IsNormalString(b.Text) {
				t.Errorf("%s: not NFC: %q", e.File, b.Text)
			}
			if !strings.Contains(txt, b.Text) {
				t.Errorf("%s: page lacks %s %q", e.File, b.Kind, b.Text)
			}
		}
		if e.Site == SiteHatinh && !strings.HasPrefix(e.Lead, "(Baohatinh.vn) - ") {
			t.Errorf("%s: lead %q", e.File, e.Lead)
		}
	}
	if count[SiteHatinh] < 24 || count[SiteSonla] < 24 || count[SiteGeneric] < 5 {
		t.Errorf("articles per site: %v", count)
	}
	if tmpl[TemplateHatinhLegacy] < 6 {
		t.Errorf("articles per template: %v", tmpl)
	}
}

func get(t *testing.T, srv *httptest.Server, p string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+p, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	// No Accept-Encoding of our own: the transport must not decompress.
	req.Header.Set("Accept-Encoding", "identity")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestHandler(t *testing.T) {
	ht := httptest.NewServer(Handler(filepath.Join(sitesDir, SiteHatinh)))
	defer ht.Close()
	sl := httptest.NewServer(Handler(filepath.Join(sitesDir, SiteSonla)))
	defer sl.Close()

	resp, body := get(t, ht, "/")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" || !bytes.Contains(body, []byte("article class=\"story")) {
		t.Fatalf("/: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, p := range []string{"/nope.html", "/chinh-tri", "/sitemaps/news-1999-1.xml", "/../sites/expected.json"} {
		if resp, _ := get(t, ht, p); resp.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", p, resp.StatusCode)
		}
	}
	if resp, _ := get(t, ht, "/chinh-tri/"); resp.StatusCode != 200 {
		t.Errorf("/chinh-tri/: %d", resp.StatusCode)
	}
	resp, body = get(t, ht, "/robots.txt")
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") || !bytes.Contains(body, []byte("Sitemap: https://baohatinh.vn/sitemap.xml")) || !bytes.Contains(body, []byte("Disallow: /search")) || bytes.Contains(body, []byte("Crawl-delay")) {
		t.Errorf("robots.txt: %s\n%s", resp.Header.Get("Content-Type"), body)
	}
	resp, body = get(t, ht, "/rss/home.rss")
	if resp.Header.Get("Content-Type") != "application/rss+xml" || !bytes.Contains(body, []byte("<item>")) {
		t.Errorf("rss: %s", resp.Header.Get("Content-Type"))
	}
	// Sitemap index and its children, one gzipped and served raw.
	resp, body = get(t, ht, "/sitemap.xml")
	if resp.Header.Get("Content-Type") != "application/xml" {
		t.Errorf("sitemap.xml: %s", resp.Header.Get("Content-Type"))
	}
	gzSeen := false
	for _, part := range strings.Split(string(body), "<loc>")[1:] {
		loc := part[:strings.Index(part, "</loc>")]
		p := strings.TrimPrefix(loc, "https://baohatinh.vn")
		resp, b := get(t, ht, p)
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", p, resp.StatusCode)
			continue
		}
		if strings.HasSuffix(p, ".gz") {
			gzSeen = true
			if resp.Header.Get("Content-Type") != "application/octet-stream" || resp.Header.Get("Content-Encoding") != "" || len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
				t.Errorf("%s: %s %q % x", p, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Encoding"), b[:4])
			}
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			b, _ = io.ReadAll(zr)
		}
		if !bytes.Contains(b, []byte("<urlset")) || !bytes.Contains(b, []byte("<lastmod>")) {
			t.Errorf("%s: not a urlset", p)
		}
	}
	if !gzSeen {
		t.Error("no gzipped child sitemap")
	}
	// Conditional requests.
	exp := loadExpected(t)
	var art, cp Expected
	for _, e := range exp {
		if e.Site == SiteHatinh && len(e.AltURLs) > 0 {
			art = e
		}
		if e.Charset == "windows-1258" {
			cp = e
		}
	}
	p := strings.TrimPrefix(art.URL, "https://baohatinh.vn")
	resp, body = get(t, ht, p)
	etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if resp.StatusCode != 200 || etag == "" || lm == "" {
		t.Fatalf("%s: %d etag %q last-modified %q", p, resp.StatusCode, etag, lm)
	}
	if resp, _ := get(t, ht, p, "If-None-Match", etag); resp.StatusCode != 304 {
		t.Errorf("If-None-Match: %d", resp.StatusCode)
	}
	if resp, _ := get(t, ht, p, "If-None-Match", `"other"`); resp.StatusCode != 200 {
		t.Errorf("If-None-Match other: %d", resp.StatusCode)
	}
	if resp, _ := get(t, ht, p, "If-Modified-Since", lm); resp.StatusCode != 304 {
		t.Errorf("If-Modified-Since: %d", resp.StatusCode)
	}
	if resp, _ := get(t, ht, p, "If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT"); resp.StatusCode != 200 {
		t.Errorf("If-Modified-Since old: %d", resp.StatusCode)
	}
	for _, u := range art.AltURLs {
		resp, b := get(t, ht, strings.TrimPrefix(u, "https://baohatinh.vn"))
		if resp.StatusCode != 200 || !bytes.Contains(b, []byte(html.EscapeString(art.Title))) {
			t.Errorf("%s: %d", u, resp.StatusCode)
		}
	}
	// The windows-1258 page: no charset in the header.
	resp, _ = get(t, ht, strings.TrimPrefix(cp.URL, "https://baohatinh.vn"))
	if resp.Header.Get("Content-Type") != "text/html" {
		t.Errorf("windows-1258 page: Content-Type %q", resp.Header.Get("Content-Type"))
	}
	// Sơn La: pages until a 404.
	var last int
	for n := 2; n < 20; n++ {
		resp, _ := get(t, sl, "/van-hoa-xa-hoi/trang-"+strconv.Itoa(n)+".html")
		if resp.StatusCode == 404 {
			last = n - 1
			break
		}
	}
	if last < 3 {
		t.Errorf("van-hoa-xa-hoi: last page %d", last)
	}
	if resp, _ := get(t, sl, "/sitemap.xml"); resp.StatusCode != 404 {
		t.Errorf("Sơn La sitemap: %d", resp.StatusCode)
	}
}

func TestWindows1258(t *testing.T) {
	exp := loadExpected(t)
	found := false
	for _, e := range exp {
		if e.Charset != "windows-1258" {
			continue
		}
		found = true
		raw, err := os.ReadFile(filepath.Join(sitesDir, filepath.FromSlash(e.File)))
		if err != nil {
			t.Fatal(err)
		}
		if MetaCharset(raw) != "windows-1258" {
			t.Errorf("meta charset %q", MetaCharset(raw))
		}
		if bytes.Contains(raw, []byte(e.Title)) {
			t.Error("page holds the title in UTF-8")
		}
		// Tone marks are written as combining characters (0xCC, 0xEC, 0xD2, 0xDE, 0xF2).
		if !bytes.ContainsAny(raw, "\xcc\xec\xd2\xde\xf2") {
			t.Error("no combining tone marks")
		}
		doc, err := xhtml.Parse(strings.NewReader(DecodeWindows1258(raw)))
		if err != nil {
			t.Fatal(err)
		}
		var h1 string
		var walk func(*xhtml.Node)
		walk = func(n *xhtml.Node) {
			if n.Type == xhtml.ElementNode && n.Data == "h1" && n.FirstChild != nil {
				h1 = norm.NFC.String(n.FirstChild.Data)
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		if h1 != e.Title {
			t.Errorf("h1 %q, want %q", h1, e.Title)
		}
		txt := pageText(t, e)
		for _, b := range e.Body {
			if !strings.Contains(txt, b.Text) {
				t.Errorf("decoded page lacks %q", b.Text)
			}
		}
	}
	if !found {
		t.Fatal("no windows-1258 page")
	}
	// Every seed text round-trips.
	seeds, err := LoadSeeds(seedsDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range seeds {
		txt := s.Title + "\n" + s.Lead
		for _, b := range s.Body {
			txt += "\n" + b.Text
		}
		got := norm.NFC.String(html.UnescapeString(DecodeWindows1258(EncodeWindows1258(txt))))
		if got != norm.NFC.String(txt) {
			t.Errorf("seed %s does not round-trip through windows-1258", s.Num)
		}
	}
}

func TestSynthetic(t *testing.T) {
	const n = 60
	a := httptest.NewServer(Synthetic(n))
	defer a.Close()
	b := httptest.NewServer(Synthetic(n))
	defer b.Close()
	urls := SyntheticURLs(n)
	if len(urls) != n {
		t.Fatalf("%d urls", len(urls))
	}
	seen := map[string]bool{}
	for i, u := range urls {
		if seen[u] || !strings.HasPrefix(u, "https://baohatinh.vn/") || !synthArticlePath.MatchString(strings.TrimPrefix(u, "https://baohatinh.vn")) {
			t.Fatalf("url %d: %s", i, u)
		}
		seen[u] = true
	}
	if SyntheticURLs(n + 5)[n-1] != urls[n-1] {
		t.Error("article URLs depend on n")
	}
	// Sitemaps list every article.
	_, idx := get(t, a, "/robots.txt")
	if !bytes.Contains(idx, []byte("Sitemap: https://baohatinh.vn/sitemap.xml")) {
		t.Errorf("robots: %s", idx)
	}
	_, idx = get(t, a, "/sitemap.xml")
	listed := 0
	for _, part := range strings.Split(string(idx), "<loc>")[1:] {
		loc := part[:strings.Index(part, "</loc>")]
		_, child := get(t, a, strings.TrimPrefix(loc, "https://baohatinh.vn"))
		listed += bytes.Count(child, []byte("<url>"))
	}
	if listed != n {
		t.Errorf("sitemaps list %d articles, want %d", listed, n)
	}
	for _, p := range []string{"/", "/tin-moi.html", "/chinh-tri/"} {
		if resp, _ := get(t, a, p); resp.StatusCode != 200 {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
	if resp, _ := get(t, a, "/khong-co-post1.html"); resp.StatusCode != 404 {
		t.Errorf("missing article: %d", resp.StatusCode)
	}
	var total int
	for i, u := range urls {
		p := strings.TrimPrefix(u, "https://baohatinh.vn")
		r1, b1 := get(t, a, p)
		_, b2 := get(t, b, p)
		if r1.StatusCode != 200 || !bytes.Equal(b1, b2) {
			t.Fatalf("%s: %d, deterministic %v", p, r1.StatusCode, bytes.Equal(b1, b2))
		}
		if len(b1) < 38_000 || len(b1) > 85_000 {
			t.Errorf("%s: %d bytes", p, len(b1))
		}
		total += len(b1)
		if i < 5 {
			checkHTML(t, p, b1)
			e := SyntheticArticle(i)
			txt := norm.NFC.String(html.UnescapeString(string(b1)))
			for _, bl := range e.Body {
				if !strings.Contains(txt, bl.Text) {
					t.Errorf("%s lacks %q", p, bl.Text)
				}
			}
		}
	}
	t.Logf("%d articles, mean %d bytes", n, total/n)
}

// checkHTML parses a page and checks it has the article's parts.
func checkHTML(t *testing.T, name string, b []byte) {
	t.Helper()
	z := xhtml.NewTokenizer(bytes.NewReader(b))
	depth := map[string]int{}
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			if z.Err() != io.EOF {
				t.Errorf("%s: %v", name, z.Err())
			}
			break
		}
		tn, _ := z.TagName()
		switch tt {
		case xhtml.StartTagToken:
			depth[string(tn)]++
		case xhtml.EndTagToken:
			depth[string(tn)]--
		}
	}
	for _, tag := range []string{"div", "article", "p", "figure", "section", "header", "footer", "main", "script", "h1", "h2", "h3", "a"} {
		if depth[tag] != 0 {
			t.Errorf("%s: <%s> unbalanced by %d", name, tag, depth[tag])
		}
	}
	doc, err := xhtml.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var h1, body int
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode {
			if n.Data == "h1" {
				h1++
			}
			for _, a := range n.Attr {
				if a.Key == "itemprop" && a.Val == "articleBody" {
					body++
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if h1 != 1 || body != 1 {
		t.Errorf("%s: %d h1, %d articleBody", name, h1, body)
	}
}

func TestFixturePagesBalanced(t *testing.T) {
	for _, e := range loadExpected(t) {
		if e.Charset != "utf-8" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(sitesDir, filepath.FromSlash(e.File)))
		if err != nil {
			t.Fatal(err)
		}
		if e.Template == TemplateHatinhCurrent {
			checkHTML(t, e.File, b)
		}
	}
}

func BenchmarkSyntheticArticle(b *testing.B) {
	h := Synthetic(5000)
	urls := SyntheticURLs(5000)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		req := httptest.NewRequest("GET", strings.TrimPrefix(urls[i%len(urls)], "https://baohatinh.vn"), nil)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
		b.SetBytes(int64(w.Body.Len()))
	}
}
