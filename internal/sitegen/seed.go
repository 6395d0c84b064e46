package sitegen

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/baotinh/baotinh/extract"
	"golang.org/x/text/unicode/norm"
)

// Seed is the text of one seed dump, split into its parts.
type Seed struct {
	Name      string // file base name without .txt, e.g. "000_407ce489949a9cbd"
	Num       string // "000"
	Title     string
	Lead      string // without the paper's "(X) - " prefix; "" if the dump has none
	Body      []Block
	Authors   []string
	Published time.Time // zero if the dump has no stamp
	Province  string    // the paper's home province as extract reads it
}

var leadPrefix = regexp.MustCompile(`^\((?:[^()]{1,30})\)\s*[-–—]\s*`)

// clean puts text in NFC and collapses runs of white space (no-break spaces
// included) to one plain space.
func clean(s string) string {
	return strings.Join(strings.FieldsFunc(norm.NFC.String(s), func(r rune) bool {
		return r == ' ' || r == '\u00a0' || r == '\t' || r == '\r' || r == '\n' || r == '\u202f' || r == '\u2009'
	}), " ")
}

// subheading tells a short paragraph with no closing punctuation: a heading
// inside the body.
func subheading(t string) bool {
	if len(t) > 140 || strings.HasPrefix(t, "-") || strings.HasPrefix(t, "–") {
		return false
	}
	return !strings.ContainsAny(lastRune(t), ".:;?!…”\"»)")
}

func lastRune(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return ""
	}
	return string(r[len(r)-1])
}

// LoadSeeds reads every seed dump in dir, sorted by name.
func LoadSeeds(dir string) ([]*Seed, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []*Seed
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		out = append(out, ParseSeed(strings.TrimSuffix(filepath.Base(f), ".txt"), string(b)))
	}
	return out, nil
}

// ParseSeed splits a seed dump with extract.ParseText and tidies the result:
// lines repeating the title (image alt text in the dump) are dropped, the line
// after such a repeat is a caption, a repeated lead is dropped, and a title that
// is only the paper's name is replaced by the real one.
func ParseSeed(name, src string) *Seed {
	a := extract.ParseText(src)
	s := &Seed{Name: name, Num: name[:3], Province: a.Province, Authors: a.Authors}
	if !a.PublishedDateOnly && !a.Published.IsZero() {
		s.Published = a.Published.In(Vietnam)
	} else if !a.Published.IsZero() {
		s.Published = a.Published.In(Vietnam).Add(9 * time.Hour)
	}
	var lines []string
	for _, l := range strings.Split(src, "\n") {
		if l = clean(l); l != "" {
			lines = append(lines, l)
		}
	}
	type blk struct {
		kind, text string
		line       int
	}
	var blocks []blk
	pos := 0
	for _, b := range a.Blocks {
		t := clean(a.BlockText(b))
		ln := -1
		for i := pos; i < len(lines); i++ {
			if lines[i] == t || strings.HasSuffix(lines[i], t) {
				ln = i
				break
			}
		}
		if ln >= 0 {
			pos = ln + 1
		}
		blocks = append(blocks, blk{string(b.Kind), t, ln})
	}
	for _, b := range blocks {
		switch b.kind {
		case "title":
			if s.Title == "" {
				s.Title = b.text
			}
		case "lead":
			if s.Lead == "" {
				s.Lead = leadPrefix.ReplaceAllString(b.text, "")
			}
		}
	}
	// A title that is the paper's name: the real title is the first paragraph.
	if strings.HasPrefix(s.Title, "Báo ") && len(strings.Fields(s.Title)) <= 4 {
		for _, b := range blocks {
			if b.kind == "paragraph" {
				s.Title = b.text
				break
			}
		}
	}
	// Lines repeating the title after its first occurrence are image alt text.
	isAlt := make([]bool, len(lines))
	altStyle := false
	first := true
	for i, l := range lines {
		if strings.EqualFold(l, s.Title) {
			if !first {
				altStyle = true
				// The top image, right after the lead, has no caption.
				isAlt[i] = i == 0 || leadPrefix.ReplaceAllString(lines[i-1], "") != s.Lead
			}
			first = false
		}
	}
	seen := map[string]bool{}
	for _, b := range blocks {
		if b.kind != "paragraph" && b.kind != "caption" {
			continue
		}
		if b.text == s.Title || b.text == s.Lead || leadPrefix.ReplaceAllString(b.text, "") == s.Lead || seen[b.text] {
			continue
		}
		seen[b.text] = true
		kind := b.kind
		if altStyle && b.line > 0 {
			if isAlt[b.line-1] {
				kind = KindCaption
			} else {
				kind = KindParagraph
			}
		}
		if kind == KindParagraph && subheading(b.text) {
			kind = KindSubheading
		}
		s.Body = append(s.Body, Block{Kind: kind, Text: b.text})
	}
	return s
}
