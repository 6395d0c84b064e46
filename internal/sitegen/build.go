package sitegen

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Expected is the answer key for one article of the fixture tree: what a
// correct parser must produce from its page.
type Expected struct {
	Site      string   `json:"site"`
	ID        string   `json:"id"`
	URL       string   `json:"url"`                // canonical: real origin, no query
	AltURLs   []string `json:"alt_urls,omitempty"` // other URLs that reach the same article
	File      string   `json:"file"`               // page file, relative to testdata/sites
	Template  string   `json:"template"`
	Charset   string   `json:"charset"`
	Title     string   `json:"title"`
	Lead      string   `json:"lead"`
	Body      []Block  `json:"body"`
	Authors   []string `json:"authors"`
	Published string   `json:"published"`
	Modified  string   `json:"modified"`
	Category  string   `json:"category"`
	Tags      []string `json:"tags"`
	Routes    []string `json:"routes"`    // discovery routes that reach it: "sitemap", "rss", "listing"
	ListedOn  []string `json:"listed_on"` // paths of the listing pages that link to it
	Seed      string   `json:"seed"`
}

// ExpectedFile is the layout of testdata/sites/expected.json.
type ExpectedFile struct {
	Comment  string     `json:"comment"`
	Articles []Expected `json:"articles"`
}

// Tree is a generated fixture tree: file path (slash separated, relative to
// the tree root) to content.
type Tree map[string][]byte

// Write writes the tree under dir.
func (t Tree) Write(dir string) error {
	for _, p := range t.Paths() {
		f := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(f, t[p], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Paths returns the tree's paths, sorted.
func (t Tree) Paths() []string {
	var ps []string
	for p := range t {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return ps
}

// seedDates gives a publication time to the seeds whose dump has no stamp
// extract can read, from the dates in their own text.
var seedDates = map[string]string{
	"000": "2023-11-08T17:20:00",
	"004": "2022-12-29T17:35:00",
	"103": "2024-03-01T16:30:00",
	"106": "2024-07-18T18:05:00",
	"111": "2024-07-16T15:10:00",
	"122": "2024-12-14T10:20:00",
	"123": "2024-07-18T09:12:00",
	"127": "2024-11-21T15:40:00",
	"138": "2025-08-26T16:45:00",
	"142": "2025-08-14T17:00:00",
	"149": "2020-04-09T07:25:00",
	"152": "2025-05-28T16:15:00",
}

// Seeds of each paper.
var (
	hatinhSeeds = []string{"000", "003", "101", "105", "128", "141", "151"}
	sonlaSeeds  = []string{"004", "111", "116", "138", "142", "152"}
)

// keywords a tag is made of when the article's text contains it.
var tagWords = []string{
	"dân vận", "quy chế dân chủ", "HĐND tỉnh", "MTTQ", "nông thôn mới", "giảm nghèo", "du lịch", "lễ hội",
	"chuyển đổi số", "cải cách hành chính", "quốc phòng", "biên giới", "an ninh", "giáo dục", "học sinh",
	"đầu tư công", "thủy sản", "xuất khẩu", "thu hoạch", "bão", "đại đoàn kết", "chính quyền hai cấp",
	"thi đua", "nông nghiệp", "văn hóa",
}

func makeTags(s *Seed, home string) []string {
	text := s.Title + "\n" + s.Lead
	for _, b := range s.Body {
		text += "\n" + b.Text
	}
	var tags []string
	if home != "" && strings.Contains(text, home) {
		tags = append(tags, home)
	}
	for _, w := range tagWords {
		if strings.Contains(text, w) && len(tags) < 4 {
			tags = append(tags, w)
		}
	}
	return tags
}

type catRule struct {
	re  *regexp.Regexp
	cat string
}

func classify(s *Seed, rules []catRule, def string) string {
	text := strings.ToLower(s.Title + " " + s.Lead)
	for _, r := range rules {
		if r.re.MatchString(text) {
			return r.cat
		}
	}
	return def
}

var (
	reAgri    = regexp.MustCompile(`lúa|nông nghiệp|thu hoạch|cây ăn quả|nhãn|mận|cà phê|vải thiều|tam giác mạch|nông thôn mới`)
	reEdu     = regexp.MustCompile(`học sinh|trường|giáo dục|tốt nghiệp|năm học`)
	reCulture = regexp.MustCompile(`lễ hội|văn hóa|du lịch|di sản|ngày hội|giỗ tổ|kathina|oóc om bóc`)
	reLaw     = regexp.MustCompile(`tù|tham ô|pháp luật|xét xử|nội chính`)
	reEcon    = regexp.MustCompile(`đầu tư|kinh tế|xuất khẩu|thủy sản|giải ngân|cửa khẩu|hàng không`)
	reDefence = regexp.MustCompile(`biên phòng|diễn tập|quốc phòng|an ninh|covid|biên giới`)
	reSocial  = regexp.MustCompile(`bão|nhà đại đoàn kết|hộ nghèo|sức khỏe|khám|giảm nghèo|người có uy tín`)
)

var rePolitics = regexp.MustCompile(`kỳ họp|hđnd|dân vận|bí thư|ban thường vụ|chính quyền hai cấp`)

var hatinhRules = []catRule{
	{rePolitics, "chinh-tri"}, {reCulture, "van-hoa-giai-tri"}, {reAgri, "kinh-te/nong-nghiep"}, {reEdu, "xa-hoi/giao-duc"},
	{reLaw, "phap-luat"}, {reEcon, "kinh-te"}, {reSocial, "xa-hoi"}, {reDefence, "xa-hoi"},
}

var sonlaRules = []catRule{
	{rePolitics, "thoi-su-chinh-tri"}, {reCulture, "van-hoa-xa-hoi"}, {reAgri, "nong-nghiep"}, {reEdu, "van-hoa-xa-hoi"},
	{reLaw, "phap-luat"}, {reEcon, "kinh-te"}, {reDefence, "quoc-phong-an-ninh"}, {reSocial, "xa-hoi"},
	{regexp.MustCompile(`đảng bộ|chi bộ|ban chấp hành|tỉnh ủy|huyện ủy`), "xay-dung-dang"},
}

var genericRules = []catRule{
	{reAgri, "kinh-te"}, {reEcon, "kinh-te"}, {reCulture, "van-hoa"}, {reSocial, "xa-hoi"}, {reEdu, "xa-hoi"},
}

var provinceWord = regexp.MustCompile(`tỉnh [A-ZĐÂĂÊÔƠƯ]`)

// otherProvince counts how often a seed names a province as "tỉnh X" or names
// its own paper's province: lower is easier to re-home.
func otherProvince(s *Seed) int {
	n := 0
	text := s.Title + " " + s.Lead
	for _, b := range s.Body {
		text += " " + b.Text
	}
	n += len(provinceWord.FindAllString(text, -1))
	if s.Province != "" {
		n += strings.Count(text, s.Province)
	}
	return n
}

// sonlaSlug slugifies as Báo Sơn La does: digits joined across '/', ',' and '.'
// ("ngày 6/1/2026" gives "ngay-612026").
func sonlaSlug(title string) string {
	t := regexp.MustCompile(`(\d)[/,.](\d)`).ReplaceAllString(title, "$1$2")
	t = regexp.MustCompile(`(\d)[/,.](\d)`).ReplaceAllString(t, "$1$2")
	return Slugify(t)
}

func seedTime(s *Seed) time.Time {
	if v, ok := seedDates[s.Num]; ok {
		t, err := time.ParseInLocation("2006-01-02T15:04:05", v, Vietnam)
		if err != nil {
			panic(err)
		}
		return t
	}
	if !s.Published.IsZero() {
		return s.Published.In(Vietnam)
	}
	// Spread 2022–2026 deterministically.
	base := time.Date(2022, 1, 1, 7, 0, 0, 0, Vietnam)
	return base.Add(time.Duration(hash64(s.Name)%(4*365*24)) * time.Hour)
}

func modifiedFor(s *Seed, pub time.Time) time.Time {
	switch hash64("mod", s.Name) % 3 {
	case 0:
		return pub
	case 1:
		return pub.Add(time.Duration(20+hash64("m", s.Name)%200) * time.Minute)
	default:
		return pub.Add(time.Duration(1+hash64("d", s.Name)%3) * 24 * time.Hour)
	}
}

// Site is one generated fixture site: its articles and which routes reach
// each of them.
type Site struct {
	Name     string
	Articles []*Article // newest first
	Routes   map[string][]string
	Listed   map[string][]string // article id -> listing page paths
	AltURLs  map[string][]string
	Files    Tree
}

func (s *Site) route(a *Article, r string) {
	for _, x := range s.Routes[a.ID] {
		if x == r {
			return
		}
	}
	s.Routes[a.ID] = append(s.Routes[a.ID], r)
}

func byNum(seeds []*Seed) map[string]*Seed {
	m := map[string]*Seed{}
	for _, s := range seeds {
		m[s.Num] = s
	}
	return m
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// assign chooses which seeds each site hosts.
func assign(seeds []*Seed) (ht, sl, gen []*Seed) {
	m := byNum(seeds)
	var others []*Seed
	for _, s := range seeds {
		if !contains(hatinhSeeds, s.Num) && !contains(sonlaSeeds, s.Num) {
			others = append(others, s)
		}
	}
	sort.SliceStable(others, func(i, j int) bool {
		oi, oj := otherProvince(others[i]), otherProvince(others[j])
		if oi != oj {
			return oi < oj
		}
		return others[i].Num < others[j].Num
	})
	for _, n := range hatinhSeeds {
		ht = append(ht, m[n])
	}
	for _, n := range sonlaSeeds {
		sl = append(sl, m[n])
	}
	// Alternate the easiest to re-home between the two papers; the generic
	// paper takes what names its own province most, and re-publishes three.
	i := 0
	for ; len(ht) < 24 || len(sl) < 24; i++ {
		if (i%2 == 0 && len(ht) < 24) || len(sl) >= 24 {
			ht = append(ht, others[i])
		} else {
			sl = append(sl, others[i])
		}
	}
	gen = append(gen, others[i:]...)
	for j := 0; len(gen) < 6; j++ {
		gen = append(gen, others[len(others)-len(gen)-1-j])
	}
	return ht, sl, gen
}

// newArticle builds the article of seed s on a site.
func newArticle(site string, s *Seed) *Article {
	a := &Article{Site: site, Seed: s.Name, Title: s.Title, Authors: append([]string{}, s.Authors...)}
	a.Published = seedTime(s)
	a.Modified = modifiedFor(s, a.Published)
	a.Body = append([]Block(nil), s.Body...)
	lead := s.Lead
	firstPara := func() string {
		for i, b := range a.Body {
			if b.Kind == KindParagraph {
				a.Body = append(a.Body[:i:i], a.Body[i+1:]...)
				return leadPrefix.ReplaceAllString(b.Text, "")
			}
		}
		return ""
	}
	switch site {
	case SiteHatinh:
		if lead == "" {
			lead = firstPara()
		}
		a.Lead = "(Baohatinh.vn) - " + lead
		a.Category = classify(s, hatinhRules, "chinh-tri")
		if s.Num == "141" {
			a.Category = "kinh-te/nong-nghiep"
		}
		a.CategoryName = findCategory(HatinhCategories, a.Category).Name
		a.Slug = Slugify(a.Title)
		a.ID = HatinhID(a.Published, s.Name)
		a.Tags = makeTags(s, "Hà Tĩnh")
	case SiteSonla:
		if lead == "" {
			lead = firstPara()
		}
		a.Lead = lead
		a.Category = classify(s, sonlaRules, "thoi-su-chinh-tri")
		a.CategoryName = findCategory(SonlaCategories, a.Category).Name
		a.Slug = sonlaSlug(a.Title)
		a.ID = SonlaID(s.Name)
		a.Tags = makeTags(s, "Sơn La")
	default:
		if lead == "" {
			lead = firstPara()
		}
		a.Lead = lead
		a.Category = classify(s, genericRules, "thoi-su")
		a.CategoryName = findCategory(GenericCategories, a.Category).Name
		a.Slug = Slugify(a.Title)
		a.ID = fmt.Sprint(1000 + hash64("gen", s.Name)%9000)
		a.Tags = makeTags(s, "")
		a.Template = TemplateGeneric
	}
	if a.Tags == nil {
		a.Tags = []string{}
	}
	return a
}

func sortNewest(as []*Article) {
	sort.SliceStable(as, func(i, j int) bool {
		if !as[i].Published.Equal(as[j].Published) {
			return as[i].Published.After(as[j].Published)
		}
		return as[i].ID > as[j].ID
	})
}

// Generate builds the whole fixture tree from the seeds in seedsDir.
func Generate(seedsDir string) (Tree, error) {
	seeds, err := LoadSeeds(seedsDir)
	if err != nil {
		return nil, err
	}
	if len(seeds) == 0 {
		return nil, fmt.Errorf("sitegen: no seeds in %s", seedsDir)
	}
	htS, slS, genS := assign(seeds)
	tree := Tree{}
	var exp []Expected
	sites := []*Site{buildHatinh(htS), buildSonla(slS), buildGeneric(genS)}
	for _, site := range sites {
		checkRoutes(site)
		for p, b := range site.Files {
			tree[site.Name+"/"+p] = b
		}
		for _, a := range site.Articles {
			if _, ok := site.Files[a.File()]; !ok {
				continue
			}
			routes := site.Routes[a.ID]
			sort.Strings(routes)
			if routes == nil {
				routes = []string{}
			}
			body := a.Body
			if body == nil {
				body = []Block{}
			}
			cs := a.Charset
			if cs == "" {
				cs = "utf-8"
			}
			exp = append(exp, Expected{
				Site: a.Site, ID: a.ID, URL: a.URL(), AltURLs: site.AltURLs[a.ID], File: site.Name + "/" + a.File(),
				Template: a.Template, Charset: cs, Title: a.Title, Lead: a.Lead, Body: body, Authors: a.Authors,
				Published: ISOTime(a.Published), Modified: ISOTime(a.Modified), Category: a.CategoryName,
				Tags: a.Tags, Routes: routes, ListedOn: site.Listed[a.ID], Seed: a.Seed,
			})
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(ExpectedFile{
		Comment:  "Answer key for the fixture sites; generated by `go run ./internal/sitegen/cmd/gensites`. Texts are NFC, exactly as the pages show them.",
		Articles: exp,
	}); err != nil {
		return nil, err
	}
	tree["expected.json"] = buf.Bytes()
	tree["README.md"] = []byte(readme(sites, exp))
	return tree, nil
}

// Build generates the fixture tree from seedsDir and writes it to outDir
// (which it empties first of the files it owns: the three site directories,
// expected.json and README.md).
func Build(seedsDir, outDir string) error {
	t, err := Generate(seedsDir)
	if err != nil {
		return err
	}
	for _, d := range []string{SiteHatinh, SiteSonla, SiteGeneric} {
		if err := os.RemoveAll(filepath.Join(outDir, d)); err != nil {
			return err
		}
	}
	return t.Write(outDir)
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}
