package index

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/baotinh/baotinh/extract"
)

// OfficialsFilter selects role facts for the officials tables.
type OfficialsFilter struct {
	Title  string    // the title holds this phrase ("chu tich" matches Chủ tịch and Phó Chủ tịch)
	Person string    // the name holds this phrase
	Place  string    // the title's place holds this phrase
	Sites  []string  // from these sites
	From   time.Time // articles published at or after
	To     time.Time // articles published before
}

func (f *OfficialsFilter) empty() bool {
	return f.Title == "" && f.Person == "" && f.Place == "" && len(f.Sites) == 0 && f.From.IsZero() && f.To.IsZero()
}

// Official is one row of the officials table: a person and one title, over
// every article that gives them that title. A person is a name and a place
// (the place of their most local title in an article): two people of the
// same name in different places are two people, and one person whose
// articles name different places is split.
type Official struct {
	Name         string `json:"name"`
	Title        string `json:"title"`
	Organization string `json:"organization"`
	Level        string `json:"level"`
	Place        string `json:"place"`
	FirstSeen    string `json:"first_seen"` // YYYY-MM-DD of the earliest article
	LastSeen     string `json:"last_seen"`
	Articles     int    `json:"articles"`
	ExampleURL   string `json:"example_url"` // the latest article
	personPlace  string
}

// OfficialColumns are the CSV columns of Official, in order.
var OfficialColumns = []string{"name", "title", "organization", "level", "place", "first_seen", "last_seen", "articles", "example_url"}

// Row returns the CSV row of the official.
func (o *Official) Row() []string {
	return []string{o.Name, o.Title, o.Organization, o.Level, o.Place, o.FirstSeen, o.LastSeen, fmt.Sprint(o.Articles), o.ExampleURL}
}

// Mention is one piece of evidence for a row of the officials table: the
// sentence of an article that gives the person the title.
type Mention struct {
	Name         string       `json:"name"`
	Title        string       `json:"title"`
	Organization string       `json:"organization"`
	Level        string       `json:"level"`
	Place        string       `json:"place"`
	Former       bool         `json:"former"`
	Site         string       `json:"site"`
	Article      string       `json:"article"` // article id
	URL          string       `json:"url"`
	Published    string       `json:"published"`
	Sentence     string       `json:"sentence"`
	Start        int          `json:"start"` // of the sentence in the article's text
	Span         extract.Span `json:"span"`  // of the mention, in the article's text
}

// MentionColumns are the CSV columns of Mention, in order.
var MentionColumns = []string{"name", "title", "organization", "level", "place", "former", "site", "article", "url", "published", "sentence", "start", "span_start", "span_end"}

// Row returns the CSV row of the mention.
func (m *Mention) Row() []string {
	return []string{m.Name, m.Title, m.Organization, m.Level, m.Place, fmt.Sprint(m.Former), m.Site, m.Article, m.URL,
		m.Published, m.Sentence, fmt.Sprint(m.Start), fmt.Sprint(m.Span[0]), fmt.Sprint(m.Span[1])}
}

// roles calls fn for every stored role fact the filter selects, in id
// order; the fact passed to fn is reused.
func (ix *Index) roles(ctx context.Context, f *OfficialsFilter, fn func(*roleFact) error) error {
	rf := ix.roleFilter(f)
	if rf.none {
		return nil
	}
	n := 0
	return ix.db.View(func(tx *bolt.Tx) error {
		c := ix.codec.Load()
		return tx.Bucket(bucketRoles).ForEach(func(k, v []byte) error {
			if n++; n%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			err := c.decodeRoles(v, func(r *roleFact) error {
				if !rf.matches(r) {
					return nil
				}
				return fn(r)
			})
			if err == errCorrupt {
				return fmt.Errorf("%w: %s", err, k)
			}
			return err
		})
	})
}

// Officials returns the officials table: one row per person and title,
// the most recently seen first.
func (ix *Index) Officials(ctx context.Context, f *OfficialsFilter) ([]*Official, error) {
	type key struct{ name, personPlace, title, place string }
	rows := map[key]*Official{}
	seen := map[key]map[string]bool{}
	err := ix.roles(ctx, f, func(r *roleFact) error {
		k := key{r.Person, r.PersonPlace, r.Title, r.Place}
		o := rows[k]
		if o == nil {
			o = &Official{Name: r.Person, Title: r.Title, Organization: r.Org, Level: r.Level, Place: r.Place, personPlace: r.PersonPlace}
			rows[k] = o
			seen[k] = map[string]bool{}
		}
		if seen[k][r.Article] {
			return nil
		}
		seen[k][r.Article] = true
		o.Articles++
		d := day(r.Published)
		if d != "" && (o.FirstSeen == "" || d < o.FirstSeen) {
			o.FirstSeen = d
		}
		if d != "" && d >= o.LastSeen || o.ExampleURL == "" {
			if d != "" {
				o.LastSeen = d
			}
			o.ExampleURL = r.URL
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]*Official, 0, len(rows))
	for _, o := range rows {
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b *Official) int {
		return cmp.Or(cmp.Compare(b.LastSeen, a.LastSeen), cmp.Compare(b.Articles, a.Articles),
			cmp.Compare(a.Name, b.Name), cmp.Compare(a.personPlace, b.personPlace), cmp.Compare(a.Title, b.Title), cmp.Compare(a.Place, b.Place))
	})
	return out, nil
}

// Mentions returns every piece of evidence of the officials the filter
// selects, the latest articles first.
func (ix *Index) Mentions(ctx context.Context, f *OfficialsFilter) ([]*Mention, error) {
	var out []*Mention
	var at []extract.Span // of each mention's sentence
	err := ix.roles(ctx, f, func(r *roleFact) error {
		for _, e := range r.Evidence {
			out = append(out, &Mention{Name: r.Person, Title: r.Title, Organization: r.Org, Level: r.Level, Place: r.Place,
				Former: r.Former, Site: r.Site, Article: r.Article, URL: r.URL, Published: r.Published,
				Start: e.At[0], Span: e.Span})
			at = append(at, e.At)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The sentences, from the articles' text.
	var a *Article
	for i, m := range out {
		if a == nil || a.ID != m.Article {
			if a, err = ix.article(m.Article, false); err != nil {
				return nil, err
			}
			if a == nil {
				return nil, fmt.Errorf("index: role facts of %s, which is not in the store (run `baotinh reindex`)", m.Article)
			}
		}
		if s := at[i]; s[0] <= s[1] && s[1] <= len(a.Text) {
			m.Sentence = a.Text[s[0]:s[1]]
		}
	}
	slices.SortStableFunc(out, func(a, b *Mention) int {
		return cmp.Or(cmp.Compare(b.Published, a.Published), cmp.Compare(a.Article, b.Article), cmp.Compare(a.Span[0], b.Span[0]))
	})
	return out, nil
}
