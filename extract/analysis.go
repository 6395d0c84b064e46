package extract

import (
	"cmp"
	"encoding/json"
	"slices"
	"time"
)

// Optional is a string that is JSON null when empty: what the text does not
// say is null, never a guess.
type Optional string

// MarshalJSON writes null for the empty string.
func (o Optional) MarshalJSON() ([]byte, error) {
	if o == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(o))
}

// UnmarshalJSON reads null as the empty string.
func (o *Optional) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*o = ""
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*o = Optional(s)
	return nil
}

// Analysis is what the extractor finds in one article. Its JSON form is the
// output of `baotinh extract`; fields are only ever added to it.
type Analysis struct {
	Title     string   `json:"title"`
	Site      Optional `json:"site"`
	Published Optional `json:"published"` // RFC 3339 in +07:00, or YYYY-MM-DD when only the day is known
	// Province is the paper's home province, the place of titles that say
	// only "tỉnh" or "Tỉnh ủy".
	Province Optional `json:"province"`
	Authors  []string `json:"authors"`
	Bylines  []Span   `json:"bylines"` // where the byline is
	People   []Person `json:"people"`
	Places   []Place  `json:"places"`

	Dates     []Date     `json:"dates"`
	Figures   []Figure   `json:"figures"`
	Quotes    []Quote    `json:"quotes"`
	Terms     []Term     `json:"terms"`
	Documents []Document `json:"documents"`
}

// Person is someone the article mentions, with every title it gives them.
type Person struct {
	Name string `json:"name"`
	// Mentions counts the places the text refers to the person: by name, by
	// given name (ông Dũng), by title alone or by "đồng chí". Spans lists them.
	Mentions int    `json:"mentions"`
	Spans    []Span `json:"spans"`
	// Place is where the person's most local title applies.
	Place        Optional      `json:"place"`
	Roles        []Role        `json:"roles"`
	Affiliations []Affiliation `json:"affiliations"`
}

// Role is one title a person holds. Title is written without its place and
// with abbreviations expanded (UBND as Ủy ban nhân dân).
type Role struct {
	Title        string   `json:"title"`
	Organization Optional `json:"organization"`
	Level        Optional `json:"level"`
	Place        Optional `json:"place"`
	// PlaceFrom says where Place comes from: "text" (written in the title),
	// "title" (another title of the same mention), "person" (the person's
	// other title at that level), "article" (the only such place the article
	// names) or "paper" (the paper's province).
	PlaceFrom Optional `json:"place_from"`
	Former    bool     `json:"former,omitempty"` // written "nguyên ..."
	Spans     []Span   `json:"spans"`            // each mention of the title with the name
}

// Affiliation is an organization given for a person without a title:
// "Hồ Đức Tiến (Ban Dân vận Tỉnh ủy Hà Tĩnh)".
type Affiliation struct {
	Organization string   `json:"organization"`
	Level        Optional `json:"level"`
	Place        Optional `json:"place"`
	Spans        []Span   `json:"spans"`
}

// Place is a province, district, commune or country the article names.
type Place struct {
	Name     string   `json:"name"`
	Level    Optional `json:"level"`    // tỉnh, huyện, xã, quốc gia, ...
	Province Optional `json:"province"` // of a district, when known
	Spans    []Span   `json:"spans"`
}

// Date is a date or period the article mentions.
type Date struct {
	Text        string `json:"text"`
	Value       string `json:"value"`
	Granularity string `json:"granularity"`
	Spans       []Span `json:"spans"`
}

// Figure is a number with what it counts.
type Figure struct {
	Text      string   `json:"text"` // as written
	Value     float64  `json:"value"`
	Max       *float64 `json:"max,omitempty"` // the high end of a range (2-3 tỷ đồng)
	Unit      string   `json:"unit"`          // what is counted: đồng, %, mô hình, cuộc tiếp xúc
	Qualifier string   `json:"qualifier"`     // exact, approx, over, under, range
	Spans     []Span   `json:"spans"`
}

// Quote is something a person said, directly or reported.
type Quote struct {
	Speaker Optional `json:"speaker"` // a name from people
	Verb    Optional `json:"verb"`    // đề nghị, nhấn mạnh, cho biết, ...; null for a caption's colon
	Kind    string   `json:"kind"`    // direct or indirect
	Text    string   `json:"text"`    // what was said, as written (for reported speech, from the verb)
	Spans   []Span   `json:"spans"`   // the words said
	// Attribution is where the text says who speaks: the speaker's mention
	// and the verb.
	Attribution []Span `json:"attribution"`
}

// Term is a quoted name of a campaign, slogan or motto.
type Term struct {
	Text  string `json:"text"`
	Spans []Span `json:"spans"`
}

// Document is a reference to an official document.
type Document struct {
	Text   string `json:"text"`
	Kind   string `json:"kind"`
	Number string `json:"number"`
	Spans  []Span `json:"spans"`
}

// analyzer holds the working state of one Analyze call.
type analyzer struct {
	a            *Article
	province     string
	provinceFrom string     // paper or article
	mentions     []*mention // people
	figures      []Figure
	documents    []Document
	speech       []speechEvent
	colon        *colonSpeech
	open         int              // the reported speech later sentences of its paragraph may continue, or -1
	termPairs    []Span           // quoted spans nobody says, in Article.Text
	dates        map[string]*Date // by value
	dateOrder    []string
	pub          time.Time // publication time, zero if unknown
	lastDay      time.Time // the last day named, for times given alone
	lastDayBlock int
	known        map[string]string // name key -> the name as written in mixed case
	places       map[string]*Place
	placeOrder   []string
	soleUnit     map[string]string         // level -> the only place of that level the article names
	context      map[string][]placeContext // level -> the places of that level named, in reading order
}

// placeContext is a place named with its level word, and where.
type placeContext struct {
	place        string
	block, order int
}

// placeBefore returns the place of a level last named before a position in
// the same block.
func (an *analyzer) placeBefore(level string, block, order int) string {
	events := an.context[level]
	for i := len(events) - 1; i >= 0; i-- {
		if e := events[i]; e.block == block && e.order < order {
			return e.place
		}
	}
	return ""
}

// Analyze extracts people, titles and places from an article.
func Analyze(a *Article) *Analysis {
	an := &analyzer{a: a, province: a.Province, provinceFrom: "paper", known: map[string]string{},
		places: map[string]*Place{}, soleUnit: map[string]string{}, context: map[string][]placeContext{},
		dates: map[string]*Date{}, pub: a.Published, open: -1}
	if an.province == "" && a.Site != "" {
		an.province = ProvinceOf(a.Site)
	}
	var blocks []*blockText
	for i, b := range a.Blocks {
		if b.Kind == BlockByline || b.Span[1] > len(a.Text) || b.Span[0] > b.Span[1] {
			continue
		}
		blocks = append(blocks, newBlockText(i, b, a.Text))
	}
	// Mixed case first: headings in capitals reuse the names found there.
	var caps []*sentence
	var sc scratch
	for _, bt := range blocks {
		bt.sentences(&sc, func(s *sentence) {
			s.known = an.known
			if s.caps {
				s.keep()
				caps = append(caps, s)
				return
			}
			an.scanSentence(s)
		})
		an.endColon(bt)
	}
	for _, s := range caps {
		an.scanSentence(s)
	}
	an.settlePlaces()
	people := an.resolve()
	an.interview(blocks)
	for _, bt := range blocks {
		for _, p := range bt.quotes {
			if !p.speech && p.termLike(bt.text) {
				an.termPairs = append(an.termPairs, bt.source(bt.content(p)))
			}
		}
	}

	out := &Analysis{
		Title:     a.Title(),
		Site:      Optional(a.Site),
		Province:  Optional(an.province),
		Authors:   append([]string{}, a.Authors...),
		Bylines:   []Span{},
		People:    []Person{},
		Places:    []Place{},
		Dates:     []Date{},
		Figures:   []Figure{},
		Quotes:    []Quote{},
		Terms:     []Term{},
		Documents: []Document{},
	}
	if !a.Published.IsZero() {
		if a.PublishedDateOnly {
			out.Published = Optional(a.Published.In(Vietnam).Format("2006-01-02"))
		} else {
			out.Published = Optional(a.Published.In(Vietnam).Format(time.RFC3339))
		}
	}
	for _, b := range a.Blocks {
		if b.Kind == BlockByline {
			out.Bylines = append(out.Bylines, b.Span)
		}
	}
	for _, p := range people {
		out.People = append(out.People, p.output())
	}
	for _, k := range an.placeOrder {
		out.Places = append(out.Places, *an.places[k])
	}
	for _, v := range an.dateOrder {
		d := *an.dates[v]
		d.Spans = uniqueSpans(d.Spans)
		out.Dates = append(out.Dates, d)
	}
	out.Terms = append(out.Terms, an.terms()...)
	out.Figures = mergeFigures(an.figures, out.Terms)
	out.Quotes = append(out.Quotes, an.quotes()...)
	for _, d := range an.documents {
		d.Spans = uniqueSpans(d.Spans)
		out.Documents = append(out.Documents, d)
	}
	return out
}

// scanSentence runs every stage on a sentence. Dates and documents go
// before figures, which skip the words they took.
func (an *analyzer) scanSentence(s *sentence) {
	an.scanPlaces(s)
	before := len(an.mentions)
	an.parse(s)
	an.scanSpeech(s, an.mentions[before:])
	an.scanDocuments(s)
	an.scanDates(s)
	an.scanFigures(s)
}

// mergeFigures returns one figure per distinct value, range, unit and
// qualifier (a title's "50 căn nhà" repeated in the lead is one figure with
// two spans), in reading order and first as written, leaving out numbers inside terms (tour 0
// đồng in a term is its name).
func mergeFigures(figures []Figure, terms []Term) []Figure {
	type figureKey struct {
		value, max      float64
		unit, qualifier string
	}
	// In reading order: headings in capitals are read last.
	figures = slices.Clone(figures)
	slices.SortStableFunc(figures, func(a, b Figure) int { return cmp.Compare(a.Spans[0][0], b.Spans[0][0]) })
	out := []Figure{}
	index := map[figureKey]int{}
	for _, f := range figures {
		if insideAny(f.Spans[0], terms) {
			continue
		}
		k := figureKey{value: f.Value, unit: f.Unit, qualifier: f.Qualifier}
		if f.Max != nil {
			k.max = *f.Max
		}
		if i, ok := index[k]; ok {
			out[i].Spans = append(out[i].Spans, f.Spans...) // in reading order already
			continue
		}
		index[k] = len(out)
		out = append(out, f)
	}
	return out
}

// insideAny reports whether span s lies inside one of the terms.
func insideAny(s Span, terms []Term) bool {
	for _, t := range terms {
		for _, ts := range t.Spans {
			if ts[0] <= s[0] && s[1] <= ts[1] {
				return true
			}
		}
	}
	return false
}

func newBlockText(index int, b Block, text string) *blockText {
	var n Normalized
	if b.norm != nil && b.norm.src == text[b.Span[0]:b.Span[1]] {
		n = *b.norm
	} else {
		n = Normalize(text[b.Span[0]:b.Span[1]])
	}
	bt := &blockText{index: index, kind: b.Kind, off: b.Span[0], n: n, text: n.String()}
	bt.lower = lowerSameLength(bt.text)
	bt.quotes = findQuotes(bt.text)
	return bt
}

// output turns an assembled person into its JSON form.
func (p *person) output() Person {
	out := Person{Name: p.name, Spans: uniqueSpans(p.spans), Roles: []Role{}, Affiliations: []Affiliation{}}
	out.Mentions = len(out.Spans)
	best := -1
	for _, r := range p.roles {
		role := Role{
			Title: r.title, Organization: Optional(r.org), Level: Optional(r.level),
			Place: Optional(r.place), Former: r.former, Spans: uniqueSpans(r.spans),
		}
		if r.place != "" {
			role.PlaceFrom = Optional(r.placeFrom)
			if rank := locality(r.level); rank > best {
				best, out.Place = rank, Optional(r.place)
			}
		}
		out.Roles = append(out.Roles, role)
	}
	for _, af := range p.affs {
		out.Affiliations = append(out.Affiliations, Affiliation{
			Organization: af.org, Level: Optional(af.level), Place: Optional(af.place), Spans: []Span{af.span},
		})
	}
	if out.Place == "" {
		for _, af := range p.affs {
			if af.place != "" {
				out.Place = Optional(af.place)
				break
			}
		}
	}
	return out
}

// locality ranks levels from national to local.
func locality(level string) int {
	switch level {
	case "trung ương":
		return 0
	case "tỉnh":
		return 1
	case "thành phố", "huyện", "thị xã", "quận":
		return 2
	case "":
		return -1
	}
	return 3
}

func uniqueSpans(spans []Span) []Span {
	out := append([]Span{}, spans...) // never nil: JSON [] not null
	slices.SortFunc(out, func(a, b Span) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	return slices.Compact(out)
}

// scanPlaces records the places a sentence names: after a level word (huyện
// Cẩm Xuyên, xã Thạch Kim) or, for names of two words or more, anywhere the
// gazetteer knows them.
func (an *analyzer) scanPlaces(s *sentence) {
	l := getLexicon()
	for k := 0; k < len(s.vt); k++ {
		if !s.may(k, fLevel|fPlace) {
			continue
		}
		if lv, n := l.levels.longest(s.word, k); n > 0 && s.nameShaped(k+n) {
			j := k + n
			e := s.run(j, 12)
			if entries, m := l.places.longest(s.word, j); m > 0 && j+m <= e {
				if pe, ok := compatiblePlace(entries, lv); ok {
					an.addPlace(pe.name, lv, pe.parent, s.b.source(s.span(j, j+m)))
					an.context[lv] = append(an.context[lv], placeContext{pe.name, s.b.index, s.order(k)})
					s.markPlace(j, j+m)
					k = an.placeList(s, k, lv, j+m) - 1
					continue
				}
			}
			if s.caps {
				// In capitals, only a place the article names in mixed case.
				for n := min(4, e-j); n >= 1; n-- {
					if p := an.places[s.key(j, j+n)+"|"+lv]; p != nil {
						an.addPlace(p.Name, lv, string(p.Province), s.b.source(s.span(j, j+n)))
						s.markPlace(j, j+n)
						k = j + n - 1
						break
					}
				}
				continue
			}
			end := e
			if sp := s.splitName(j, e); sp > j && e-sp > 2 {
				end = sp
			} else if sp == j && !smallUnit(lv) {
				continue // a person's name, not a place
			}
			if end-j > 4 {
				end = j + 4
			}
			if lv == "tỉnh" || lv == "thành phố" && end-j > 3 {
				continue // provinces are all in the gazetteer
			}
			name := s.placeText(j, end)
			an.addPlace(name, lv, "", s.b.source(s.span(j, end)))
			an.context[lv] = append(an.context[lv], placeContext{name, s.b.index, s.order(k)})
			s.markPlace(j, end)
			k = an.placeList(s, k, lv, end) - 1
			continue
		}
		if !s.nameShaped(k) || !s.caps && !s.runStart(k) {
			continue
		}
		entries, m := l.places.longest(s.word, k)
		if m < 2 {
			continue
		}
		if s.caps {
			if s.knownNameAt(k) {
				continue // VŨ QUANG HUY, named so elsewhere
			}
		} else if e := s.run(k, 12); k+m < e && s.splitName(k, e) == k && s.splitName(k+m, e) != k+m {
			continue // a person's name that begins like a place (Vũ Quang Huy)
		}
		pe := entries[0]
		if pe.typ == "quốc gia" && k > 0 && (s.vt[k-1].expanded || s.tok(k-1).cap) {
			k += m - 1
			continue // part of a name: Ủy ban MTTQ Việt Nam, Đảng Cộng sản Việt Nam
		}
		for _, x := range entries {
			if x.typ == "tỉnh" || x.typ == "thành phố trung ương" {
				pe = x
				break
			}
		}
		level := pe.typ
		if level == "thành phố trung ương" {
			level = "tỉnh"
		}
		an.addPlace(pe.name, level, pe.parent, s.b.source(s.span(k, k+m)))
		s.markPlace(k, k+m)
		k += m - 1
	}
}

// placeList reads the rest of a list of places after a plural level word
// (các phường Ka Long, Trần Phú, Hải Hòa và Trà Cổ), from word end; the level
// word is at k. It returns the word after the list.
func (an *analyzer) placeList(s *sentence, k int, level string, end int) int {
	if !s.plural(k) && !(k > 0 && s.tok(k-1).kind == tokNumber) {
		return end
	}
	for s.is(end, ",", "và") && s.nameShaped(end+1) {
		j := end + 1
		e := s.run(j, 4)
		if s.is(e, "-") || s.nameAfterTitleLike(e) {
			break
		}
		an.addPlace(s.placeText(j, e), level, "", s.b.source(s.span(j, e)))
		s.markPlace(j, e)
		end = e
	}
	return end
}

func (an *analyzer) addPlace(name, level, province string, sp Span) {
	k := lowerSameLength(name) + "|" + level
	p := an.places[k]
	if p == nil {
		p = &Place{Name: name, Level: Optional(level), Province: Optional(province)}
		an.places[k] = p
		an.placeOrder = append(an.placeOrder, k)
	}
	p.Spans = append(p.Spans, sp)
}

// settlePlaces notes, per level below the province, the one place the
// article names, and infers the home province when nothing else gave it.
func (an *analyzer) settlePlaces() {
	count := map[string]map[string]int{}
	for _, k := range an.placeOrder {
		p := an.places[k]
		lv := string(p.Level)
		if count[lv] == nil {
			count[lv] = map[string]int{}
		}
		count[lv][p.Name] += len(p.Spans)
	}
	for lv, names := range count {
		if lv == "tỉnh" || lv == "quốc gia" {
			continue
		}
		// The one place of the level the article names, or the one it names
		// at least twice as often as any other.
		best, second := "", 0
		for name, n := range names {
			switch {
			case best == "" || n > names[best] || n == names[best] && name < best:
				if best != "" {
					second = max(second, names[best])
				}
				best = name
			default:
				second = max(second, n)
			}
		}
		if len(names) == 1 || names[best] >= 2 && names[best] >= 2*second {
			an.soleUnit[lv] = best
		}
	}
	if an.province == "" {
		best, second := "", 0
		for name, n := range count["tỉnh"] {
			if best == "" || n > count["tỉnh"][best] {
				if best != "" {
					second = count["tỉnh"][best]
				}
				best = name
			} else if n > second {
				second = n
			}
		}
		if best != "" && count["tỉnh"][best] > second {
			an.province, an.provinceFrom = best, "article"
		}
	}
}
