// Package sitegen renders fixture news sites for the crawler's tests, the demo
// and the benchmarks: article pages and listings in the templates of Báo Hà
// Tĩnh (current CMS and the older template), Báo Sơn La and a generic
// WordPress-like provincial paper, built from the seed articles in
// testdata/seeds, as described in /work/shared/docs/sites.md.
//
// Build writes a whole fixture tree (testdata/sites is made by
// `go run ./internal/sitegen/cmd/gensites`), Handler serves such a
// tree over HTTP, and Synthetic serves an n-article Hà Tĩnh-like site made in
// memory for benchmarks.
//
// URL to file mapping (Handler, and the layout Build writes): the URL path
// without its leading slash names the file under the site directory; a path
// that is empty or ends in "/" names the index.html inside that directory.
// The query and fragment are ignored. So "/" is index.html, "/chinh-tri/" is
// chinh-tri/index.html, "/abc-post317598.html" is abc-post317598.html,
// "/abc-post317598.amp" is abc-post317598.amp, "/sitemaps/news-2025-8.xml.gz"
// is that file.
package sitegen

import (
	"fmt"
	"hash/fnv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Vietnam is the fixed UTC+7 zone of all the fixture times.
var Vietnam = time.FixedZone("+07", 7*3600)

// Block kinds of an article body.
const (
	KindParagraph  = "paragraph"
	KindCaption    = "caption"
	KindSubheading = "subheading"
)

// Block is one part of an article body.
type Block struct {
	Kind string `json:"kind"` // "paragraph", "caption" or "subheading"
	Text string `json:"text"`
}

// Sites and templates.
const (
	SiteHatinh  = "baohatinh"
	SiteSonla   = "baosonla"
	SiteGeneric = "generic"

	TemplateHatinhCurrent = "hatinh-current"
	TemplateHatinhLegacy  = "hatinh-legacy"
	TemplateSonla         = "sonla"
	TemplateGeneric       = "generic"
)

// Article is the data one article page is rendered from.
type Article struct {
	Site         string // "baohatinh", "baosonla" or "generic"
	ID           string // site id: post number (Hà Tĩnh), 9 letters and digits (Sơn La), WordPress post number (generic)
	Slug         string
	Category     string // category path slug: "chinh-tri", "xa-hoi/giao-duc", "thoi-su-chinh-tri"
	CategoryName string // display name: "Chính trị"
	Template     string // "hatinh-current", "hatinh-legacy", "sonla" or "generic"
	Title, Lead  string // Lead as shown on the page (Hà Tĩnh: starts "(Baohatinh.vn) - ")
	Body         []Block
	Authors      []string
	Published    time.Time // in +07:00
	Modified     time.Time
	Tags         []string
	Charset      string // "" = utf-8, or "windows-1258"

	// Rendering variations (all optional).
	Seed        string // seed file base name the text comes from, if any
	Image       string // first image URL; made from the slug when empty
	EmptyAuthor bool   // Hà Tĩnh current: JSON-LD author.name is ""
	NoJSONLD    bool   // Sơn La: page has no JSON-LD block
	NoEditor    bool   // Sơn La: body only in div.fulltext (no div#editor-detail)
	Absolute    bool   // links on the page use absolute real-origin URLs
	Video       bool   // listing links show an i.ic-video icon
}

// Origin returns the real origin of the article's site.
func Origin(site string) string {
	switch site {
	case SiteHatinh:
		return "https://baohatinh.vn"
	case SiteSonla:
		return "https://baosonla.vn"
	default:
		return "https://baovidu.vn"
	}
}

// Path returns the article's URL path on its site.
func (a *Article) Path() string {
	switch a.Site {
	case SiteHatinh:
		return "/" + a.Slug + "-post" + a.ID + ".html"
	case SiteSonla:
		return "/" + a.Category + "/" + a.Slug + "-" + a.ID + ".html"
	default:
		return fmt.Sprintf("/%04d/%02d/%s/", a.Published.Year(), int(a.Published.Month()), a.Slug)
	}
}

// URL returns the article's canonical URL (real origin, no query).
func (a *Article) URL() string { return Origin(a.Site) + a.Path() }

// File returns the file, relative to the site directory, holding the page.
func (a *Article) File() string { return FileFor(a.Path()) }

// FileFor maps a URL path to the file that serves it (see the package doc).
func FileFor(urlPath string) string {
	if i := strings.IndexAny(urlPath, "?#"); i >= 0 {
		urlPath = urlPath[:i]
	}
	p := strings.TrimPrefix(urlPath, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	return p
}

// Slugify makes a URL slug of a Vietnamese title: no diacritics, đ as d,
// lower case, words joined by '-'.
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		}
		r = unicode.ToLower(r)
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	out := b.String()
	// Keep slugs of a realistic length, cut at a word boundary.
	if len(out) > 90 {
		out = out[:90]
		if i := strings.LastIndexByte(out, '-'); i > 40 {
			out = out[:i]
		}
	}
	return out
}

func hash64(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// SonlaID makes a deterministic 9-character mixed-case id from a key.
func SonlaID(key string) string {
	for salt := 0; ; salt++ {
		x := hash64(key, fmt.Sprint(salt))
		var b [9]byte
		up, low, dig := false, false, false
		for i := range b {
			c := alnum[x%uint64(len(alnum))]
			x /= uint64(len(alnum))
			if x == 0 {
				x = hash64(key, fmt.Sprint(salt), fmt.Sprint(i))
			}
			b[i] = c
			switch {
			case c >= 'A' && c <= 'Z':
				up = true
			case c >= 'a' && c <= 'z':
				low = true
			default:
				dig = true
			}
		}
		_ = dig
		if up && low {
			return string(b[:])
		}
	}
}

// HatinhID returns a post number in the site's single series for a
// publication time: post137985 is from 2017, post317598 from 2026.
func HatinhID(t time.Time, key string) string {
	base := time.Date(2017, 1, 1, 0, 0, 0, 0, Vietnam)
	days := int(t.Sub(base).Hours() / 24)
	return fmt.Sprint(137000 + days*55 + int(hash64(key)%50))
}

// ImageURL returns a CDN image URL for the article.
func (a *Article) ImageURL(n int) string {
	if n == 0 && a.Image != "" {
		return a.Image
	}
	h := fmt.Sprintf("%016x", hash64(a.Site, a.ID))
	d := a.Published.Format("2006/01/02")
	switch a.Site {
	case SiteHatinh:
		return fmt.Sprintf("https://cdn.baohatinh.vn/images/%s%s/%s/%s-%d.jpg", h, h[:8], d, a.Slug, n+1)
	case SiteSonla:
		return fmt.Sprintf("https://media.baosonla.org.vn/public/%s/%s/%s-%d.jpg", d, h[:10], a.ID, n+1)
	default:
		return fmt.Sprintf("https://baovidu.vn/wp-content/uploads/%s/%s-%d.jpg", a.Published.Format("2006/01"), a.Slug, n+1)
	}
}

// Paragraphs returns the body's paragraph texts.
func (a *Article) Paragraphs() []string {
	var out []string
	for _, b := range a.Body {
		if b.Kind == KindParagraph {
			out = append(out, b.Text)
		}
	}
	return out
}

// Byline is the byline as it is shown on the page.
func (a *Article) Byline() string { return strings.Join(a.Authors, " - ") }
