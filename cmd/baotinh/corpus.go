package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/baotinh/baotinh/crawler"
	"github.com/baotinh/baotinh/index"
)

func newTimelineCmd() *cobra.Command {
	var (
		t                index.Timeline
		sites            []string
		from, to, format string
		dataDir          string
	)
	c := &cobra.Command{
		Use:   "timeline QUERY [flags]",
		Short: "Attention over time: a query's share of all articles per period",
		Long: `timeline counts, per period, the articles that match QUERY (search's syntax), all the articles of
the period, and their ratio: the share of the papers' output the subject got, normalized as Media
Cloud does, so that a period with more articles overall does not look like more attention. Periods
run from the first to the last that has an article, with none skipped (a period with no articles
has total 0 and ratio 0).`,
		DisableFlagsInUseLine: true,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError("timeline: want one QUERY argument (quote it), got %d", len(args))
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			if err := checkFormat("timeline", format, "table", "csv", "json"); err != nil {
				return err
			}
			t.Query, t.Sites = args[0], splitList(sites)
			var err error
			if t.From, t.To, err = dateRange("timeline", from, to); err != nil {
				return err
			}
			ix, err := openIndex(dataDir)
			if err != nil {
				return err
			}
			defer ix.Close()
			ps, err := ix.Timeline(c.Context(), &t)
			if err != nil {
				return queryFailure("timeline", err)
			}
			return writeTimeline(c.OutOrStdout(), format, &t, ps)
		},
	}
	f := c.Flags()
	f.StringVar(&t.Interval, "interval", "month", "day, week, month or year")
	f.StringSliceVar(&sites, "site", nil, "only these sites")
	f.StringVar(&from, "from", "", "from this day (YYYY-MM-DD)")
	f.StringVar(&to, "to", "", "to this day (YYYY-MM-DD)")
	f.StringVar(&format, "format", "table", "table, csv or json")
	addDataFlag(c, &dataDir)
	return c
}

func writeTimeline(w io.Writer, format string, t *index.Timeline, ps []index.Period) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Query    string         `json:"query"`
			Interval string         `json:"interval"`
			Periods  []index.Period `json:"periods"`
		}{t.Query, t.Interval, ps})
	case "csv":
		cw := newCSV(w)
		cw.Write([]string{"period", "matching", "total", "ratio"})
		for _, p := range ps {
			cw.Write([]string{p.Period, fmt.Sprint(p.Matching), fmt.Sprint(p.Total), fmt.Sprintf("%.6f", p.Ratio)})
		}
		cw.Flush()
		return cw.Error()
	}
	fmt.Fprintf(w, "%s, by %s: articles that match, all articles, their share\n", t.Query, t.Interval)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "PERIOD\tMATCHING\tTOTAL\tRATIO\t\t")
	for _, p := range ps {
		bar := strings.Repeat("█", int(p.Ratio*40+0.5))
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.3f\t%s\t\n", p.Period, p.Matching, p.Total, p.Ratio, bar)
	}
	return tw.Flush()
}

func newExportCmd() *cobra.Command {
	var (
		sites            []string
		from, to, format string
		dataDir          string
	)
	c := &cobra.Command{
		Use:   "export [flags]",
		Short: "Every indexed article with its analysis, streamed as JSON lines or CSV",
		Long: `export writes every article of the index, in id order (ids are site:site_id, stable across crawls
and reindexes), with no cap. jsonl gives one JSON object per line: the article's metadata, its text
and blocks, and the extractor's analysis (people, roles, places, dates, figures, quotes, terms,
documents) whose spans point into text. csv gives one row per article with the analysis flattened
into "; "-separated columns.`,
		DisableFlagsInUseLine: true,
		Args:                  cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if err := checkFormat("export", format, "jsonl", "csv"); err != nil {
				return err
			}
			f, t, err := dateRange("export", from, to)
			if err != nil {
				return err
			}
			only := map[string]bool{}
			for _, s := range splitList(sites) {
				only[s] = true
			}
			ix, err := openIndex(dataDir)
			if err != nil {
				return err
			}
			defer ix.Close()
			w := c.OutOrStdout()
			enc := json.NewEncoder(w)
			enc.SetEscapeHTML(false)
			cw := newCSV(w)
			if format == "csv" {
				cw.Write(exportColumns)
			}
			n := 0
			err = ix.Articles(func(a *index.Article) error {
				if len(only) > 0 && !only[a.Site] {
					return nil
				}
				if !f.IsZero() || !t.IsZero() {
					p := a.PublishedTime()
					if p.IsZero() || !f.IsZero() && p.Before(f) || !t.IsZero() && !p.Before(t) {
						return nil
					}
				}
				n++
				if format == "csv" {
					return cw.Write(exportRow(a))
				}
				return enc.Encode(a)
			})
			cw.Flush()
			if err == nil {
				err = cw.Error()
			}
			if err != nil {
				return &exitError{exitError1, fmt.Errorf("export: %w", err)}
			}
			fmt.Fprintf(c.ErrOrStderr(), "exported %d articles\n", n)
			return nil
		},
	}
	fl := c.Flags()
	fl.StringSliceVar(&sites, "site", nil, "only these sites")
	fl.StringVar(&from, "from", "", "published on or after this day (YYYY-MM-DD)")
	fl.StringVar(&to, "to", "", "published on or before this day (YYYY-MM-DD)")
	fl.StringVar(&format, "format", "jsonl", "jsonl or csv")
	addDataFlag(c, &dataDir)
	return c
}

var exportColumns = []string{"id", "site", "site_id", "url", "published", "title", "category", "tags", "authors",
	"people", "officials", "places", "terms", "quotes", "figures", "text"}

func exportRow(a *index.Article) []string {
	var people, officials, places, terms []string
	quotes, figures := 0, 0
	if an := a.Analysis; an != nil {
		for _, p := range an.People {
			people = append(people, p.Name)
			for _, r := range p.Roles {
				o := p.Name + " (" + r.Title
				if r.Place != "" {
					o += ", " + string(r.Place)
				}
				officials = append(officials, o+")")
			}
		}
		for _, p := range an.Places {
			places = append(places, p.Name)
		}
		for _, t := range an.Terms {
			terms = append(terms, t.Text)
		}
		quotes, figures = len(an.Quotes), len(an.Figures)
	}
	j := func(s []string) string { return strings.Join(s, "; ") }
	return []string{a.ID, a.Site, a.SiteID, a.URL, a.Published, a.Title, a.Category, j(a.Tags), j(a.Authors),
		j(people), j(officials), j(places), j(terms), fmt.Sprint(quotes), fmt.Sprint(figures), a.Text}
}

func newStatsCmd() *cobra.Command {
	var dataDir, format string
	c := &cobra.Command{
		Use:                   "stats [flags]",
		Short:                 "What the data directory holds: articles per site and year, sizes, last crawls",
		DisableFlagsInUseLine: true,
		Args:                  cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if err := checkFormat("stats", format, "text", "json"); err != nil {
				return err
			}
			if _, err := os.Stat(dataDir); err != nil {
				return &exitError{exitError1, fmt.Errorf("stats: no data directory %s (run `baotinh crawl` first, or give --data)", dataDir)}
			}
			out := statsReport{Data: dataDir, LastCrawl: map[string]*crawler.Run{}}
			ix, err := openIndex(dataDir)
			switch {
			case err == nil:
				out.Index, err = ix.Stats(c.Context())
				ix.Close()
				if err != nil {
					return &exitError{exitError1, err}
				}
			case errors.Is(err, index.ErrNoIndex):
				out.Notes = append(out.Notes, "no search index yet (run `baotinh reindex`)")
			default:
				out.Notes = append(out.Notes, err.Error())
			}
			out.ArchiveBytes, _ = index.DirSize(crawler.WARCDir(dataDir))
			if files, err := os.ReadDir(crawler.WARCDir(dataDir)); err == nil {
				out.ArchiveFiles = len(files)
			}
			if _, err := os.Stat(crawler.StatePath(dataDir)); err == nil {
				st, err := crawler.OpenStateReadOnly(crawler.StatePath(dataDir))
				if err != nil {
					out.Notes = append(out.Notes, err.Error())
				} else {
					runs, err := st.Runs()
					st.Close()
					if err != nil {
						return &exitError{exitError1, err}
					}
					for _, r := range runs {
						for _, s := range r.Sites {
							if prev := out.LastCrawl[s]; prev == nil || r.Started.After(prev.Started) {
								out.LastCrawl[s] = r
							}
						}
					}
				}
			}
			return writeStats(c.OutOrStdout(), format, &out)
		},
	}
	c.Flags().StringVar(&format, "format", "text", "text or json")
	addDataFlag(c, &dataDir)
	return c
}

type statsReport struct {
	Data         string                  `json:"data"`
	Index        *index.Stats            `json:"index"`
	ArchiveBytes int64                   `json:"archive_bytes"`
	ArchiveFiles int                     `json:"archive_files"`
	LastCrawl    map[string]*crawler.Run `json:"last_crawl"`
	Notes        []string                `json:"notes,omitempty"`
}

func writeStats(w io.Writer, format string, s *statsReport) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	fmt.Fprintf(w, "data directory %s\n", s.Data)
	if ix := s.Index; ix != nil {
		fmt.Fprintf(w, "index: %d articles, %d role facts, %.1f MB (mapping %s)\n", ix.Articles, ix.Roles, float64(ix.Bytes)/1e6, ix.Mapping)
		for _, site := range ix.Sites {
			fmt.Fprintf(w, "  %-10s %6d articles, %s to %s", site.Site, site.Articles, day(site.First), day(site.Last))
			if site.Undated > 0 {
				fmt.Fprintf(w, ", %d undated", site.Undated)
			}
			fmt.Fprintln(w)
			years := make([]string, 0, len(site.ByYear))
			for y := range site.ByYear {
				years = append(years, y)
			}
			slices.Sort(years)
			var parts []string
			for _, y := range years {
				parts = append(parts, fmt.Sprintf("%s: %d", y, site.ByYear[y]))
			}
			fmt.Fprintf(w, "             by year: %s\n", strings.Join(parts, ", "))
		}
	}
	fmt.Fprintf(w, "archive: %d WARC files, %.1f MB\n", s.ArchiveFiles, float64(s.ArchiveBytes)/1e6)
	if len(s.LastCrawl) > 0 {
		fmt.Fprintln(w, "last crawl per site:")
		for _, site := range sortedKeys(s.LastCrawl) {
			r := s.LastCrawl[site]
			line := fmt.Sprintf("  %-10s started %s", site, r.Started.In(time.Local).Format("2006-01-02 15:04"))
			switch {
			case r.Finished.IsZero():
				line += ", running"
			case r.Error != "":
				line += ", " + r.Error
			case r.Summary != nil:
				ps := r.Summary.PerSite[site]
				if ps != nil {
					line += fmt.Sprintf(", %d new, %d updated, %d failed", ps.New, ps.Updated, ps.Failed)
				}
			}
			fmt.Fprintln(w, line)
		}
	}
	for _, n := range s.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	return nil
}
