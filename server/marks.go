package server

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/baotinh/baotinh/extract"
	"github.com/baotinh/baotinh/index"
)

// Mark is one span of an article's text that the extractor read as a fact:
// a person's name, an official title given to them, a place, a date, a
// figure, the words of a quote, a quoted term or a document.
type Mark struct {
	Kind  string `json:"kind"`  // person, title, place, date, figure, quote, term or document
	Start int    `json:"start"` // byte offsets into the article's text
	End   int    `json:"end"`
	Label string `json:"label"` // what was read: the name, the title, the date's value, ...
	Fact  int    `json:"fact"`  // the fact's index in its list of the analysis (people, places, ...; titles count every person's roles in order)
}

// kinds are the kinds of marks, in the order the article page lists them,
// with their Vietnamese names.
var kinds = []struct{ kind, name string }{
	{"person", "Người"}, {"title", "Chức danh"}, {"quote", "Trích dẫn"}, {"date", "Ngày tháng"},
	{"figure", "Số liệu"}, {"place", "Địa danh"}, {"term", "Thuật ngữ"}, {"document", "Văn bản"},
}

// marks lists the spans of an article's analysis, in text order.
func marks(a *index.Article) []Mark {
	out := []Mark{}
	an := a.Analysis
	if an == nil {
		return out
	}
	add := func(kind, label string, fact int, spans []extract.Span) {
		for _, sp := range spans {
			if sp[0] < 0 || sp[1] > len(a.Text) || sp[0] >= sp[1] {
				continue
			}
			out = append(out, Mark{kind, sp[0], sp[1], label, fact})
		}
	}
	role := 0
	for i, p := range an.People {
		add("person", p.Name, i, p.Spans)
		for _, r := range p.Roles {
			add("title", roleLabel(p.Name, r), role, r.Spans)
			role++
		}
	}
	for i, q := range an.Quotes {
		add("quote", quoteLabel(q), i, q.Spans)
	}
	for i, d := range an.Dates {
		add("date", d.Value, i, d.Spans)
	}
	for i, f := range an.Figures {
		add("figure", figureLabel(f), i, f.Spans)
	}
	for i, p := range an.Places {
		add("place", p.Name, i, p.Spans)
	}
	for i, t := range an.Terms {
		add("term", t.Text, i, t.Spans)
	}
	for i, d := range an.Documents {
		add("document", d.Kind+" "+d.Number, i, d.Spans)
	}
	slices.SortStableFunc(out, func(x, y Mark) int {
		return cmp.Or(cmp.Compare(x.Start, y.Start), cmp.Compare(y.End, x.End))
	})
	return out
}

func roleLabel(name string, r extract.Role) string {
	s := r.Title
	if r.Former {
		s = "nguyên " + s
	}
	if o := string(r.Organization); o != "" && !strings.Contains(strings.ToLower(s), strings.ToLower(o)) {
		s += " (" + o + ")"
	}
	return name + ": " + s
}

func quoteLabel(q extract.Quote) string {
	kind := "gián tiếp"
	if q.Kind == "direct" {
		kind = "trực tiếp"
	}
	if q.Speaker != "" {
		return string(q.Speaker) + ", " + kind
	}
	return "không rõ người nói, " + kind
}

func figureLabel(f extract.Figure) string {
	v := strconv.FormatFloat(f.Value, 'f', -1, 64)
	if f.Max != nil {
		v += "–" + strconv.FormatFloat(*f.Max, 'f', -1, 64)
	}
	s := strings.TrimSpace(v + " " + f.Unit)
	if f.Qualifier != "" && f.Qualifier != "exact" {
		s += " (" + f.Qualifier + ")"
	}
	return s
}

// segment is a run of text covered by the same marks.
type segment struct {
	Text    string
	Class   string   // "m m-person m-title", "" for plain text
	Tip     string   // the marks' labels, for a tooltip
	Anchors []string // ids of the marks that start here
}

// segments cuts text[start:end] at every mark boundary. ids[i] is the id of
// marks[i].
func segments(text string, start, end int, ms []Mark, ids []string) []segment {
	cuts := []int{start, end}
	for _, m := range ms {
		if m.End <= start || m.Start >= end {
			continue
		}
		cuts = append(cuts, max(m.Start, start), min(m.End, end))
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	var out []segment
	for i := 0; i+1 < len(cuts); i++ {
		a, b := cuts[i], cuts[i+1]
		seg := segment{Text: text[a:b]}
		var classes, tips []string
		for j, m := range ms {
			if m.Start <= a && m.End >= b {
				if c := "m-" + m.Kind; !slices.Contains(classes, c) {
					classes = append(classes, c)
				}
				tips = append(tips, kindName(m.Kind)+": "+m.Label)
			}
			if m.Start == a {
				seg.Anchors = append(seg.Anchors, ids[j])
			}
		}
		if len(classes) > 0 {
			seg.Class = "m " + strings.Join(classes, " ")
			seg.Tip = strings.Join(tips, "\n")
		}
		out = append(out, seg)
	}
	return out
}

func kindName(kind string) string {
	for _, k := range kinds {
		if k.kind == kind {
			return k.name
		}
	}
	return kind
}

// markID is the HTML id of the i-th mark.
func markID(i int) string { return fmt.Sprintf("m%d", i) }
