package index

import (
	"encoding/binary"
	"errors"
	"strconv"
	"time"

	"github.com/baotinh/baotinh/extract"
)

// Article is an indexed article as it is stored and exported: the article's
// metadata, its text with the blocks it is made of, and the extractor's
// analysis, whose spans point into Text. Its JSON is the line format of
// `baotinh export --format jsonl`; fields are only ever added.
type Article struct {
	ID        string            `json:"id"` // site:site_id, stable across crawls and reindexes
	Site      string            `json:"site"`
	SiteID    string            `json:"site_id"`
	URL       string            `json:"url"`
	Title     string            `json:"title"`
	Published string            `json:"published"` // RFC 3339 in +07:00, YYYY-MM-DD when only the day is known, or ""
	Modified  string            `json:"modified"`
	Category  string            `json:"category"`
	Tags      []string          `json:"tags"`
	Authors   []string          `json:"authors"`
	Text      string            `json:"text"`
	Blocks    []extract.Block   `json:"blocks"`
	Analysis  *extract.Analysis `json:"analysis"`
	Indexed   time.Time         `json:"indexed"`
}

// ArticleID is the id of an article in the index: "site:id".
func ArticleID(site, siteID string) string { return site + ":" + siteID }

// PublishedTime returns the publication time (midnight in Vietnam when only
// the day is known), or zero.
func (a *Article) PublishedTime() time.Time { return parsePublished(a.Published) }

func parsePublished(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.In(extract.Vietnam)
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, extract.Vietnam); err == nil {
		return t
	}
	return time.Time{}
}

// blockTexts returns the texts of the blocks of one kind, in order, with
// their spans.
func (a *Article) blockTexts(kind extract.BlockKind) ([]string, []extract.Span) {
	var texts []string
	var spans []extract.Span
	for _, b := range a.Blocks {
		if b.Kind != kind || b.Span[1] > len(a.Text) || b.Span[0] > b.Span[1] {
			continue
		}
		texts = append(texts, a.Text[b.Span[0]:b.Span[1]])
		spans = append(spans, b.Span)
	}
	return texts, spans
}

// roleFact is one role of one person in one article: what a role record
// holds and a row of the officials table is made from. It is stored in a
// compact binary form: the full officials table decodes every one of them.
type roleFact struct {
	ID          string // article id + "/" + person + "." + role
	Person      string
	PersonPlace string
	Title       string
	Org         string
	Level       string
	Place       string
	Former      bool
	Site        string
	Article     string
	URL         string
	Published   string
	Evidence    []evidence
}

// evidence is one mention of the role with the name: the sentence it is in
// and the span of the mention, both in the article's text.
type evidence struct {
	Sentence string
	At       extract.Span // the sentence's span in the article text
	Span     extract.Span // the mention
}

func roleID(article string, person, role int) string {
	return article + "/" + strconv.Itoa(person) + "." + strconv.Itoa(role)
}

// roleFacts makes the role facts of an article.
func roleFacts(a *Article, sentences []extract.Span) []roleFact {
	if a.Analysis == nil {
		return nil
	}
	var out []roleFact
	for i, p := range a.Analysis.People {
		for j, r := range p.Roles {
			f := roleFact{ID: roleID(a.ID, i, j), Person: p.Name, PersonPlace: string(p.Place),
				Title: r.Title, Org: string(r.Organization), Level: string(r.Level), Place: string(r.Place),
				Former: r.Former, Site: a.Site, Article: a.ID, URL: a.URL, Published: a.Published}
			for _, s := range r.Spans {
				at := extract.SentenceAt(sentences, s)
				if at[1] > len(a.Text) || at[0] > at[1] {
					continue
				}
				f.Evidence = append(f.Evidence, evidence{Sentence: a.Text[at[0]:at[1]], At: at, Span: s})
			}
			out = append(out, f)
		}
	}
	return out
}

// roleIDs lists the ids of an article's role facts.
func roleIDs(a *Article) []string {
	if a.Analysis == nil {
		return nil
	}
	var ids []string
	for i, p := range a.Analysis.People {
		for j := range p.Roles {
			ids = append(ids, roleID(a.ID, i, j))
		}
	}
	return ids
}

// encode writes the fact as length-prefixed strings and varints.
func (f *roleFact) encode() []byte {
	n := 16
	strs := []string{f.ID, f.Person, f.PersonPlace, f.Title, f.Org, f.Level, f.Place, f.Site, f.Article, f.URL, f.Published}
	for _, s := range strs {
		n += len(s) + 2
	}
	for _, e := range f.Evidence {
		n += len(e.Sentence) + 16
	}
	b := make([]byte, 0, n)
	for _, s := range strs {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	if f.Former {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(len(f.Evidence)))
	for _, e := range f.Evidence {
		b = binary.AppendUvarint(b, uint64(len(e.Sentence)))
		b = append(b, e.Sentence...)
		for _, v := range []int{e.At[0], e.At[1], e.Span[0], e.Span[1]} {
			b = binary.AppendUvarint(b, uint64(v))
		}
	}
	return b
}

var errCorrupt = errors.New("index: corrupt role record")

// decodeRole reads a fact written by encode; with evidence false it skips
// the sentences, which the officials table does not need.
func decodeRole(b []byte, withEvidence bool) (roleFact, error) {
	var f roleFact
	str := func() (string, bool) {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return "", false
		}
		s := string(b[k : k+int(n)])
		b = b[k+int(n):]
		return s, true
	}
	for _, p := range []*string{&f.ID, &f.Person, &f.PersonPlace, &f.Title, &f.Org, &f.Level, &f.Place, &f.Site, &f.Article, &f.URL, &f.Published} {
		s, ok := str()
		if !ok {
			return f, errCorrupt
		}
		*p = s
	}
	if len(b) < 1 {
		return f, errCorrupt
	}
	f.Former, b = b[0] == 1, b[1:]
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return f, errCorrupt
	}
	b = b[k:]
	if !withEvidence {
		return f, nil
	}
	for range n {
		var e evidence
		s, ok := str()
		if !ok {
			return f, errCorrupt
		}
		e.Sentence = s
		for _, p := range []*int{&e.At[0], &e.At[1], &e.Span[0], &e.Span[1]} {
			v, k := binary.Uvarint(b)
			if k <= 0 {
				return f, errCorrupt
			}
			*p, b = int(v), b[k:]
		}
		f.Evidence = append(f.Evidence, e)
	}
	return f, nil
}

// day returns the YYYY-MM-DD of a published value, or "".
func day(published string) string {
	if len(published) >= 10 && published[4] == '-' && published[7] == '-' {
		return published[:10]
	}
	return ""
}
