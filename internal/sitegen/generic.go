package sitegen

import (
	"fmt"
	"strings"
)

// GenericName is the generic paper's name; its origin is https://baovidu.vn.
const GenericName = "Báo Ví Dụ"

func genericHead(b *strings.Builder, title, desc, canonical, image, extra string) {
	fmt.Fprintf(b, `<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s &#8211; %s</title>
<meta name="description" content="%s">
<link rel="canonical" href="%s">
<meta property="og:locale" content="vi_VN">
<meta property="og:site_name" content="%s">
<meta property="og:title" content="%s">
<meta property="og:description" content="%s">
<meta property="og:url" content="%s">
<meta property="og:image" content="%s">
%s<link rel="alternate" type="application/rss+xml" title="%s &raquo; Feed" href="https://baovidu.vn/feed.rss">
<link rel="stylesheet" id="newspaper-style-css" href="https://baovidu.vn/wp-content/themes/newspaper/style.css?ver=6.4.2" media="all">
<script src="https://baovidu.vn/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>
<meta name="generator" content="WordPress 6.4.2">
</head>
`, esc(title), GenericName, esc(desc), esc(canonical), GenericName, esc(title), esc(desc), esc(canonical), esc(image), extra, GenericName)
}

func genericHeader(b *strings.Builder, from *Article) {
	b.WriteString(`<body class="wp-singular post-template-default single single-post">
<a class="skip-link screen-reader-text" href="#content">Skip to main content</a>
<div id="page" class="site">
<header id="masthead" class="site-header">
<p class="site-title"><a href="` + href(from, "/") + `" rel="home">` + GenericName + `</a></p>
<p class="site-description">Cơ quan của Đảng bộ tỉnh Ví Dụ (trang mẫu)</p>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
<li class="menu-item"><a href="` + href(from, "/") + `">Trang chủ</a></li>
`)
	for _, c := range GenericCategories {
		fmt.Fprintf(b, "<li class=\"menu-item\"><a href=\"%s\">%s</a></li>\n", href(from, "/category/"+c.Slug+"/"), esc(c.Name))
	}
	b.WriteString("</ul></nav>\n</header>\n")
}

func genericFooter(b *strings.Builder) {
	b.WriteString(`<footer id="colophon" class="site-footer">
<div class="site-info">
<p>` + GenericName + ` - Địa chỉ: Số 99 đường Mẫu, tỉnh Ví Dụ. Điện thoại: 0200.3000.001</p>
<p>Giấy phép số 00/GP-MẪU. Ghi rõ nguồn khi phát hành lại.</p>
</div>
</footer>
</div>
<script src="https://baovidu.vn/wp-content/themes/newspaper/js/navigation.js?ver=1.0" id="navigation-js"></script>
</body>
</html>
`)
}

func renderGeneric(a *Article, p *Page) []byte {
	var b strings.Builder
	var extra strings.Builder
	fmt.Fprintf(&extra, "<meta property=\"og:type\" content=\"article\">\n<meta property=\"article:published_time\" content=\"%s\">\n<meta property=\"article:modified_time\" content=\"%s\">\n<link rel=\"shortlink\" href=\"https://baovidu.vn/?p=%s\">\n",
		ISOTime(a.Published), ISOTime(a.Modified), a.ID)
	genericHead(&b, a.Title, a.Lead, a.URL(), a.ImageURL(0), extra.String())
	genericHeader(&b, a)
	cat := findCategory(GenericCategories, a.Category)
	fmt.Fprintf(&b, `<div id="content" class="site-content">
<main id="main" class="site-main">
<article id="post-%s" class="post-%s post type-post status-publish format-standard has-post-thumbnail hentry category-%s">
<header class="entry-header">
<span class="cat-links"><a href="%s" rel="category tag">%s</a></span>
<h1 class="entry-title">%s</h1>
<div class="entry-meta">
<span class="posted-on"><a href="%s" rel="bookmark"><time class="entry-date published" datetime="%s">%s</time><time class="updated" datetime="%s">%s</time></a></span>
<span class="byline"> bởi <span class="author vcard"><a class="url fn n" href="%s">%s</a></span></span>
</div>
</header>
<div class="post-thumbnail"><img width="1024" height="683" src="%s" class="attachment-post-thumbnail wp-post-image" alt="" decoding="async"></div>
<div class="entry-content">
<p class="sapo"><strong>%s</strong></p>
`, a.ID, a.ID, cat.Slug, href(a, "/category/"+cat.Slug+"/"), esc(a.CategoryName), esc(a.Title),
		href(a, a.Path()), ISOTime(a.Published), a.Published.In(Vietnam).Format("02/01/2006"), ISOTime(a.Modified), a.Modified.In(Vietnam).Format("02/01/2006"),
		href(a, "/author/"+Slugify(a.Byline())+"/"), esc(a.Byline()), esc(a.ImageURL(0)), esc(a.Lead))
	img := 1
	for _, bl := range a.Body {
		switch bl.Kind {
		case KindCaption:
			fmt.Fprintf(&b, "<figure class=\"wp-block-image size-large\"><img decoding=\"async\" src=\"%s\" alt=\"\"><figcaption class=\"wp-element-caption\">%s</figcaption></figure>\n", esc(a.ImageURL(img)), esc(bl.Text))
			img++
		case KindSubheading:
			fmt.Fprintf(&b, "<h2 class=\"wp-block-heading\">%s</h2>\n", esc(bl.Text))
		default:
			fmt.Fprintf(&b, "<p>%s</p>\n", esc(bl.Text))
		}
	}
	if len(a.Authors) > 0 {
		fmt.Fprintf(&b, "<p class=\"has-text-align-right\"><strong>%s</strong></p>\n", esc(a.Byline()))
	}
	b.WriteString("</div>\n")
	b.WriteString("<footer class=\"entry-footer\"><span class=\"tags-links\">Thẻ: ")
	for i, t := range a.Tags {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "<a href=\"%s\" rel=\"tag\">%s</a>", href(a, "/tag/"+Slugify(t)+"/"), esc(t))
	}
	b.WriteString("</span></footer>\n</article>\n")
	b.WriteString("<section class=\"related-posts\">\n<h2 class=\"widget-title\">Tin cùng chuyên mục</h2>\n<ul>\n")
	for _, r := range p.ReadMore {
		fmt.Fprintf(&b, "<li><a href=\"%s\">%s</a> (%s)</li>\n", esc(href(a, r.Path())), esc(r.Title), r.Published.In(Vietnam).Format("02/01/2006"))
	}
	b.WriteString(`</ul>
</section>
<div id="comments" class="comments-area">
<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>
<form action="https://baovidu.vn/wp-comments-post.php" method="post" id="commentform" class="comment-form"><p class="comment-notes">Email của bạn sẽ không được hiển thị công khai.</p><textarea id="comment" name="comment"></textarea><input name="submit" type="submit" id="submit" class="submit" value="Gửi bình luận"></form>
</div>
</div>
</main>
</div>
`)
	genericFooter(&b)
	return []byte(b.String())
}
