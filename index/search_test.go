package index

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/baotinh/baotinh/extract"
)

// testDoc is an article of testdata/search/documents.json.
type testDoc struct {
	Site      string   `json:"site"`
	ID        string   `json:"id"`
	Published string   `json:"published"`
	URL       string   `json:"url"`
	Title     string   `json:"title"`
	Lead      string   `json:"lead"`
	Body      []string `json:"body"`
	Captions  []string `json:"captions"`
}

func (d *testDoc) article(t testing.TB) *extract.Article {
	a := &extract.Article{Site: d.Site, SiteID: d.ID, URL: d.URL, Province: extract.ProvinceOf(d.Site)}
	if p, err := time.Parse(time.RFC3339, d.Published); err == nil {
		a.Published = p
	} else if p, err := time.ParseInLocation(time.DateOnly, d.Published, extract.Vietnam); err == nil {
		a.Published, a.PublishedDateOnly = p, true
	} else {
		t.Fatalf("%s: bad published %q", d.ID, d.Published)
	}
	a.Add(extract.BlockTitle, d.Title)
	a.Add(extract.BlockLead, d.Lead)
	for i, p := range d.Body {
		a.Add(extract.BlockParagraph, p)
		if i < len(d.Captions) {
			a.Add(extract.BlockCaption, d.Captions[i])
		}
	}
	return a
}

func loadJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// testIndex builds an index of the search test documents.
func testIndex(t testing.TB) *Index {
	t.Helper()
	var docs []testDoc
	loadJSON(t, "testdata/search/documents.json", &docs)
	ix, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	w := ix.NewWriter(0, nil)
	for _, d := range docs {
		a := d.article(t)
		if err := w.Add(a, extract.Analyze(a)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return ix
}

type searchCase struct {
	Name    string                    `json:"name"`
	Query   string                    `json:"query"`
	NFD     bool                      `json:"nfd"`
	Sites   []string                  `json:"sites"`
	From    string                    `json:"from"`
	To      string                    `json:"to"`
	Person  string                    `json:"person"`
	Title   string                    `json:"title"`
	Place   string                    `json:"place"`
	Want    *[]string                 `json:"want"`  // exactly these ids, any order
	First   string                    `json:"first"` // the best hit
	Total   *int                      `json:"total"`
	Facets  map[string]map[string]int `json:"facets"`
	Snippet string                    `json:"snippet_contains"` // a marked fragment of a snippet of the first hit
	Marked  string                    `json:"title_marked"`     // the first hit's title with its marks
	Error   string                    `json:"error"`            // a QueryError holding this
}

func day0(t *testing.T, s string, end bool) time.Time {
	if s == "" {
		return time.Time{}
	}
	d, err := time.ParseInLocation(time.DateOnly, s, extract.Vietnam)
	if err != nil {
		t.Fatal(err)
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

func markedText(text string, marks []extract.Span) string {
	var b strings.Builder
	at := 0
	for _, m := range marks {
		b.WriteString(text[at:m[0]] + "«" + text[m[0]:m[1]] + "»")
		at = m[1]
	}
	return b.String() + text[at:]
}

func TestSearchCases(t *testing.T) {
	ix := testIndex(t)
	var cases []searchCase
	loadJSON(t, "testdata/search/cases.json", &cases)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			q := c.Query
			if c.NFD {
				q = norm.NFD.String(q)
				if q == c.Query {
					t.Fatal("the NFD query is the same bytes as the NFC one")
				}
			}
			s := &Search{Query: q, Sites: c.Sites, From: day0(t, c.From, false), To: day0(t, c.To, true),
				Person: c.Person, Title: c.Title, Place: c.Place, Limit: 100, Facets: 10}
			res, err := ix.Search(context.Background(), s)
			if c.Error != "" {
				var qe *QueryError
				if !errors.As(err, &qe) || !strings.Contains(err.Error(), c.Error) {
					t.Fatalf("Search(%q) error = %v, want a QueryError with %q", q, err, c.Error)
				}
				return
			}
			if err != nil {
				t.Fatalf("Search(%q): %v", q, err)
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.ID)
			}
			if c.Want != nil {
				want := slices.Clone(*c.Want)
				g := slices.Clone(got)
				slices.Sort(want)
				slices.Sort(g)
				if !slices.Equal(g, want) {
					t.Errorf("Search(%q) = %v, want %v", q, got, want)
				}
				if int(res.Total) != len(want) {
					t.Errorf("Search(%q).Total = %d, want %d", q, res.Total, len(want))
				}
			}
			if c.First != "" && (len(got) == 0 || got[0] != c.First) {
				t.Errorf("Search(%q) ranks %v, want %s first", q, got, c.First)
			}
			if c.Total != nil && int(res.Total) != *c.Total {
				t.Errorf("Search(%q).Total = %d, want %d", q, res.Total, *c.Total)
			}
			for name, want := range c.Facets {
				have := map[string]int{}
				for _, f := range res.Facets[name] {
					have[f.Term] = f.Count
				}
				for term, n := range want {
					if have[term] != n {
						t.Errorf("Search(%q) facet %s[%s] = %d, want %d (facet: %v)", q, name, term, have[term], n, res.Facets[name])
					}
				}
			}
			if c.Marked != "" || c.Snippet != "" {
				if len(res.Hits) == 0 {
					t.Fatalf("Search(%q): no hits", q)
				}
				h := res.Hits[0]
				if c.Marked != "" {
					if got := markedText(h.Title, h.TitleMarks); got != c.Marked {
						t.Errorf("title marks:\n got %s\nwant %s", got, c.Marked)
					}
				}
				if c.Snippet != "" {
					var all []string
					for _, sn := range h.Snippets {
						all = append(all, markedText(sn.Text, sn.Marks))
					}
					if !strings.Contains(strings.Join(all, "\n"), c.Snippet) {
						t.Errorf("snippets %q do not hold %q", all, c.Snippet)
					}
				}
			}
			// Every hit's snippets are where they say they are.
			for _, h := range res.Hits {
				a, err := ix.Article(h.ID)
				if err != nil || a == nil {
					t.Fatalf("Article(%s) = %v, %v", h.ID, a, err)
				}
				for _, sn := range h.Snippets {
					if a.Text[sn.Start:sn.Start+len(sn.Text)] != sn.Text {
						t.Errorf("%s: snippet %q is not at %d of the text", h.ID, sn.Text, sn.Start)
					}
				}
			}
		})
	}
}
