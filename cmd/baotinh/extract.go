package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/baotinh/baotinh/crawler"
	"github.com/baotinh/baotinh/extract"
	"github.com/spf13/cobra"
)

// maxInput bounds what extract reads, so a wrong file cannot exhaust memory.
const maxInput = 256 << 20

func newExtractCmd() *cobra.Command {
	var site, published, format, pageURL string
	c := &cobra.Command{
		Use:   "extract [--site baohatinh|baosonla|URL] [--url URL] [--published YYYY-MM-DD[THH:MM]] [--format json|table] FILE|-",
		Short: "Extract officials and titles, dates, figures, documents, quotes and terms from one article",
		Long: `extract reads one article as plain text (a page's text as copied or dumped, page chrome included;
"-" reads standard input) or as an HTML page, and prints what it finds: the title, authors, the people
with their titles (rank, organization, level, place), the places named, dates resolved to ISO values,
figures with their units, official documents, quotes with their speakers, and quoted terms.

Input is HTML when the file name ends in .html or .htm or the input starts with "<". The page is parsed
as the crawler parses it (charset from its meta tag; title, lead, body, captions, byline, times, from
JSON-LD, meta tags, the site's selectors or generic rules); its site is the one --site names (a profile
name or a site's URL), else the one of --url, else the one of the URL the page gives for itself
(og:url, canonical link).

JSON spans are byte offsets [start, end) into the input exactly as given; for HTML input, into the
article's text: title, lead, paragraphs, captions and byline, in this order, separated by blank lines.

Exit status: 0 on success, 1 when the input cannot be read, 2 for bad flags or arguments.`,
		DisableFlagsInUseLine: true,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError("extract: want one FILE (or - for standard input), got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			if format != "json" && format != "table" {
				return usageError("extract: --format must be json or table, not %q", format)
			}
			var pub time.Time
			var dateOnly bool
			if published != "" {
				var err error
				pub, dateOnly, err = parsePublished(published)
				if err != nil {
					return usageError("extract: --published: %v", err)
				}
			}
			siteURL := strings.Contains(site, "://")
			if site != "" && !siteURL && extract.ProvinceOf(site) == "" {
				return usageError("extract: --site: unknown site %q (known: baohatinh, baosonla)", site)
			}
			data, label, err := readRaw(c.InOrStdin(), args[0])
			if err != nil {
				return &exitError{exitError1, err}
			}
			var a *extract.Article
			if isHTML(args[0], data) {
				a, err = parseHTML(data, label, site, pageURL)
				if err != nil {
					return err
				}
			} else {
				if siteURL {
					return usageError("extract: --site: a site URL needs HTML input; for text give baohatinh or baosonla")
				}
				if pageURL != "" {
					return usageError("extract: --url applies to HTML input only")
				}
				src, err := checkText(data, label)
				if err != nil {
					return &exitError{exitError1, err}
				}
				a = extract.ParseText(src)
				if site != "" {
					a.Site = site
					a.Province = extract.ProvinceOf(site)
				}
			}
			if !pub.IsZero() {
				// A stamp in the text that agrees on the day gives the time too.
				if dateOnly && !a.Published.IsZero() && !a.PublishedDateOnly && sameDay(a.Published, pub) {
					pub, dateOnly = a.Published, false
				}
				a.Published, a.PublishedDateOnly = pub, dateOnly
			}
			an := extract.Analyze(a)
			if format == "table" {
				return writeTable(c.OutOrStdout(), an, a.Text)
			}
			return writeJSON(c.OutOrStdout(), an)
		},
	}
	c.Flags().StringVar(&site, "site", "", "the paper the article is from: baohatinh or baosonla (sets the home province); for HTML also a site's URL")
	c.Flags().StringVar(&pageURL, "url", "", "the page's URL, for HTML input (default: the URL the page gives for itself)")
	c.Flags().StringVar(&published, "published", "", "publication date, YYYY-MM-DD or YYYY-MM-DDTHH:MM, in +07:00")
	c.Flags().StringVar(&format, "format", "json", "output format: json or table")
	return c
}

// spanPair matches a span as json.Encoder indents it, across four lines.
var spanPair = regexp.MustCompile(`\[\s+(-?\d+),\s+(-?\d+)\s+\]`)

// writeJSON writes v indented, with each span on one line: [start, end].
func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(spanPair.ReplaceAll(buf.Bytes(), []byte("[$1, $2]")))
	return err
}

func sameDay(a, b time.Time) bool {
	a, b = a.In(extract.Vietnam), b.In(extract.Vietnam)
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

func parsePublished(s string) (time.Time, bool, error) {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, extract.Vietnam); err == nil {
			return t, false, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.In(extract.Vietnam), false, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, extract.Vietnam); err == nil {
		return t, true, nil
	}
	return time.Time{}, false, fmt.Errorf("%q is not YYYY-MM-DD or YYYY-MM-DDTHH:MM", s)
}

// readRaw reads a file (or standard input for "-") whole, up to maxInput
// bytes, and returns it with the name to use in messages.
func readRaw(stdin io.Reader, name string) ([]byte, string, error) {
	var r io.Reader
	label := name
	if name == "-" {
		r, label = stdin, "standard input"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, label, fmt.Errorf("%s: %w", name, unwrapPathError(err))
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.IsDir() {
			return nil, label, fmt.Errorf("%s: is a directory", name)
		}
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, label, fmt.Errorf("%s: %w", label, unwrapPathError(err))
	}
	if len(data) > maxInput {
		return nil, label, fmt.Errorf("%s: larger than %d MiB", label, maxInput>>20)
	}
	return data, label, nil
}

// checkText checks that input read as text is UTF-8 text.
func checkText(data []byte, label string) (string, error) {
	if bytes.IndexByte(data, 0) >= 0 {
		return "", fmt.Errorf("%s: binary data, not text", label)
	}
	if !utf8.Valid(data) {
		off := validPrefix(data)
		return "", fmt.Errorf("%s: not UTF-8 text (invalid byte at offset %d); convert it first, e.g. iconv -f WINDOWS-1258 -t UTF-8", label, off)
	}
	return string(data), nil
}

// isHTML tells HTML input: a name ending in .html or .htm, or content that
// starts with "<" after a byte order mark and white space.
func isHTML(name string, data []byte) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".html", ".htm":
		return true
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	data = bytes.TrimLeft(data, " \t\r\n\f")
	return len(data) > 0 && data[0] == '<'
}

// parseHTML parses an HTML page into an article with the crawler's parser.
// The site is the profile site names (a name or a URL), else the one of
// pageURL, else the one of the URL the page gives for itself.
func parseHTML(data []byte, label, site, pageURL string) (*extract.Article, error) {
	known := crawler.Profiles()
	var u *url.URL
	if pageURL != "" {
		var err error
		u, err = url.Parse(pageURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, usageError("extract: --url: %q is not an http(s) URL", pageURL)
		}
	}
	var p *crawler.Profile
	if site != "" {
		var err error
		if p, err = crawler.Resolve(site, known); err != nil {
			return nil, usageError("extract: --site: %v", strings.TrimPrefix(err.Error(), "crawler: "))
		}
	}
	if u == nil {
		u = crawler.PageURL(data, "")
	}
	if p == nil && u != nil {
		if p = crawler.ProfileForHost(u.Host, known); p == nil {
			p, _ = crawler.GenericProfile(u.Scheme + "://" + u.Host)
		}
	}
	page, err := crawler.ParseArticle(data, "", u, p)
	if err != nil {
		if errors.Is(err, crawler.ErrBinary) {
			return nil, &exitError{exitError1, fmt.Errorf("%s: binary data, not HTML", label)}
		}
		return nil, &exitError{exitError1, fmt.Errorf("%s: %w", label, err)}
	}
	return page.Article, nil
}

func validPrefix(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(b)
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if e, ok := err.(*os.PathError); ok {
		pe = e
		return pe.Err
	}
	return err
}

// writeTable prints an analysis for people at a terminal, with the words
// each fact comes from.
func writeTable(w io.Writer, an *extract.Analysis, src string) error {
	var b strings.Builder
	field := func(name, value string) {
		if value == "" {
			value = "-"
		}
		fmt.Fprintf(&b, "%-10s %s\n", name+":", value)
	}
	field("Title", an.Title)
	field("Site", string(an.Site))
	field("Published", string(an.Published))
	field("Province", string(an.Province))
	field("Authors", strings.Join(an.Authors, ", "))
	fmt.Fprintf(&b, "\nPEOPLE (%d)\n", len(an.People))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tMENTIONS\tTITLE\tPLACE\tFIRST EVIDENCE")
	for _, p := range an.People {
		if len(p.Roles) == 0 {
			what := "-"
			if len(p.Affiliations) > 0 {
				what = "(" + p.Affiliations[0].Organization + ")"
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", p.Name, p.Mentions, what, dash(string(p.Place)), evidence(src, p.Spans))
			continue
		}
		for i, r := range p.Roles {
			name, mentions := p.Name, fmt.Sprint(p.Mentions)
			if i > 0 {
				name, mentions = "", ""
			}
			title := r.Title
			if r.Former {
				title = "nguyên " + title
			}
			place := dash(string(r.Place))
			if r.PlaceFrom != "" && r.PlaceFrom != "text" {
				place += " (" + string(r.PlaceFrom) + ")"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", name, mentions, title, place, evidence(src, r.Spans))
		}
	}
	tw.Flush()
	if len(an.Places) > 0 {
		fmt.Fprintf(&b, "\nPLACES (%d)\n", len(an.Places))
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tLEVEL\tPROVINCE\tMENTIONS")
		for _, p := range an.Places {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\n", p.Name, dash(string(p.Level)), dash(string(p.Province)), len(p.Spans))
		}
		tw.Flush()
	}
	if len(an.Dates) > 0 {
		fmt.Fprintf(&b, "\nDATES (%d)\n", len(an.Dates))
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "VALUE\tGRANULARITY\tMENTIONS\tAS WRITTEN")
		for _, d := range an.Dates {
			fmt.Fprintf(tw, "%s\t%s\t%d\t«%s»\n", d.Value, d.Granularity, len(d.Spans), oneLine(d.Text, 50))
		}
		tw.Flush()
	}
	if len(an.Figures) > 0 {
		fmt.Fprintf(&b, "\nFIGURES (%d)\n", len(an.Figures))
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "VALUE\t UNIT\t QUALIFIER\t MENTIONS\t AS WRITTEN\t")
		for _, f := range an.Figures {
			v := formatNumber(f.Value)
			if f.Max != nil {
				v += "–" + formatNumber(*f.Max)
			}
			fmt.Fprintf(tw, "%s\t %s\t %s\t %d\t «%s»\t\n", v, f.Unit, f.Qualifier, len(f.Spans), oneLine(f.Text, 50))
		}
		tw.Flush()
	}
	if len(an.Documents) > 0 {
		fmt.Fprintf(&b, "\nDOCUMENTS (%d)\n", len(an.Documents))
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "KIND\tNUMBER\tMENTIONS")
		for _, d := range an.Documents {
			fmt.Fprintf(tw, "%s\t%s\t%d\n", d.Kind, d.Number, len(d.Spans))
		}
		tw.Flush()
	}
	if len(an.Quotes) > 0 {
		fmt.Fprintf(&b, "\nQUOTES (%d)\n", len(an.Quotes))
		for _, q := range an.Quotes {
			verb := string(q.Verb)
			if verb == "" {
				verb = ":"
			}
			fmt.Fprintf(&b, "  %s (%s, %s) «%s»\n", q.Speaker, verb, q.Kind, oneLine(q.Text, 110))
		}
	}
	if len(an.Terms) > 0 {
		fmt.Fprintf(&b, "\nTERMS (%d)\n", len(an.Terms))
		for _, t := range an.Terms {
			fmt.Fprintf(&b, "  «%s» ×%d\n", oneLine(t.Text, 110), len(t.Spans))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// oneLine shortens text to n runes on one line.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// formatNumber writes a figure's value for people: 26 000 000 000, 7,54.
func formatNumber(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("," + frac)
	}
	return b.String()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// evidence shows the words of the first piece of evidence (shortened) and
// how many more there are.
func evidence(src string, spans []extract.Span) string {
	if len(spans) == 0 {
		return "-"
	}
	text := strings.Join(strings.Fields(src[spans[0][0]:spans[0][1]]), " ")
	if r := []rune(text); len(r) > 60 {
		text = "…" + string(r[len(r)-59:])
	}
	s := "«" + text + "»"
	if len(spans) > 1 {
		s += fmt.Sprintf(" +%d", len(spans)-1)
	}
	return s
}
