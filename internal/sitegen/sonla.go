package sitegen

import (
	"fmt"
	"net/url"
	"strings"
)

func sonlaHead(b *strings.Builder, title, desc, canonical, image, extra string) {
	fmt.Fprintf(b, `<!DOCTYPE html>
<html lang="vi">
<head>
    <meta charset="UTF-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>%s</title>
    <meta name="description" content="%s">
    <link rel="canonical" href="%s">
    <link rel="icon" href="https://baosonla.vn/themes/default/images/favicon.png">
    <meta property="og:site_name" content="Báo Sơn La điện tử">
    <meta property="og:title" content="%s">
    <meta property="og:description" content="%s">
    <meta property="og:url" content="%s">
    <meta property="og:image" content="%s">
%s    <link rel="stylesheet" href="https://baosonla.vn/themes/default/css/bootstrap.min.css">
    <link rel="stylesheet" href="https://baosonla.vn/themes/default/css/style.css?v=1.2.7">
    <script src="https://baosonla.vn/themes/default/js/jquery-3.6.0.min.js"></script>
    <script>var BASE_URL = "https://baosonla.vn/"; var TTS_ENABLE = 1;</script>
</head>
`, esc(title), esc(desc), esc(canonical), esc(title), esc(desc), esc(canonical), esc(image), extra)
}

func sonlaHeader(b *strings.Builder, from *Article) {
	b.WriteString(`<body>
<header id="header">
    <div class="top-bar container d-flex justify-content-between">
        <span class="top-date">Báo Sơn La điện tử - Tin tức cập nhật trong ngày</span>
        <a class="btn-search" href="` + href(from, "/tim-kiem.html") + `">Tìm kiếm</a>
    </div>
    <div class="logo container"><a href="` + href(from, "/") + `" title="Báo Sơn La"><img src="https://media.baosonla.org.vn/public/images/logo-baosonla.png" alt="Báo Sơn La"></a></div>
    <nav class="main-nav">
        <ul class="nav container">
            <li class="nav-item"><a class="nav-link" href="` + href(from, "/") + `">Trang chủ</a></li>
`)
	for _, c := range SonlaCategories {
		fmt.Fprintf(b, "            <li class=\"nav-item\"><a class=\"nav-link\" href=\"%s\">%s</a></li>\n", href(from, "/"+c.Slug+".html"), esc(c.Name))
	}
	b.WriteString(`            <li class="nav-item"><a class="nav-link" href="` + href(from, "/emagazine.html") + `">E-magazine</a></li>
            <li class="nav-item"><a class="nav-link" href="` + href(from, "/video.html") + `">Video</a></li>
            <li class="nav-item"><a class="nav-link" href="` + href(from, "/bao-in.html") + `">Báo in</a></li>
            <li class="nav-item"><a class="nav-link" href="` + href(from, "/thong-tin-quang-cao.html") + `">Thông tin quảng cáo</a></li>
        </ul>
    </nav>
</header>
`)
}

func sonlaFooter(b *strings.Builder) {
	b.WriteString(`<footer id="footer">
    <div class="container">
        <p class="footer-title">BÁO SƠN LA ĐIỆN TỬ</p>
        <p>Cơ quan của Đảng bộ Đảng Cộng sản Việt Nam tỉnh Sơn La</p>
        <p>Tổng Biên tập: Lò Văn Mẫu</p>
        <p>Giấy phép hoạt động báo điện tử số 99/GP-BVHTTDL (dữ liệu mẫu)</p>
        <p>Địa chỉ: Số 99 đường Ví Dụ, phường Tô Hiệu, tỉnh Sơn La</p>
        <p>Điện thoại: 0212.3000.001 - Fax: 0212.3000.002</p>
        <p>Email: toasoan@baosonla.example</p>
        <p>Ghi rõ nguồn "Báo Sơn La điện tử" khi phát hành lại thông tin từ website này.</p>
    </div>
</footer>
<script src="https://baosonla.vn/themes/default/js/bootstrap.bundle.min.js"></script>
<script src="https://baosonla.vn/themes/default/js/main.js?v=1.2.7"></script>
</body>
</html>
`)
}

// SonlaItem renders one Sơn La listing item linking to a under url.
func SonlaItem(a *Article, url string, withSummary bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<div class="news-item d-flex">
    <a class="cms-link thumb" href="%s" title="%s"><img src="%s" alt="%s" loading="lazy"></a>
    <div class="news-info">
        <h3 class="title-news"><a class="cms-link" href="%s" title="%s">%s</a></h3>
        <div class="meta-news"><a class="cate" href="/%s.html">%s</a> - <span class="time">%s</span></div>
`, esc(url), esc(a.Title), esc(a.ImageURL(0)), esc(a.Title), esc(url), esc(a.Title), esc(a.Title), a.Category, esc(a.CategoryName), Stamp(a.Published))
	if withSummary {
		fmt.Fprintf(&b, "        <p class=\"sapo\">%s</p>\n", esc(a.Lead))
	}
	b.WriteString("    </div>\n</div>\n")
	return b.String()
}

func renderSonla(a *Article, p *Page) []byte {
	var b strings.Builder
	var extra strings.Builder
	extra.WriteString("    <meta property=\"og:type\" content=\"article\">\n")
	fmt.Fprintf(&extra, "    <meta name=\"keywords\" content=\"%s\">\n", esc(strings.Join(a.Tags, ", ")))
	if !a.NoJSONLD {
		extra.WriteString(jsonLD(map[string]any{
			"@context": "https://schema.org", "@type": "NewsArticle",
			"mainEntityOfPage": map[string]any{"@type": "WebPage", "@id": a.URL()},
			"headline":         a.Title, "description": a.Lead,
			"image":         []string{a.ImageURL(0)},
			"datePublished": ISOTime(a.Published), "dateModified": ISOTime(a.Modified),
			"author":    []map[string]any{{"@type": "Person", "name": a.Byline()}},
			"publisher": map[string]any{"@type": "Organization", "name": "Báo Sơn La", "logo": map[string]any{"@type": "ImageObject", "url": "https://media.baosonla.org.vn/public/images/logo-baosonla.png"}},
		}))
	}
	sonlaHead(&b, a.Title, a.Lead, a.URL(), a.ImageURL(0), extra.String())
	sonlaHeader(&b, a)
	fmt.Fprintf(&b, `<main class="container detail-page">
<div class="row">
<div class="col-lg-8">
    <ul class="breadcrumb">
        <li class="breadcrumb-item"><a href="%s">Trang chủ</a></li>
        <li class="breadcrumb-item"><a class="active" href="%s">%s</a></li>
    </ul>
    <h1 class="title-detail">%s</h1>
    <div class="date-detail d-flex"><span class="time"><i class="far fa-clock"></i> %s</span></div>
    <div class="audio-article">
        <div class="select-accent-wrap">
            <select class="select-accent" name="accent"><option value="female" selected>Giọng nữ</option><option value="male">Giọng nam</option></select>
        </div>
        <audio controls preload="none" src="https://media.baosonla.org.vn/public/audio/%s.mp3">Trình duyệt không hỗ trợ audio.</audio>
    </div>
    <div class="fulltext">
        <p class="font-bold">%s</p>
`, href(a, "/"), href(a, "/"+a.Category+".html"), esc(a.CategoryName), esc(a.Title), Stamp(a.Published), a.ID, esc(a.Lead))
	ind := "        "
	if !a.NoEditor {
		b.WriteString("        <div id=\"editor-detail\">\n")
		ind = "            "
	}
	img := 0
	for _, bl := range a.Body {
		switch bl.Kind {
		case KindCaption:
			fmt.Fprintf(&b, "%s<figure class=\"image\"><img src=\"%s\" alt=\"%s\"><figcaption>%s</figcaption></figure>\n", ind, esc(a.ImageURL(img)), esc(a.Title), esc(bl.Text))
			img++
		case KindSubheading:
			fmt.Fprintf(&b, "%s<h3>%s</h3>\n", ind, esc(bl.Text))
		default:
			fmt.Fprintf(&b, "%s<p style=\"text-align: justify;\">%s</p>\n", ind, esc(bl.Text))
		}
	}
	if len(a.Authors) > 0 {
		fmt.Fprintf(&b, "%s<p class=\"text-end\"><strong>%s</strong></p>\n", ind, esc(a.Byline()))
	}
	if !a.NoEditor {
		b.WriteString("        </div>\n")
	}
	b.WriteString(`    </div>
    <div class="tags-detail"><span class="tags-label">Từ khóa:</span>` + sonlaTags(a) + `</div>
    <div class="share-detail"><a href="https://www.facebook.com/sharer/sharer.php?u=` + esc(a.URL()) + `" rel="nofollow">Chia sẻ</a></div>
    <div class="comment-detail">
        <h3 class="title-box">BÌNH LUẬN</h3>
        <form class="form-comment"><textarea maxlength="500" placeholder="Nội dung bình luận"></textarea>
        <p class="count-char">Bạn còn <span>500</span>/500 ký tự</p>
        <p class="error-comment d-none">Bạn vui lòng nhập từ 5 ký tự trở lên !!!</p>
        <input type="text" placeholder="Họ và tên"><input type="email" placeholder="Email"><button type="button">Gửi bình luận</button></form>
    </div>
</div>
<div class="col-lg-4">
    <div class="box-latest">
        <h3 class="title-box">Tin mới</h3>
`)
	for _, r := range p.Latest {
		b.WriteString(indent(SonlaItem(r, href(a, r.Path()), true), 8))
	}
	b.WriteString("    </div>\n</div>\n</div>\n</main>\n")
	sonlaFooter(&b)
	return []byte(b.String())
}

// sonlaTags renders the tag links; they go to the search page, which
// robots.txt disallows.
func sonlaTags(a *Article) string {
	var b strings.Builder
	for _, t := range a.Tags {
		fmt.Fprintf(&b, " <a class=\"tag-item\" href=\"%s\" rel=\"tag\">%s</a>", esc(href(a, "/tim-kiem.html?keyword="+url.QueryEscape(t))), esc(t))
	}
	return b.String()
}
