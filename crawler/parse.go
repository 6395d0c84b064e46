package crawler

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/baotinh/baotinh/extract"
)

// Page is what the parser made of one fetched page.
type Page struct {
	// Article has Site, SiteID, URL (canonical) and Province from the
	// profile; the title, lead, paragraphs, captions and byline as blocks;
	// Authors; Published and Modified in +07:00 (extract.Vietnam); Category
	// and Tags.
	Article *extract.Article
	// IsArticle tells an article from other pages: JSON-LD NewsArticle,
	// Article or ReportageNewsArticle, og:type article, an article URL of a
	// site profile with a title and a body, or an <article> with enough text.
	IsArticle bool
	// Layers maps each field found ("title", "lead", "body", "authors",
	// "published", "modified", "category", "tags", "canonical") to the layer
	// that supplied it: "jsonld", "meta", "site" or "generic".
	Layers map[string]string
	// Charset is the charset the page was decoded from.
	Charset string
	// Links are the page's links (absolute, resolved against pageURL), with
	// the time a listing item shows beside each: discovery follows them.
	Links []Link
}

// The layers of the parser, in the order they are tried.
const (
	LayerJSONLD  = "jsonld"
	LayerMeta    = "meta"
	LayerSite    = "site"
	LayerGeneric = "generic"
)

// Limits that bound the work on pathological pages.
const (
	maxPageSize  = 32 << 20 // bytes of one page
	maxDepth     = 256      // elements nested deeper are cut off
	maxScript    = 4 << 20  // bytes of one JSON-LD block
	maxJSONDepth = 64       // nesting inside a JSON-LD block
	maxNodeText  = 1 << 20  // bytes of text read from one element
	maxBlocks    = 10000    // body blocks
	maxVisits    = 4 << 20  // nodes visited by one walk of a body
)

// ParseArticle parses an HTML page into an extract.Article. contentType is
// the HTTP Content-Type header (may be empty), pageURL the URL the page was
// fetched from (may be nil) and p the site's profile; a nil profile is the
// generic profile of pageURL's site.
//
// Each field comes from the first layer that has it: JSON-LD, then meta tags,
// then the profile's selectors, then a generic fallback; Page.Layers records
// which. The body (paragraphs, captions and subheadings, in reading order) is
// read from the HTML only: the site's body selector, else the generic ones,
// an <article>, or the largest block of paragraphs. Ads, scripts, players,
// related-article boxes and image alt text are left out, and the body ends
// where the comments, "Tin mới" or "Đọc thêm" begin. The byline is taken out
// of the body into Article.Authors and a byline block.
func ParseArticle(body []byte, contentType string, pageURL *url.URL, p *Profile) (page *Page, err error) {
	defer func() {
		// One page must not stop a crawl: a bug becomes this page's error
		// (FuzzParseArticle fails on it).
		if r := recover(); r != nil {
			page, err = nil, fmt.Errorf("crawler: %w: %v", errParserBug, r)
		}
	}()
	if len(body) > maxPageSize {
		return nil, fmt.Errorf("crawler: page of %d bytes is larger than the limit of %d", len(body), maxPageSize)
	}
	text, cs, err := DecodeHTML(body, contentType)
	if err != nil {
		return nil, err
	}
	if p == nil {
		if pageURL != nil && pageURL.Host != "" {
			if p, err = GenericProfile(pageURL.Scheme + "://" + pageURL.Host); err != nil {
				p = nil
			}
		}
		if p == nil {
			p = &Profile{Generic: true}
		}
	}
	root, err := xhtml.Parse(strings.NewReader(text))
	if err != nil {
		// The parser refuses elements nested over 512 deep: drop the tags
		// past a depth (their text stays) and try again.
		root, err = xhtml.Parse(strings.NewReader(flatten(text, maxDepth)))
		if err != nil {
			return nil, fmt.Errorf("crawler: parsing HTML: %w", err)
		}
	}
	var links []Link
	if pageURL != nil && pageURL.Host != "" {
		links = nodeLinks(root, pageURL)
	}
	prune(root)
	ps := &parser{root: root, doc: goquery.NewDocumentFromNode(root), url: pageURL, p: p, layers: map[string]string{}}
	page = ps.run()
	page.Charset = cs
	page.Links = links
	return page, nil
}

// errParserBug marks a page the parser failed on by a bug of its own.
var errParserBug = errors.New("parser bug")

// PageURL returns the URL a page gives for itself, for a page whose source is
// unknown (a saved file): its JSON-LD article's mainEntityOfPage or url, else
// og:url, else <link rel="canonical">, with no query or fragment; or nil.
func PageURL(body []byte, contentType string) *url.URL {
	if len(body) > maxPageSize {
		return nil
	}
	text, _, err := DecodeHTML(body, contentType)
	if err != nil {
		return nil
	}
	root, err := xhtml.Parse(strings.NewReader(text))
	if err != nil {
		if root, err = xhtml.Parse(strings.NewReader(flatten(text, maxDepth))); err != nil {
			return nil
		}
	}
	ps := &parser{root: root, doc: goquery.NewDocumentFromNode(root), p: &Profile{Generic: true},
		layers: map[string]string{}, taken: map[*xhtml.Node]taken{}, anyHost: true}
	ps.readMeta()
	c := ps.fromJSONLD().canonical
	if c == "" {
		c = ps.fromMeta().canonical
	}
	u, err := url.Parse(c)
	if c == "" || err != nil {
		return nil
	}
	return u
}

// parser holds one page while it is parsed.
type parser struct {
	anyHost bool // canonical URLs of any host are taken (PageURL)

	root   *xhtml.Node
	doc    *goquery.Document
	url    *url.URL
	p      *Profile
	layers map[string]string

	meta     map[string][]string // meta name/property/itemprop -> contents
	siteName string              // og:site_name
	ldTypes  bool                // a JSON-LD article was found
	// Elements the site and generic layers took the title and lead from,
	// to be left out of the body.
	taken map[*xhtml.Node]taken
}

// taken is an element a layer read the title or the lead from.
type taken struct {
	layer, field, text string
}

// stamp is a time read from a page.
type stamp struct {
	t        time.Time
	dateOnly bool
}

// fields are what one layer found.
type fields struct {
	title, lead, category, canonical string
	authors, tags                    []string
	published, modified              stamp
}

// byline is the visible byline of a page: its text, names and elements.
type byline struct {
	text  string
	names []string
	nodes []*xhtml.Node
}

// block is one body block.
type block struct {
	kind extract.BlockKind
	text string
}

func (ps *parser) run() *Page {
	ps.taken = map[*xhtml.Node]taken{}
	ps.readMeta()
	site := &ps.p.Selectors
	// Each layer is read when a field is first looked for in it.
	layers := []struct {
		name string
		read func() fields
		f    *fields
	}{
		{LayerJSONLD, ps.fromJSONLD, nil},
		{LayerMeta, ps.fromMeta, nil},
		{LayerSite, func() fields { return ps.fromSelectors(site, false) }, nil},
		{LayerGeneric, func() fields { return ps.fromSelectors(&genericSelectors, true) }, nil},
	}
	layer := func(i int) fields {
		if layers[i].f == nil {
			f := layers[i].read()
			layers[i].f = &f
		}
		return *layers[i].f
	}
	var f fields
	pick := func(field string, has func(fields) bool, set func(fields)) {
		for i, l := range layers {
			if x := layer(i); has(x) {
				set(x)
				ps.layers[field] = l.name
				return
			}
		}
	}
	pick("title", func(x fields) bool { return x.title != "" }, func(x fields) { f.title = x.title })
	pick("lead", func(x fields) bool { return x.lead != "" }, func(x fields) { f.lead = x.lead })
	pick("published", func(x fields) bool { return !x.published.t.IsZero() }, func(x fields) { f.published = x.published })
	pick("modified", func(x fields) bool { return !x.modified.t.IsZero() }, func(x fields) { f.modified = x.modified })
	pick("category", func(x fields) bool { return x.category != "" }, func(x fields) { f.category = x.category })
	pick("tags", func(x fields) bool { return len(x.tags) > 0 }, func(x fields) { f.tags = x.tags })
	pick("canonical", func(x fields) bool { return x.canonical != "" }, func(x fields) { f.canonical = x.canonical })

	// The visible byline: the site's, else the generic one.
	by, byLayer := ps.byline(site.Author), LayerSite
	if by == nil {
		by, byLayer = ps.byline(genericSelectors.Author), LayerGeneric
	}
	for i, l := range layers[:2] {
		if x := layer(i); len(x.authors) > 0 {
			f.authors = x.authors
			ps.layers["authors"] = l.name
			break
		}
	}
	if f.authors == nil && by != nil {
		f.authors = by.names
		ps.layers["authors"] = byLayer
	}

	body, bodyLayer := ps.body(by, f)
	if len(body) > 0 {
		ps.layers["body"] = bodyLayer
	}
	if by == nil && len(body) > 1 {
		// No element says where the byline is: the body's last line, when
		// it is names only, is (as on the pages the selectors know).
		last := body[len(body)-1]
		if names := bylineNames(last.text); last.kind == extract.BlockParagraph && len(names) > 0 &&
			utf8.RuneCountInString(last.text) <= 60 && manyWords(names) {
			by = &byline{text: last.text, names: names}
			body = body[:len(body)-1]
			if f.authors == nil {
				f.authors = names
				ps.layers["authors"] = LayerGeneric
			}
		}
	}

	a := &extract.Article{
		Site:     ps.p.Name,
		URL:      f.canonical,
		Province: ps.p.Province,
		Category: f.category,
		Tags:     f.tags,
		Authors:  f.authors,
	}
	if ps.p.Generic {
		// A WordPress-like post number is the id; else the path.
		a.SiteID = ps.genericID()
	}
	if f.canonical == "" {
		delete(ps.layers, "canonical")
	} else if u, err := url.Parse(f.canonical); err == nil && a.SiteID == "" && ps.p.origin != nil {
		a.SiteID = ps.p.ArticleID(u)
	}
	if !f.published.t.IsZero() {
		a.Published, a.PublishedDateOnly = f.published.t, f.published.dateOnly
	}
	if !f.modified.t.IsZero() {
		a.Modified = f.modified.t
	}
	if f.title != "" {
		a.Add(extract.BlockTitle, f.title)
	}
	if f.lead != "" {
		a.Add(extract.BlockLead, f.lead)
	}
	for _, b := range body {
		a.Add(b.kind, b.text)
	}
	if by != nil {
		a.Add(extract.BlockByline, by.text)
	}
	return &Page{Article: a, IsArticle: ps.isArticle(a, body), Layers: ps.layers}
}

// isArticle tells whether the page is an article (see Page.IsArticle).
func (ps *parser) isArticle(a *extract.Article, body []block) bool {
	if ps.ldTypes || strings.EqualFold(ps.first("og:type"), "article") {
		return true
	}
	if len(body) == 0 || a.Title() == "" {
		return false
	}
	if !ps.p.Generic && a.SiteID != "" {
		return true
	}
	// An <article> with enough text.
	n := 0
	for _, b := range body {
		n += utf8.RuneCountInString(b.text)
	}
	return n >= 500 && len(body) >= 3 && ps.doc.Find("article").Length() > 0
}

// ---- JSON-LD ----

// articleTypes are the schema.org types of an article.
var articleTypes = map[string]bool{
	"NewsArticle": true, "Article": true, "ReportageNewsArticle": true, "AnalysisNewsArticle": true,
	"OpinionNewsArticle": true, "BackgroundNewsArticle": true, "BlogPosting": true, "Report": true,
}

func (ps *parser) fromJSONLD() fields {
	var f fields
	var art map[string]any
	var crumbs []map[string]any
	ps.doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		typ, _ := s.Attr("type")
		if !strings.Contains(strings.ToLower(typ), "ld+json") {
			return
		}
		src := nodeRawText(s.Get(0), maxScript)
		v, ok := parseJSONLenient(src)
		if !ok {
			return
		}
		walkJSON(v, 0, func(obj map[string]any) {
			for _, t := range jsonTypes(obj["@type"]) {
				switch {
				case articleTypes[t]:
					if art == nil || str(art["headline"]) == "" && str(obj["headline"]) != "" {
						art = obj
					}
				case t == "BreadcrumbList":
					crumbs = append(crumbs, obj)
				}
			}
		})
	})
	if art == nil {
		return f
	}
	ps.ldTypes = true
	f.title = cleanText(str(art["headline"]))
	if f.title == "" {
		f.title = cleanText(str(art["name"]))
	}
	f.lead = cleanText(str(art["description"]))
	f.published, _ = parseTime(str(art["datePublished"]))
	if f.published.t.IsZero() {
		f.published, _ = parseTime(str(art["dateCreated"]))
	}
	f.modified, _ = parseTime(str(art["dateModified"]))
	f.authors = ps.authorNames(art["author"])
	f.category = cleanText(str(art["articleSection"]))
	f.tags = splitTags(art["keywords"])
	for _, key := range []string{"mainEntityOfPage", "url", "@id"} {
		if c := ps.canonical(str(art[key])); c != "" {
			f.canonical = c
			break
		}
	}
	if f.category == "" {
		f.category = ps.crumbCategory(crumbs, f)
	}
	return f
}

// crumbCategory is the last item of a BreadcrumbList that is neither the
// home page nor the article itself.
func (ps *parser) crumbCategory(lists []map[string]any, f fields) string {
	for _, l := range lists {
		items, _ := l["itemListElement"].([]any)
		for i := len(items) - 1; i >= 0; i-- {
			it, _ := items[i].(map[string]any)
			if it == nil {
				continue
			}
			name := cleanText(str(it["name"]))
			id := str(it["@id"])
			if inner, ok := it["item"].(map[string]any); ok {
				if name == "" {
					name = cleanText(str(inner["name"]))
				}
				id = str(inner["@id"])
				if id == "" {
					id = str(inner["url"])
				}
			} else if id == "" {
				id = str(it["item"])
			}
			if name == "" || name == f.title || isHome(name) {
				continue
			}
			if id != "" && f.canonical != "" && ps.canonical(id) == f.canonical {
				continue
			}
			if u, err := url.Parse(id); err == nil && (u.Path == "" || u.Path == "/") && id != "" {
				continue
			}
			return name
		}
	}
	return ""
}

func isHome(name string) bool {
	switch strings.ToLower(name) {
	case "trang chủ", "home", "trang chu", "trang nhất":
		return true
	}
	return false
}

// authorNames reads a JSON-LD author: a string, an object with a name, or a
// list of them. Empty names and the paper's own name are skipped.
func (ps *parser) authorNames(v any) []string {
	var out []string
	var add func(v any, depth int)
	add = func(v any, depth int) {
		if depth > 4 {
			return
		}
		switch x := v.(type) {
		case string:
			for _, n := range splitNames(cleanText(x)) {
				if !ps.isPaper(n) && !slices.Contains(out, n) {
					out = append(out, n)
				}
			}
		case map[string]any:
			add(str(x["name"]), depth+1)
		case []any:
			for _, e := range x {
				add(e, depth+1)
			}
		}
	}
	add(v, 0)
	return out
}

// isPaper reports whether a name is the paper's own (an organization, not
// an author).
func (ps *parser) isPaper(name string) bool {
	n := strings.ToLower(extract.NormalizeString(name))
	if n == "" {
		return true
	}
	for _, s := range []string{ps.p.Paper, ps.p.Name, ps.siteName} {
		s = strings.ToLower(extract.NormalizeString(s))
		if s != "" && (n == s || strings.HasPrefix(n, s+" ") || strings.HasPrefix(s, n+" ")) {
			return true
		}
	}
	if strings.HasPrefix(n, "báo ") || strings.Contains(n, ".vn") || strings.Contains(n, ".com") ||
		strings.Contains(n, "://") || strings.Contains(n, "tòa soạn") {
		return true
	}
	for _, h := range ps.p.Hosts {
		if n == strings.ToLower(h) {
			return true
		}
	}
	return false
}

// parseJSONLenient reads a JSON-LD block, repairing what CMSs commonly break:
// HTML comments or CDATA around it, raw control characters inside strings,
// trailing commas.
func parseJSONLenient(src string) (any, bool) {
	src = strings.TrimSpace(src)
	if src == "" {
		return nil, false
	}
	var v any
	if json.Unmarshal([]byte(src), &v) == nil {
		return v, true
	}
	s := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(src, "<!--"), "-->"))
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "//<![CDATA["), "//]]>"))
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "<![CDATA["), "]]>"))
	s = repairJSON(s)
	if json.Unmarshal([]byte(s), &v) == nil {
		return v, true
	}
	return nil, false
}

// repairJSON escapes control characters inside strings and drops commas
// before a closing bracket.
func repairJSON(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	inString, escaped := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			case c < 0x20:
				fmt.Fprintf(&b, `\u%04x`, c)
				continue
			}
			b.WriteByte(c)
			continue
		}
		switch c {
		case '"':
			inString = true
		case ',':
			j := i + 1
			for j < len(s) && (s[j] == ' ' || s[j] == '\n' || s[j] == '\r' || s[j] == '\t') {
				j++
			}
			if j < len(s) && (s[j] == '}' || s[j] == ']') {
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// walkJSON calls fn for every object in v: v itself, the members of arrays
// and @graph, and nested objects, to a bounded depth.
func walkJSON(v any, depth int, fn func(map[string]any)) {
	if depth > maxJSONDepth {
		return
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			walkJSON(e, depth+1, fn)
		}
	case map[string]any:
		fn(x)
		if g, ok := x["@graph"]; ok {
			walkJSON(g, depth+1, fn)
		}
		for k, e := range x {
			if k == "@graph" {
				continue
			}
			switch e.(type) {
			case map[string]any, []any:
				if k == "mainEntity" || k == "hasPart" || k == "itemListElement" {
					walkJSON(e, depth+1, fn)
				}
			}
		}
	}
}

func jsonTypes(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{strings.TrimPrefix(strings.TrimPrefix(x, "https://schema.org/"), "http://schema.org/")}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, jsonTypes(e)...)
		}
		return out
	}
	return nil
}

// str reads a JSON-LD value as text: a string, a number, the first of a
// list, or an object's @id, url, name or @value.
func str(v any) string {
	return strDepth(v, 0)
}

func strDepth(v any, depth int) string {
	if depth > 4 {
		return ""
	}
	switch x := v.(type) {
	case string:
		if strings.Contains(x, "&") && strings.Contains(x, ";") {
			x = html.UnescapeString(x)
		}
		return strings.TrimSpace(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any:
		for _, e := range x {
			if s := strDepth(e, depth+1); s != "" {
				return s
			}
		}
	case map[string]any:
		for _, k := range []string{"@id", "url", "name", "@value"} {
			if s := strDepth(x[k], depth+1); s != "" {
				return s
			}
		}
	}
	return ""
}

// splitTags reads keywords: a comma-separated string (a trailing comma
// allowed) or a list.
func splitTags(v any) []string {
	var out []string
	seen := map[string]bool{}
	var add func(v any, depth int)
	add = func(v any, depth int) {
		if depth > 3 {
			return
		}
		switch x := v.(type) {
		case string:
			if strings.Contains(x, "&") {
				x = html.UnescapeString(x)
			}
			for _, t := range strings.FieldsFunc(x, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
				t = cleanText(t)
				k := strings.ToLower(t)
				if t != "" && !seen[k] {
					seen[k] = true
					out = append(out, t)
				}
			}
		case []any:
			for _, e := range x {
				add(e, depth+1)
			}
		case map[string]any:
			add(x["name"], depth+1)
		}
	}
	add(v, 0)
	return out
}

// ---- meta tags ----

func (ps *parser) readMeta() {
	ps.meta = map[string][]string{}
	ps.doc.Find("meta").Each(func(_ int, s *goquery.Selection) {
		content, ok := s.Attr("content")
		if !ok {
			return
		}
		for _, attr := range []string{"property", "name", "itemprop"} {
			if k, ok := s.Attr(attr); ok && k != "" {
				k = strings.ToLower(strings.TrimSpace(k))
				ps.meta[k] = append(ps.meta[k], content)
			}
		}
	})
	ps.siteName = cleanText(ps.first("og:site_name"))
}

// first returns the first non-empty content of the meta tags named.
func (ps *parser) first(keys ...string) string {
	for _, k := range keys {
		for _, v := range ps.meta[k] {
			if v = strings.TrimSpace(v); v != "" {
				return v
			}
		}
	}
	return ""
}

func (ps *parser) fromMeta() fields {
	var f fields
	f.title = ps.stripSiteName(cleanText(ps.first("og:title", "twitter:title")))
	f.lead = cleanText(ps.first("og:description", "description", "twitter:description"))
	for _, k := range []string{"article:published_time", "og:article:published_time", "datepublished", "pubdate", "publishdate", "dc.date.issued", "date"} {
		if t, ok := parseTime(ps.first(k)); ok {
			f.published = t
			break
		}
	}
	for _, k := range []string{"article:modified_time", "og:updated_time", "datemodified", "lastmod"} {
		if t, ok := parseTime(ps.first(k)); ok {
			f.modified = t
			break
		}
	}
	f.category = cleanText(ps.first("article:section"))
	var tags []any
	for _, k := range []string{"article:tag", "keywords", "news_keywords"} {
		for _, v := range ps.meta[k] {
			tags = append(tags, v)
		}
		if len(tags) > 0 {
			break
		}
	}
	f.tags = splitTags(tags)
	for _, k := range []string{"author", "article:author"} {
		for _, v := range ps.meta[k] {
			if !strings.Contains(v, "/") {
				f.authors = append(f.authors, ps.authorNames(v)...)
			}
		}
		if len(f.authors) > 0 {
			break
		}
	}
	if c := ps.canonical(ps.first("og:url")); c != "" {
		f.canonical = c
	} else {
		ps.doc.Find("link[rel]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
			rel, _ := s.Attr("rel")
			if !slices.Contains(strings.Fields(strings.ToLower(rel)), "canonical") {
				return true
			}
			href, _ := s.Attr("href")
			f.canonical = ps.canonical(href)
			return f.canonical == ""
		})
	}
	return f
}

// titleSeparators split a page title from the site's name.
var titleSeparators = []string{" | ", " - ", " – ", " — ", " :: ", " « ", " » "}

// stripSiteName removes the site's name after a separator at the end of a
// title ("... - Báo Hà Tĩnh điện tử").
func (ps *parser) stripSiteName(t string) string {
	for _, sep := range titleSeparators {
		i := strings.LastIndex(t, sep)
		if i <= 0 {
			continue
		}
		tail := strings.TrimSpace(t[i+len(sep):])
		if ps.isSiteName(tail) {
			return strings.TrimSpace(t[:i])
		}
	}
	return t
}

func (ps *parser) isSiteName(s string) bool {
	n := strings.ToLower(extract.NormalizeString(s))
	if n == "" {
		return false
	}
	for _, name := range []string{ps.p.Paper, ps.siteName, ps.p.Name} {
		name = strings.ToLower(extract.NormalizeString(name))
		if name != "" && (n == name || strings.HasPrefix(n, name+" ") || strings.HasPrefix(name, n+" ")) {
			return true
		}
	}
	for _, h := range ps.p.Hosts {
		if strings.Contains(n, strings.ToLower(strings.TrimPrefix(h, "www."))) {
			return true
		}
	}
	return false
}

// canonical turns a URL found in the page into the article's canonical URL,
// or "" when it is not one of the site's (or the page's own) URLs.
func (ps *parser) canonical(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > 4096 {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if ps.url != nil {
		u = ps.url.ResolveReference(u)
	} else if ps.p.origin != nil {
		u = ps.p.origin.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	own := ps.anyHost || ps.p.Allowed(u.Host) || ps.url != nil && strings.EqualFold(u.Host, ps.url.Host)
	if !own {
		return ""
	}
	if ps.p.origin == nil {
		c := *u
		c.RawQuery, c.Fragment, c.RawFragment = "", "", ""
		return c.String()
	}
	return ps.p.Canonical(u)
}

// ---- selectors: the site's and the generic layer ----

// fromSelectors reads the fields a set of selectors gives. The generic layer
// also falls back to the page's <title>, the page URL and dates shown in the
// text.
func (ps *parser) fromSelectors(s *Selectors, generic bool) fields {
	var f fields
	layer := LayerSite
	if generic {
		layer = LayerGeneric
	}
	titleNode := ps.firstWithText(s.Title)
	if titleNode != nil {
		f.title = nodeText(titleNode)
		ps.taken[titleNode] = taken{layer, "title", f.title}
	}
	if leadNode := ps.firstWithText(s.Lead); leadNode != nil {
		if t := nodeText(leadNode); len(t) > 20 || !generic {
			f.lead = t
			ps.taken[leadNode] = taken{layer, "lead", t}
		}
	}
	f.published = ps.timeFrom(s.Published)
	f.modified = ps.timeFrom(s.Modified)
	if n := ps.firstWithText(s.Category); n != nil {
		f.category = nodeText(n)
		if isHome(f.category) {
			f.category = ""
		}
	}
	seen := map[string]bool{}
	for _, n := range ps.all(s.Tags) {
		t := nodeText(n)
		if k := strings.ToLower(t); t != "" && len(t) < 200 && !seen[k] {
			seen[k] = true
			f.tags = append(f.tags, t)
		}
	}
	if !generic {
		return f
	}
	if f.title == "" {
		if n := ps.doc.Find("title").First(); n.Length() > 0 {
			f.title = ps.stripSiteName(nodeText(n.Get(0)))
		}
	}
	if f.lead == "" && titleNode != nil {
		if n := leadNear(titleNode); n != nil {
			f.lead = nodeText(n)
			ps.taken[n] = taken{layer, "lead", f.lead}
		}
	}
	if f.published.t.IsZero() {
		f.published = ps.shownDate(titleNode)
	}
	if ps.url != nil {
		f.canonical = ps.canonical(ps.url.String())
	}
	return f
}

// leadNear finds a lead that no selector names among the elements after the
// title: an element (or the first child of one) that reads as a lead.
func leadNear(title *xhtml.Node) *xhtml.Node {
	seen := 0
	for n := title.NextSibling; n != nil && seen < 5; n = n.NextSibling {
		if n.Type != xhtml.ElementNode {
			continue
		}
		seen++
		if isLead(n) {
			return n
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == xhtml.ElementNode {
				if isLead(c) {
					return c
				}
				break
			}
		}
	}
	return nil
}

// leadHint are words of the class names of leads.
var leadHint = regexp.MustCompile(`(?i)sapo|lead|desc|summary|intro|excerpt|bold`)

// isLead reports whether an element reads as a lead: 40 to 2000 characters
// that open with the paper's source tag, or are all bold, or sit in an h2 or
// an element whose class says so.
func isLead(n *xhtml.Node) bool {
	if skipElement(n) {
		return false
	}
	t := nodeText(n)
	if l := utf8.RuneCountInString(t); l < 40 || l > 2000 {
		return false
	}
	return leadTag.MatchString(t) || n.DataAtom == atom.H2 || leadHint.MatchString(attrOf(n, "class")) || allBold(n)
}

// allBold reports whether all the text of an element is inside <strong> or <b>.
func allBold(n *xhtml.Node) bool {
	if n.DataAtom == atom.Strong || n.DataAtom == atom.B {
		return true
	}
	some := false
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case xhtml.TextNode:
			if strings.TrimSpace(c.Data) != "" {
				return false
			}
		case xhtml.ElementNode:
			if !allBold(c) {
				return false
			}
			some = true
		}
	}
	return some
}

// firstWithText returns the first element matched by the first selector
// that matches an element with text.
func (ps *parser) firstWithText(sels []string) *xhtml.Node {
	for _, sel := range sels {
		g, err := compileSelector(sel)
		if err != nil {
			continue
		}
		n := cascadia.Query(ps.root, g)
		if n == nil {
			continue
		}
		if nodeText(n) != "" {
			return n
		}
		for _, n := range cascadia.QueryAll(ps.root, g) {
			if nodeText(n) != "" {
				return n
			}
		}
	}
	return nil
}

// all returns the elements matched by any of the selectors, in document
// order.
func (ps *parser) all(sels []string) []*xhtml.Node {
	if len(sels) == 0 {
		return nil
	}
	var gs cascadia.SelectorGroup
	for _, sel := range sels {
		if g, err := compileSelector(sel); err == nil {
			gs = append(gs, g...)
		}
	}
	if len(gs) == 0 {
		return nil
	}
	return cascadia.QueryAll(ps.root, gs)
}

// timeFrom reads a time from the first element of the selectors that holds
// one: its datetime, content, data-time or title attribute, else its text.
func (ps *parser) timeFrom(sels []string) stamp {
	for _, sel := range sels {
		g, err := compileSelector(sel)
		if err != nil {
			continue
		}
		for _, n := range cascadia.QueryAll(ps.root, g) {
			for _, attr := range []string{"datetime", "content", "data-time", "title"} {
				if t, ok := parseTime(attrOf(n, attr)); ok {
					return t
				}
			}
			if t, ok := shownTime(nodeText(n)); ok {
				return t
			}
		}
	}
	return stamp{}
}

// shownDate finds a date shown in the text after the title (or from the
// top of the page), as the generic layer's last resort.
func (ps *parser) shownDate(from *xhtml.Node) stamp {
	var b strings.Builder
	started := from == nil
	visits := 0
	var walk func(n *xhtml.Node) bool
	walk = func(n *xhtml.Node) bool {
		if visits++; visits > maxVisits || b.Len() > 4000 {
			return false
		}
		if n == from {
			started = true
		}
		switch n.Type {
		case xhtml.TextNode:
			if started {
				b.WriteString(n.Data)
				b.WriteByte(' ')
			}
		case xhtml.ElementNode:
			if skipElement(n) {
				return true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if !walk(c) {
				return false
			}
		}
		if isBlockElement(n) && started {
			b.WriteByte('\n')
		}
		return true
	}
	walk(ps.root)
	// A date with a time beats a day alone (the header's today).
	var day stamp
	for _, line := range strings.Split(b.String(), "\n") {
		if t, ok := shownTime(cleanText(line)); ok {
			if !t.dateOnly {
				return t
			}
			if day.t.IsZero() {
				day = t
			}
		}
	}
	return day
}

// genericID finds a WordPress-like post id: rel=shortlink ?p=N, an article's
// id="post-N", or body class postid-N.
func (ps *parser) genericID() string {
	id := ""
	ps.doc.Find("link[rel=shortlink]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		href, _ := s.Attr("href")
		if u, err := url.Parse(href); err == nil {
			if p := u.Query().Get("p"); isDigits(p) {
				id = p
			}
		}
		return id == ""
	})
	if id != "" {
		return id
	}
	ps.doc.Find("article[id^='post-']").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		v, _ := s.Attr("id")
		if p := strings.TrimPrefix(v, "post-"); isDigits(p) {
			id = p
		}
		return id == ""
	})
	if id != "" {
		return id
	}
	if cls, ok := ps.doc.Find("body").Attr("class"); ok {
		for _, c := range strings.Fields(cls) {
			if p := strings.TrimPrefix(c, "postid-"); p != c && isDigits(p) {
				return p
			}
		}
	}
	return ""
}

func isDigits(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// ---- byline ----

// byline finds the visible byline: the last element matched by the author
// selectors whose text reads as a byline, with its repeats.
func (ps *parser) byline(sels []string) *byline {
	nodes := ps.all(sels)
	var last *xhtml.Node
	var names []string
	var text string
	for i := len(nodes) - 1; i >= 0; i-- {
		t := nodeText(nodes[i])
		if ns := bylineNames(t); len(ns) > 0 {
			last, names, text = nodes[i], ns, t
			break
		}
	}
	if last == nil {
		return nil
	}
	by := &byline{text: text, names: names}
	key := strings.ToLower(extract.NormalizeString(text))
	for _, n := range nodes {
		if n == last || strings.ToLower(extract.NormalizeString(nodeText(n))) == key {
			// Nested matches (a <strong> inside the <p>) count once.
			if len(by.nodes) > 0 && contains(by.nodes[len(by.nodes)-1], n) {
				continue
			}
			by.nodes = append(by.nodes, n)
		}
	}
	return by
}

func contains(a, b *xhtml.Node) bool {
	for n := b; n != nil; n = n.Parent {
		if n == a {
			return true
		}
	}
	return false
}

var (
	bylineRole = regexp.MustCompile(`^(?i:(?:bài|tin|ảnh|video|clip|đồ họa|đồ hoạ|thiết kế|thực hiện|nhóm phóng viên|nhóm pv|pv|btv|ctv)(?:\s*(?:,|và|&|-)\s*(?:bài|tin|ảnh|video|clip))?)\s*:\s*`)
	bylineTail = regexp.MustCompile(`\s*\((?i:tổng hợp|thực hiện|lược dịch|dịch|[^()]{0,40})\)\s*$`)
	// Parts of a byline with roles ("Ảnh: X - Bài: Y"), then names in a part.
	bylineRoleSep = regexp.MustCompile(`\s+[-–—]\s+|\s*[;|]\s*|\s+[-–—]|[-–—]\s+`)
	bylineSep     = regexp.MustCompile(`\s*[,&/]\s*|\s+và\s+`)
)

// bylineNames returns the names of a byline ("Thu Hà", "Thùy Nhung - Thanh
// Đạm", "Bài, ảnh: Minh Đức", "PHƯƠNG LINH"), or nil when the text does not
// read as one.
func bylineNames(text string) []string {
	if text == "" || utf8.RuneCountInString(text) > 100 || strings.ContainsAny(text, "0123456789!?\"“”") {
		return nil
	}
	if strings.HasPrefix(strings.ToLower(text), "theo ") || strings.HasPrefix(strings.ToLower(text), "nguồn") {
		return nil
	}
	var names []string
	for _, role := range bylineRoleSep.Split(bylineTail.ReplaceAllString(text, ""), -1) {
		role = bylineRole.ReplaceAllString(strings.TrimSpace(role), "")
		for _, part := range bylineSep.Split(role, -1) {
			part = strings.Trim(part, " .")
			if part == "" {
				continue
			}
			words := strings.Fields(part)
			if len(words) > 5 {
				return nil
			}
			for _, w := range words {
				if !nameWord(w) {
					return nil
				}
			}
			if !slices.Contains(names, part) {
				names = append(names, part)
			}
		}
	}
	return names
}

// manyWords reports whether every name has two words at least (a lone
// capitalized word ends many paragraphs: "Hà Nội", "TTXVN").
func manyWords(names []string) bool {
	for _, n := range names {
		if len(strings.Fields(n)) < 2 {
			return false
		}
	}
	return true
}

// splitNames splits an author string from structured data into names,
// without requiring them to look like names.
func splitNames(s string) []string {
	if ns := bylineNames(s); ns != nil {
		return ns
	}
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return []string{s}
}

// nameWord is one word of a byline: a capitalized syllable or initials.
func nameWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) {
		return false
	}
	for _, c := range w {
		if !unicode.IsLetter(c) && c != '.' && c != '\'' {
			return false
		}
	}
	return true
}

// ---- body ----

// body reads the article's paragraphs from the site's body element, else
// the generic ones, else the <article> with the most text, else the largest
// block of paragraphs.
func (ps *parser) body(by *byline, f fields) ([]block, string) {
	skip := map[*xhtml.Node]bool{}
	// The site's title and lead elements are never body; the generic
	// layer's guesses only when they supplied the field or agree with it.
	for n, tk := range ps.taken {
		chosen := f.title
		if tk.field == "lead" {
			chosen = f.lead
		}
		if tk.layer == LayerSite || ps.layers[tk.field] == LayerGeneric || sameText(tk.text, chosen) {
			skip[n] = true
		}
	}
	if by != nil {
		for _, n := range by.nodes {
			skip[n] = true
		}
	}
	site := &ps.p.Selectors
	g := &genericSelectors
	stopRE := patterns(baseStopText, site.StopText)
	dropRE := patterns(baseDropText, site.DropText)
	read := func(container *xhtml.Node, generic bool) []block {
		drop, stop, caption := [][]string{baseDrop, site.Drop}, [][]string{site.StopAt}, [][]string{site.Caption}
		if generic {
			drop = append(drop, g.Drop)
			stop = append(stop, g.StopAt)
			caption = append(caption, g.Caption)
		}
		w := &bodyWalker{skip: skip, stopRE: stopRE, dropRE: dropRE,
			drop: ps.marks(container, drop...), stop: ps.marks(container, stop...), caption: ps.marks(container, caption...)}
		w.walk(container)
		w.flush()
		return tidy(w.blocks, f)
	}
	for _, sel := range site.Body {
		if n := ps.firstMatch(sel); n != nil {
			if blocks := read(n, false); len(blocks) > 0 {
				return blocks, LayerSite
			}
		}
	}
	for _, sel := range g.Body {
		if n := ps.firstMatch(sel); n != nil {
			if blocks := read(n, true); len(blocks) > 0 {
				return blocks, LayerGeneric
			}
		}
	}
	// The <article> with the most text (listing items are <article>s too).
	var best *xhtml.Node
	bestLen := 0
	ps.doc.Find("article").Each(func(_ int, s *goquery.Selection) {
		if l := len(nodeText(s.Get(0))); l > bestLen {
			best, bestLen = s.Get(0), l
		}
	})
	if best != nil && bestLen >= 200 {
		if blocks := read(best, true); len(blocks) > 0 {
			return blocks, LayerGeneric
		}
	}
	if n := ps.largestBlock(); n != nil {
		if blocks := read(n, true); len(blocks) > 0 {
			return blocks, LayerGeneric
		}
	}
	return nil, ""
}

// firstMatch returns the first element a selector matches, or nil.
func (ps *parser) firstMatch(sel string) *xhtml.Node {
	g, err := compileSelector(sel)
	if err != nil {
		return nil
	}
	return cascadia.Query(ps.root, g)
}

// marks returns the elements inside container matched by any selector of
// the lists.
func (ps *parser) marks(container *xhtml.Node, lists ...[]string) map[*xhtml.Node]bool {
	m := map[*xhtml.Node]bool{}
	for _, l := range lists {
		for _, sel := range l {
			g, err := compileSelector(sel)
			if err != nil {
				continue
			}
			for _, n := range cascadia.QueryAll(container, g) {
				m[n] = true
			}
		}
	}
	return m
}

// largestBlock returns the element whose <p> children hold the most text.
func (ps *parser) largestBlock() *xhtml.Node {
	score := map[*xhtml.Node]int{}
	var best *xhtml.Node
	ps.doc.Find("p").Each(func(_ int, s *goquery.Selection) {
		n := s.Get(0)
		if n.Parent == nil {
			return
		}
		score[n.Parent] += len(nodeText(n))
		if best == nil || score[n.Parent] > score[best] {
			best = n.Parent
		}
	})
	return best
}

// tidy drops body blocks that repeat the title or the lead at the start of
// the body.
func tidy(blocks []block, f fields) []block {
	same := sameText
	lead := f.lead
	if m := leadTag.FindStringIndex(lead); m != nil {
		lead = lead[m[1]:]
	}
	for len(blocks) > 0 {
		t := blocks[0].text
		if m := leadTag.FindStringIndex(t); m != nil {
			t = t[m[1]:]
		}
		if !same(t, f.title) && !same(t, lead) {
			break
		}
		blocks = blocks[1:]
	}
	return blocks
}

// sameText reports whether two texts are the same but for case and the
// normalization of tone marks and spaces.
func sameText(a, b string) bool {
	return a != "" && b != "" && strings.EqualFold(extract.NormalizeString(a), extract.NormalizeString(b))
}

// leadTag is the source tag that opens a lead: "(Baohatinh.vn) - ".
var leadTag = regexp.MustCompile(`^\([^()]{2,40}\)\s*[-–—]\s*`)

// bodyWalker reads the blocks of a body element in reading order.
type bodyWalker struct {
	skip, drop, stop, caption map[*xhtml.Node]bool
	stopRE, dropRE            []*regexp.Regexp

	blocks    []block
	buf       strings.Builder
	inCaption int
	bufCap    bool
	stopped   bool
	visits    int
}

func (w *bodyWalker) walk(n *xhtml.Node) {
	if w.stopped {
		return
	}
	if w.visits++; w.visits > maxVisits || len(w.blocks) >= maxBlocks {
		w.stopped = true
		return
	}
	switch n.Type {
	case xhtml.TextNode:
		if w.buf.Len() < maxNodeText {
			w.buf.WriteString(n.Data)
		}
		if w.inCaption > 0 {
			w.bufCap = true
		}
		return
	case xhtml.ElementNode:
		if w.stop[n] {
			w.flush()
			w.stopped = true
			return
		}
		if w.skip[n] || w.drop[n] || skipElement(n) {
			return
		}
		switch n.DataAtom {
		case atom.Br, atom.Hr:
			w.flush()
			return
		case atom.Img, atom.Picture, atom.Source:
			return
		}
	case xhtml.DocumentNode:
	default:
		return
	}
	block := isBlockElement(n)
	capt := n.Type == xhtml.ElementNode && (n.DataAtom == atom.Figcaption || w.caption[n])
	if block || capt {
		w.flush()
	}
	if capt {
		w.inCaption++
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
	if capt {
		w.inCaption--
	}
	if block || capt {
		w.flush()
	}
}

// flush ends the block being read.
func (w *bodyWalker) flush() {
	if w.stopped {
		w.buf.Reset()
		return
	}
	text := cleanText(w.buf.String())
	capt := w.bufCap
	w.buf.Reset()
	w.bufCap = false
	if text == "" {
		return
	}
	lower := strings.ToLower(text)
	if len(lower) <= 160 {
		for _, re := range w.stopRE {
			if re.MatchString(lower) {
				if len(w.blocks) > 0 {
					w.stopped = true
				}
				return
			}
		}
	}
	for _, re := range w.dropRE {
		if re.MatchString(lower) {
			return
		}
	}
	if isStamp(lower) {
		return
	}
	kind := extract.BlockParagraph
	if capt {
		kind = extract.BlockCaption
	}
	w.blocks = append(w.blocks, block{kind, text})
}

// isStamp reports whether a block is only a date and a few words around it
// ("Cập nhật: 11:42 27/12/2022", "Thứ Hai, 17/06/2025 10:15").
func isStamp(lower string) bool {
	if len(lower) > 80 {
		return false
	}
	if _, ok := shownTime(lower); !ok {
		return false
	}
	words := 0
	for _, w := range strings.Fields(lower) {
		if strings.IndexFunc(w, unicode.IsDigit) < 0 {
			words++
		}
	}
	return words <= 4
}

// skipElement reports elements whose content is never text.
func skipElement(n *xhtml.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Iframe, atom.Frame, atom.Frameset, atom.Svg, atom.Math,
		atom.Template, atom.Object, atom.Embed, atom.Video, atom.Audio, atom.Canvas, atom.Head, atom.Title,
		atom.Select, atom.Textarea, atom.Button, atom.Input:
		return true
	}
	return n.Type == xhtml.ElementNode && (n.Namespace == "svg" || n.Namespace == "math")
}

// isBlockElement reports elements that start a new block of text.
func isBlockElement(n *xhtml.Node) bool {
	if n.Type != xhtml.ElementNode {
		return false
	}
	switch n.DataAtom {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Dd, atom.Details, atom.Dialog, atom.Div,
		atom.Dl, atom.Dt, atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer, atom.Form, atom.H1, atom.H2,
		atom.H3, atom.H4, atom.H5, atom.H6, atom.Header, atom.Hgroup, atom.Hr, atom.Li, atom.Main, atom.Nav,
		atom.Ol, atom.P, atom.Pre, atom.Section, atom.Summary, atom.Table, atom.Tbody, atom.Thead, atom.Tfoot,
		atom.Tr, atom.Td, atom.Th, atom.Ul, atom.Caption, atom.Center, atom.Body, atom.Html:
		return true
	}
	return false
}

// ---- text ----

// nodeText returns the text of an element as cleanText makes it, without
// scripts and the like.
func nodeText(n *xhtml.Node) string {
	var b strings.Builder
	visits := 0
	root := n
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		if visits++; visits > maxVisits || b.Len() > maxNodeText {
			return
		}
		switch n.Type {
		case xhtml.TextNode:
			b.WriteString(n.Data)
			return
		case xhtml.ElementNode:
			if skipElement(n) && n != root {
				return
			}
			if n.DataAtom == atom.Br || isBlockElement(n) {
				b.WriteByte(' ')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if isBlockElement(n) {
			b.WriteByte(' ')
		}
	}
	walk(n)
	return cleanText(b.String())
}

// nodeRawText returns the text inside an element as it is (a script's).
func nodeRawText(n *xhtml.Node, limit int) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil && b.Len() < limit; c = c.NextSibling {
		if c.Type == xhtml.TextNode {
			b.WriteString(c.Data)
		}
	}
	s := b.String()
	if len(s) > limit {
		return ""
	}
	return s
}

func attrOf(n *xhtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// cleanText makes text as the page shows it: runs of HTML white space
// (space, tab, line breaks) made one space, as browsers do, invisible format
// characters and control characters removed, trimmed of every kind of space,
// NFC. Other spaces (no-break spaces) stay as they are.
func cleanText(s string) string {
	if s == "" {
		return ""
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f':
			space = true
			continue
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == utf8.RuneError || unicode.Is(unicode.Cf, r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return toNFC(strings.TrimFunc(b.String(), unicode.IsSpace))
}

// flatten drops the start and end tags of elements nested deeper than
// limit, counting nesting naively (tags that close themselves make it
// deeper), and keeps everything else as it is.
func flatten(text string, limit int) string {
	z := xhtml.NewTokenizer(strings.NewReader(text))
	var b strings.Builder
	b.Grow(len(text))
	depth := 0
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			return b.String()
		case xhtml.StartTagToken:
			name, _ := z.TagName()
			if voidElements[string(name)] {
				break
			}
			depth++
			if depth > limit {
				continue
			}
		case xhtml.EndTagToken:
			depth--
			if depth >= limit {
				continue
			}
		}
		b.Write(z.Raw())
	}
}

var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true, "input": true,
	"link": true, "meta": true, "source": true, "track": true, "wbr": true, "param": true, "keygen": true,
}

// prune replaces what is nested deeper than maxDepth, which no real page
// needs, by its text, so that later walks and selector matching stay cheap.
func prune(root *xhtml.Node) {
	type item struct {
		n     *xhtml.Node
		depth int
	}
	stack := []item{{root, 0}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.depth >= maxDepth && it.n.FirstChild != nil {
			text := subtreeText(it.n)
			for c := it.n.FirstChild; c != nil; {
				next := c.NextSibling
				it.n.RemoveChild(c)
				c = next
			}
			if text != "" {
				it.n.AppendChild(&xhtml.Node{Type: xhtml.TextNode, Data: text})
			}
			continue
		}
		for c := it.n.FirstChild; c != nil; c = c.NextSibling {
			stack = append(stack, item{c, it.depth + 1})
		}
	}
}

// subtreeText returns the text under n, without recursion, up to
// maxNodeText bytes; scripts and the like are left out.
func subtreeText(n *xhtml.Node) string {
	var b strings.Builder
	stack := []*xhtml.Node{}
	for c := n.LastChild; c != nil; c = c.PrevSibling {
		stack = append(stack, c)
	}
	for len(stack) > 0 && b.Len() < maxNodeText {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch c.Type {
		case xhtml.TextNode:
			b.WriteString(c.Data)
			continue
		case xhtml.ElementNode:
			if skipElement(c) {
				continue
			}
			if isBlockElement(c) || c.DataAtom == atom.Br {
				b.WriteByte(' ')
			}
		}
		for k := c.LastChild; k != nil; k = k.PrevSibling {
			stack = append(stack, k)
		}
	}
	return b.String()
}

// ---- times ----

// zoned are layouts of times that carry their offset.
var zoned = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05-0700",
	"2006-01-02T15:04:05.999999999-0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04-0700",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05-0700",
	"2006-01-02 15:04:05 -0700",
	time.RFC1123Z,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	time.RFC1123, // feeds: "Mon, 02 Jan 2006 15:04:05 GMT"
	"Mon, 2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05 -0700",
}

// local are layouts of times without an offset: Vietnam's time is meant.
var local = []string{
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006/01/02 15:04:05",
	"2006/01/02 15:04",
}

// parseTime reads a machine-readable time (RFC 3339, an offset without a
// colon, no offset, a date alone, Unix seconds) or a time as pages show it.
// The result is in +07:00.
func parseTime(s string) (stamp, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 100 {
		return stamp{}, false
	}
	for _, l := range zoned {
		if t, err := time.Parse(l, s); err == nil {
			return sane(stamp{t.In(extract.Vietnam), false})
		}
	}
	for _, l := range local {
		if t, err := time.ParseInLocation(l, s, extract.Vietnam); err == nil {
			return sane(stamp{t, false})
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", s, extract.Vietnam); err == nil {
		return sane(stamp{t, true})
	}
	if isDigits(s) && len(s) >= 9 && len(s) <= 13 {
		n, _ := strconv.ParseInt(s, 10, 64)
		if len(s) >= 12 {
			n /= 1000
		}
		return sane(stamp{time.Unix(n, 0).In(extract.Vietnam), false})
	}
	return shownTime(s)
}

func sane(s stamp) (stamp, bool) {
	if y := s.t.Year(); y < 1990 || y > 2100 {
		return stamp{}, false
	}
	return s, true
}

var (
	// 11:42 27/12/2022, 11h42 - Thứ Ba, 27/12/2022
	shownTimeDate = regexp.MustCompile(`(?:^|[^\d])(\d{1,2})[:h](\d{2})(?::(\d{2}))?\s*(?:(?:\(?gmt\s*\+\s*0?7(?::00)?\)?)\s*)?(?:[,|\-–]\s*)?(?:(?:thứ\s+\pL+|chủ\s+nhật)\s*,?\s*)?(?:ngày\s+)?(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[^\d]|$)`)
	// 27/12/2022 11:42, Thứ Hai, 17/06/2025
	shownDateTime = regexp.MustCompile(`(?:^|[^\d])(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:\s*(?:[,|\-–]|lúc)?\s*(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?(?:[^\d]|$)`)
)

// shownTime finds the first time as pages show it in text: "dd/mm/yyyy
// HH:MM", "HH:MM dd/mm/yyyy", "Cập nhật: 11:42 27/12/2022", "Thứ Hai,
// 17/06/2025" (a day alone).
func shownTime(text string) (stamp, bool) {
	if len(text) > 4000 {
		text = text[:4000]
	}
	lower := strings.ToLower(text)
	a := shownTimeDate.FindStringSubmatchIndex(lower)
	b := shownDateTime.FindStringSubmatchIndex(lower)
	get := func(m []int, i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return lower[m[2*i]:m[2*i+1]]
	}
	var y, mo, d, h, mi, sec string
	switch {
	case a != nil && (b == nil || a[0] <= b[0]):
		h, mi, sec, d, mo, y = get(a, 1), get(a, 2), get(a, 3), get(a, 4), get(a, 5), get(a, 6)
	case b != nil:
		d, mo, y, h, mi, sec = get(b, 1), get(b, 2), get(b, 3), get(b, 4), get(b, 5), get(b, 6)
	default:
		return stamp{}, false
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	Y, M, D, H, Mi, S := atoi(y), atoi(mo), atoi(d), atoi(h), atoi(mi), atoi(sec)
	if M < 1 || M > 12 || D < 1 || D > 31 || H > 23 || Mi > 59 || S > 59 {
		return stamp{}, false
	}
	t := time.Date(Y, time.Month(M), D, H, Mi, S, 0, extract.Vietnam)
	if t.Day() != D {
		return stamp{}, false
	}
	return sane(stamp{t, h == ""})
}
