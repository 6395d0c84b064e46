package crawler

import (
	"fmt"
	"regexp"
	"sync"

	"github.com/andybalholm/cascadia"
)

// Selectors are the CSS selectors of a site's own layer in the parser, kept as
// data in the site's profile (the "selectors" key), so that a change of
// layout costs one edit of a JSON file. The same type holds the generic
// layer's selectors, which are tried for every site after its own.
//
// For Title, Lead, Body, Published, Modified and Category each selector is
// tried in order and the first that matches an element with text supplies
// the field. Caption, Tags, Drop and StopAt use every selector. Author
// elements are those of all its selectors: the last one (in document order)
// whose text reads as a byline is the byline, and its repeats elsewhere on
// the page are removed with it.
type Selectors struct {
	Title []string `json:"title,omitempty"`
	Lead  []string `json:"lead,omitempty"`
	// Body is the element holding the article's paragraphs; the title and
	// lead elements are left out of it if it contains them.
	Body []string `json:"body,omitempty"`
	// Caption marks elements inside the body whose text is an image caption
	// (figcaption always is).
	Caption   []string `json:"caption,omitempty"`
	Author    []string `json:"author,omitempty"`
	Published []string `json:"published,omitempty"`
	Modified  []string `json:"modified,omitempty"`
	Category  []string `json:"category,omitempty"`
	Tags      []string `json:"tags,omitempty"`
	// Drop lists elements removed before any text is read (ads, players,
	// related-article boxes inside the body).
	Drop []string `json:"drop,omitempty"`
	// StopAt lists elements at which the body ends (comment widgets, "Tin mới").
	StopAt []string `json:"stop_at,omitempty"`
	// StopText are regular expressions matched against each body paragraph
	// in lower case with spaces collapsed: the body ends before the first
	// paragraph that matches ("^tin mới$").
	StopText []string `json:"stop_text,omitempty"`
	// DropText are regular expressions like StopText: paragraphs that match
	// are left out (an unrendered comment template's "{name} - {time}").
	DropText []string `json:"drop_text,omitempty"`
}

// Validate reports the first selector or pattern that does not compile.
func (s *Selectors) Validate() error {
	for _, list := range []struct {
		name string
		sels []string
	}{
		{"title", s.Title}, {"lead", s.Lead}, {"body", s.Body}, {"caption", s.Caption},
		{"author", s.Author}, {"published", s.Published}, {"modified", s.Modified},
		{"category", s.Category}, {"tags", s.Tags}, {"drop", s.Drop}, {"stop_at", s.StopAt},
	} {
		for _, sel := range list.sels {
			if _, err := compileSelector(sel); err != nil {
				return fmt.Errorf("crawler: selectors.%s: %w", list.name, err)
			}
		}
	}
	for _, list := range []struct {
		name string
		res  []string
	}{{"stop_text", s.StopText}, {"drop_text", s.DropText}} {
		for _, re := range list.res {
			if _, err := compilePattern(re); err != nil {
				return fmt.Errorf("crawler: selectors.%s: %w", list.name, err)
			}
		}
	}
	return nil
}

// baseDrop are the elements whose text is never article text, on any site.
var baseDrop = []string{
	"script", "style", "noscript", "iframe", "frame", "svg", "math", "template", "object", "embed",
	"video", "audio", "canvas", "map", "form", "button", "select", "textarea", "input", "label",
	"[hidden]", "[style*='display:none']", "[style*='display: none']",
}

// baseStopText and baseDropText apply on every site: the headings that end
// an article on Vietnamese news pages, and widget text that is never prose.
var (
	baseStopText = []string{
		`^(?:tin mới|tin liên quan|bài liên quan|tin cùng chuyên mục|tin khác|các tin khác|đọc thêm|xem thêm|có thể bạn quan tâm|các tin đã đưa|tin đã đưa|tin bài liên quan)\s*:?$`,
		`^(?:bình luận|ý kiến bạn đọc|ý kiến|gửi bình luận|viết bình luận|leave a reply|leave a comment)\s*(?:\(\d+\))?:?$`,
		`^\d+ (?:bình luận|ý kiến)$`,
		`^chủ đề\s*:?\s*[^.!?;]{1,40}$`,
	}
	baseDropText = []string{
		`\{(?:name|time|body|content|date)\}`,
		`^(?:trả lời|thích|chia sẻ|quảng cáo|advertisement|giọng nữ|giọng nam|giọng nữ giọng nam|nghe bài viết|nghe đọc bài|tắt \[x\]|hãy chia sẻ với bạn bè!?|in bài viết|gửi|skip to (?:main )?content)$`,
		`^bạn còn \d+/\d+ ký tự$`,
		`^bạn vui lòng nhập từ \d+ ký tự trở lên`,
		`^ý kiến của bạn sẽ được biên tập`,
	}
)

// genericSelectors is the generic layer: what news pages of any CMS (and
// WordPress in particular) commonly use. It is tried after the site's own.
var genericSelectors = Selectors{
	Title: []string{"article h1", "main h1", "h1"},
	Lead: []string{
		"[itemprop=description]", ".sapo", ".lead", ".article-lead", ".article__sapo", ".article-summary",
		".summary", ".entry-summary", ".excerpt", ".description",
	},
	Body: []string{
		"[itemprop=articleBody]", ".entry-content", ".article-content", ".article-body", ".article__body",
		".post-content", ".content-detail", ".detail-content", ".news-content", "#content-detail",
	},
	Caption: []string{"figcaption", ".caption", ".image-caption", ".wp-caption-text", ".image_desc", ".PhotoCMS_Caption"},
	Author: []string{
		"[rel=author]", "[itemprop=author] [itemprop=name]", ".byline .author", ".author-name", ".author",
		".has-text-align-right", ".text-right", ".text-end", "[align=right]",
		"[style*='text-align:right']", "[style*='text-align: right']",
	},
	Published: []string{
		"[itemprop=datePublished]", "time.published[datetime]", "time.entry-date[datetime]", "article time[datetime]",
		"time[datetime]", "[data-time]",
	},
	Modified: []string{"[itemprop=dateModified]", "time.updated[datetime]"},
	Category: []string{
		"[rel~=category]", ".cat-links a", ".breadcrumb a.active", ".breadcrumbs a.active", ".breadcrumb li:last-child a",
		".breadcrumbs a:last-child",
	},
	Tags: []string{"a[rel=tag]", ".tags a", ".tag a", ".tags-links a", ".article-tags a"},
	Drop: []string{
		"[id^=ads]", "[class^=ads]", "[class*=' ads']", ".advertisement", "[class*=related]", "[class*=share]",
		"[class*=social]", "[class*=comment]", ".audio-article", ".post-thumbnail", "aside", "nav",
	},
	StopAt: []string{"#comments", ".comments-area", "footer", ".entry-footer"},
}

var (
	selCache sync.Map // selector string -> cascadia.Sel or error
	reCache  sync.Map // pattern -> *regexp.Regexp or error
)

// compileSelector compiles a CSS selector group once.
func compileSelector(s string) (cascadia.SelectorGroup, error) {
	if v, ok := selCache.Load(s); ok {
		if err, bad := v.(error); bad {
			return nil, err
		}
		return v.(cascadia.SelectorGroup), nil
	}
	g, err := cascadia.ParseGroup(s)
	if err != nil {
		err = fmt.Errorf("selector %q: %w", s, err)
		selCache.Store(s, err)
		return nil, err
	}
	selCache.Store(s, g)
	return g, nil
}

// compilePattern compiles a text pattern once; patterns match lower-case text.
func compilePattern(s string) (*regexp.Regexp, error) {
	if v, ok := reCache.Load(s); ok {
		if err, bad := v.(error); bad {
			return nil, err
		}
		return v.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(s)
	if err != nil {
		err = fmt.Errorf("pattern %q: %w", s, err)
		reCache.Store(s, err)
		return nil, err
	}
	reCache.Store(s, re)
	return re, nil
}

// patterns compiles a list of patterns, skipping those that do not compile
// (Validate reports them).
func patterns(lists ...[]string) []*regexp.Regexp {
	var out []*regexp.Regexp
	for _, l := range lists {
		for _, s := range l {
			if re, err := compilePattern(s); err == nil {
				out = append(out, re)
			}
		}
	}
	return out
}
