package sitegen

import (
	"fmt"
	"strings"
)

// hatinhHead writes the <head> of a current-template page.
func hatinhHead(b *strings.Builder, title, desc, canonical, image string, extra string) {
	fmt.Fprintf(b, `<!DOCTYPE html>
<html lang="vi">
<head>
    <meta charset="utf-8">
    <meta http-equiv="X-UA-Compatible" content="IE=edge">
    <meta name="viewport" content="width=device-width, initial-scale=1.0, maximum-scale=5">
    <title>%s</title>
    <meta name="description" content="%s">
    <link rel="canonical" href="%s">
    <link rel="shortcut icon" href="https://cdn.baohatinh.vn/assets/web/styles/img/favicon.ico" type="image/x-icon">
    <link rel="preconnect" href="https://cdn.baohatinh.vn">
    <link rel="dns-prefetch" href="https://www.googletagmanager.com">
    <meta property="fb:app_id" content="1538453279715238">
    <meta property="og:site_name" content="Báo Hà Tĩnh">
    <meta property="og:locale" content="vi_VN">
    <meta property="og:title" content="%s">
    <meta property="og:description" content="%s">
    <meta property="og:url" content="%s">
    <meta property="og:image" content="%s">
    <meta property="og:image:width" content="1200">
    <meta property="og:image:height" content="630">
    <meta name="twitter:card" content="summary_large_image">
    <meta name="robots" content="index,follow,max-image-preview:large">
%s    <link href="https://cdn.baohatinh.vn/assets/web/styles/css/main.min-1.0.42.css" rel="stylesheet" type="text/css">
    <script>window.$ = window.jQuery || {}; var isMobile = false; var pageSettings = {domain: "baohatinh.vn", cdnDomain: "https://cdn.baohatinh.vn", allow_comment: true};</script>
    <script async src="https://www.googletagmanager.com/gtag/js?id=G-7K9Q2B3HTN"></script>
    <script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date()); gtag('config', 'G-7K9Q2B3HTN');</script>
</head>
`, esc(title), esc(desc), esc(canonical), esc(title), esc(desc), esc(canonical), esc(image), extra)
}

func hatinhHeader(b *strings.Builder, from *Article) {
	b.WriteString(`<body class="page-detail">
<div id="fb-root"></div>
<header class="site-header">
    <div class="container">
        <div class="header__top">
            <span class="date-now">Thứ Ba, 17/06/2025</span>
            <a class="logo cms-link" href="` + href(from, "/") + `" title="Báo Hà Tĩnh điện tử"><img src="https://cdn.baohatinh.vn/assets/web/styles/img/logo.png" alt="Báo Hà Tĩnh"></a>
            <div class="header__search"><form action="/search" method="get"><input type="text" name="q" placeholder="Tìm kiếm"><button type="submit" class="btn-search">Tìm</button></form></div>
            <ul class="header__social"><li><a href="https://www.facebook.com/baohatinh.vn" rel="nofollow" target="_blank">Facebook</a></li><li><a href="https://www.youtube.com/@baohatinh" rel="nofollow" target="_blank">Youtube</a></li><li><a href="https://zalo.me/baohatinh" rel="nofollow" target="_blank">Zalo</a></li></ul>
        </div>
        <nav class="main-menu">
            <ul class="menu">
                <li class="menu-item home"><a class="cms-link" href="` + href(from, "/") + `" title="Trang chủ">Trang chủ</a></li>
                <li class="menu-item"><a class="cms-link" href="` + href(from, "/tin-moi.html") + `" title="Tin mới">Tin mới</a></li>
`)
	for _, c := range HatinhCategories {
		if c.Parent != "" {
			continue
		}
		fmt.Fprintf(b, "                <li class=\"menu-item\"><a class=\"cms-link\" href=\"%s\" title=\"%s\">%s</a>", href(from, "/"+c.Slug+"/"), esc(c.Name), esc(c.Name))
		var subs []Category
		for _, s := range HatinhCategories {
			if s.Parent == c.Slug {
				subs = append(subs, s)
			}
		}
		if len(subs) > 0 {
			b.WriteString("<ul class=\"sub-menu\">")
			for _, s := range subs {
				fmt.Fprintf(b, "<li><a class=\"cms-link\" href=\"%s\" title=\"%s\">%s</a></li>", href(from, "/"+s.Slug+"/"), esc(s.Name), esc(s.Name))
			}
			b.WriteString("</ul>")
		}
		b.WriteString("</li>\n")
	}
	b.WriteString(`                <li class="menu-item"><a class="cms-link" href="` + href(from, "/multimedia/") + `" title="Multimedia">Multimedia</a></li>
                <li class="menu-item"><a class="cms-link" href="` + href(from, "/video/") + `" title="Video">Video</a></li>
                <li class="menu-item"><a class="cms-link" href="` + href(from, "/emagazine/") + `" title="Emagazine">Emagazine</a></li>
                <li class="menu-item"><a class="cms-link" href="` + href(from, "/epaper/") + `" title="Báo in">Báo in</a></li>
                <li class="menu-item"><a class="cms-link" href="` + href(from, "/podcast/") + `" title="Podcast">Podcast</a></li>
            </ul>
        </nav>
    </div>
</header>
`)
}

func hatinhFooter(b *strings.Builder, from *Article) {
	b.WriteString(`<footer class="site-footer">
    <div class="container">
        <div class="footer__menu">
`)
	for _, c := range HatinhCategories {
		if c.Parent == "" {
			fmt.Fprintf(b, "            <a class=\"cms-link\" href=\"%s\">%s</a>\n", href(from, "/"+c.Slug+"/"), esc(c.Name))
		}
	}
	b.WriteString(`            <a class="cms-link" href="` + href(from, "/rss/home.rss") + `">RSS</a>
        </div>
        <div class="footer__info">
            <p><strong>BÁO HÀ TĨNH</strong> - Cơ quan của Đảng bộ Đảng Cộng sản Việt Nam tỉnh Hà Tĩnh</p>
            <p>Tổng Biên tập: Nguyễn Văn Mẫu</p>
            <p>Giấy phép số 48/GP-BVHTTDL cấp ngày 21/02/2029 (dữ liệu mẫu)</p>
            <p>Địa chỉ: Số 99 đường Ví Dụ, phường Thành Sen, tỉnh Hà Tĩnh</p>
            <p>Điện thoại: 0239.3000.001 - Fax: 0239.3000.002 - Đường dây nóng: 0912.000.003</p>
            <p>Email: toasoan@baohatinh.example</p>
            <p>Quảng cáo: 0239.3000.004 - Phát hành: 0239.3000.005</p>
            <p>© Bản quyền thuộc về Báo Hà Tĩnh. Cấm sao chép dưới mọi hình thức nếu không có sự chấp thuận bằng văn bản.</p>
        </div>
    </div>
</footer>
<script src="https://cdn.baohatinh.vn/assets/web/js/main.min-1.0.42.js" defer></script>
<script>document.addEventListener("DOMContentLoaded", function(){ if (typeof lazyLoadInstance === "undefined") { var imgs = document.querySelectorAll("img[data-src]"); for (var i = 0; i < imgs.length; i++) { imgs[i].src = imgs[i].getAttribute("data-src"); } } });</script>
</body>
</html>
`)
}

// HatinhStory renders one listing item (article.story) linking to a. cls adds
// a variant ("story--focus", "no-photo"); spaced starts the class attributes
// with a space, as the CMS sometimes does.
func HatinhStory(from *Article, a *Article, cls string, spaced bool, heading string) string {
	var b strings.Builder
	sp := ""
	if spaced {
		sp = " "
	}
	if heading == "" {
		heading = "h2"
	}
	u := href(from, a.Path())
	if from == nil && a.Absolute {
		u = a.URL()
	}
	fmt.Fprintf(&b, "<article class=\"%sstory %s\">\n", sp, cls)
	if !strings.Contains(cls, "no-photo") {
		fmt.Fprintf(&b, "    <figure class=\"story__thumb\">\n        <a class=\"%scms-link\" href=\"%s\" title=\"%s\">\n            <img class=\"lazyload\" src=\"%s\" data-src=\"%s\" alt=\"%s\">\n        </a>\n    </figure>\n",
			sp, esc(u), esc(a.Title), gif1x1, esc(a.ImageURL(0)), esc(a.Title))
	}
	icon := ""
	if a.Video {
		icon = "<i class=\"ic-video\"></i>"
	}
	fmt.Fprintf(&b, "    <%s class=\"story__heading\" data-tracking=\"%s\">\n        <a class=\"%scms-link\" href=\"%s\" title=\"%s\">%s%s</a>\n    </%s>\n",
		heading, a.ID, sp, esc(u), esc(a.Title), icon, esc(a.Title), heading)
	fmt.Fprintf(&b, "    <div class=\"story__meta\"><time class=\"time\" datetime=\"%s\" data-time=\"%d\">%s</time></div>\n",
		MetaTime(a.Published), a.Published.Unix(), Stamp(a.Published))
	if a.Lead != "" && !strings.Contains(cls, "no-sum") {
		fmt.Fprintf(&b, "    <div class=\"story__summary\">%s</div>\n", esc(a.Lead))
	}
	b.WriteString("</article>\n")
	return b.String()
}

func hatinhBreadcrumb(b *strings.Builder, a *Article) {
	c := findCategory(HatinhCategories, a.Category)
	b.WriteString("<div class=\"breadcrumbs\">\n")
	fmt.Fprintf(b, "    <a class=\"cms-link\" href=\"%s\" title=\"Trang chủ\">Trang chủ</a>\n", href(a, "/"))
	if c.Parent != "" {
		pc := findCategory(HatinhCategories, c.Parent)
		fmt.Fprintf(b, "    <a class=\"cms-link\" href=\"%s\" title=\"%s\">%s</a>\n", href(a, "/"+pc.Slug+"/"), esc(pc.Name), esc(pc.Name))
	}
	fmt.Fprintf(b, "    <a class=\"cms-link active\" href=\"%s\" title=\"%s\">%s</a>\n</div>\n", href(a, "/"+c.Slug+"/"), esc(a.CategoryName), esc(a.CategoryName))
}

func renderHatinhCurrent(a *Article, p *Page) []byte {
	var b strings.Builder
	canon := a.URL()
	crumbs := []map[string]any{{"@type": "ListItem", "position": 1, "item": map[string]any{"@id": "https://baohatinh.vn/", "name": "Trang chủ"}}}
	c := findCategory(HatinhCategories, a.Category)
	if c.Parent != "" {
		pc := findCategory(HatinhCategories, c.Parent)
		crumbs = append(crumbs, map[string]any{"@type": "ListItem", "position": len(crumbs) + 1, "item": map[string]any{"@id": "https://baohatinh.vn/" + pc.Slug + "/", "name": pc.Name}})
	}
	crumbs = append(crumbs, map[string]any{"@type": "ListItem", "position": len(crumbs) + 1, "item": map[string]any{"@id": "https://baohatinh.vn/" + a.Category + "/", "name": a.CategoryName}})
	authorName := a.Byline()
	if a.EmptyAuthor {
		authorName = ""
	}
	var extra strings.Builder
	fmt.Fprintf(&extra, "    <meta property=\"og:type\" content=\"article\">\n")
	fmt.Fprintf(&extra, "    <meta property=\"article:published_time\" content=\"%s\">\n", MetaTime(a.Published))
	fmt.Fprintf(&extra, "    <meta property=\"article:modified_time\" content=\"%s\">\n", MetaTime(a.Modified))
	fmt.Fprintf(&extra, "    <meta property=\"article:section\" content=\"%s\">\n", esc(a.CategoryName))
	fmt.Fprintf(&extra, "    <meta property=\"article:tag\" content=\"%s\">\n", esc(tagList(a.Tags, ",")))
	fmt.Fprintf(&extra, "    <meta name=\"keywords\" content=\"%s\">\n", esc(tagList(a.Tags, ", ")))
	fmt.Fprintf(&extra, "    <link rel=\"amphtml\" href=\"%s\">\n", esc(strings.TrimSuffix(canon, ".html")+".amp"))
	extra.WriteString(jsonLD(map[string]any{
		"@context": "https://schema.org", "@type": "Organization", "name": "Báo Hà Tĩnh", "url": "https://baohatinh.vn",
		"logo":   "https://cdn.baohatinh.vn/assets/web/styles/img/logo.png",
		"sameAs": []string{"https://www.facebook.com/baohatinh.vn", "https://www.youtube.com/@baohatinh"},
	}))
	extra.WriteString(jsonLD(map[string]any{
		"@context": "https://schema.org", "@type": "WebSite", "name": "Báo Hà Tĩnh", "url": "https://baohatinh.vn",
		"potentialAction": map[string]any{"@type": "SearchAction", "target": "https://baohatinh.vn/search?q={search_term_string}", "query-input": "required name=search_term_string"},
	}))
	extra.WriteString(jsonLD(map[string]any{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": crumbs}))
	extra.WriteString(jsonLD(map[string]any{
		"@context": "https://schema.org", "@type": "NewsArticle",
		"mainEntityOfPage": map[string]any{"@type": "WebPage", "@id": canon},
		"headline":         a.Title, "description": a.Lead,
		"image":         map[string]any{"@type": "ImageObject", "url": a.ImageURL(0), "width": 1200, "height": 630},
		"datePublished": ISOTime(a.Published), "dateModified": ISOTime(a.Modified),
		"author":    map[string]any{"@type": "Person", "name": authorName},
		"publisher": map[string]any{"@type": "Organization", "name": "Báo Hà Tĩnh", "logo": map[string]any{"@type": "ImageObject", "url": "https://cdn.baohatinh.vn/assets/web/styles/img/logo.png"}},
	}))
	hatinhHead(&b, a.Title, a.Lead, canon, a.ImageURL(0), extra.String())
	hatinhHeader(&b, a)
	b.WriteString("<main class=\"main\">\n<div class=\"container\">\n")
	hatinhBreadcrumb(&b, a)
	fmt.Fprintf(&b, `<div class="col-main">
<article class="article story" data-id="%s">
    <h1 class="article__title cms-title">%s</h1>
    <div class="article__meta">
        <time class="time" datetime="%s" data-time="%d">%s</time>
        <span class="views"><i class="ic-eye"></i> 1.%03d</span>
    </div>
    <div class="article__sapo cms-desc">%s</div>
    <div class="article__body zce-content-body cms-body" itemprop="articleBody">
`, a.ID, esc(a.Title), MetaTime(a.Published), a.Published.Unix(), Stamp(a.Published), hash64(a.ID)%1000, esc(a.Lead))
	img := 0
	paras := 0
	adsDone, relDone, iframeDone := false, false, false
	for i, bl := range a.Body {
		switch bl.Kind {
		case KindCaption:
			fmt.Fprintf(&b, `        <figure class="image align-center" contenteditable="false">
            <img src="%s" data-src="%s" alt="%s" title="%s" class="lazyload cms-photo" data-width="1200" data-height="800" width="1200" height="800">
            <figcaption>%s</figcaption>
        </figure>
`, gif1x1, esc(a.ImageURL(img)), esc(a.Title), esc(a.Title), esc(bl.Text))
			img++
		case KindSubheading:
			fmt.Fprintf(&b, "        <h3>%s</h3>\n", esc(bl.Text))
		default:
			fmt.Fprintf(&b, "        <p>%s</p>\n", esc(bl.Text))
			paras++
		}
		if paras == 2 && !adsDone {
			adsDone = true
			b.WriteString(`        <div class="ads_middle">
            <div id="adsWeb_AdsArticleMiddle" class="banner clearfix" data-platform="1" data-position="Web_AdsArticleMiddle">
                <script>window.addEventListener('load', function(){ if(typeof Web_AdsArticleMiddle != 'undefined'){ window.CreateAdsManager.show(Web_AdsArticleMiddle, 'adsWeb_AdsArticleMiddle'); } });</script>
                <p class="ads-label">Quảng cáo</p>
            </div>
        </div>
`)
		}
		if paras == 4 && !relDone && len(p.Related) > 0 {
			relDone = true
			b.WriteString("        <div class=\"related-news\">\n            <h3 class=\"box-heading\">Tin liên quan</h3>\n")
			for _, r := range p.Related {
				b.WriteString(indent(HatinhStory(a, r, "no-photo", false, "h3"), 12))
			}
			b.WriteString("        </div>\n")
		}
		if i == len(a.Body)/2 && !iframeDone && a.Video {
			iframeDone = true
			fmt.Fprintf(&b, "        <div class=\"video-embed\"><iframe src=\"https://www.youtube.com/embed/v%06d\" width=\"640\" height=\"360\" frameborder=\"0\" allowfullscreen>Trình duyệt không hỗ trợ video</iframe></div>\n", hash64(a.ID)%1000000)
		}
	}
	if !iframeDone {
		fmt.Fprintf(&b, "        <div class=\"embed-fb\"><iframe src=\"https://www.facebook.com/plugins/video.php?href=https%%3A%%2F%%2Fwww.facebook.com%%2Fbaohatinh.vn%%2Fvideos%%2F%d\" width=\"560\" height=\"314\" frameborder=\"0\">Video</iframe></div>\n", hash64("fb", a.ID)%1000000000)
	}
	b.WriteString("        <script>if (window.zce) { window.zce.init(); }</script>\n")
	if len(a.Authors) > 0 {
		fmt.Fprintf(&b, "        <p style=\"text-align:right\"><strong>%s</strong></p>\n", esc(a.Byline()))
	}
	b.WriteString("    </div>\n")
	// tags
	b.WriteString("    <div class=\"article__tag\">\n")
	for _, t := range a.Tags {
		fmt.Fprintf(&b, "        <a class=\"cms-tag\" href=\"%s\" title=\"%s\">%s</a>\n", href(a, TagURL(t)), esc(t), esc(t))
	}
	b.WriteString("    </div>\n")
	topic := p.Topic
	if topic == "" {
		topic = "Hà Tĩnh 24h"
	}
	fmt.Fprintf(&b, "    <div class=\"box-topic\">\n        <h3 class=\"box-heading\"><span>Chủ đề</span> <a class=\"cms-link\" href=\"%s\">%s</a></h3>\n", href(a, TagURL(topic)), esc(topic))
	for _, r := range p.ReadMore {
		if len(p.ReadMore) > 0 {
			b.WriteString(indent(HatinhStory(a, r, "story--focus no-sum", false, "h3"), 8))
			break
		}
	}
	b.WriteString("    </div>\n")
	b.WriteString(`    <div class="article__share">
        <span class="share-label">Chia sẻ</span>
        <a class="share-facebook" href="https://www.facebook.com/sharer/sharer.php?u=` + esc(canon) + `" rel="nofollow" target="_blank">Facebook</a>
        <a class="share-zalo" href="https://zalo.me/share?u=` + esc(canon) + `" rel="nofollow" target="_blank">Zalo</a>
        <a class="share-copy" href="javascript:void(0)" data-url="` + esc(canon) + `">Sao chép liên kết</a>
    </div>
</article>
`)
	b.WriteString("<section class=\"box-readmore\">\n    <h3 class=\"box-heading\">Đọc thêm</h3>\n")
	for _, r := range p.ReadMore {
		b.WriteString(indent(HatinhStory(a, r, "", false, "h2"), 4))
	}
	b.WriteString("</section>\n")
	fmt.Fprintf(&b, `<section class="box-comment">
    <h3 class="box-heading">Bình luận (%d)</h3>
    <form class="comment-form" action="/comment" method="post"><textarea name="body" placeholder="Ý kiến của bạn"></textarea><input type="text" name="name" placeholder="Họ tên"><button type="submit">Gửi bình luận</button></form>
    <p class="comment-note">Ý kiến của bạn sẽ được biên tập trước khi đăng. Vui lòng gõ tiếng Việt có dấu</p>
</section>
</div>
<aside class="col-sidebar">
    <section class="box-latest">
        <h3 class="box-heading"><a class="cms-link" href="%s">Tin mới</a></h3>
`, p.Comments, href(a, "/tin-moi.html"))
	for i, r := range p.Latest {
		b.WriteString(indent(HatinhStory(a, r, "", i%2 == 1, "h2"), 8))
	}
	b.WriteString("    </section>\n    <div id=\"adsWeb_AdsSidebarTop\" class=\"banner\"><script>window.CreateAdsManager && window.CreateAdsManager.show('Web_AdsSidebarTop');</script></div>\n</aside>\n</div>\n</main>\n")
	hatinhFooter(&b, a)
	return []byte(b.String())
}

func indent(s string, n int) string {
	pad := strings.Repeat(" ", n)
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l != "" && l != "\n" {
			b.WriteString(pad)
		}
		b.WriteString(l)
	}
	return b.String()
}

// renderHatinhLegacy renders the older Báo Hà Tĩnh template (seed 003): no
// JSON-LD, few metas, a visible "Cập nhật: HH:MM dd/mm/yyyy" line, the byline
// twice at the end and a comment widget that leaks its unrendered template.
func renderHatinhLegacy(a *Article, p *Page) []byte {
	var b strings.Builder
	charset := "utf-8"
	if a.Charset != "" {
		charset = a.Charset
	}
	fmt.Fprintf(&b, `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" lang="vi">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=%s" />
<title>%s - Báo Hà Tĩnh điện tử</title>
<meta name="description" content="%s" />
<meta name="keywords" content="%s" />
<meta property="og:title" content="%s" />
<meta property="og:description" content="%s" />
<meta property="og:image" content="%s" />
<meta property="og:url" content="%s" />
<link rel="stylesheet" type="text/css" href="/Content/css/style.css?v=2019" />
<script type="text/javascript" src="/Scripts/jquery-1.8.2.min.js"></script>
<script type="text/javascript">var _gaq = _gaq || []; _gaq.push(['_setAccount', 'UA-2311870-1']); _gaq.push(['_trackPageview']);</script>
</head>
<body>
<div id="wrapper">
<div id="header"><a href="%s"><img src="/Content/images/logo-baohatinh.png" alt="Báo Hà Tĩnh điện tử" /></a>
<div class="top-date">Cổng thông tin điện tử Báo Hà Tĩnh</div></div>
<div id="menu"><ul>
<li><a href="%s">Trang chủ</a></li>
`, charset, esc(a.Title), esc(a.Lead), esc(tagList(a.Tags, ", ")), esc(a.Title), esc(a.Lead), esc(a.ImageURL(0)), esc(a.URL()), href(a, "/"), href(a, "/"))
	for _, c := range HatinhCategories {
		if c.Parent == "" {
			fmt.Fprintf(&b, "<li><a href=\"%s\">%s</a></li>\n", href(a, "/"+c.Slug+"/"), esc(c.Name))
		}
	}
	b.WriteString("</ul></div>\n<div id=\"content\">\n")
	hatinhBreadcrumb(&b, a)
	fmt.Fprintf(&b, `<div class="detail-news">
<h1 class="title-detail">%s</h1>
<div class="time-detail">Cập nhật:&nbsp;%s</div>
<h2 class="sapo-detail">%s</h2>
<div class="content-detail" id="content-detail">
`, esc(a.Title), a.Published.In(Vietnam).Format("15:04 02/01/2006"), esc(a.Lead))
	img := 0
	for _, bl := range a.Body {
		switch bl.Kind {
		case KindCaption:
			fmt.Fprintf(&b, `<table class="image center" align="center"><tbody><tr><td><img src="%s" alt="%s" width="640" /></td></tr><tr><td class="image_desc">%s</td></tr></tbody></table>
`, esc(a.ImageURL(img)), esc(a.Title), esc(bl.Text))
			img++
		case KindSubheading:
			fmt.Fprintf(&b, "<p><strong>%s</strong></p>\n", esc(bl.Text))
		default:
			fmt.Fprintf(&b, "<p style=\"text-align: justify;\">%s</p>\n", esc(bl.Text))
		}
	}
	if len(a.Authors) > 0 {
		fmt.Fprintf(&b, "<p style=\"text-align: right;\"><strong>%s</strong></p>\n", esc(a.Byline()))
	}
	b.WriteString("</div>\n")
	if len(a.Authors) > 0 {
		fmt.Fprintf(&b, "<div class=\"author-detail\" style=\"text-align: right;\">%s</div>\n", esc(a.Byline()))
	}
	b.WriteString(`<div class="comment-box">
<div id="comment-template" class="comment-item">
<div class="comment-head"> {name} - {time}</div>
<a class="reply" href="javascript:;"> Trả lời</a>
<div class="comment-body">{body}</div>
<div class="comment-reply"> {name}- {time}
<div class="comment-body">{body}</div></div>
</div>
<div class="comment-count">0 bình luận</div>
<div class="comment-form"><textarea id="txtComment"></textarea>
<p class="note">Ý kiến của bạn sẽ được biên tập trước khi đăng. Vui lòng gõ tiếng Việt có dấu</p>
<input type="button" value="Gửi" /></div>
</div>
<div class="other-news">
<div class="title-box">Các tin đã đưa</div>
<ul>
`)
	older := p.Related
	if len(older) == 0 {
		older = p.ReadMore
	}
	for _, r := range older {
		fmt.Fprintf(&b, "<li><a href=\"%s\">%s</a> <span>(%s)</span></li>\n", esc(href(a, r.Path())), esc(r.Title), r.Published.In(Vietnam).Format("02/01/2006"))
	}
	b.WriteString(`</ul>
</div>
</div>
</div>
<div id="share-popup" class="popup"><p>Hãy chia sẻ với bạn bè!</p><a href="javascript:;" class="close">Tắt [X]</a></div>
<div id="footer">
<p>BÁO HÀ TĨNH - Cơ quan của Đảng bộ Đảng Cộng sản Việt Nam tỉnh Hà Tĩnh</p>
<p>Địa chỉ: Số 99 đường Ví Dụ, thành phố Hà Tĩnh - Điện thoại: 0239.3000.001 - Fax: 0239.3000.002</p>
</div>
</div>
<script type="text/javascript">(function() { var ga = document.createElement('script'); ga.type = 'text/javascript'; ga.async = true; ga.src = 'https://ssl.google-analytics.com/ga.js'; var s = document.getElementsByTagName('script')[0]; s.parentNode.insertBefore(ga, s); })();</script>
</body>
</html>
`)
	return []byte(b.String())
}
