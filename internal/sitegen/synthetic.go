package sitegen

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Synthetic site: article i (0 = newest) of an n-article Báo Hà Tĩnh-like
// site in the current template, made on request from the seed corpus. The
// same i gives the same article whatever n is.

const (
	synthFirstID = 400000 // post number of article 0; article i is synthFirstID - i*7
	synthStep    = 163 * time.Minute
)

var synthNewest = time.Date(2026, 1, 10, 9, 30, 0, 0, Vietnam)

// synthCategories are the categories synthetic articles are spread over.
var synthCategories = []Category{
	HatinhCategories[0], HatinhCategories[1], HatinhCategories[2], HatinhCategories[3],
	HatinhCategories[4], HatinhCategories[5], HatinhCategories[6], HatinhCategories[9],
}

func synthRand(i int, what string) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(i), hash64("synthetic", what)))
}

// synthMeta returns article i without its body.
func synthMeta(i int) *Article {
	c := getCorpus()
	r := synthRand(i, "meta")
	a := &Article{Site: SiteHatinh, Template: TemplateHatinhCurrent, Seed: "synthetic"}
	a.ID = strconv.Itoa(synthFirstID - i*7)
	a.Title = c.titles[r.IntN(len(c.titles))]
	a.Slug = Slugify(a.Title)
	a.Lead = "(Baohatinh.vn) - " + c.leads[r.IntN(len(c.leads))]
	cat := synthCategories[r.IntN(len(synthCategories))]
	a.Category, a.CategoryName = cat.Slug, cat.Name
	a.Published = synthNewest.Add(-time.Duration(i) * synthStep).Add(time.Duration(r.IntN(50)) * time.Minute)
	a.Modified = a.Published.Add(time.Duration(r.IntN(3)) * 37 * time.Minute)
	a.Authors = strings.Split(c.authors[r.IntN(len(c.authors))], " - ")
	a.Tags = []string{"Hà Tĩnh", tagWords[r.IntN(len(tagWords))]}
	a.Absolute = i%2 == 1
	a.EmptyAuthor = i%3 == 0
	a.Video = i%11 == 4
	return a
}

// synthArticle returns article i with a body of recombined seed sentences,
// sized so that the page is about 40–80 KB.
func synthArticle(i int) *Article {
	a := synthMeta(i)
	c := getCorpus()
	r := synthRand(i, "body")
	target := 7000 + r.IntN(34000) // body bytes; the chrome adds ~35 KB
	size := 0
	for size < target {
		if r.IntN(5) == 0 {
			t := c.captions[r.IntN(len(c.captions))]
			a.Body = append(a.Body, Block{Kind: KindCaption, Text: t})
			size += len(t) + 400
			continue
		}
		if r.IntN(12) == 0 {
			t := c.sentences[r.IntN(len(c.sentences))]
			if len(t) < 120 {
				a.Body = append(a.Body, Block{Kind: KindSubheading, Text: strings.TrimRight(t, ".")})
				size += len(t)
				continue
			}
		}
		n := 2 + r.IntN(4)
		var p []string
		for k := 0; k < n; k++ {
			p = append(p, c.sentences[r.IntN(len(c.sentences))])
		}
		t := strings.Join(p, " ")
		a.Body = append(a.Body, Block{Kind: KindParagraph, Text: t})
		size += len(t) + 8
	}
	return a
}

// SyntheticPath returns the URL path of article i.
func SyntheticPath(i int) string { return synthMeta(i).Path() }

// SyntheticURLs returns the real-origin URLs (https://baohatinh.vn/...) of the
// n articles of Synthetic(n), newest first.
func SyntheticURLs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = synthMeta(i).URL()
	}
	return out
}

// SyntheticArticle returns article i of the synthetic site as Expected (the
// answer a parser must give for its page).
func SyntheticArticle(i int) Expected {
	a := synthArticle(i)
	return Expected{Site: a.Site, ID: a.ID, URL: a.URL(), Template: a.Template, Charset: "utf-8", Title: a.Title,
		Lead: a.Lead, Body: a.Body, Authors: a.Authors, Published: ISOTime(a.Published), Modified: ISOTime(a.Modified),
		Category: a.CategoryName, Tags: a.Tags, Routes: []string{"listing", "sitemap"}, Seed: "synthetic"}
}

var synthArticlePath = regexp.MustCompile(`^/[a-z0-9-]+-post(\d+)\.html$`)

func synthIndex(n int, p string) (int, bool) {
	m := synthArticlePath.FindStringSubmatch(p)
	if m == nil {
		return 0, false
	}
	id, _ := strconv.Atoi(m[1])
	d := synthFirstID - id
	if d < 0 || d%7 != 0 || d/7 >= n {
		return 0, false
	}
	i := d / 7
	if synthMeta(i).Path() != p {
		return 0, false
	}
	return i, true
}

// Synthetic serves an n-article Báo Hà Tĩnh-like site made deterministically
// in memory: robots.txt with a Sitemap line, /sitemap.xml (an index of
// monthly children /sitemaps/news-YYYY-M.xml), the home page, /tin-moi.html,
// category pages and the article pages (current template, about 40–80 KB,
// bodies recombined from the seed sentences). Responses carry ETag and
// Last-Modified and answer conditional requests like Handler.
func Synthetic(n int) http.Handler {
	getCorpus()
	// Months, newest first, with their article index ranges.
	type month struct {
		key    string
		lo, hi int
	}
	var months []month
	for i := 0; i < n; i++ {
		k := monthKey(synthMeta(i).Published)
		if len(months) == 0 || months[len(months)-1].key != k {
			months = append(months, month{k, i, i + 1})
		} else {
			months[len(months)-1].hi = i + 1
		}
	}
	listing := func(title, p string, idx []int) []byte {
		var items []*Article
		for _, i := range idx {
			items = append(items, synthMeta(i))
		}
		return hatinhListingPage(nil, title, p, false, items, nil, "", "")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		p := path.Clean("/" + r.URL.Path)
		if strings.HasSuffix(r.URL.Path, "/") && p != "/" {
			p += "/"
		}
		var body []byte
		switch {
		case p == "/robots.txt":
			body = []byte("User-agent: *\nDisallow: /search\n\nSitemap: https://baohatinh.vn/sitemap.xml\n")
		case p == "/sitemap.xml":
			var b strings.Builder
			b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
			for _, m := range months {
				fmt.Fprintf(&b, "  <sitemap>\n    <loc>https://baohatinh.vn/sitemaps/news-%s.xml</loc>\n    <lastmod>%s</lastmod>\n  </sitemap>\n", m.key, ISOTime(synthMeta(m.lo).Modified))
			}
			b.WriteString("</sitemapindex>\n")
			body = []byte(b.String())
		case strings.HasPrefix(p, "/sitemaps/news-") && strings.HasSuffix(p, ".xml"):
			key := strings.TrimSuffix(strings.TrimPrefix(p, "/sitemaps/news-"), ".xml")
			for _, m := range months {
				if m.key != key {
					continue
				}
				var b strings.Builder
				b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
				for i := m.lo; i < m.hi; i++ {
					a := synthMeta(i)
					fmt.Fprintf(&b, "  <url><loc>%s</loc><lastmod>%s</lastmod></url>\n", a.URL(), ISOTime(a.Modified))
				}
				b.WriteString("</urlset>\n")
				body = []byte(b.String())
			}
		case p == "/" || p == "/tin-moi.html":
			var idx []int
			for i := 0; i < n && i < 40; i++ {
				idx = append(idx, i)
			}
			body = listing("Báo Hà Tĩnh điện tử", p, idx)
		case strings.HasSuffix(p, "/"):
			for _, c := range synthCategories {
				if p != "/"+c.Slug+"/" {
					continue
				}
				var idx []int
				for i := 0; i < n && len(idx) < 30; i++ {
					if synthMeta(i).Category == c.Slug {
						idx = append(idx, i)
					}
				}
				body = listing(c.Name, p, idx)
			}
		default:
			if i, ok := synthIndex(n, p); ok {
				a := synthArticle(i)
				pg := &Page{Topic: "Hà Tĩnh 24h", Comments: i % 4}
				for j := 0; j < 5 && j < n; j++ {
					if j != i {
						pg.Latest = append(pg.Latest, synthMeta(j))
					}
				}
				for j := i + 1; j < n && j <= i+3; j++ {
					pg.ReadMore = append(pg.ReadMore, synthMeta(j))
				}
				for j := i + 4; j < n && j <= i+5; j++ {
					pg.Related = append(pg.Related, synthMeta(j))
				}
				body = Render(a, pg)
			}
		}
		if body == nil {
			http.NotFound(w, r)
			return
		}
		name := p
		if strings.HasSuffix(name, "/") {
			name += "index.html"
		}
		serveContent(w, r, name, body)
	})
}
