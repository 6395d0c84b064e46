package extract_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/baotinh/baotinh/extract"
)

// gold is one hand annotation in testdata/gold (format: ../../shared/gold/README.md,
// copied into testdata/gold/README.md).
type gold struct {
	File      string  `json:"file"`
	Site      *string `json:"site"`
	Published *string `json:"published"`
	Officials []struct {
		Name  string     `json:"name"`
		Roles [][]string `json:"roles"`
		Place *string    `json:"place"`
	} `json:"officials"`
	PeopleOther   []string   `json:"people_other"`
	IgnorePeople  []string   `json:"ignore_people"`
	Authors       []string   `json:"authors"`
	Dates         [][]string `json:"dates"`
	OptionalDates []string   `json:"optional_dates"`
	Figures       []struct {
		Value float64 `json:"value"`
		Unit  string  `json:"unit"`
	} `json:"figures"`
	Quotes []struct {
		Speaker  string `json:"speaker"`
		Contains string `json:"contains"`
		Kind     string `json:"kind"`
	} `json:"quotes"`
	Terms     []string `json:"terms"`
	Documents []string `json:"documents"`
}

// loadGold reads the gold annotations; GOLD, when set, is a regular
// expression that picks files by name (GOLD='^13' for set 131-138).
func loadGold(t testing.TB) []gold {
	t.Helper()
	files, err := filepath.Glob("../testdata/gold/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no gold files: %v", err)
	}
	pick := regexp.MustCompile(os.Getenv("GOLD"))
	var out []gold
	for _, f := range files {
		if !pick.MatchString(filepath.Base(f)) {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var g gold
		if err := json.Unmarshal(data, &g); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, g)
	}
	return out
}

// analyzeGold runs the extractor on a gold article the way `baotinh extract`
// does with the gold's --site and --published.
func analyzeGold(t testing.TB, g gold) (*extract.Analysis, string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("../testdata/seeds", g.File))
	if err != nil {
		t.Fatal(err)
	}
	a := extract.ParseText(string(data))
	if g.Site != nil {
		a.Site = *g.Site
		a.Province = extract.ProvinceOf(*g.Site)
	}
	if g.Published != nil {
		p, err := time.ParseInLocation("2006-01-02", *g.Published, extract.Vietnam)
		if err != nil {
			t.Fatalf("%s: published: %v", g.File, err)
		}
		if a.Published.IsZero() || a.Published.Format("2006-01-02") != *g.Published {
			a.Published, a.PublishedDateOnly = p, true
		}
	}
	return extract.Analyze(a), string(data)
}

// score counts matches for one field, summed over articles. Precision and
// recall are counted separately because a gold item may accept several
// spellings.
type score struct {
	name                  string
	correct, predicted    int // for precision
	recalled, goldEntries int // for recall
	errors                []string
}

func (s *score) precision() float64 { return ratio(s.correct, s.predicted) }
func (s *score) recall() float64    { return ratio(s.recalled, s.goldEntries) }
func (s *score) f1() float64 {
	p, r := s.precision(), s.recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// sets scores distinct predicted values against distinct gold values.
func (s *score) sets(file string, pred, want map[string]bool) {
	for p := range pred {
		s.predicted++
		if want[p] {
			s.correct++
		} else {
			s.errors = append(s.errors, fmt.Sprintf("%s: unexpected %q", file, p))
		}
	}
	for w := range want {
		s.goldEntries++
		if pred[w] {
			s.recalled++
		} else {
			s.errors = append(s.errors, fmt.Sprintf("%s: missing %q", file, w))
		}
	}
}

var spaces = regexp.MustCompile(`\s+`)

// normName compares names and places: NFC, canonical tone placement, lower
// case, single spaces.
func normName(s string) string {
	return strings.TrimSpace(spaces.ReplaceAllString(strings.ToLower(extract.NormalizeString(s)), " "))
}

// normTitle compares titles as the gold README says: names' normalization,
// then UBND, HĐND, MTTQ, BTV, PBTTTHU expanded, "Phó ban" read as "Phó Trưởng
// ban", "MTTQ Việt Nam" as "MTTQ", and a trailing place name removed.
func normTitle(title, place string) string {
	t := " " + normName(title) + " "
	for _, r := range [][2]string{
		{" mttq việt nam ", " mttq "},
		{" ubnd ", " ủy ban nhân dân "},
		{" hđnd ", " hội đồng nhân dân "},
		{" mttq ", " mặt trận tổ quốc "},
		{" btv ", " ban thường vụ "},
		{" pbttthu ", " phó bí thư thường trực huyện ủy "},
		{" mặt trận tổ quốc việt nam ", " mặt trận tổ quốc "},
		{" phó ban ", " phó trưởng ban "},
	} {
		for strings.Contains(t, r[0]) {
			t = strings.ReplaceAll(t, r[0], r[1])
		}
	}
	t = strings.TrimSpace(t)
	if p := normName(place); p != "" {
		t = strings.TrimSpace(strings.TrimSuffix(t, " "+p))
	}
	return t
}

// peopleScores scores officials, person-title pairs, places, authors and all
// people of one article.
func peopleScores(g gold, an *extract.Analysis, sc map[string]*score) {
	ignore := map[string]bool{}
	for _, n := range g.IgnorePeople {
		ignore[normName(n)] = true
	}
	authors := map[string]bool{}
	for _, n := range g.Authors {
		authors[normName(n)] = true
	}
	predAuthors := map[string]bool{}
	for _, n := range an.Authors {
		predAuthors[normName(n)] = true
	}
	sc["authors"].sets(g.File, predAuthors, authors)

	wantOfficials, wantPeople, wantPlaces := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, o := range g.Officials {
		n := normName(o.Name)
		wantOfficials[n], wantPeople[n] = true, true
		if o.Place != nil {
			wantPlaces[n+" @ "+normName(*o.Place)] = true
		}
	}
	for _, n := range g.PeopleOther {
		wantPeople[normName(n)] = true
	}
	predOfficials, predPeople, predPlaces := map[string]bool{}, map[string]bool{}, map[string]bool{}
	type pair struct{ name, title string }
	predPairs := map[pair]bool{}
	for _, p := range an.People {
		n := normName(p.Name)
		if ignore[n] || authors[n] {
			continue
		}
		predPeople[n] = true
		if len(p.Roles) == 0 {
			continue
		}
		predOfficials[n] = true
		if p.Place != "" {
			predPlaces[n+" @ "+normName(string(p.Place))] = true
		}
		for _, r := range p.Roles {
			predPairs[pair{n, normTitle(r.Title, string(r.Place))}] = true
		}
	}
	sc["officials"].sets(g.File, predOfficials, wantOfficials)
	sc["people"].sets(g.File, predPeople, wantPeople)
	sc["places"].sets(g.File, predPlaces, wantPlaces)

	// Pairs: a gold role accepts several spellings.
	s := sc["person-title"]
	type goldRole struct {
		name   string
		accept map[string]bool
	}
	var roles []goldRole
	for _, o := range g.Officials {
		place := ""
		if o.Place != nil {
			place = *o.Place
		}
		for _, alts := range o.Roles {
			gr := goldRole{normName(o.Name), map[string]bool{}}
			for _, a := range alts {
				gr.accept[normTitle(a, place)] = true
			}
			roles = append(roles, gr)
		}
	}
	var preds []pair
	for p := range predPairs {
		preds = append(preds, p)
	}
	sort.Slice(preds, func(i, j int) bool { return preds[i].name+preds[i].title < preds[j].name+preds[j].title })
	for _, p := range preds {
		s.predicted++
		ok := false
		for _, gr := range roles {
			if gr.name == p.name && gr.accept[p.title] {
				ok = true
				break
			}
		}
		if ok {
			s.correct++
		} else {
			s.errors = append(s.errors, fmt.Sprintf("%s: unexpected %s: %q", g.File, p.name, p.title))
		}
	}
	for _, gr := range roles {
		s.goldEntries++
		found := false
		for _, p := range preds {
			if p.name == gr.name && gr.accept[p.title] {
				found = true
				break
			}
		}
		if found {
			s.recalled++
		} else {
			var alts []string
			for a := range gr.accept {
				alts = append(alts, a)
			}
			sort.Strings(alts)
			s.errors = append(s.errors, fmt.Sprintf("%s: missing %s: %q", g.File, gr.name, alts))
		}
	}
}

// factScores scores dates, figures, documents, terms and quotes of one
// article, as the gold README says.
func factScores(g gold, an *extract.Analysis, sc map[string]*score) {
	// Dates: each gold entry accepts several values; optional values count
	// neither way.
	s := sc["dates"]
	optional := map[string]bool{}
	for _, v := range g.OptionalDates {
		optional[v] = true
	}
	predDates := map[string]bool{}
	for _, d := range an.Dates {
		predDates[d.Value] = true
	}
	for v := range predDates {
		if optional[v] {
			continue
		}
		s.predicted++
		found := false
		for _, alts := range g.Dates {
			if slices.Contains(alts, v) {
				found = true
			}
		}
		if found {
			s.correct++
		} else {
			s.errors = append(s.errors, fmt.Sprintf("%s: unexpected %q", g.File, v))
		}
	}
	for _, alts := range g.Dates {
		s.goldEntries++
		found := false
		for _, v := range alts {
			if predDates[v] {
				found = true
			}
		}
		if found {
			s.recalled++
		} else {
			s.errors = append(s.errors, fmt.Sprintf("%s: missing %q", g.File, alts))
		}
	}

	// Figures: value and the unit's first word.
	figure := func(v float64, unit string) string {
		first, _, _ := strings.Cut(normName(unit), " ")
		return strconv.FormatFloat(v, 'f', -1, 64) + " " + first
	}
	predFigures, wantFigures := map[string]bool{}, map[string]bool{}
	for _, f := range an.Figures {
		predFigures[figure(f.Value, f.Unit)] = true
	}
	for _, f := range g.Figures {
		wantFigures[figure(f.Value, f.Unit)] = true
	}
	sc["figures"].sets(g.File, predFigures, wantFigures)

	// Documents: their numbers.
	predDocs, wantDocs := map[string]bool{}, map[string]bool{}
	for _, d := range an.Documents {
		predDocs[extract.NormalizeString(d.Number)] = true
	}
	for _, d := range g.Documents {
		wantDocs[extract.NormalizeString(d)] = true
	}
	sc["documents"].sets(g.File, predDocs, wantDocs)

	// Terms, compared like names.
	predTerms, wantTerms := map[string]bool{}, map[string]bool{}
	for _, t := range an.Terms {
		predTerms[normName(t.Text)] = true
	}
	for _, t := range g.Terms {
		wantTerms[normName(t)] = true
	}
	sc["terms"].sets(g.File, predTerms, wantTerms)

	// Quotes: recall counts a gold quote when a predicted quote has its
	// speaker and contains its words; speaker precision is the share of
	// predicted quotes whose speaker is one of the article's people.
	people := map[string]bool{}
	for _, o := range g.Officials {
		people[normName(o.Name)] = true
	}
	for _, n := range g.PeopleOther {
		people[normName(n)] = true
	}
	for _, n := range g.IgnorePeople {
		people[normName(n)] = true
	}
	q := sc["quotes"]
	for _, p := range an.Quotes {
		q.predicted++
		if people[normName(string(p.Speaker))] {
			q.correct++
		} else {
			q.errors = append(q.errors, fmt.Sprintf("%s: speaker %q is not one of the article's people: %.60q", g.File, p.Speaker, p.Text))
		}
	}
	for _, want := range g.Quotes {
		q.goldEntries++
		found := false
		for _, p := range an.Quotes {
			if normName(string(p.Speaker)) == normName(want.Speaker) && strings.Contains(normName(p.Text), normName(want.Contains)) {
				found = true
				break
			}
		}
		if found {
			q.recalled++
		} else {
			q.errors = append(q.errors, fmt.Sprintf("%s: missing %s %s: %q", g.File, want.Kind, want.Speaker, want.Contains))
		}
	}
}

// bars are the accuracy bars (F1), except for quotes: recall and speaker
// precision.
var bars = map[string]float64{
	"officials":    0.95,
	"person-title": 0.90,
	"places":       0.85,
	"authors":      0.90,
	"dates":        0.95,
	"figures":      0.95,
	"documents":    0.95,
	"terms":        0.90,
}

const (
	quoteRecallBar    = 0.85
	quotePrecisionBar = 0.95
)

// TestGold scores the extractor against every hand annotation in
// testdata/gold and fails below the bars. Run with -v to see the table and
// every miss.
func TestGold(t *testing.T) {
	fields := []string{"officials", "person-title", "places", "authors", "people", "dates", "figures", "documents", "terms", "quotes"}
	sc := map[string]*score{}
	for _, f := range fields {
		sc[f] = &score{name: f}
	}
	for _, g := range loadGold(t) {
		an, _ := analyzeGold(t, g)
		peopleScores(g, an, sc)
		factScores(g, an, sc)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-14s %9s %9s %9s %6s\n", "field", "precision", "recall", "F1", "bar")
	// For quotes, precision is speaker precision.
	for _, f := range fields {
		s := sc[f]
		bar := "-"
		if v, ok := bars[f]; ok {
			bar = fmt.Sprintf("%.2f", v)
		} else if f == "quotes" {
			bar = fmt.Sprintf("P%.2f R%.2f", quotePrecisionBar, quoteRecallBar)
		}
		fmt.Fprintf(&b, "%-14s %9.3f %9.3f %9.3f %6s\n", f, s.precision(), s.recall(), s.f1(), bar)
	}
	t.Log("\n" + b.String())
	for _, f := range fields {
		for _, e := range sc[f].errors {
			t.Logf("%s: %s", f, e)
		}
	}
	for f, bar := range bars {
		if got := sc[f].f1(); got < bar {
			t.Errorf("%s F1 = %.3f, below the bar %.2f", f, got, bar)
		}
	}
	if q := sc["quotes"]; q.recall() < quoteRecallBar || q.precision() < quotePrecisionBar {
		t.Errorf("quotes: recall %.3f (bar %.2f), speaker precision %.3f (bar %.2f)",
			q.recall(), quoteRecallBar, q.precision(), quotePrecisionBar)
	}
}
