package extract_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/baotinh/baotinh/extract"
)

// facts renders what an analysis found, apart from where: people with their
// titles and places, mention counts, authors, places, title, province, dates,
// figures, documents, quotes and terms (text compared normalized and in
// lower case: a title in capitals repeats the body's words).
func facts(an *extract.Analysis) []string {
	out := roleLines(an)
	canon := func(s string) string { return strings.ToLower(extract.NormalizeString(s)) }
	for _, d := range an.Dates {
		out = append(out, fmt.Sprintf("date %s %s ×%d", d.Value, d.Granularity, len(d.Spans)))
	}
	for _, f := range an.Figures {
		out = append(out, fmt.Sprintf("figure %v %v %s %s %s", f.Value, f.Max, canon(f.Unit), f.Qualifier, canon(f.Text)))
	}
	for _, d := range an.Documents {
		out = append(out, fmt.Sprintf("document %s %s ×%d", d.Kind, d.Number, len(d.Spans)))
	}
	for _, q := range an.Quotes {
		out = append(out, fmt.Sprintf("quote %s %s %s %s", q.Speaker, q.Verb, q.Kind, canon(q.Text)))
	}
	for _, t := range an.Terms {
		out = append(out, fmt.Sprintf("term %s ×%d", canon(t.Text), len(t.Spans)))
	}
	for _, p := range an.People {
		out = append(out, "mentions "+p.Name+" "+strings.Repeat("|", p.Mentions))
	}
	for _, p := range an.Places {
		out = append(out, "place "+p.Name+" "+string(p.Level)+" "+strings.Repeat("|", len(p.Spans)))
	}
	out = append(out, "authors "+strings.Join(an.Authors, ", "), "title "+an.Title, "province "+string(an.Province))
	slices.Sort(out)
	return out
}

func analyzeText(text, site string) *extract.Analysis {
	a := extract.ParseText(text)
	if site != "" {
		a.Site, a.Province = site, extract.ProvinceOf(site)
	}
	return extract.Analyze(a)
}

// oldTones moves the tone of open -oa, -oe, -uy syllables to the second vowel
// (hòa → hoà, ủy → uỷ): the other spelling in use.
func oldTones(s string) string {
	moves := map[string]string{
		"òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ",
		"òe": "oè", "óe": "oé", "ỏe": "oẻ", "õe": "oẽ", "ọe": "oẹ",
		"ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ",
		"Òa": "Oà", "Óa": "Oá", "Ủy": "Uỷ", "ÒA": "OÀ", "ÓA": "OÁ", "ỦY": "UỶ",
	}
	re := regexp.MustCompile(`(?i)(^|[^\pL])([^\pL\s]*?)(\pL*?)(òa|óa|ỏa|õa|ọa|òe|óe|ỏe|õe|ọe|ùy|úy|ủy|ũy|ụy)([^\pL]|$)`)
	for {
		out := re.ReplaceAllStringFunc(s, func(m string) string {
			sub := re.FindStringSubmatch(m)
			if strings.HasSuffix(strings.ToLower(sub[3]), "q") {
				return m // quý, quỳ: the tone belongs to y
			}
			if to, ok := moves[sub[4]]; ok {
				return sub[1] + sub[2] + sub[3] + to + sub[5]
			}
			return m
		})
		if out == s {
			return s
		}
		s = out
	}
}

func TestOldTones(t *testing.T) {
	if got := oldTones("Tỉnh ủy Hòa Bình, quý I, văn hóa, thủy lợi, hoàng"); got != "Tỉnh uỷ Hoà Bình, quý I, văn hoá, thuỷ lợi, hoàng" {
		t.Fatalf("oldTones = %q", got)
	}
}

// upperTitle writes the lines that hold the article's title (and its
// repeats as image alt text) in capitals, as some pages print headings.
func upperTitle(t *testing.T, text, title string) string {
	t.Helper()
	lines := strings.Split(text, "\n")
	found := false
	for i, l := range lines {
		if extract.NormalizeString(strings.Join(strings.Fields(l), " ")) == title {
			lines[i] = strings.ToUpper(l)
			found = true
		}
	}
	if !found {
		t.Fatalf("title %q not found", title)
	}
	return strings.Join(lines, "\n")
}

// TestInvariance checks that every gold article gives the same facts in NFC
// and NFD, with either tone placement, and with its title in capitals.
func TestInvariance(t *testing.T) {
	files, _ := filepath.Glob("../testdata/seeds/*.txt")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := norm.NFC.String(string(data))
		site := ""
		if strings.Contains(text, "Baohatinh.vn") {
			site = "baohatinh"
		}
		base := analyzeText(text, site)
		want := facts(base)
		variants := map[string]string{
			"NFD":         norm.NFD.String(text),
			"old tones":   oldTones(text),
			"NFD and old": norm.NFD.String(oldTones(text)),
		}
		if base.Title != "" {
			variants["title in capitals"] = upperTitle(t, text, base.Title)
		}
		for name, v := range variants {
			an := analyzeText(v, site)
			got := facts(an)
			if name == "title in capitals" {
				// The title itself is then read in capitals.
				got = slices.DeleteFunc(got, func(s string) bool { return strings.HasPrefix(s, "title ") })
				want := slices.DeleteFunc(slices.Clone(want), func(s string) bool { return strings.HasPrefix(s, "title ") })
				if !slices.Equal(got, want) {
					t.Errorf("%s, %s:\n%s", filepath.Base(f), name, diffLines(want, got))
				}
				continue
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s, %s:\n%s", filepath.Base(f), name, diffLines(want, got))
			}
			checkSpans(t, v, an)
		}
	}
}

func diffLines(want, got []string) string {
	var b strings.Builder
	for _, w := range want {
		if !slices.Contains(got, w) {
			b.WriteString("  - " + w + "\n")
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			b.WriteString("  + " + g + "\n")
		}
	}
	return b.String()
}
