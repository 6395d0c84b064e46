package sitegen

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

func newSite(name string) *Site {
	return &Site{Name: name, Routes: map[string][]string{}, Listed: map[string][]string{}, AltURLs: map[string][]string{}, Files: Tree{}}
}

// pageFor chooses the boxes of other articles shown on a's page: the newest
// articles of the site (Tin mới), others of its category (Đọc thêm) and older
// ones (the related box).
func pageFor(s *Site, a *Article) *Page {
	p := &Page{Comments: int(hash64("c", a.ID) % 4)}
	for _, o := range s.Articles {
		if o != a && len(p.Latest) < 5 {
			p.Latest = append(p.Latest, o)
		}
	}
	for _, o := range s.Articles {
		if o != a && o.Category == a.Category && len(p.ReadMore) < 3 && !inList(p.Latest, o) {
			p.ReadMore = append(p.ReadMore, o)
		}
	}
	for _, o := range s.Articles {
		if o != a && o.Published.Before(a.Published) && len(p.Related) < 3 && !inList(p.ReadMore, o) {
			p.Related = append(p.Related, o)
		}
	}
	return p
}

func inList(l []*Article, a *Article) bool {
	for _, x := range l {
		if x == a {
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------- Báo Hà Tĩnh

// Fault fixtures of the Hà Tĩnh site, by their role (filled by buildHatinh).
type hatinhRoles struct {
	variant   *Article   // linked also as ?fbclid=abc and as .amp
	cp1258    *Article   // page in windows-1258
	noSitemap []*Article // in no sitemap
	gzMonth   string     // the child sitemap served gzipped, e.g. "2024-11"
}

func buildHatinh(seeds []*Seed) *Site {
	s := newSite(SiteHatinh)
	for _, sd := range seeds {
		a := newArticle(SiteHatinh, sd)
		a.Template = TemplateHatinhCurrent
		s.Articles = append(s.Articles, a)
	}
	sortNewest(s.Articles)
	// The oldest third is in the older template (seed 003 always, seed 000 never).
	var oldest []*Article
	for i := len(s.Articles) - 1; i >= 0; i-- {
		oldest = append(oldest, s.Articles[i])
	}
	legacy := 0
	for _, a := range s.Articles {
		if a.Seed[:3] == "003" {
			a.Template = TemplateHatinhLegacy
			legacy++
		}
	}
	for _, a := range oldest {
		if legacy >= len(s.Articles)/3 {
			break
		}
		if a.Template == TemplateHatinhCurrent && a.Seed[:3] != "000" {
			a.Template = TemplateHatinhLegacy
			legacy++
		}
	}
	var r hatinhRoles
	for i, a := range s.Articles {
		a.Absolute = i%2 == 1
		a.EmptyAuthor = len(a.Authors) == 0 || i%3 == 0
		a.Video = i%7 == 3
		if r.cp1258 == nil && a.Template == TemplateHatinhLegacy && a.Seed[:3] != "003" && canEncode1258(a) {
			r.cp1258 = a
		}
	}
	r.cp1258.Charset = "windows-1258"
	r.variant = s.Articles[2]
	for i, a := range s.Articles {
		if i%8 == 5 {
			r.noSitemap = append(r.noSitemap, a)
		}
	}

	// Article pages.
	for _, a := range s.Articles {
		s.Files[a.File()] = Encode(a, Render(a, pageFor(s, a)))
	}
	s.Files[strings.TrimSuffix(r.variant.File(), ".html")+".amp"] = renderHatinhAMP(r.variant)
	s.AltURLs[r.variant.ID] = []string{r.variant.URL() + "?fbclid=abc", strings.TrimSuffix(r.variant.URL(), ".html") + ".amp"}

	hatinhSitemaps(s, &r)
	hatinhRSS(s)
	hatinhListings(s, &r)
	hatinhExtras(s)
	s.Files["robots.txt"] = []byte(`# robots.txt for https://baohatinh.vn (fixture)
User-agent: *
Allow: /
Disallow: /search
Disallow: /comment
Disallow: /api/

User-agent: GPTBot
Disallow: /

Sitemap: https://baohatinh.vn/sitemap.xml
`)
	return s
}

func canEncode1258(a *Article) bool {
	txt := a.Title + a.Lead + a.Byline()
	for _, b := range a.Body {
		txt += b.Text
	}
	return !strings.Contains(string(EncodeWindows1258(txt)), "&#")
}

func monthKey(t time.Time) string {
	t = t.In(Vietnam)
	return fmt.Sprintf("%d-%d", t.Year(), int(t.Month()))
}

func hatinhSitemaps(s *Site, r *hatinhRoles) {
	byMonth := map[string][]*Article{}
	var months []string
	for _, a := range s.Articles {
		if inList(r.noSitemap, a) {
			continue
		}
		k := monthKey(a.Published)
		if byMonth[k] == nil {
			months = append(months, k)
		}
		byMonth[k] = append(byMonth[k], a)
	}
	// months are newest first, as the articles are.
	r.gzMonth = months[1]
	var idx strings.Builder
	idx.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
`)
	for _, m := range months {
		var last time.Time
		var u strings.Builder
		u.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
`)
		for _, a := range byMonth[m] {
			if a.Modified.After(last) {
				last = a.Modified
			}
			fmt.Fprintf(&u, `  <url>
    <loc>%s</loc>
    <lastmod>%s</lastmod>
    <news:news>
      <news:publication><news:name>Báo Hà Tĩnh</news:name><news:language>vi</news:language></news:publication>
      <news:publication_date>%s</news:publication_date>
      <news:title>%s</news:title>
    </news:news>
    <image:image><image:loc>%s</image:loc></image:image>
  </url>
`, a.URL(), ISOTime(a.Modified), ISOTime(a.Published), esc(a.Title), esc(a.ImageURL(0)))
			s.route(a, "sitemap")
		}
		u.WriteString("</urlset>\n")
		name := "sitemaps/news-" + m + ".xml"
		if m == r.gzMonth {
			name += ".gz"
			s.Files[name] = gz([]byte(u.String()))
		} else {
			s.Files[name] = []byte(u.String())
		}
		fmt.Fprintf(&idx, "  <sitemap>\n    <loc>https://baohatinh.vn/%s</loc>\n    <lastmod>%s</lastmod>\n  </sitemap>\n", name, ISOTime(last))
	}
	idx.WriteString("</sitemapindex>\n")
	s.Files["sitemap.xml"] = []byte(idx.String())
}

func rssItems(b *strings.Builder, items []*Article, link func(*Article) string) {
	for _, a := range items {
		fmt.Fprintf(b, `    <item>
      <title><![CDATA[%s]]></title>
      <link>%s</link>
      <guid isPermaLink="true">%s</guid>
      <pubDate>%s</pubDate>
      <description><![CDATA[<a href="%s"><img src="%s" /></a>%s]]></description>
    </item>
`, a.Title, link(a), link(a), a.Published.In(Vietnam).Format(time.RFC1123Z), link(a), a.ImageURL(0), a.Lead)
	}
}

func hatinhRSS(s *Site) {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>Báo Hà Tĩnh - Trang chủ</title>
    <link>https://baohatinh.vn</link>
    <description>Tin tức mới nhất của Báo Hà Tĩnh điện tử</description>
    <language>vi</language>
    <lastBuildDate>%s</lastBuildDate>
    <atom:link href="https://baohatinh.vn/rss/home.rss" rel="self" type="application/rss+xml" />
`, s.Articles[0].Published.In(Vietnam).Format(time.RFC1123Z))
	items := s.Articles[:10]
	rssItems(&b, items, func(a *Article) string { return a.URL() })
	for _, a := range items {
		s.route(a, "rss")
	}
	b.WriteString("  </channel>\n</rss>\n")
	s.Files["rss/home.rss"] = []byte(b.String())
}

// hatinhListingPage renders a listing page (home, tin-moi, category, tag).
func hatinhListingPage(s *Site, title, path string, absolute bool, items []*Article, variant *Article, variantURL string, extra string) []byte {
	from := &Article{Site: SiteHatinh, Absolute: absolute}
	var b strings.Builder
	hatinhHead(&b, title, "Báo Hà Tĩnh điện tử - Tin tức Hà Tĩnh cập nhật liên tục 24h", "https://baohatinh.vn"+path, "https://cdn.baohatinh.vn/assets/web/styles/img/logo-share.jpg", "    <meta property=\"og:type\" content=\"website\">\n")
	hatinhHeader(&b, from)
	fmt.Fprintf(&b, "<main class=\"main\">\n<div class=\"container\">\n<h1 class=\"page-title\">%s</h1>\n", esc(title))
	b.WriteString(extra)
	b.WriteString("<section class=\"box-stream\">\n")
	for i, a := range items {
		cls := ""
		switch {
		case i == 0:
			cls = "story--focus"
		case i%4 == 3:
			cls = "no-photo"
		}
		item := HatinhStory(from, a, cls, i%3 == 2, "h2")
		if a == variant && variantURL != "" {
			item = strings.ReplaceAll(item, "href=\""+esc(href(from, a.Path()))+"\"", "href=\""+esc(variantURL)+"\"")
		}
		b.WriteString(item)
	}
	b.WriteString("</section>\n")
	if strings.HasSuffix(path, "/") && path != "/" {
		b.WriteString("<div class=\"box-more\"><a class=\"btn-viewmore\" href=\"javascript:void(0)\" data-page=\"2\" data-zone=\"" + strings.Trim(path, "/") + "\">Xem thêm</a></div>\n")
	}
	b.WriteString("</div>\n</main>\n")
	hatinhFooter(&b, from)
	return []byte(b.String())
}

func hatinhListings(s *Site, r *hatinhRoles) {
	// Home: the 12 newest, the variant linked with ?fbclid=abc, and links that
	// are not articles.
	home := s.Articles[:12]
	extraHome := `<section class="box-nonarticle">
    <a class="cms-link" href="/epaper/">Báo in hôm nay</a>
    <a class="cms-link" href="/video/">Video</a>
    <a class="cms-link" href="/video/hanh-trinh-ve-nguon-2025-1234.html">Video: Hành trình về nguồn</a>
    <a class="cms-link" href="/tv/ban-tin-thoi-su-toi-17-6-2025-58213.html" title="Bản tin thời sự tối">Bản tin thời sự tối</a>
    <a class="cms-link" href="/files/ke-hoach-tuyen-truyen-2025.pdf">Kế hoạch tuyên truyền năm 2025 (PDF)</a>
    <a href="https://cdn.baohatinh.vn/images/3f1c0a9d2b7e4c6a/2025/06/17/anh-dep-1.jpg"><img src="https://cdn.baohatinh.vn/images/3f1c0a9d2b7e4c6a/2025/06/17/anh-dep-1.jpg" alt="Ảnh đẹp Hà Tĩnh"></a>
    <a href="https://www.facebook.com/baohatinh.vn" rel="nofollow">Fanpage</a>
    <a href="/search?q=d%C3%A2n+v%E1%BA%ADn">Tìm kiếm: dân vận</a>
</section>
`
	s.Files["index.html"] = hatinhListingPage(s, "Báo Hà Tĩnh điện tử", "/", false, home, r.variant, r.variant.Path()+"?fbclid=abc", extraHome)
	s.listedAll(home, "/")
	// Tin mới: the 15 newest, with absolute links, the variant as its AMP copy.
	latest := s.Articles[:15]
	s.Files["tin-moi.html"] = hatinhListingPage(s, "Tin mới", "/tin-moi.html", true, latest, r.variant, strings.TrimSuffix(r.variant.URL(), ".html")+".amp", "")
	s.listedAll(latest, "/tin-moi.html")
	// Category pages: the 6 newest of the category (and its sub-categories);
	// more only through the JavaScript "Xem thêm" button.
	for i, c := range HatinhCategories {
		var items []*Article
		for _, a := range s.Articles {
			if a.Category == c.Slug || strings.HasPrefix(a.Category, c.Slug+"/") {
				items = append(items, a)
			}
		}
		if len(items) > 6 {
			items = items[:6]
		}
		s.Files[c.Slug+"/index.html"] = hatinhListingPage(s, c.Name, "/"+c.Slug+"/", i%2 == 0, items, nil, "", "")
		s.listedAll(items, "/"+c.Slug+"/")
	}
	// Tag pages.
	tags := map[string][]*Article{}
	for _, a := range s.Articles {
		for _, t := range a.Tags {
			tags[t] = append(tags[t], a)
		}
	}
	tags["Hà Tĩnh 24h"] = nil
	for t, items := range tags {
		if len(items) > 4 {
			items = items[:4]
		}
		s.Files[FileFor(TagURL(t))] = hatinhListingPage(s, t, TagURL(t), false, items, nil, "", "")
		s.listedAll(items, TagURL(t))
	}
}

// hatinhExtras writes the pages that are not articles.
func hatinhExtras(s *Site) {
	from := &Article{Site: SiteHatinh}
	simple := func(title, path, body string) []byte {
		var b strings.Builder
		hatinhHead(&b, title, title, "https://baohatinh.vn"+path, "https://cdn.baohatinh.vn/assets/web/styles/img/logo-share.jpg", "")
		hatinhHeader(&b, from)
		b.WriteString("<main class=\"main\">\n<div class=\"container\">\n<h1 class=\"page-title\">" + esc(title) + "</h1>\n" + body + "</div>\n</main>\n")
		hatinhFooter(&b, from)
		return []byte(b.String())
	}
	s.Files["epaper/index.html"] = simple("Báo in", "/epaper/", "<div class=\"epaper\"><a href=\"/files/ke-hoach-tuyen-truyen-2025.pdf\">Số báo in ngày 17/06/2025 (PDF)</a><p>Số 5.123, phát hành 12.000 bản.</p></div>\n")
	s.Files["video/index.html"] = simple("Video", "/video/", "<div class=\"video-list\"><a class=\"cms-link\" href=\"/video/hanh-trinh-ve-nguon-2025-1234.html\">Hành trình về nguồn</a></div>\n")
	s.Files["video/hanh-trinh-ve-nguon-2025-1234.html"] = simple("Video: Hành trình về nguồn", "/video/hanh-trinh-ve-nguon-2025-1234.html", "<div class=\"video-player\"><iframe src=\"https://www.youtube.com/embed/v000123\" width=\"640\" height=\"360\"></iframe><p>Video dài 3 phút 20 giây, 1.250 lượt xem.</p></div>\n")
	s.Files["tv/ban-tin-thoi-su-toi-17-6-2025-58213.html"] = simple("Bản tin thời sự tối 17/6/2025", "/tv/ban-tin-thoi-su-toi-17-6-2025-58213.html", "<article class=\"tv-detail\"><h2 class=\"tv-title\">Bản tin thời sự tối 17/6/2025</h2><video src=\"https://cdn.baohatinh.vn/tv/58213.mp4\" controls></video><p>Thời lượng 25 phút.</p></article>\n")
	s.Files["files/ke-hoach-tuyen-truyen-2025.pdf"] = []byte(minimalPDF)
}

const minimalPDF = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

// renderHatinhAMP renders the AMP copy of a current-template article.
func renderHatinhAMP(a *Article) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<!doctype html>
<html amp lang="vi">
<head>
<meta charset="utf-8">
<script async src="https://cdn.ampproject.org/v0.js"></script>
<title>%s</title>
<link rel="canonical" href="%s">
<meta name="viewport" content="width=device-width">
<meta property="article:published_time" content="%s">
<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both}</style>
</head>
<body>
<header class="amp-header"><a href="https://baohatinh.vn/">Báo Hà Tĩnh</a></header>
<article class="article">
<h1 class="article__title cms-title">%s</h1>
<time class="time" datetime="%s">%s</time>
<div class="article__sapo cms-desc">%s</div>
<div class="article__body cms-body">
`, esc(a.Title), esc(a.URL()), MetaTime(a.Published), esc(a.Title), MetaTime(a.Published), Stamp(a.Published), esc(a.Lead))
	img := 0
	for _, bl := range a.Body {
		if bl.Kind == KindCaption {
			fmt.Fprintf(&b, "<figure><amp-img src=\"%s\" width=\"1200\" height=\"800\" layout=\"responsive\" alt=\"%s\"></amp-img><figcaption>%s</figcaption></figure>\n", esc(a.ImageURL(img)), esc(a.Title), esc(bl.Text))
			img++
		} else {
			fmt.Fprintf(&b, "<p>%s</p>\n", esc(bl.Text))
		}
	}
	if len(a.Authors) > 0 {
		fmt.Fprintf(&b, "<p style=\"text-align:right\"><strong>%s</strong></p>\n", esc(a.Byline()))
	}
	b.WriteString("</div>\n</article>\n</body>\n</html>\n")
	return []byte(b.String())
}

// ---------------------------------------------------------------- Báo Sơn La

const sonlaPageSize = 3

func buildSonla(seeds []*Seed) *Site {
	s := newSite(SiteSonla)
	for _, sd := range seeds {
		a := newArticle(SiteSonla, sd)
		a.Template = TemplateSonla
		s.Articles = append(s.Articles, a)
	}
	sortNewest(s.Articles)
	for i, a := range s.Articles {
		a.Absolute = i%3 == 1
		a.NoJSONLD = i%2 == 1
		a.NoEditor = i%8 == 3
	}
	for _, a := range s.Articles {
		s.Files[a.File()] = Render(a, pageFor(s, a))
	}
	// Category pages, paginated: /<cat>.html, /<cat>/trang-2.html, ...
	cats := map[string][]*Article{}
	for _, a := range s.Articles {
		cats[a.Category] = append(cats[a.Category], a)
	}
	// The old-domain article: the second newest of the largest category,
	// linked from the home page as https://baosonla.org.vn/....
	var biggest string
	for _, c := range SonlaCategories {
		if len(cats[c.Slug]) > len(cats[biggest]) {
			biggest = c.Slug
		}
	}
	old := cats[biggest][1]
	oldURL := "https://baosonla.org.vn" + old.Path()
	s.AltURLs[old.ID] = []string{oldURL}
	for ci, c := range SonlaCategories {
		items := cats[c.Slug]
		pages := (len(items) + sonlaPageSize - 1) / sonlaPageSize
		if pages == 0 {
			pages = 1
		}
		for p := 1; p <= pages; p++ {
			lo, hi := (p-1)*sonlaPageSize, p*sonlaPageSize
			if hi > len(items) {
				hi = len(items)
			}
			path := "/" + c.Slug + ".html"
			if p > 1 {
				path = fmt.Sprintf("/%s/trang-%d.html", c.Slug, p)
			}
			next := ""
			if p < pages {
				next = fmt.Sprintf("/%s/trang-%d.html", c.Slug, p+1)
			}
			s.Files[FileFor(path)] = sonlaListing(s, c.Name, path, (ci+p)%2 == 0, items[lo:hi], nil, "", p, next, c.Slug)
			s.listedAll(items[lo:hi], path)
		}
	}
	// Home: the 8 newest and the newest of each category; the old-domain link.
	var home []*Article
	for _, a := range s.Articles[:8] {
		home = append(home, a)
	}
	for _, c := range SonlaCategories {
		if len(cats[c.Slug]) > 0 && !inList(home, cats[c.Slug][0]) {
			home = append(home, cats[c.Slug][0])
		}
	}
	if !inList(home, old) {
		home = append(home, old)
	}
	s.Files["index.html"] = sonlaListing(s, "Báo Sơn La điện tử", "/", false, home, old, oldURL, 0, "", "")
	s.listedAll(home, "/")
	s.Files["emagazine.html"] = sonlaListing(s, "E-magazine", "/emagazine.html", false, nil, nil, "", 0, "", "")
	s.Files["video.html"] = sonlaListing(s, "Video", "/video.html", false, nil, nil, "", 0, "", "")
	s.Files["robots.txt"] = []byte(`User-agent: *
Disallow: /admin/
Disallow: /tim-kiem.html
Disallow: /*?keyword=
`)
	return s
}

func sonlaListing(s *Site, title, path string, absolute bool, items []*Article, variant *Article, variantURL string, page int, next, cat string) []byte {
	from := &Article{Site: SiteSonla, Absolute: absolute}
	var b strings.Builder
	canon := "https://baosonla.vn" + path
	sonlaHead(&b, title, "Báo Sơn La điện tử - Tin tức cập nhật trong ngày", canon, "https://media.baosonla.org.vn/public/images/logo-share.jpg", "    <meta property=\"og:type\" content=\"website\">\n")
	sonlaHeader(&b, from)
	b.WriteString("<main class=\"container list-page\">\n")
	if cat != "" {
		fmt.Fprintf(&b, "    <ul class=\"breadcrumb\">\n        <li class=\"breadcrumb-item\"><a href=\"%s\">Trang chủ</a></li>\n        <li class=\"breadcrumb-item\"><a class=\"active\" href=\"%s\">%s</a></li>\n    </ul>\n", href(from, "/"), href(from, "/"+cat+".html"), esc(title))
	}
	fmt.Fprintf(&b, "    <h1 class=\"title-page\">%s</h1>\n    <div class=\"list-news\">\n", esc(title))
	for _, a := range items {
		u := href(from, a.Path())
		if a == variant {
			u = variantURL
		}
		b.WriteString(indent(SonlaItem(a, u, true), 8))
	}
	b.WriteString("    </div>\n")
	if page > 0 {
		b.WriteString("    <ul class=\"pagination\">\n")
		if page > 1 {
			prev := "/" + cat + ".html"
			if page > 2 {
				prev = fmt.Sprintf("/%s/trang-%d.html", cat, page-1)
			}
			fmt.Fprintf(&b, "        <li class=\"page-item\"><a class=\"page-link\" href=\"%s\">&laquo;</a></li>\n", href(from, prev))
		}
		fmt.Fprintf(&b, "        <li class=\"page-item active\"><span class=\"page-link\">%d</span></li>\n", page)
		if next != "" {
			fmt.Fprintf(&b, "        <li class=\"page-item\"><a class=\"page-link\" href=\"%s\">&raquo;</a></li>\n", href(from, next))
		}
		b.WriteString("    </ul>\n")
	}
	b.WriteString("</main>\n")
	sonlaFooter(&b)
	return []byte(b.String())
}

// ---------------------------------------------------------------- generic

func buildGeneric(seeds []*Seed) *Site {
	s := newSite(SiteGeneric)
	for _, sd := range seeds {
		s.Articles = append(s.Articles, newArticle(SiteGeneric, sd))
	}
	sortNewest(s.Articles)
	for i, a := range s.Articles {
		a.Absolute = i%2 == 0
	}
	for _, a := range s.Articles {
		s.Files[a.File()] = Render(a, pageFor(s, a))
	}
	// Home: the 5 newest; the feed has them all.
	home := s.Articles
	if len(home) > 5 {
		home = home[:5]
	}
	from := &Article{Site: SiteGeneric, Absolute: true}
	var b strings.Builder
	genericHead(&b, "Trang chủ", "Tin tức tỉnh Ví Dụ", "https://baovidu.vn/", "https://baovidu.vn/wp-content/uploads/logo.png", "<meta property=\"og:type\" content=\"website\">\n")
	genericHeader(&b, from)
	b.WriteString("<div id=\"content\" class=\"site-content\">\n<main id=\"main\" class=\"site-main\">\n")
	for _, a := range home {
		fmt.Fprintf(&b, `<article id="post-%s" class="post-%s post type-post status-publish format-standard hentry">
<header class="entry-header"><h2 class="entry-title"><a href="%s" rel="bookmark">%s</a></h2>
<div class="entry-meta"><time class="entry-date published" datetime="%s">%s</time></div></header>
<div class="entry-summary"><p>%s</p></div>
</article>
`, a.ID, a.ID, a.URL(), esc(a.Title), ISOTime(a.Published), a.Published.In(Vietnam).Format("02/01/2006"), esc(a.Lead))
		s.listed(a, "/")
	}
	b.WriteString("</main>\n</div>\n")
	genericFooter(&b)
	s.Files["index.html"] = []byte(b.String())
	var r strings.Builder
	fmt.Fprintf(&r, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>%s</title>
    <atom:link href="https://baovidu.vn/feed.rss" rel="self" type="application/rss+xml" />
    <link>https://baovidu.vn</link>
    <description>Tin tức tỉnh Ví Dụ</description>
    <lastBuildDate>%s</lastBuildDate>
    <language>vi</language>
    <generator>https://wordpress.org/?v=6.4.2</generator>
`, GenericName, s.Articles[0].Modified.In(Vietnam).Format(time.RFC1123Z))
	rssItems(&r, s.Articles, func(a *Article) string { return a.URL() })
	for _, a := range s.Articles {
		s.route(a, "rss")
	}
	r.WriteString("  </channel>\n</rss>\n")
	s.Files["feed.rss"] = []byte(r.String())
	s.Files["robots.txt"] = []byte("User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n")
	return s
}

func (s *Site) listed(a *Article, path string) {
	s.route(a, "listing")
	if !contains(s.Listed[a.ID], path) {
		s.Listed[a.ID] = append(s.Listed[a.ID], path)
	}
}

func (s *Site) listedAll(items []*Article, path string) {
	for _, a := range items {
		s.listed(a, path)
	}
}

// checkRoutes panics if an article of the site is reachable by no route.
func checkRoutes(s *Site) {
	for _, a := range s.Articles {
		if len(s.Routes[a.ID]) == 0 {
			panic(fmt.Sprintf("sitegen: %s article %s is reachable by no route", s.Name, a.ID))
		}
		sort.Strings(s.Routes[a.ID])
		sort.Strings(s.Listed[a.ID])
		if s.Listed[a.ID] == nil {
			s.Listed[a.ID] = []string{}
		}
	}
}
