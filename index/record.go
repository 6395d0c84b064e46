package index

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
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

// evidence is one mention of the role with the name: the span of the
// sentence it is in and the span of the mention, both in the article's
// text.
type evidence struct {
	At   extract.Span // the sentence's span in the article text
	Span extract.Span // the mention
}

func roleID(article string, person, role int) string {
	return article + "/" + strconv.Itoa(person) + "." + strconv.Itoa(role)
}

// roleSentences returns the sentences of the blocks of an article that
// hold a mention of a title: those roleFacts looks for. Sentences are split
// block by block, so they are the sentences extract.Sentences finds there;
// splitting the other blocks was a tenth of the time of indexing.
func roleSentences(a *Article) []extract.Span {
	if a.Analysis == nil || !hasRoles(a.Analysis) {
		return nil
	}
	var blocks []extract.Block
	for _, b := range a.Blocks {
		has := false
		for _, p := range a.Analysis.People {
			for _, r := range p.Roles {
				for _, s := range r.Spans {
					has = has || s[0] >= b.Span[0] && s[0] < b.Span[1]
				}
			}
		}
		if has {
			blocks = append(blocks, b)
		}
	}
	return extract.Sentences(&extract.Article{Text: a.Text, Blocks: blocks})
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
				f.Evidence = append(f.Evidence, evidence{At: at, Span: s})
			}
			out = append(out, f)
		}
	}
	return out
}

// The role facts of an article are one record of the store, keyed by the
// article's id: a version byte (rolesRecordVersion), the number of facts as
// a uvarint, then, in a zstd frame, the article's site, id, URL and
// publication once and each fact (in the order of their ids) with the spans
// of its evidence; the sentences are read from the article's text when they
// are asked for.
//
// Zstd with the store's dictionary for role records (dictionary.go), not
// snappy as up to baotinh-8: a record is small (1.5 kB on average) and
// snappy kept 55% of its bytes, zstd alone 49%, zstd with a dictionary
// trained on 200 records 32% (4,995 records of the synthetic corpus).
// Zstd decodes a record a few µs slower: the full officials table of
// 50,000 articles took 0.75 s, against 0.60-0.64 s with snappy.
const rolesRecordVersion = 2 // baotinh-10: zstd; 1: snappy; before it, no version byte and no compression

// encodeRoles makes the record of the facts of one article, which share its
// site, id, URL and publication.
func (c *recordCodec) encodeRoles(facts []roleFact) []byte {
	if len(facts) == 0 {
		return nil
	}
	raw := roleFactBytes(facts)
	_, k := binary.Uvarint(raw)
	return c.rolesRecord(raw[:k], raw[k:])
}

// rolesRecord makes a record of the count of facts and the rest of their
// bytes, uncompressed.
func (c *recordCodec) rolesRecord(count, rest []byte) []byte {
	out := make([]byte, 0, 1+len(count)+len(rest)/2)
	out = append(out, rolesRecordVersion)
	out = append(out, count...)
	return c.roles.EncodeAll(rest, out)
}

// roleFactBytes writes the facts of one article, uncompressed: their number,
// then length-prefixed strings and varints.
func roleFactBytes(facts []roleFact) []byte {
	facts = slices.Clone(facts)
	slices.SortFunc(facts, func(x, y roleFact) int { return strings.Compare(x.ID, y.ID) })
	f0 := &facts[0]
	b := binary.AppendUvarint(nil, uint64(len(facts)))
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	for _, s := range []string{f0.Site, f0.Article, f0.URL, f0.Published} {
		str(s)
	}
	for i := range facts {
		f := &facts[i]
		str(strings.TrimPrefix(f.ID, f.Article+"/"))
		for _, s := range []string{f.Person, f.PersonPlace, f.Title, f.Org, f.Level, f.Place} {
			str(s)
		}
		if f.Former {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
		b = binary.AppendUvarint(b, uint64(len(f.Evidence)))
		for _, e := range f.Evidence {
			for _, v := range []int{e.At[0], e.At[1], e.Span[0], e.Span[1]} {
				b = binary.AppendUvarint(b, uint64(v))
			}
		}
	}
	return b
}

var errCorrupt = errors.New("index: corrupt role record")

// roleHeader returns the number of facts of a record written by encodeRoles
// and the rest of it.
func roleHeader(rec []byte) (uint64, []byte, error) {
	if len(rec) == 0 {
		return 0, nil, errCorrupt
	}
	if rec[0] != rolesRecordVersion {
		return 0, nil, fmt.Errorf("index: a role record of layout %d, where this binary reads layout %d: run `baotinh reindex`", rec[0], rolesRecordVersion)
	}
	n, k := binary.Uvarint(rec[1:])
	if k <= 0 {
		return 0, nil, errCorrupt
	}
	return n, rec[1+k:], nil
}

// roleCount returns the number of facts of a record written by encodeRoles,
// 0 for none or a record it cannot read.
func roleCount(rec []byte) int {
	n, _, err := roleHeader(rec)
	if err != nil {
		return 0
	}
	return int(n)
}

// decodeRoles calls fn for each fact of a record written by encodeRoles,
// in id order; the evidence has its spans, not its sentences. The fact
// passed to fn is reused.
func (c *recordCodec) decodeRoles(rec []byte, fn func(*roleFact) error) error {
	n, packed, err := roleHeader(rec)
	if err != nil {
		return err
	}
	// An error of the frame is a corrupt record; one of the facts or of
	// fn is returned as it is.
	var facts error
	err = c.unzstd(packed, func(b []byte) error {
		if n > uint64(len(b)) {
			facts = errCorrupt
			return nil
		}
		facts = decodeRoleFacts(n, b, fn)
		return nil
	})
	if err != nil {
		return errCorrupt
	}
	return facts
}

// decodeRoleFacts reads n facts from b, what follows the count in
// roleFactBytes.
func decodeRoleFacts(n uint64, b []byte, fn func(*roleFact) error) error {
	str := func() (string, bool) {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return "", false
		}
		s := string(b[k : k+int(n)])
		b = b[k+int(n):]
		return s, true
	}
	uv := func() (uint64, bool) {
		v, k := binary.Uvarint(b)
		if k <= 0 {
			return 0, false
		}
		b = b[k:]
		return v, true
	}
	var f roleFact
	var ok bool
	for _, p := range []*string{&f.Site, &f.Article, &f.URL, &f.Published} {
		if *p, ok = str(); !ok {
			return errCorrupt
		}
	}
	for range n {
		suffix, ok := str()
		if !ok {
			return errCorrupt
		}
		f.ID = f.Article + "/" + suffix
		for _, p := range []*string{&f.Person, &f.PersonPlace, &f.Title, &f.Org, &f.Level, &f.Place} {
			if *p, ok = str(); !ok {
				return errCorrupt
			}
		}
		if len(b) < 1 {
			return errCorrupt
		}
		f.Former, b = b[0] == 1, b[1:]
		m, ok := uv()
		if !ok || m > uint64(len(b)) {
			return errCorrupt
		}
		f.Evidence = f.Evidence[:0]
		for range m {
			var e evidence
			for _, p := range []*int{&e.At[0], &e.At[1], &e.Span[0], &e.Span[1]} {
				v, ok := uv()
				if !ok {
					return errCorrupt
				}
				*p = int(v)
			}
			f.Evidence = append(f.Evidence, e)
		}
		if err := fn(&f); err != nil {
			return err
		}
	}
	if len(b) != 0 {
		return errCorrupt
	}
	return nil
}

// day returns the YYYY-MM-DD of a published value, or "".
func day(published string) string {
	if len(published) >= 10 && published[4] == '-' && published[7] == '-' {
		return published[:10]
	}
	return ""
}
