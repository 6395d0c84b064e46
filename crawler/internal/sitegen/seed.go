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

func clean(s string) string {
	s = norm.NFC.String(s)
	return strings.TrimSpace(strings.Trim(s, "\u00a0 \t\r\n"))
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
	altStyle := false
	for _, l := range lines[1:] {
		if l == s.Title {
			altStyle = true
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
			if lines[b.line-1] == s.Title {
				kind = KindCaption
			} else {
				kind = KindParagraph
			}
		}
		s.Body = append(s.Body, Block{Kind: kind, Text: b.text})
	}
	return s
}
