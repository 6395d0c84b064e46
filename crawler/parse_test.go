package crawler

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/baotinh/baotinh/extract"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/golden/parse")

// fixtureArticle is one article of the fixture sites' answer key
// (testdata/sites/expected.json).
type fixtureArticle struct {
	Site      string   `json:"site"`
	ID        string   `json:"id"`
	URL       string   `json:"url"`
	File      string   `json:"file"`
	Template  string   `json:"template"`
	Charset   string   `json:"charset"`
	Title     string   `json:"title"`
	Lead      string   `json:"lead"`
	Body      []fBlock `json:"body"`
	Authors   []string `json:"authors"`
	Published string   `json:"published"`
	Modified  string   `json:"modified"`
	Category  string   `json:"category"`
	Tags      []string `json:"tags"`
	Seed      string   `json:"seed"`
	AltURLs   []string `json:"alt_urls"`
	Routes    []string `json:"routes"`
}

type fBlock struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
}

const sitesDir = "../testdata/sites"

func loadFixtures(t testing.TB) []fixtureArticle {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sitesDir, "expected.json"))
	if err != nil {
		t.Fatalf("fixture sites: %v (regenerate with go run ./internal/sitegen/cmd/gensites)", err)
	}
	var key struct {
		Articles []fixtureArticle `json:"articles"`
	}
	if err := json.Unmarshal(data, &key); err != nil {
		t.Fatalf("expected.json: %v", err)
	}
	if len(key.Articles) == 0 {
		t.Fatal("expected.json lists no articles")
	}
	return key.Articles
}

// fixtureProfile returns the profile a fixture site is parsed with.
func fixtureProfile(t testing.TB, site string) *Profile {
	t.Helper()
	for _, p := range Profiles() {
		if p.Name == site {
			return p
		}
	}
	p, err := GenericProfile("https://baovidu.vn")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// parseFixture parses a fixture page as the crawler would receive it: the
// fixture server sends a charset only for UTF-8 pages.
func parseFixture(t testing.TB, fa fixtureArticle) (*Page, []byte) {
	t.Helper()
	body, err := os.ReadFile(filepath.Join(sitesDir, fa.File))
	if err != nil {
		t.Fatal(err)
	}
	ct := "text/html; charset=utf-8"
	if fa.Charset != "" && fa.Charset != "utf-8" {
		ct = "text/html"
	}
	u, err := url.Parse(fa.URL)
	if err != nil {
		t.Fatal(err)
	}
	page, err := ParseArticle(body, ct, u, fixtureProfile(t, fa.Site))
	if err != nil {
		t.Fatalf("%s: %v", fa.File, err)
	}
	return page, body
}

// blocksOf returns the blocks of an article of the given kinds.
func blocksOf(a *extract.Article, kinds ...extract.BlockKind) []fBlock {
	var out []fBlock
	for _, b := range a.Blocks {
		if slices.Contains(kinds, b.Kind) {
			out = append(out, fBlock{string(b.Kind), a.BlockText(b)})
		}
	}
	return out
}

func timeString(t time.Time, dateOnly bool) string {
	if t.IsZero() {
		return ""
	}
	if dateOnly {
		return t.In(extract.Vietnam).Format("2006-01-02")
	}
	return t.In(extract.Vietnam).Format(time.RFC3339)
}

// showsModified tells which templates show a modification time at all
// (the older Hà Tĩnh template shows none; Sơn La only in its JSON-LD).
func showsModified(fa fixtureArticle, body []byte) bool {
	return bytes.Contains(body, []byte("dateModified")) || bytes.Contains(body, []byte("article:modified_time"))
}

// TestParseFixtures parses every article of the fixture sites and compares
// each field with the answer key.
func TestParseFixtures(t *testing.T) {
	for _, fa := range loadFixtures(t) {
		t.Run(fa.Template+"/"+fa.ID, func(t *testing.T) {
			page, body := parseFixture(t, fa)
			a := page.Article
			check := func(field string, got, want any) {
				t.Helper()
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s (layer %q):\n got  %q\n want %q", field, page.Layers[field], got, want)
				}
			}
			if !page.IsArticle {
				t.Errorf("IsArticle = false")
			}
			site := fa.Site
			if site == "generic" {
				site = "baovidu"
			}
			check("site", a.Site, site)
			check("id", a.SiteID, fa.ID)
			check("canonical", a.URL, fa.URL)
			check("charset", page.Charset, fa.Charset)
			check("title", a.Title(), extract.NormalizeString(fa.Title))
			var lead string
			if l := blocksOf(a, extract.BlockLead); len(l) == 1 {
				lead = l[0].Text
			}
			check("lead", lead, fa.Lead)
			got := blocksOf(a, extract.BlockParagraph, extract.BlockCaption)
			var want []fBlock
			for _, b := range fa.Body {
				if b.Kind == "subheading" {
					b.Kind = "paragraph"
				}
				want = append(want, b)
			}
			if !slices.Equal(got, want) {
				t.Errorf("body (layer %q): %s", page.Layers["body"], blockDiff(got, want))
			}
			check("authors", a.Authors, fa.Authors)
			if len(fa.Authors) > 0 {
				if by := blocksOf(a, extract.BlockByline); len(by) != 1 {
					t.Errorf("byline blocks: got %q, want one", by)
				}
			}
			check("published", timeString(a.Published, a.PublishedDateOnly), fa.Published)
			if showsModified(fa, body) {
				check("modified", timeString(a.Modified, false), fa.Modified)
			} else if !a.Modified.IsZero() {
				t.Errorf("modified = %v on a page that shows none", a.Modified)
			}
			check("category", a.Category, fa.Category)
			if len(fa.Tags) == 0 {
				fa.Tags = nil
			}
			check("tags", a.Tags, fa.Tags)
			checkNoChrome(t, a, fa, body)

			// The same article reached at another URL (an AMP copy, a shared
			// link with a query, the old domain) has the same identity.
			for _, alt := range fa.AltURLs {
				u, _ := url.Parse(alt)
				file := filepath.Join(sitesDir, filepath.Dir(fa.File[:strings.Index(fa.File, "/")+1]), strings.TrimPrefix(u.Path, "/"))
				if strings.HasSuffix(u.Path, "/") {
					file = filepath.Join(file, "index.html")
				}
				altBody, err := os.ReadFile(file)
				if err != nil {
					t.Errorf("%s: %v", alt, err)
					continue
				}
				altPage, err := ParseArticle(altBody, "", u, fixtureProfile(t, fa.Site))
				if err != nil {
					t.Errorf("%s: %v", alt, err)
					continue
				}
				b := altPage.Article
				if b.URL != fa.URL || b.SiteID != fa.ID || b.Title() != a.Title() || !altPage.IsArticle ||
					!slices.Equal(blocksOf(b, extract.BlockParagraph, extract.BlockCaption), got) {
					t.Errorf("%s: canonical %q, id %q, title %q, %d body blocks; want those of %s",
						alt, b.URL, b.SiteID, b.Title(), len(blocksOf(b, extract.BlockParagraph, extract.BlockCaption)), fa.URL)
				}
			}
		})
	}
}

// blockDiff describes the first difference of two block lists.
func blockDiff(got, want []fBlock) string {
	for i := 0; i < len(got) || i < len(want); i++ {
		var g, w fBlock
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			return fmt.Sprintf("%d blocks, want %d; block %d:\n got  %s %q\n want %s %q", len(got), len(want), i, g.Kind, g.Text, w.Kind, w.Text)
		}
	}
	return ""
}

// chrome is text of the page around the article that must never reach the
// article's text.
var chrome = []string{
	"{name}", "{time}", "{body}", "Trả lời", "0 bình luận", "Ý kiến của bạn sẽ được biên tập", "Các tin đã đưa",
	"Hãy chia sẻ với bạn bè", "Tắt [X]", "Giọng nữ", "Giọng nam", "BÌNH LUẬN", "Bình luận", "Bạn còn 500/500 ký tự",
	"Bạn vui lòng nhập từ 5 ký tự", "Tin mới", "Đọc thêm", "Tin liên quan", "Quảng cáo", "Chủ đề", "Chia sẻ",
	"Trình duyệt không hỗ trợ", "Leave a Reply", "Skip to main content", "Tin cùng chuyên mục", "Trang chủ",
	"Sao chép liên kết", "Email của bạn",
}

// checkNoChrome checks that nothing of the page chrome, the other
// articles' titles or image alt text reaches the article's text.
func checkNoChrome(t *testing.T, a *extract.Article, fa fixtureArticle, body []byte) {
	t.Helper()
	inKey := fa.Title + "\n" + fa.Lead
	for _, b := range fa.Body {
		inKey += "\n" + b.Text
	}
	for _, c := range chrome {
		if strings.Contains(a.Text, c) && !strings.Contains(inKey, c) {
			t.Errorf("page chrome %q reached the text", c)
		}
	}
	// Titles of other articles: the title attributes of links.
	for _, m := range linkTitle.FindAllSubmatch(body, -1) {
		title := extract.NormalizeString(htmlUnescape(string(m[1])))
		if len(title) < 20 || strings.Contains(extract.NormalizeString(inKey), title) {
			continue
		}
		if strings.Contains(extract.NormalizeString(a.Text), title) {
			t.Errorf("another article's title %q reached the text", title)
		}
	}
	// The title is each image's alt text: it appears once, as the title.
	if n := strings.Count(a.Text, fa.Title); n != 1 && !strings.Contains(strings.Join(blockTexts(fa.Body), "\n"), fa.Title) {
		t.Errorf("the title appears %d times in the text (alt text?)", n)
	}
}

var linkTitle = regexp.MustCompile(`<a [^>]*title="([^"]+)"`)

func htmlUnescape(s string) string {
	r := strings.NewReplacer("&amp;", "&", "&quot;", `"`, "&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">")
	return r.Replace(s)
}

func blockTexts(bs []fBlock) []string {
	var out []string
	for _, b := range bs {
		out = append(out, b.Text)
	}
	return out
}

// goldenPage is a Page as the golden files show it: blocks as text.
type goldenPage struct {
	Charset           string            `json:"charset"`
	IsArticle         bool              `json:"is_article"`
	Layers            map[string]string `json:"layers"`
	Site              string            `json:"site"`
	SiteID            string            `json:"site_id"`
	URL               string            `json:"url"`
	Province          string            `json:"province"`
	Published         string            `json:"published"`
	PublishedDateOnly bool              `json:"published_date_only,omitempty"`
	Modified          string            `json:"modified"`
	Category          string            `json:"category"`
	Tags              []string          `json:"tags"`
	Authors           []string          `json:"authors"`
	Blocks            []fBlock          `json:"blocks"`
}

func toGolden(p *Page) goldenPage {
	a := p.Article
	return goldenPage{
		Charset: p.Charset, IsArticle: p.IsArticle, Layers: p.Layers,
		Site: a.Site, SiteID: a.SiteID, URL: a.URL, Province: a.Province,
		Published: timeString(a.Published, a.PublishedDateOnly), PublishedDateOnly: a.PublishedDateOnly,
		Modified: timeString(a.Modified, false), Category: a.Category, Tags: a.Tags, Authors: a.Authors,
		Blocks: blocksOf(a, extract.BlockTitle, extract.BlockLead, extract.BlockParagraph, extract.BlockCaption, extract.BlockByline),
	}
}

// goldenSeeds picks the article of each template that the golden files
// show: the seed dumps 003 and 004 for the templates they come from.
var goldenSeeds = map[string]string{"hatinh-legacy": "003_", "sonla": "004_"}

// TestParseGolden compares the parse of one page per template with
// testdata/golden/parse/<template>.json; -update rewrites them.
func TestParseGolden(t *testing.T) {
	picked := map[string]fixtureArticle{}
	var order []string
	for _, fa := range loadFixtures(t) {
		prev, ok := picked[fa.Template]
		if !ok {
			order = append(order, fa.Template)
		}
		if want := goldenSeeds[fa.Template]; !ok || want != "" && !strings.HasPrefix(prev.Seed, want) && strings.HasPrefix(fa.Seed, want) {
			picked[fa.Template] = fa
		}
	}
	for _, tmpl := range order {
		fa := picked[tmpl]
		t.Run(tmpl, func(t *testing.T) {
			page, _ := parseFixture(t, fa)
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(toGolden(page)); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", "parse", tmpl+".json")
			if *updateGolden {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./crawler -run TestParseGolden -update to create it)", err)
			}
			if got := buf.String(); got != string(want) {
				t.Errorf("%s differs from the golden file (run go test ./crawler -run TestParseGolden -update and review the diff):\n%s",
					path, lineDiff(string(want), got))
			}
		})
	}
}

func lineDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, w, g)
		}
	}
	return ""
}

// Page edits for the layer tests.
var (
	jsonLDBlock   = regexp.MustCompile(`(?s)<script type="application/ld\+json">.*?</script>\s*`)
	metaTag       = regexp.MustCompile(`(?i)<meta (?:property|name)="(?:og:|article:|description|keywords|twitter:)[^>]*>\s*|<link rel="canonical"[^>]*>\s*`)
	classAttr     = regexp.MustCompile(`class="([^"]*)"`)
	itempropAttr  = regexp.MustCompile(` itemprop="[^"]*"`)
	articleToDivs = strings.NewReplacer("<article ", "<div ", "</article>", "</div>")
)

// unknownClasses renames every class, as a redesign would.
func unknownClasses(s string) string {
	return classAttr.ReplaceAllStringFunc(s, func(m string) string {
		var out []string
		for _, c := range strings.Fields(m[len(`class="`) : len(m)-1]) {
			out = append(out, "v2"+strings.ReplaceAll(c, "_", ""))
		}
		return `class="` + strings.Join(out, " ") + `"`
	})
}

// TestParseLayers parses one page as it is and with its layers taken away
// one after the other: each field then comes from the next layer, with the
// same value, and Layers says so.
func TestParseLayers(t *testing.T) {
	var current, sonla fixtureArticle
	for _, fa := range loadFixtures(t) {
		if fa.Template == "hatinh-current" && len(fa.Authors) > 0 && current.ID == "" {
			current = fa
		}
		if fa.Template == "sonla" && sonla.ID == "" && strings.HasPrefix(fa.Seed, "004_") {
			sonla = fa
		}
	}
	tests := []struct {
		name   string
		fa     fixtureArticle
		edit   func(string) string
		layers map[string]string // "" = the field is absent
	}{
		{"all layers", current, func(s string) string { return s }, map[string]string{
			"title": "jsonld", "lead": "jsonld", "published": "jsonld", "modified": "jsonld", "canonical": "jsonld",
			"category": "jsonld", "tags": "meta", "body": "site",
		}},
		{"no JSON-LD", current, func(s string) string { return jsonLDBlock.ReplaceAllString(s, "") }, map[string]string{
			"title": "meta", "lead": "meta", "published": "meta", "modified": "meta", "canonical": "meta",
			"category": "meta", "tags": "meta", "body": "site", "authors": "site",
		}},
		{"no JSON-LD, no meta", current, func(s string) string {
			return metaTag.ReplaceAllString(jsonLDBlock.ReplaceAllString(s, ""), "")
		}, map[string]string{
			"title": "site", "lead": "site", "published": "site", "modified": "", "canonical": "generic",
			"category": "site", "tags": "site", "body": "site", "authors": "site",
		}},
		{"unknown classes", current, func(s string) string {
			return unknownClasses(metaTag.ReplaceAllString(jsonLDBlock.ReplaceAllString(s, ""), ""))
		}, map[string]string{
			// The byline's selector is its style, which stays.
			"title": "generic", "lead": "generic", "published": "generic", "canonical": "generic",
			"body": "generic", "authors": "site",
		}},
		{"unknown classes, no itemprop, no article", current, func(s string) string {
			s = metaTag.ReplaceAllString(jsonLDBlock.ReplaceAllString(s, ""), "")
			return articleToDivs.Replace(itempropAttr.ReplaceAllString(unknownClasses(s), ""))
		}, map[string]string{
			"title": "generic", "lead": "generic", "published": "generic", "canonical": "generic",
			"body": "generic", "authors": "site",
		}},
		{"Sơn La, no JSON-LD, no meta", sonla, func(s string) string {
			return metaTag.ReplaceAllString(jsonLDBlock.ReplaceAllString(s, ""), "")
		}, map[string]string{
			"title": "site", "lead": "site", "published": "site", "canonical": "generic",
			"category": "site", "body": "site", "authors": "site",
		}},
		{"Sơn La, unknown classes and ids", sonla, func(s string) string {
			s = unknownClasses(metaTag.ReplaceAllString(jsonLDBlock.ReplaceAllString(s, ""), ""))
			return strings.ReplaceAll(s, `id="editor-detail"`, `id="v2editor"`)
		}, map[string]string{
			// The profile's last title selector is a plain h1; the byline is
			// the body's last line of names.
			"title": "site", "lead": "generic", "published": "generic", "canonical": "generic",
			"body": "generic", "authors": "generic",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.fa.ID == "" {
				t.Skip("no such fixture article")
			}
			full, body := parseFixture(t, tt.fa)
			edited := tt.edit(string(body))
			u, _ := url.Parse(tt.fa.URL)
			page, err := ParseArticle([]byte(edited), "text/html; charset=utf-8", u, fixtureProfile(t, tt.fa.Site))
			if err != nil {
				t.Fatal(err)
			}
			for field, want := range tt.layers {
				if got := page.Layers[field]; got != want {
					t.Errorf("Layers[%q] = %q, want %q", field, got, want)
				}
			}
			// Whichever layer supplied them, the fields are the same.
			a, b := full.Article, page.Article
			same := func(field string, got, want any) {
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s from layer %q:\n got  %q\n want %q", field, page.Layers[field], got, want)
				}
			}
			same("title", b.Title(), a.Title())
			same("lead", blocksOf(b, extract.BlockLead), blocksOf(a, extract.BlockLead))
			same("body", blocksOf(b, extract.BlockParagraph, extract.BlockCaption), blocksOf(a, extract.BlockParagraph, extract.BlockCaption))
			same("authors", b.Authors, a.Authors)
			same("published", b.Published, a.Published)
			same("url", b.URL, a.URL)
			same("id", b.SiteID, a.SiteID)
			if tt.layers["category"] != "" {
				same("category", b.Category, a.Category)
			}
		})
	}
}

// parseHTML parses a small page of a test case.
func parseHTML(t *testing.T, page, pageURL string, p *Profile) *Page {
	t.Helper()
	u, err := url.Parse(pageURL)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseArticle([]byte(page), "text/html; charset=utf-8", u, p)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func profileNamed(t testing.TB, name string) *Profile {
	t.Helper()
	for _, p := range Profiles() {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no profile %s", name)
	return nil
}

// TestParseCases parses small pages written for one rule each.
func TestParseCases(t *testing.T) {
	const hatinhURL = "https://baohatinh.vn/tin-thu-post317598.html"
	ld := func(s string) string { return `<script type="application/ld+json">` + s + `</script>` }
	tests := []struct {
		name    string
		page    string
		url     string
		site    string // profile name; "" = generic profile of the URL
		title   string
		lead    string
		body    []string // "p:" paragraph, "c:" caption
		authors []string
		pub     string
		mod     string
		canon   string
		id      string // "*": not checked (a generic site's id is the profile's business)
		cat     string
		tags    []string
		layers  map[string]string
		article bool
	}{
		{
			name: "JSON-LD in @graph, author list with an empty name and the paper's",
			page: `<html><head>` + ld(`{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Báo Hà Tĩnh"},
				{"@type":["NewsArticle"],"headline":"Tiêu đề bài","description":"","datePublished":"2025-06-17T13:43:02+0700",
				"author":[{"@type":"Person","name":""},{"@type":"Organization","name":"Báo Hà Tĩnh"},{"name":"Thu Hà"},"Văn Kỳ"],
				"keywords":["dân vận","MTTQ"],"articleSection":"Chính trị","mainEntityOfPage":{"@id":"https://baohatinh.vn/tin-thu-post317598.html?fbclid=x"}}]}`) +
				`</head><body><article><p>Một đoạn.</p></article></body></html>`,
			url: hatinhURL, site: "baohatinh",
			title: "Tiêu đề bài", body: []string{"p:Một đoạn."}, authors: []string{"Thu Hà", "Văn Kỳ"},
			pub: "2025-06-17T13:43:02+07:00", canon: hatinhURL, id: "317598", cat: "Chính trị", tags: []string{"dân vận", "MTTQ"},
			layers:  map[string]string{"title": "jsonld", "authors": "jsonld", "published": "jsonld", "tags": "jsonld", "category": "jsonld", "canonical": "jsonld", "body": "generic"},
			article: true,
		},
		{
			name: "a malformed JSON-LD block does not spoil the next; a top-level array",
			page: `<head>` + ld(`{"@type":"NewsArticle","headline":"Hỏng" "x"}`) + ld(`[{"@type":"BreadcrumbList"},{"@type":"ReportageNewsArticle","headline":"Đúng",
				"author":"Thùy Nhung - Thanh Đạm","datePublished":"2025-06-17"}]`) + `</head><body><p>Chữ.</p></body>`,
			url: hatinhURL, site: "baohatinh",
			title: "Đúng", body: []string{"p:Chữ."}, authors: []string{"Thùy Nhung", "Thanh Đạm"}, pub: "2025-06-17",
			canon: hatinhURL, id: "317598", article: true,
		},
		{
			name: "JSON-LD with a raw line break in a string and a trailing comma",
			page: "<head>" + ld("{\"@type\":\"Article\",\"headline\":\"Dòng một\ndòng hai\",\"dateModified\":\"2025-06-18T08:00:00+07:00\",}") +
				`</head><body><p>X.</p></body>`,
			url: hatinhURL, site: "baohatinh", title: "Dòng một dòng hai", body: []string{"p:X."},
			mod: "2025-06-18T08:00:00+07:00", canon: hatinhURL, id: "317598", article: true,
		},
		{
			name: "meta tags: offset without a colon, keywords with a trailing comma, og:url of the AMP copy",
			page: `<head><meta property="og:title" content="Tin mới nhất - Báo Hà Tĩnh">
				<meta property="og:description" content="(Baohatinh.vn) - Tóm tắt.">
				<meta property="article:published_time" content="2025-06-17T13:43:02+0700">
				<meta property="article:section" content="Xã hội">
				<meta name="keywords" content="giáo dục, học sinh, ,Hà Tĩnh,">
				<meta property="og:url" content="https://www.baohatinh.vn/tin-thu-post317598.amp?utm_source=x#top">
				<meta property="og:type" content="article"></head><body><p>Đoạn.</p></body>`,
			url: "http://127.0.0.1:8080/tin-thu-post317598.amp", site: "baohatinh",
			title: "Tin mới nhất", lead: "(Baohatinh.vn) - Tóm tắt.", body: []string{"p:Đoạn."},
			pub: "2025-06-17T13:43:02+07:00", canon: hatinhURL, id: "317598", cat: "Xã hội",
			tags:    []string{"giáo dục", "học sinh", "Hà Tĩnh"},
			layers:  map[string]string{"title": "meta", "lead": "meta", "published": "meta", "canonical": "meta", "tags": "meta"},
			article: true,
		},
		{
			name: "a canonical on another site is not the article's",
			page: `<head><link rel="canonical" href="https://vnexpress.net/khac-123.html"></head><body><h1>Tựa</h1><p>Đoạn.</p></body>`,
			url:  "https://baohatinh.vn/tin-thu-post317598.html?fbclid=abc", site: "baohatinh",
			title: "Tựa", body: []string{"p:Đoạn."}, canon: hatinhURL, id: "317598",
			layers: map[string]string{"canonical": "generic"}, article: true,
		},
		{
			name: "Hà Tĩnh body: ads, related box, scripts, iframes, alt text out; br splits; byline out; stop at the tags",
			page: `<body><h1 class="article__title cms-title">Tựa đề</h1><div class="article__sapo cms-desc">(Baohatinh.vn) - Sapo.</div>
				<div class="article__body cms-body" itemprop="articleBody">
				<p>Đoạn một<br>đoạn  hai</p>
				<div class="ads_middle"><p>Quảng cáo</p></div><div id="adsWeb_X">ads</div>
				<figure><img src="a.jpg" alt="Tựa đề"><figcaption>Chú thích ảnh.</figcaption></figure>
				<div class="related-news"><h3>Tin liên quan</h3><a title="Bài khác">Bài khác</a></div>
				<script>var x = "không phải chữ";</script><iframe src="v">Video</iframe><style>p{}</style>
				<h3>Tiêu đề phụ</h3><p>Đoạn ba.</p>
				<p style="text-align:right"><strong>Thu Hà</strong></p></div>
				<div class="article__tag"><a class="cms-tag">giáo dục</a></div><div class="box-topic">Chủ đề Hà Tĩnh 24h</div></body>`,
			url: hatinhURL, site: "baohatinh",
			title: "Tựa đề", lead: "(Baohatinh.vn) - Sapo.", authors: []string{"Thu Hà"}, tags: []string{"giáo dục"},
			body:  []string{"p:Đoạn một", "p:đoạn hai", "c:Chú thích ảnh.", "p:Tiêu đề phụ", "p:Đoạn ba."},
			canon: hatinhURL, id: "317598", article: true,
			layers: map[string]string{"title": "site", "lead": "site", "body": "site", "authors": "site", "tags": "site"},
		},
		{
			name: "older Hà Tĩnh template: stamp line, table captions, the byline twice, the comment template",
			page: `<body><div class="breadcrumbs"><a href="/">Trang chủ</a><a class="active" href="/chinh-tri/">Chính trị</a></div>
				<h1 class="title-detail">Tựa cũ</h1><div class="time-detail">Cập nhật:&nbsp;11:42 27/12/2022</div>
				<h2 class="sapo-detail">(Baohatinh.vn) - Sapo cũ.</h2><div class="content-detail" id="content-detail">
				<table><tr><td><img alt="Tựa cũ"></td></tr><tr><td class="image_desc">Chú thích.</td></tr></table>
				<p style="text-align: justify;">Thân bài.</p><p style="text-align: right;"><strong>Thu Hà</strong></p></div>
				<div class="author-detail" style="text-align: right;">Thu Hà</div>
				<div class="comment-box"><div class="comment-head"> {name} - {time}</div><a> Trả lời</a><div>{body}</div>
				<div class="comment-count">0 bình luận</div></div></body>`,
			url: "https://baohatinh.vn/tua-cu-post257257.html", site: "baohatinh",
			title: "Tựa cũ", lead: "(Baohatinh.vn) - Sapo cũ.", body: []string{"c:Chú thích.", "p:Thân bài."},
			authors: []string{"Thu Hà"}, pub: "2022-12-27T11:42:00+07:00", cat: "Chính trị",
			canon: "https://baohatinh.vn/tua-cu-post257257.html", id: "257257", article: true,
			layers: map[string]string{"published": "site", "category": "site"},
		},
		{
			name: "Sơn La without div#editor-detail: the lead is taken out of div.fulltext; voice picker out",
			page: `<body><ul class="breadcrumb"><li><a href="/">Trang chủ</a></li><li><a class="active">Xã hội</a></li></ul>
				<h1 class="title-detail">Tựa Sơn La</h1><div class="date-detail"><span class="time">29/12/2022 17:35</span></div>
				<div class="audio-article"><div class="select-accent-wrap"><span>Giọng nữ</span></div></div>
				<div class="fulltext"><p class="font-bold">Sapo Sơn La.</p><p>Thân.</p><p class="text-end"><strong>Việt Anh</strong></p></div>
				<div class="comment-detail"><h3>BÌNH LUẬN</h3></div><div class="box-latest"><h3>Tin mới</h3></div></body>`,
			url: "https://baosonla.org.vn/xa-hoi/tua-son-la-PhvhNb60O.html", site: "baosonla",
			title: "Tựa Sơn La", lead: "Sapo Sơn La.", body: []string{"p:Thân."}, authors: []string{"Việt Anh"},
			pub: "2022-12-29T17:35:00+07:00", cat: "Xã hội", canon: "https://baosonla.vn/xa-hoi/tua-son-la-PhvhNb60O.html",
			id: "PhvhNb60O", article: true,
		},
		{
			name: "generic: WordPress post, date shown only as text, body ends at Leave a Reply",
			page: `<head><title>Bài viết &#8211; Báo Ví Dụ</title><meta property="og:site_name" content="Báo Ví Dụ">
				<link rel="shortlink" href="https://baovidu.vn/?p=2766"></head>
				<body><header><span>Thứ Ba, 17/06/2025</span></header><article>
				<p class="meta">Đăng lúc 09:05 21/02/2025</p><div><p>Đoạn dài một của bài viết mẫu.</p><p>Đoạn hai.</p>
				<h3>Leave a Reply</h3><p>Bình luận của ai đó.</p></div></article></body>`,
			url:   "https://baovidu.vn/2025/02/bai-viet/",
			title: "Bài viết", body: []string{"p:Đoạn dài một của bài viết mẫu.", "p:Đoạn hai."},
			pub: "2025-02-21T09:05:00+07:00", canon: "https://baovidu.vn/2025/02/bai-viet/", id: "2766",
			layers: map[string]string{"title": "generic", "published": "generic", "body": "generic"},
		},
		{
			name: "generic: a listing page is not an article",
			page: `<head><title>Báo Ví Dụ</title></head><body><h1>Trang chủ</h1><ul><li><a href="/a/">Tin A</a></li><li><a href="/b/">Tin B</a></li></ul></body>`,
			url:  "https://baovidu.vn/", title: "Trang chủ", canon: "https://baovidu.vn/",
		},
		{
			name: "a bold first paragraph stays in the body when the lead comes from JSON-LD and differs",
			page: `<head>` + ld(`{"@type":"NewsArticle","headline":"Tựa","description":"Tóm tắt cho máy tìm kiếm."}`) + `</head>
				<body><h1>Tựa</h1><div><p><strong>Đoạn đầu in đậm khá dài của bài viết, không phải sapo.</strong></p><p>Đoạn hai.</p></div></body>`,
			url:   "https://baovidu.vn/2025/06/tua/",
			title: "Tựa", lead: "Tóm tắt cho máy tìm kiếm.", body: []string{"p:Đoạn đầu in đậm khá dài của bài viết, không phải sapo.", "p:Đoạn hai."},
			canon: "https://baovidu.vn/2025/06/tua/", id: "*", article: true,
			layers: map[string]string{"lead": "jsonld", "body": "generic"},
		},
		{
			name:  "a bold first paragraph is the lead when nothing else gives one",
			page:  `<body><h1>Tựa</h1><div><p><strong>Đoạn đầu in đậm khá dài của bài viết, là sapo.</strong></p><p>Đoạn hai.</p></div></body>`,
			url:   "https://baovidu.vn/2025/06/tua/",
			title: "Tựa", lead: "Đoạn đầu in đậm khá dài của bài viết, là sapo.", body: []string{"p:Đoạn hai."},
			canon: "https://baovidu.vn/2025/06/tua/", id: "*",
			layers: map[string]string{"lead": "generic", "body": "generic"},
		},
		{
			name: "decomposed text and entities are NFC",
			page: "<head><meta property=\"og:type\" content=\"article\"></head><body><h1>Ti\u0303nh u\u0309y</h1><p>Hà Ti&#x303;nh &amp; Sơn La</p></body>",
			url:  "https://baovidu.vn/x/", title: "Tĩnh ủy", body: []string{"p:Hà Tĩnh & Sơn La"}, canon: "https://baovidu.vn/x/", article: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p *Profile
			if tt.site != "" {
				p = profileNamed(t, tt.site)
			}
			page := parseHTML(t, tt.page, tt.url, p)
			a := page.Article
			check := func(field string, got, want any) {
				t.Helper()
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s (layer %q):\n got  %q\n want %q", field, page.Layers[field], got, want)
				}
			}
			check("title", a.Title(), tt.title)
			var lead string
			if l := blocksOf(a, extract.BlockLead); len(l) > 0 {
				lead = l[0].Text
			}
			check("lead", lead, tt.lead)
			var body []string
			for _, b := range blocksOf(a, extract.BlockParagraph, extract.BlockCaption) {
				body = append(body, b.Kind[:1]+":"+b.Text)
			}
			check("body", body, tt.body)
			check("authors", a.Authors, tt.authors)
			check("published", timeString(a.Published, a.PublishedDateOnly), tt.pub)
			check("modified", timeString(a.Modified, false), tt.mod)
			check("canonical", a.URL, tt.canon)
			if tt.id != "*" {
				check("id", a.SiteID, tt.id)
			}
			check("category", a.Category, tt.cat)
			check("tags", a.Tags, tt.tags)
			check("is article", page.IsArticle, tt.article)
			for field, want := range tt.layers {
				if got := page.Layers[field]; got != want {
					t.Errorf("Layers[%q] = %q, want %q", field, got, want)
				}
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in, want string // want "" = not a time
	}{
		{"2025-06-17T13:43:02+0700", "2025-06-17T13:43:02+07:00"},
		{"2025-06-17T13:43:02+07:00", "2025-06-17T13:43:02+07:00"},
		{"2025-06-17T06:43:02Z", "2025-06-17T13:43:02+07:00"},
		{"2025-06-17T13:43:02.123+07:00", "2025-06-17T13:43:02+07:00"},
		{"2025-06-17T13:43:02", "2025-06-17T13:43:02+07:00"},
		{"2025-06-17 13:43", "2025-06-17T13:43:00+07:00"},
		{"2025-06-17", "2025-06-17"},
		{"1750142582", "2025-06-17T13:43:02+07:00"},
		{"17/06/2025 13:43", "2025-06-17T13:43:00+07:00"},
		{"Cập nhật: 11:42 27/12/2022", "2022-12-27T11:42:00+07:00"},
		{"11:42 27/12/2022", "2022-12-27T11:42:00+07:00"},
		{"Thứ Hai, 17/06/2025", "2025-06-17"},
		{"Thứ Ba, 27/12/2022 11:42 (GMT+7)", "2022-12-27T11:42:00+07:00"},
		{"05/04/2024 - 16:40", "2024-04-05T16:40:00+07:00"},
		{"16h40 ngày 5/4/2024", "2024-04-05T16:40:00+07:00"},
		{"31/02/2024", ""},
		{"0239.3000.001", ""},
		{"hôm nay", ""},
		{"", ""},
		{"1/1/1800", ""},
	}
	for _, tt := range tests {
		s, ok := parseTime(tt.in)
		got := ""
		if ok {
			got = timeString(s.t, s.dateOnly)
		}
		if got != tt.want {
			t.Errorf("parseTime(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBylineNames(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Thu Hà", []string{"Thu Hà"}},
		{"Thùy Nhung - Thanh Đạm", []string{"Thùy Nhung", "Thanh Đạm"}},
		{"Thùy Nhung – Thanh Đạm", []string{"Thùy Nhung", "Thanh Đạm"}},
		{"Bài, ảnh: Minh Đức", []string{"Minh Đức"}},
		{"Ảnh: Đình Duy - Bài: Kim Ngân", []string{"Đình Duy", "Kim Ngân"}},
		{"PHƯƠNG LINH", []string{"PHƯƠNG LINH"}},
		{"Việt Anh (tổng hợp)", []string{"Việt Anh"}},
		{"Minh Hoàng, Thùy Dương và Văn Kỳ", []string{"Minh Hoàng", "Thùy Dương", "Văn Kỳ"}},
		{"Theo TTXVN", nil},
		{"Phó Chủ tịch UBND tỉnh phát biểu tại hội nghị.", nil},
		{"Ngày 27/12", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := bylineNames(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("bylineNames(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestParsePathological checks that hostile pages end quickly, without a
// panic.
func TestParsePathological(t *testing.T) {
	deep := strings.Repeat("<div>", 200000) + "chữ" + strings.Repeat("</div>", 200000)
	tests := []struct {
		name string
		page string
		text string // in the article's text, if set
	}{
		{"deep nesting", `<h1>Tựa</h1><div class="article__body">` + deep + "</div>", "chữ"},
		{"deep inline nesting", strings.Repeat("<b><i>", 50000) + "x", ""},
		{"huge attribute", `<p title="` + strings.Repeat("a", 8<<20) + `">x</p>`, "x"},
		{"huge JSON-LD", `<script type="application/ld+json">` + strings.Repeat("[", 100000) + `</script>`, ""},
		{"deep JSON-LD", `<script type="application/ld+json">` + strings.Repeat(`{"@graph":[`, 5000) + `{"@type":"NewsArticle","headline":"x"}` + strings.Repeat("]}", 5000) + `</script>`, ""},
		{"many paragraphs", strings.Repeat("<p>đoạn văn</p>", 100000), "đoạn văn"},
		{"many tables", strings.Repeat("<table><tr><td>", 20000), ""},
		{"empty", "", ""},
		{"not HTML", "just text, no markup", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			u, _ := url.Parse("https://baohatinh.vn/x-post1.html")
			page, err := ParseArticle([]byte(tt.page), "", u, profileNamed(t, "baohatinh"))
			if err != nil {
				t.Logf("error (allowed): %v", err)
			} else if tt.text != "" && !strings.Contains(page.Article.Text, tt.text) {
				t.Errorf("text %q lost: got %q", tt.text, page.Article.Text)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
	if _, err := ParseArticle(make([]byte, maxPageSize+1), "", nil, nil); err == nil {
		t.Errorf("a page over the size limit parsed without an error")
	}
}

func TestDecodeHTML(t *testing.T) {
	// Hà Tĩnh, Tỉnh ủy and Nghệ in windows-1258: tone marks on ĩ, ủ and ệ are
	// combining characters (0xDE tilde, 0xD2 hook above, 0xF2 dot below).
	cp1258 := "H\xe0 Ti\xdenh, Ti\xd2nh u\xd2y, Ngh\xea\xf2"
	want1258 := "Hà Tĩnh, Tỉnh ủy, Nghệ"
	tests := []struct {
		name, body, contentType string
		want, charset           string
	}{
		{"header charset", "<p>Hà Tĩnh</p>", "text/html; charset=UTF-8", "<p>Hà Tĩnh</p>", "utf-8"},
		{"header windows-1258", "<p>" + cp1258 + "</p>", "text/html; charset=windows-1258", "<p>" + want1258 + "</p>", "windows-1258"},
		{"meta charset", `<meta charset="windows-1258"><p>` + cp1258, "text/html", `<meta charset="windows-1258"><p>` + want1258, "windows-1258"},
		{"meta http-equiv", `<meta http-equiv="Content-Type" content="text/html; charset=windows-1258" /><p>` + cp1258, "",
			`<meta http-equiv="Content-Type" content="text/html; charset=windows-1258" /><p>` + want1258, "windows-1258"},
		{"header wins over meta", `<meta charset="windows-1258"><p>Hà`, "text/html; charset=utf-8", `<meta charset="windows-1258"><p>Hà`, "utf-8"},
		{"valid UTF-8 without a declaration", "<p>Sơn La</p>", "", "<p>Sơn La</p>", "utf-8"},
		{"invalid UTF-8 without a declaration is windows-1258", "<p>" + cp1258 + "</p>", "", "<p>" + want1258 + "</p>", "windows-1258"},
		{"decomposed UTF-8 becomes NFC", "<p>Ti\u0303nh u\u0309y</p>", "", "<p>Tĩnh ủy</p>", "utf-8"},
		{"UTF-8 byte order mark", "\xef\xbb\xbf<p>Hà</p>", "text/html; charset=windows-1258", "<p>Hà</p>", "utf-8"},
		{"UTF-16 with a byte order mark", "\xff\xfe<\x00p\x00>\x00H\x00\xe0\x00", "", "<p>Hà", "utf-16le"},
		{"mislabelled Latin-1 that is UTF-8", "<p>Hà Tĩnh</p>", "text/html; charset=iso-8859-1", "<p>Hà Tĩnh</p>", "utf-8"},
		{"unknown charset label", "<p>Hà</p>", "text/html; charset=x-klingon", "<p>Hà</p>", "utf-8"},
		{"broken header", "<p>Hà</p>", "text/html; charset=utf-8;;", "<p>Hà</p>", "utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, cs, err := DecodeHTML([]byte(tt.body), tt.contentType)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want || cs != tt.charset {
				t.Errorf("DecodeHTML = %q, %q; want %q, %q", got, cs, tt.want, tt.charset)
			}
		})
	}
	for _, bin := range []string{"\x89PNG\r\n\x1a\n\x00\x00", "GIF89a\x01\x00", "\xff\xd8\xff\xe0", "%PDF-1.4\n", "\x1f\x8b\x08\x00", "PK\x03\x04", "<html>\x00\x00\x00"} {
		if _, _, err := DecodeHTML([]byte(bin), "text/html"); !errors.Is(err, ErrBinary) {
			t.Errorf("DecodeHTML(%q) error = %v, want ErrBinary", bin, err)
		}
	}
}

// TestParseWindows1258 parses the fixture page encoded in windows-1258 (its
// meta says so, the header does not) and checks that its text is NFC.
func TestParseWindows1258(t *testing.T) {
	n := 0
	for _, fa := range loadFixtures(t) {
		if fa.Charset != "windows-1258" {
			continue
		}
		n++
		page, body := parseFixture(t, fa)
		if page.Charset != "windows-1258" {
			t.Errorf("%s: charset %q", fa.File, page.Charset)
		}
		if utf8Valid := strings.ToValidUTF8(string(body), "") == string(body); utf8Valid {
			t.Errorf("%s: the fixture is valid UTF-8; the test needs windows-1258 bytes", fa.File)
		}
		if !norm.NFC.IsNormalString(page.Article.Text) {
			t.Errorf("%s: text is not NFC", fa.File)
		}
		if page.Article.Title() != extract.NormalizeString(fa.Title) {
			t.Errorf("%s: title %q, want %q", fa.File, page.Article.Title(), fa.Title)
		}
	}
	if n == 0 {
		t.Skip("no windows-1258 fixture")
	}
}

// TestParseGoldOfficials runs the extractor on the fixture articles made
// from seeds with gold annotations (testdata/gold), once on the Article
// parsed from the HTML page and once on the seed's text dump the way
// `baotinh extract` reads it, and compares the officials (people with a
// title) found, and both with the gold officials.
func TestParseGoldOfficials(t *testing.T) {
	type goldFile struct {
		Site      *string `json:"site"`
		Published *string `json:"published"`
		Officials []struct {
			Name string `json:"name"`
		} `json:"officials"`
	}
	key := func(s string) string {
		return strings.ToLower(strings.Join(strings.Fields(extract.NormalizeString(s)), " "))
	}
	officials := func(an *extract.Analysis) map[string]bool {
		m := map[string]bool{}
		for _, p := range an.People {
			if len(p.Roles) > 0 {
				m[key(p.Name)] = true
			}
		}
		return m
	}
	var articles, same, htmlHit, textHit, goldN, htmlPred, textPred int
	for _, fa := range loadFixtures(t) {
		if fa.Seed == "" {
			continue
		}
		data, err := os.ReadFile(filepath.Join("../testdata/gold", fa.Seed+".json"))
		if err != nil {
			continue
		}
		var g goldFile
		if err := json.Unmarshal(data, &g); err != nil {
			t.Fatalf("%s: %v", fa.Seed, err)
		}
		src, err := os.ReadFile(filepath.Join("../testdata/seeds", fa.Seed+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		// The text dump, as the gold test reads it.
		ta := extract.ParseText(string(src))
		if g.Site != nil {
			ta.Site, ta.Province = *g.Site, extract.ProvinceOf(*g.Site)
		}
		if g.Published != nil && (ta.Published.IsZero() || ta.Published.Format("2006-01-02") != *g.Published) {
			ta.Published, _ = time.ParseInLocation("2006-01-02", *g.Published, extract.Vietnam)
			ta.PublishedDateOnly = true
		}
		page, _ := parseFixture(t, fa)
		fromHTML, fromText := officials(extract.Analyze(page.Article)), officials(extract.Analyze(ta))
		want := map[string]bool{}
		for _, o := range g.Officials {
			want[key(o.Name)] = true
		}
		articles++
		if fmt.Sprint(fromHTML) == fmt.Sprint(fromText) {
			same++
		} else {
			var onlyHTML, onlyText []string
			for n := range fromHTML {
				if !fromText[n] {
					onlyHTML = append(onlyHTML, n)
				}
			}
			for n := range fromText {
				if !fromHTML[n] {
					onlyText = append(onlyText, n)
				}
			}
			slices.Sort(onlyHTML)
			slices.Sort(onlyText)
			t.Errorf("%s %s (seed %s): officials differ: only from HTML %q, only from the text dump %q", fa.Template, fa.ID, fa.Seed, onlyHTML, onlyText)
		}
		goldN += len(want)
		htmlPred += len(fromHTML)
		textPred += len(fromText)
		for n := range want {
			if fromHTML[n] {
				htmlHit++
			}
			if fromText[n] {
				textHit++
			}
		}
	}
	if articles == 0 {
		t.Skip("no fixture article has a gold annotation")
	}
	t.Logf("%d fixture articles with gold: officials the same from HTML and text in %d; gold officials %d, found from HTML %d (of %d found), from text %d (of %d found)",
		articles, same, goldN, htmlHit, htmlPred, textHit, textPred)
}

// BenchmarkParseArticle parses every fixture page once per iteration.
func BenchmarkParseArticle(b *testing.B) {
	type input struct {
		body []byte
		ct   string
		u    *url.URL
		p    *Profile
	}
	var pages []input
	var total int64
	for _, fa := range loadFixtures(b) {
		body, err := os.ReadFile(filepath.Join(sitesDir, fa.File))
		if err != nil {
			b.Fatal(err)
		}
		u, _ := url.Parse(fa.URL)
		pages = append(pages, input{body, "text/html", u, fixtureProfile(b, fa.Site)})
		total += int64(len(body))
	}
	b.SetBytes(total)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for _, in := range pages {
			if _, err := ParseArticle(in.body, in.ct, in.u, in.p); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pages))/1e6, "ms/page")
}

// TestSelectorsValid checks that every selector and pattern of the embedded
// profiles and of the generic layer compiles, and that Validate reports
// those that do not.
func TestSelectorsValid(t *testing.T) {
	for _, p := range Profiles() {
		if err := p.Selectors.Validate(); err != nil {
			t.Errorf("profile %s: %v", p.Name, err)
		}
		if len(p.Selectors.Body) == 0 || len(p.Selectors.Title) == 0 {
			t.Errorf("profile %s has no body or title selectors", p.Name)
		}
	}
	if err := genericSelectors.Validate(); err != nil {
		t.Errorf("generic selectors: %v", err)
	}
	for _, re := range append(append([]string{}, baseStopText...), baseDropText...) {
		if _, err := compilePattern(re); err != nil {
			t.Errorf("base pattern: %v", err)
		}
	}
	bad := []Selectors{{Body: []string{"div["}}, {Author: []string{"p:nope(1)"}}, {StopText: []string{"(unclosed"}}}
	for _, s := range bad {
		if err := s.Validate(); err == nil || !strings.HasPrefix(err.Error(), "crawler: selectors.") {
			t.Errorf("Validate(%+v) = %v, want an error naming the key", s, err)
		}
	}
}
