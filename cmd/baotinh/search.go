package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/baotinh/baotinh/extract"
	"github.com/baotinh/baotinh/index"
)

// openIndex opens the data directory's index for reading; its errors are
// the user's to act on (none yet, mapping changed, busy), status 1.
func openIndex(dataDir string) (*index.Index, error) {
	ix, err := index.Open(index.DataDir(dataDir), index.Options{ReadOnly: true})
	if err != nil {
		if errors.Is(err, index.ErrNoIndex) {
			return nil, &exitError{exitError1, fmt.Errorf("no search index in %s: run `baotinh crawl` (it indexes as it goes) or `baotinh reindex`", dataDir)}
		}
		return nil, &exitError{exitError1, err}
	}
	return ix, nil
}

// queryFailure maps an index error to the exit status: 2 for a bad query.
func queryFailure(cmd string, err error) error {
	var qe *index.QueryError
	if errors.As(err, &qe) {
		return usageError("%s: %s", cmd, qe.Msg)
	}
	return &exitError{exitError1, err}
}

// dateRange reads --from and --to (YYYY-MM-DD, both days included).
func dateRange(cmd, from, to string) (time.Time, time.Time, error) {
	f, t, err := index.DayRange(from, to)
	if err != nil {
		return f, t, usageError("%s: --%v", cmd, err)
	}
	return f, t, nil
}

func checkFormat(cmd, format string, allowed ...string) error {
	for _, a := range allowed {
		if format == a {
			return nil
		}
	}
	return usageError("%s: --format must be %s, not %q", cmd, strings.Join(allowed, ", "), format)
}

// newCSV returns an RFC 4180 writer (CRLF line ends).
func newCSV(w io.Writer) *csv.Writer {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return cw
}

func newSearchCmd() *cobra.Command {
	var (
		s                index.Search
		sites            []string
		from, to, format string
		dataDir          string
		facets           bool
	)
	c := &cobra.Command{
		Use:   "search QUERY [flags]",
		Short: "Full-text search of the collected articles, with or without diacritics",
		Long: `search finds articles in the index (DATA/index). QUERY is in Bleve's query-string syntax:

  dân vận            articles with either word (words are optional unless marked +)
  +dân +vận -Nghệ    both words, and not the third
  "dân vận khéo"     the phrase
  title:"hà tĩnh"    a phrase in one field; fields: ` + strings.Join(index.SearchFields(), ", ") + `
  published:>="2024-01-01" published:<"2025-01-01"   a date range;  year:>=2020
  hanh*  /h[aà]nh/   wildcards and regular expressions on syllables

A word typed without diacritics matches every accented form (dan van kheo finds dân vận khéo; đ is d);
a word typed with them matches exactly. Exact matches rank first. Text is compared after Unicode
normalization (NFC, tone placement hoà = hòa), so NFD input and old-style accents match too.

Paging: each page ends with a token; give it to --after for the next page of the same search.
Exit status 2 for a query the parser rejects (with its message).`,
		DisableFlagsInUseLine: true,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError("search: want one QUERY argument (quote it), got %d", len(args))
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			if err := checkFormat("search", format, "table", "json", "jsonl", "csv"); err != nil {
				return err
			}
			s.Query, s.Sites = args[0], splitList(sites)
			var err error
			if s.From, s.To, err = dateRange("search", from, to); err != nil {
				return err
			}
			if s.Limit < 1 || s.Limit > index.MaxLimit {
				return usageError("search: --limit must be 1..%d", index.MaxLimit)
			}
			if facets {
				s.Facets = 10
			}
			ix, err := openIndex(dataDir)
			if err != nil {
				return err
			}
			defer ix.Close()
			res, err := ix.Search(c.Context(), &s)
			if err != nil {
				return queryFailure("search", err)
			}
			return writeSearch(c.OutOrStdout(), c.ErrOrStderr(), format, &s, res)
		},
	}
	f := c.Flags()
	f.StringSliceVar(&sites, "site", nil, "only these sites (repeatable, or comma-separated)")
	f.StringVar(&from, "from", "", "published on or after this day (YYYY-MM-DD)")
	f.StringVar(&to, "to", "", "published on or before this day (YYYY-MM-DD)")
	f.StringVar(&s.Person, "person", "", "articles that name this person (a phrase: \"Hoàng Trung Dũng\", or without diacritics)")
	f.StringVar(&s.Title, "title", "", "articles that give someone this official title (\"Bí thư Tỉnh ủy\")")
	f.StringVar(&s.Place, "place", "", "articles that name this place")
	f.IntVar(&s.Limit, "limit", 10, "hits per page (1..1000)")
	f.StringVar(&s.After, "after", "", "the token printed after the previous page")
	f.StringVar(&s.Sort, "sort", "relevance", "relevance, newest or oldest")
	f.BoolVar(&facets, "facets", false, "count the matching articles by site, year, person and title")
	f.StringVar(&format, "format", "table", "table, json, jsonl (one hit per line) or csv")
	addDataFlag(c, &dataDir)
	return c
}

// splitList splits repeated, comma-separated flag values.
func splitList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// marked writes text with its marks as «word».
func marked(text string, marks []extract.Span) string {
	var b strings.Builder
	at := 0
	for _, m := range marks {
		if m[0] < at || m[1] > len(text) {
			continue
		}
		b.WriteString(text[at:m[0]])
		b.WriteString("«" + text[m[0]:m[1]] + "»")
		at = m[1]
	}
	b.WriteString(text[at:])
	return b.String()
}

// flat collapses whitespace so a text fits a table cell.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

func writeSearch(w, stderr io.Writer, format string, s *index.Search, res *index.Result) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Query string `json:"query"`
			*index.Result
		}{s.Query, res})
	case "jsonl":
		enc := json.NewEncoder(w)
		for i := range res.Hits {
			if err := enc.Encode(&res.Hits[i]); err != nil {
				return err
			}
		}
		if res.Next != "" {
			fmt.Fprintf(stderr, "next: %s\n", res.Next)
		}
		return nil
	case "csv":
		cw := newCSV(w)
		cw.Write([]string{"id", "site", "published", "title", "url", "score", "snippet"})
		for _, h := range res.Hits {
			var parts []string
			for _, sn := range h.Snippets {
				parts = append(parts, flat(sn.Text))
			}
			cw.Write([]string{h.ID, h.Site, h.Published, h.Title, h.URL, fmt.Sprintf("%.4f", h.Score), strings.Join(parts, " … ")})
		}
		cw.Flush()
		if res.Next != "" {
			fmt.Fprintf(stderr, "next: %s\n", res.Next)
		}
		return cw.Error()
	}
	first := 1
	fmt.Fprintf(w, "%d articles match %q", res.Total, s.Query)
	if len(res.Hits) > 0 {
		fmt.Fprintf(w, "; %d shown", len(res.Hits))
	}
	fmt.Fprintf(w, " (%.3f s)\n", res.Took.Seconds())
	for i, h := range res.Hits {
		date := day(h.Published)
		fmt.Fprintf(w, "\n%2d. %s  %s  %s\n", first+i, date, h.Site, marked(h.Title, h.TitleMarks))
		fmt.Fprintf(w, "    %s\n", h.URL)
		for _, sn := range h.Snippets {
			fmt.Fprintf(w, "    … %s …\n", flat(marked(sn.Text, sn.Marks)))
		}
	}
	if len(res.Facets) > 0 {
		fmt.Fprintln(w)
		for _, name := range []string{"site", "year", "person", "title"} {
			var parts []string
			for _, f := range res.Facets[name] {
				parts = append(parts, fmt.Sprintf("%s (%d)", f.Term, f.Count))
			}
			fmt.Fprintf(w, "%-7s %s\n", name+":", strings.Join(parts, ", "))
		}
	}
	if res.Next != "" {
		fmt.Fprintf(w, "\nnext page: --after %s\n", res.Next)
	}
	return nil
}

// day is the YYYY-MM-DD of a published value, or "----------".
func day(published string) string {
	if len(published) >= 10 {
		return published[:10]
	}
	return "----------"
}

func newOfficialsCmd() *cobra.Command {
	var (
		f                index.OfficialsFilter
		sites            []string
		from, to, format string
		dataDir          string
		mentions         bool
	)
	c := &cobra.Command{
		Use:   "officials [flags]",
		Short: "Tables of officials and their titles, with the evidence, for pandas or R",
		Long: `officials lists one row per person and title: name, title, organization, level, place,
first_seen, last_seen, articles, example_url; the most recently seen first. --mentions lists instead
one row per piece of evidence: the article, its date and the sentence that gives the title.

A person is a name and a place: the place of their most local title in an article. Two people of
the same name in different places are two rows; one person whose articles name different places
is split. Filters match phrases as search does (with or without diacritics): --title "Chủ tịch"
also matches "Phó Chủ tịch".

CSV is RFC 4180, UTF-8, with a header row: pandas.read_csv and R's read.csv load it as is.`,
		DisableFlagsInUseLine: true,
		Args:                  cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if err := checkFormat("officials", format, "table", "csv", "json"); err != nil {
				return err
			}
			f.Sites = splitList(sites)
			var err error
			if f.From, f.To, err = dateRange("officials", from, to); err != nil {
				return err
			}
			ix, err := openIndex(dataDir)
			if err != nil {
				return err
			}
			defer ix.Close()
			w := c.OutOrStdout()
			if mentions {
				ms, err := ix.Mentions(c.Context(), &f)
				if err != nil {
					return queryFailure("officials", err)
				}
				return writeMentions(w, format, ms)
			}
			rows, err := ix.Officials(c.Context(), &f)
			if err != nil {
				return queryFailure("officials", err)
			}
			return writeOfficials(w, format, rows)
		},
	}
	fl := c.Flags()
	fl.StringVar(&f.Title, "title", "", "titles holding this phrase (\"Bí thư\", \"chu tich ubnd\")")
	fl.StringVar(&f.Person, "person", "", "names holding this phrase")
	fl.StringVar(&f.Place, "place", "", "titles whose place holds this phrase (\"Hà Tĩnh\", \"Mường La\")")
	fl.StringSliceVar(&sites, "site", nil, "only articles of these sites")
	fl.StringVar(&from, "from", "", "articles published on or after this day (YYYY-MM-DD)")
	fl.StringVar(&to, "to", "", "articles published on or before this day (YYYY-MM-DD)")
	fl.StringVar(&format, "format", "table", "table, csv or json")
	fl.BoolVar(&mentions, "mentions", false, "one row per piece of evidence (article url, date, sentence)")
	addDataFlag(c, &dataDir)
	return c
}

func writeOfficials(w io.Writer, format string, rows []*index.Official) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if rows == nil {
			rows = []*index.Official{}
		}
		return enc.Encode(rows)
	case "csv":
		cw := newCSV(w)
		cw.Write(index.OfficialColumns)
		for _, o := range rows {
			cw.Write(o.Row())
		}
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTITLE\tPLACE\tFIRST\tLAST\tARTICLES")
	for _, o := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", o.Name, oneLine(o.Title, 48), o.Place, o.FirstSeen, o.LastSeen, o.Articles)
	}
	tw.Flush()
	fmt.Fprintf(w, "%d rows (person and title)\n", len(rows))
	return nil
}

func writeMentions(w io.Writer, format string, ms []*index.Mention) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if ms == nil {
			ms = []*index.Mention{}
		}
		return enc.Encode(ms)
	case "csv":
		cw := newCSV(w)
		cw.Write(index.MentionColumns)
		for _, m := range ms {
			cw.Write(m.Row())
		}
		cw.Flush()
		return cw.Error()
	}
	for _, m := range ms {
		fmt.Fprintf(w, "%s  %s, %s", day(m.Published), m.Name, m.Title)
		if m.Place != "" {
			fmt.Fprintf(w, " (%s)", m.Place)
		}
		fmt.Fprintf(w, "\n    %s\n    “%s”\n", m.URL, flat(m.Sentence))
	}
	fmt.Fprintf(w, "%d mentions\n", len(ms))
	return nil
}
