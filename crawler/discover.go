package crawler

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/temoto/robotstxt"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// A Link is a URL found by discovery, with what the source said of it.
type Link struct {
	URL     string    // absolute, real-world
	Lastmod time.Time // sitemap lastmod, feed pubDate or listing time; zero if unknown
	Source  string    // "sitemap", "feed", "listing"
}

// robots is a site's robots.txt as it applies to our user agent.
type robots struct {
	group    *robotstxt.Group
	sitemaps []string
	delay    time.Duration
}

// parseRobots reads a robots.txt response. A missing file (4xx) allows
// everything; RFC 9309 asks a crawler to assume complete disallow when the
// file is unreachable (5xx), which the caller handles.
func parseRobots(status int, body []byte, agent string) (*robots, error) {
	data, err := robotstxt.FromStatusAndBytes(status, body)
	if err != nil {
		return nil, fmt.Errorf("crawler: robots.txt: %w", err)
	}
	g := data.FindGroup(agent)
	return &robots{group: g, sitemaps: data.Sitemaps, delay: g.CrawlDelay}, nil
}

func (r *robots) allowed(u *url.URL) bool {
	if r == nil || r.group == nil {
		return true
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return r.group.Test(p)
}

// gunzipIfGzip returns the body decompressed when it starts with gzip's magic
// bytes, whatever the URL or Content-Type say.
func gunzipIfGzip(body []byte, limit int64) ([]byte, error) {
	if len(body) < 2 || body[0] != 0x1f || body[1] != 0x8b {
		return body, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("crawler: gzip: %w", err)
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, limit))
	if err != nil {
		return nil, fmt.Errorf("crawler: gzip: %w", err)
	}
	if int64(len(out)) == limit {
		if n, _ := zr.Read(make([]byte, 1)); n > 0 {
			return out, fmt.Errorf("crawler: gzip: %w (%d bytes)", errTooLarge, limit)
		}
	}
	return out, nil
}

// errTooLarge marks a gzip body that unpacks to more than the limit; the
// bytes up to the limit are returned with it.
var errTooLarge = errors.New("more than the limit uncompressed")

// Sitemap is a parsed sitemap: either an index of child sitemaps or a list of
// pages, each with its lastmod.
type Sitemap struct {
	Index bool
	Links []Link
}

type xmlSitemap struct {
	XMLName  xml.Name
	Sitemaps []struct {
		Loc     string `xml:"loc"`
		Lastmod string `xml:"lastmod"`
	} `xml:"sitemap"`
	URLs []struct {
		Loc     string `xml:"loc"`
		Lastmod string `xml:"lastmod"`
		News    struct {
			Published string `xml:"publication_date"`
		} `xml:"news"`
	} `xml:"url"`
}

// ParseSitemap reads a sitemap index or urlset (gzip detected by magic bytes).
func ParseSitemap(body []byte) (*Sitemap, error) {
	body, err := gunzipIfGzip(body, 64<<20)
	if err != nil {
		return nil, err
	}
	var x xmlSitemap
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = false
	dec.CharsetReader = func(label string, r io.Reader) (io.Reader, error) { return r, nil }
	if err := dec.Decode(&x); err != nil {
		return nil, fmt.Errorf("crawler: sitemap: %w", err)
	}
	sm := &Sitemap{}
	switch x.XMLName.Local {
	case "sitemapindex":
		sm.Index = true
		for _, s := range x.Sitemaps {
			if loc := strings.TrimSpace(s.Loc); loc != "" {
				sm.Links = append(sm.Links, Link{URL: loc, Lastmod: parseLooseTime(s.Lastmod), Source: "sitemap"})
			}
		}
	case "urlset":
		for _, u := range x.URLs {
			loc := strings.TrimSpace(u.Loc)
			if loc == "" {
				continue
			}
			lm := parseLooseTime(u.Lastmod)
			if lm.IsZero() {
				lm = parseLooseTime(u.News.Published)
			}
			sm.Links = append(sm.Links, Link{URL: loc, Lastmod: lm, Source: "sitemap"})
		}
	default:
		return nil, fmt.Errorf("crawler: sitemap: root element <%s> is neither urlset nor sitemapindex", x.XMLName.Local)
	}
	return sm, nil
}

type xmlFeed struct {
	XMLName xml.Name
	Items   []struct {
		Link    string `xml:"link"`
		GUID    string `xml:"guid"`
		PubDate string `xml:"pubDate"`
		Date    string `xml:"http://purl.org/dc/elements/1.1/ date"`
	} `xml:"channel>item"`
	RDFItems []struct {
		Link string `xml:"link"`
		Date string `xml:"http://purl.org/dc/elements/1.1/ date"`
	} `xml:"item"`
	Entries []struct {
		Links []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"link"`
		Published string `xml:"published"`
		Updated   string `xml:"updated"`
	} `xml:"entry"`
}

// ParseFeed reads an RSS 2.0, RSS 1.0 or Atom feed.
func ParseFeed(body []byte) ([]Link, error) {
	body, err := gunzipIfGzip(body, 64<<20)
	if err != nil {
		return nil, err
	}
	var x xmlFeed
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = false
	dec.CharsetReader = func(label string, r io.Reader) (io.Reader, error) { return r, nil }
	if err := dec.Decode(&x); err != nil {
		return nil, fmt.Errorf("crawler: feed: %w", err)
	}
	var links []Link
	add := func(u, date string) {
		if u = strings.TrimSpace(u); u != "" {
			links = append(links, Link{URL: u, Lastmod: parseLooseTime(date), Source: "feed"})
		}
	}
	switch x.XMLName.Local {
	case "rss":
		for _, it := range x.Items {
			u := it.Link
			if u == "" && strings.HasPrefix(it.GUID, "http") {
				u = it.GUID
			}
			d := it.PubDate
			if d == "" {
				d = it.Date
			}
			add(u, d)
		}
	case "RDF":
		for _, it := range x.RDFItems {
			add(it.Link, it.Date)
		}
	case "feed":
		for _, e := range x.Entries {
			var href string
			for _, l := range e.Links {
				if l.Rel == "" || l.Rel == "alternate" {
					href = l.Href
					break
				}
			}
			d := e.Published
			if d == "" {
				d = e.Updated
			}
			add(href, d)
		}
	default:
		return nil, fmt.Errorf("crawler: feed: root element <%s> is not rss, RDF or feed", x.XMLName.Local)
	}
	return links, nil
}

// parseLooseTime reads the date forms of sitemaps, feeds and listings (W3C
// datetime with or without a colon in the offset, RFC 1123, a bare date, a
// time as pages show it) with the parser's parseTime; zero if unreadable.
func parseLooseTime(s string) time.Time {
	st, ok := parseTime(s)
	if !ok {
		return time.Time{}
	}
	return st.t
}

// pageLinks returns the links of an HTML page, resolved against the page's
// real-world URL, with the time a listing shows beside each (Hà Tĩnh's
// time.time[datetime] in an article.story), and the feeds it announces.
func pageLinks(page string, base *url.URL) (links []Link, feeds []string) {
	root, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return nil, nil
	}
	return nodeLinks(root, base), nodeFeeds(root, base)
}

// nodeLinks returns the links of a parsed page, each once, in document order.
func nodeLinks(root *html.Node, base *url.URL) []Link {
	if b := findFirst(root, func(n *html.Node) bool { return n.DataAtom == atom.Base && attrOf(n, "href") != "" }); b != nil {
		if bu, err := base.Parse(attrOf(b, "href")); err == nil {
			base = bu
		}
	}
	var links []Link
	seen := map[string]bool{}
	itemTime := map[*html.Node]time.Time{}
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > 512 {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			if u, ok := resolveLink(base, attrOf(n, "href")); ok && !seen[u] {
				seen[u] = true
				links = append(links, Link{URL: u, Source: "listing", Lastmod: listingTime(n, itemTime)})
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	return links
}

// listingTime is the time shown in the listing item (article, li, .story,
// .item) around a link, or zero.
func listingTime(a *html.Node, memo map[*html.Node]time.Time) time.Time {
	for n, up := a.Parent, 0; n != nil && up < 8; n, up = n.Parent, up+1 {
		if n.Type != html.ElementNode {
			continue
		}
		cls := " " + attrOf(n, "class") + " "
		if n.DataAtom != atom.Article && n.DataAtom != atom.Li && !strings.Contains(cls, " story ") &&
			!strings.Contains(cls, " item ") && !strings.Contains(cls, " box-item ") {
			continue
		}
		if t, ok := memo[n]; ok {
			return t
		}
		var t time.Time
		if tn := findFirst(n, func(m *html.Node) bool { return m.DataAtom == atom.Time && attrOf(m, "datetime") != "" }); tn != nil {
			t = parseLooseTime(attrOf(tn, "datetime"))
		}
		memo[n] = t
		return t
	}
	return time.Time{}
}

// nodeFeeds returns the RSS and Atom feeds a page announces.
func nodeFeeds(root *html.Node, base *url.URL) []string {
	var feeds []string
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > 512 {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Link && strings.EqualFold(attrOf(n, "rel"), "alternate") {
			if t := attrOf(n, "type"); t == "application/rss+xml" || t == "application/atom+xml" {
				if u, ok := resolveLink(base, attrOf(n, "href")); ok {
					feeds = append(feeds, u)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	return feeds
}

// findFirst returns the first node under n (n included) that ok accepts.
func findFirst(n *html.Node, ok func(*html.Node) bool) *html.Node {
	if n.Type == html.ElementNode && ok(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findFirst(c, ok); f != nil {
			return f
		}
	}
	return nil
}

// resolveLink makes an absolute http(s) URL without fragment from href.
func resolveLink(base *url.URL, href string) (string, bool) {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") || strings.HasPrefix(href, "javascript:") ||
		strings.HasPrefix(href, "mailto:") || strings.HasPrefix(href, "tel:") || strings.HasPrefix(href, "data:") {
		return "", false
	}
	u, err := base.Parse(href)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	u.Fragment = ""
	u.RawFragment = ""
	u.Host = strings.ToLower(u.Host)
	return u.String(), true
}
