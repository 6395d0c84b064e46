package sitegen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"strings"
	"time"
)

// Page holds what an article page shows besides the article: boxes of other
// articles (with their own dates, figures and summaries).
type Page struct {
	Related  []*Article // Hà Tĩnh current: .related-news box inside the body
	ReadMore []*Article // "Đọc thêm" (Hà Tĩnh), "Tin cùng chuyên mục" (generic)
	Latest   []*Article // "Tin mới"
	Topic    string     // Hà Tĩnh topic box: "Chủ đề <Topic>"
	Comments int        // Hà Tĩnh current: number of comments shown
}

// Render renders the article page in its template, as UTF-8 (Encode converts
// a page whose Charset is windows-1258).
func Render(a *Article, p *Page) []byte {
	if p == nil {
		p = &Page{}
	}
	switch a.Template {
	case TemplateHatinhCurrent:
		return renderHatinhCurrent(a, p)
	case TemplateHatinhLegacy:
		return renderHatinhLegacy(a, p)
	case TemplateSonla:
		return renderSonla(a, p)
	default:
		return renderGeneric(a, p)
	}
}

var esc = html.EscapeString

// href returns how page article from links to target: absolute real-origin
// URL or a root-relative path.
func href(from *Article, target string) string {
	if from != nil && from.Absolute && strings.HasPrefix(target, "/") {
		return Origin(from.Site) + target
	}
	return target
}

const gif1x1 = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"

// Stamp formats a time as the pages show it: dd/mm/yyyy HH:MM.
func Stamp(t time.Time) string { return t.In(Vietnam).Format("02/01/2006 15:04") }

// MetaTime formats a time as Hà Tĩnh's meta tags do: no colon in the offset.
func MetaTime(t time.Time) string { return t.In(Vietnam).Format("2006-01-02T15:04:05-0700") }

// ISOTime formats a time as RFC 3339 with +07:00.
func ISOTime(t time.Time) string { return t.In(Vietnam).Format(time.RFC3339) }

func jsonLD(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "    ")
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return "<script type=\"application/ld+json\">\n" + strings.TrimSpace(buf.String()) + "\n</script>\n"
}

func tagList(tags []string, sep string) string {
	var b strings.Builder
	for _, t := range tags {
		b.WriteString(t)
		b.WriteString(sep)
	}
	return strings.TrimSpace(b.String())
}

// Category is one section of a site.
type Category struct {
	Slug, Name string
	Parent     string // parent slug for a sub-category
}

// HatinhCategories are Báo Hà Tĩnh's sections used by the fixtures.
var HatinhCategories = []Category{
	{"chinh-tri", "Chính trị", ""},
	{"kinh-te", "Kinh tế", ""},
	{"kinh-te/nong-nghiep", "Nông nghiệp", "kinh-te"},
	{"xa-hoi", "Xã hội", ""},
	{"xa-hoi/giao-duc", "Giáo dục", "xa-hoi"},
	{"van-hoa-giai-tri", "Văn hóa - Giải trí", ""},
	{"phap-luat", "Pháp luật", ""},
	{"the-thao", "Thể thao", ""},
	{"the-gioi", "Thế giới", ""},
	{"ve-ha-tinh", "Về Hà Tĩnh", ""},
	{"doi-song", "Đời sống", ""},
	{"cong-nghe", "Công nghệ", ""},
}

// SonlaCategories are Báo Sơn La's sections used by the fixtures.
var SonlaCategories = []Category{
	{"thoi-su-chinh-tri", "Thời sự - Chính trị", ""},
	{"xay-dung-dang", "Xây dựng Đảng", ""},
	{"kinh-te", "Kinh tế", ""},
	{"nong-nghiep", "Nông nghiệp", ""},
	{"van-hoa-xa-hoi", "Văn hóa - Xã hội", ""},
	{"xa-hoi", "Xã hội", ""},
	{"quoc-phong-an-ninh", "Quốc phòng - An ninh", ""},
	{"phap-luat", "Pháp luật", ""},
	{"doi-ngoai", "Đối ngoại", ""},
	{"du-lich", "Du lịch", ""},
}

// GenericCategories are the generic paper's sections.
var GenericCategories = []Category{
	{"thoi-su", "Thời sự", ""},
	{"kinh-te", "Kinh tế", ""},
	{"van-hoa", "Văn hóa", ""},
	{"xa-hoi", "Xã hội", ""},
}

func findCategory(cats []Category, slug string) Category {
	for _, c := range cats {
		if c.Slug == slug {
			return c
		}
	}
	return Category{Slug: slug, Name: slug}
}

// TagURL is the path of a Hà Tĩnh tag page.
func TagURL(tag string) string {
	return fmt.Sprintf("/%s-tag%d.html", Slugify(tag), 100000+hash64("tag", tag)%900000)
}
