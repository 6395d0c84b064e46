package crawler

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/baotinh/baotinh/extract"
)

//go:embed profiles/*.json
var embeddedProfiles embed.FS

// A Profile describes one news site as data: which hosts are its own, which
// URLs are articles and what their ids are, where discovery starts, which pages
// are listings worth following, and the selectors of its HTML templates. The
// profiles of Báo Hà Tĩnh and Báo Sơn La are embedded; a user adds a paper by
// writing a JSON file of the same shape (see LoadProfile).
type Profile struct {
	Name     string   `json:"name"`     // short name used on the command line: "baohatinh"
	Paper    string   `json:"paper"`    // the paper's name: "Báo Hà Tĩnh"
	Province string   `json:"province"` // home province, for titles that say only "tỉnh"
	Origin   string   `json:"origin"`   // canonical scheme and host: "https://baohatinh.vn"
	Hosts    []string `json:"hosts"`    // every host that serves the site (old domains too)

	Article ArticleRule `json:"article"`
	// Listings are regular expressions on URL paths: pages that list articles
	// and are followed when found. Exclude are paths never fetched.
	Listings []string `json:"listings"`
	Exclude  []string `json:"exclude"`

	Entry     Entry     `json:"entry"`
	Selectors Selectors `json:"selectors"`

	// Generic is set for the profile made up for a site given by URL: articles
	// are recognized by their content, not their URL.
	Generic bool `json:"-"`

	origin   *url.URL
	article  *regexp.Regexp
	idMust   *regexp.Regexp
	notArt   *regexp.Regexp
	rewrites []compiledRewrite
	listings []*regexp.Regexp
	exclude  []*regexp.Regexp
	paging   *regexp.Regexp
	pageRe   *regexp.Regexp
}

// ArticleRule tells article URLs from the rest and reads their ids.
type ArticleRule struct {
	// Pattern is matched against the URL path; its first group is the id.
	Pattern string `json:"pattern"`
	// IDMustMatch, if set, must also match the id (Sơn La's ids mix case and
	// digits, which tells them from a slug's last word).
	IDMustMatch string `json:"id_must_match,omitempty"`
	// Not is a path pattern that is never an article even when Pattern matches.
	Not string `json:"not,omitempty"`
	// Rewrite turns variant paths into the canonical one (".amp" -> ".html").
	Rewrite []Rewrite `json:"rewrite,omitempty"`
}

// Rewrite replaces Pattern with Replace in a path ($1 refers to groups).
type Rewrite struct {
	Pattern string `json:"pattern"`
	Replace string `json:"replace"`
}

type compiledRewrite struct {
	re      *regexp.Regexp
	replace string
}

// Entry is where discovery starts.
type Entry struct {
	Sitemaps []string `json:"sitemaps"` // sitemap or sitemap index paths
	Feeds    []string `json:"feeds"`    // RSS or Atom feed paths
	Listings []string `json:"listings"` // listing pages: home, latest news, categories
	// Pagination, if set, makes numbered pages from a listing path:
	// {"listing": "^/([a-z0-9-]+)\\.html$", "page": "/$1/trang-{n}.html"}.
	Pagination *Pagination `json:"pagination,omitempty"`
}

// Pagination describes numbered listing pages (Sơn La's trang-N).
type Pagination struct {
	Listing string `json:"listing"`
	Page    string `json:"page"`
}

// LoadProfile reads a profile from a JSON file.
func LoadProfile(file string) (*Profile, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("crawler: profile: %w", err)
	}
	p, err := parseProfile(data)
	if err != nil {
		return nil, fmt.Errorf("crawler: profile %s: %w", file, err)
	}
	return p, nil
}

func parseProfile(data []byte) (*Profile, error) {
	var p Profile
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, err
	}
	if err := p.compile(); err != nil {
		return nil, err
	}
	return &p, nil
}

func (p *Profile) compile() error {
	if p.Name == "" {
		return errors.New("no name")
	}
	o, err := url.Parse(p.Origin)
	if err != nil || (o.Scheme != "http" && o.Scheme != "https") || o.Host == "" {
		return fmt.Errorf("origin %q is not an http(s) URL", p.Origin)
	}
	p.origin = &url.URL{Scheme: o.Scheme, Host: strings.ToLower(o.Host)}
	if len(p.Hosts) == 0 {
		p.Hosts = []string{p.origin.Host}
	}
	for i, h := range p.Hosts {
		p.Hosts[i] = strings.ToLower(h)
	}
	re := func(what, s string) (*regexp.Regexp, error) {
		if s == "" {
			return nil, nil
		}
		r, err := regexp.Compile(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		return r, nil
	}
	if !p.Generic {
		if p.article, err = re("article.pattern", p.Article.Pattern); err != nil {
			return err
		}
		if p.article == nil || p.article.NumSubexp() < 1 {
			return errors.New("article.pattern must have a group for the id")
		}
	}
	if p.idMust, err = re("article.id_must_match", p.Article.IDMustMatch); err != nil {
		return err
	}
	if p.notArt, err = re("article.not", p.Article.Not); err != nil {
		return err
	}
	for _, rw := range p.Article.Rewrite {
		r, err := re("article.rewrite", rw.Pattern)
		if err != nil {
			return err
		}
		p.rewrites = append(p.rewrites, compiledRewrite{r, rw.Replace})
	}
	for _, s := range p.Listings {
		r, err := re("listings", s)
		if err != nil {
			return err
		}
		p.listings = append(p.listings, r)
	}
	for _, s := range p.Exclude {
		r, err := re("exclude", s)
		if err != nil {
			return err
		}
		p.exclude = append(p.exclude, r)
	}
	if err := p.Selectors.Validate(); err != nil {
		return fmt.Errorf("selectors: %w", err)
	}
	if pg := p.Entry.Pagination; pg != nil {
		if p.paging, err = re("entry.pagination.listing", pg.Listing); err != nil {
			return err
		}
		if p.paging == nil || !strings.Contains(pg.Page, "{n}") {
			return errors.New("entry.pagination needs a listing pattern and a page with {n}")
		}
		// The numbered pages themselves, to leave them to the pagination walk.
		q := regexp.QuoteMeta(pg.Page)
		q = strings.ReplaceAll(q, `\{n\}`, `\d+`)
		q = regexp.MustCompile(`\$\d+|\$\{\w+\}`).ReplaceAllString(q, `[^/]+`)
		if p.pageRe, err = regexp.Compile("^" + q + "$"); err != nil {
			return fmt.Errorf("entry.pagination.page: %w", err)
		}
	}
	return nil
}

// Profiles returns the embedded profiles, sorted by name.
func Profiles() []*Profile {
	entries, err := fs.Glob(embeddedProfiles, "profiles/*.json")
	if err != nil {
		panic(err) // the pattern is constant
	}
	var ps []*Profile
	for _, e := range entries {
		data, _ := embeddedProfiles.ReadFile(e)
		p, err := parseProfile(data)
		if err != nil {
			panic(fmt.Sprintf("crawler: embedded profile %s: %v", e, err))
		}
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
	return ps
}

// UserProfiles returns the profiles in dir (a data directory's profiles/),
// which add papers or replace embedded profiles of the same name.
func UserProfiles(dir string) ([]*Profile, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("crawler: %w", err)
	}
	sort.Strings(files)
	var ps []*Profile
	for _, f := range files {
		p, err := LoadProfile(f)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// GenericProfile makes a profile for a news site known only by its URL: its
// host (with and without www.) is allowed, discovery starts at robots.txt,
// /sitemap.xml, the feeds the home page announces and the home page, and a page
// is an article when its markup says so (JSON-LD NewsArticle, og:type article).
func GenericProfile(site string) (*Profile, error) {
	u, err := url.Parse(site)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("crawler: site %q is neither a profile name nor an http(s) URL", site)
	}
	host := strings.ToLower(u.Hostname())
	bare := strings.TrimPrefix(host, "www.")
	hosts := []string{host}
	if bare != host {
		hosts = append(hosts, bare)
	} else {
		hosts = append(hosts, "www."+host)
	}
	if u.Port() != "" {
		for i := range hosts {
			hosts[i] += ":" + u.Port()
		}
	}
	name := strings.Split(bare, ".")[0]
	p := &Profile{
		Name:    name,
		Paper:   bare,
		Origin:  u.Scheme + "://" + u.Host,
		Hosts:   hosts,
		Generic: true,
		Exclude: []string{
			`\.(?:pdf|jpe?g|png|gif|webp|svg|css|js|mp3|mp4|zip|docx?|xlsx?|xml|rss)$`,
			`^/(?:wp-admin|wp-login|search|tim-kiem|login|dang-nhap)`,
		},
		Entry: Entry{Sitemaps: []string{"/sitemap.xml"}, Listings: []string{"/"}},
	}
	p.Province = extract.ProvinceOf(bare)
	if err := p.compile(); err != nil {
		return nil, fmt.Errorf("crawler: site %s: %w", site, err)
	}
	return p, nil
}

// Resolve finds the profile a --site value names: a profile name, "all" is
// handled by the caller; a URL whose host belongs to a known profile gives that
// profile, any other URL the generic profile.
func Resolve(site string, known []*Profile) (*Profile, error) {
	for _, p := range known {
		if p.Name == site {
			return p, nil
		}
	}
	if strings.Contains(site, "://") {
		u, err := url.Parse(site)
		if err == nil {
			if p := ProfileForHost(u.Host, known); p != nil {
				return p, nil
			}
		}
		return GenericProfile(site)
	}
	names := make([]string, len(known))
	for i, p := range known {
		names[i] = p.Name
	}
	return nil, fmt.Errorf("crawler: unknown site %q (known: %s, all, or a URL)", site, strings.Join(names, ", "))
}

// ProfileForHost returns the profile serving host, or nil.
func ProfileForHost(host string, known []*Profile) *Profile {
	host = strings.ToLower(host)
	for _, p := range known {
		if p.Allowed(host) {
			return p
		}
	}
	return nil
}

// OriginURL returns the site's canonical origin.
func (p *Profile) OriginURL() *url.URL { u := *p.origin; return &u }

// Allowed reports whether host is one of the site's hosts.
func (p *Profile) Allowed(host string) bool {
	host = strings.ToLower(host)
	for _, h := range p.Hosts {
		if h == host {
			return true
		}
	}
	return false
}

// Excluded reports whether a path is never to be fetched.
func (p *Profile) Excluded(pth string) bool {
	for _, r := range p.exclude {
		if r.MatchString(pth) {
			return true
		}
	}
	return false
}

// ArticleID returns the article id of a URL on this site, or "" when the URL
// is not an article (or the profile is generic and cannot tell from the URL).
func (p *Profile) ArticleID(u *url.URL) string {
	if !p.Allowed(u.Host) {
		return ""
	}
	pth := u.EscapedPath()
	if p.Generic {
		if looksLikeArticle(pth) && !p.Excluded(pth) {
			return p.rewritten(pth)
		}
		return ""
	}
	if p.article == nil {
		return ""
	}
	if p.notArt != nil && p.notArt.MatchString(pth) {
		return ""
	}
	m := p.article.FindStringSubmatch(pth)
	if m == nil {
		return ""
	}
	id := m[1]
	if p.idMust != nil && !p.idMust.MatchString(id) {
		return ""
	}
	return id
}

// IsPage reports whether a path is a numbered page of a listing (page 2 on),
// which the pagination walk visits in order.
func (p *Profile) IsPage(pth string) bool { return p.pageRe != nil && p.pageRe.MatchString(pth) }

// IsListing reports whether a URL on this site is a listing page to follow.
func (p *Profile) IsListing(u *url.URL) bool {
	if !p.Allowed(u.Host) || p.Excluded(u.EscapedPath()) {
		return false
	}
	if p.Generic {
		return true
	}
	for _, r := range p.listings {
		if r.MatchString(u.EscapedPath()) {
			return true
		}
	}
	return false
}

// Canonical returns the canonical form of a URL on this site: the profile's
// origin, the path rewritten to its canonical variant, no query, no fragment.
func (p *Profile) Canonical(u *url.URL) string {
	pth := u.EscapedPath()
	if pth == "" {
		pth = "/"
	}
	return p.origin.String() + p.rewritten(pth)
}

func (p *Profile) rewritten(pth string) string {
	for _, rw := range p.rewrites {
		pth = rw.re.ReplaceAllString(pth, rw.replace)
	}
	return pth
}

// looksLikeArticle tells an article's path on a site known only by URL: a
// WordPress date path (/2025/06/17/slug/), a page ending .html/.htm whose last
// segment is a long slug or carries a numeric id, or a long slug with a
// numeric id. The parser has the last word: a page that is not an article
// after all is recorded as such.
func looksLikeArticle(pth string) bool {
	if wpDate.MatchString(pth) {
		return true
	}
	seg := strings.TrimSuffix(pth, "/")
	if i := strings.LastIndexByte(seg, '/'); i >= 0 {
		seg = seg[i+1:]
	}
	ext := path.Ext(seg)
	slug := strings.TrimSuffix(seg, ext)
	hyphens := strings.Count(slug, "-")
	hasID := numericID.MatchString(slug)
	switch ext {
	case ".html", ".htm", ".amp":
		return hyphens >= 3 || (hasID && hyphens >= 1)
	case "":
		return hyphens >= 4 && hasID
	}
	return false
}

var (
	wpDate    = regexp.MustCompile(`^/\d{4}/\d{2}/(?:\d{2}/)?[^/]+/?$`)
	numericID = regexp.MustCompile(`(?:^|[-_.a-z])\d{4,}$`)
)

// Pages returns the URL path of page n (n >= 2) of a listing path, or "" when
// the site has no numbered pages for it.
func (p *Profile) Pages(listingPath string, n int) string {
	if p.paging == nil {
		return ""
	}
	m := p.paging.FindStringSubmatchIndex(listingPath)
	if m == nil {
		return ""
	}
	tmpl := strings.ReplaceAll(p.Entry.Pagination.Page, "{n}", strconv.Itoa(n))
	return string(p.paging.ExpandString(nil, tmpl, listingPath, m))
}
