package index

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/baotinh/baotinh/index/analysis/analyzer/vietnamese"
	"github.com/baotinh/baotinh/index/analysis/tokenfilter/fold"
)

// Schema names the layout of the documents and of the store. Bump it when a
// field is added, removed or analyzed differently, or a store bucket changes;
// MappingVersion then changes too and an index built by an older binary asks
// for `baotinh reindex` (baotinh-3: analyses stored apart from articles;
// baotinh-4: role facts only in the store, no document type; baotinh-5:
// one record of role facts per article, without the sentences' text;
// baotinh-6: an article and its analysis in one record; baotinh-7: the
// article part in a binary form; baotinh-8: article records in zstd frames
// and role records in snappy, each with a version byte; baotinh-10: no
// folded copies of the syllables, folded terms made at search time
// (foldterms.go); segments in baotinh's zap format (index/internal/zap);
// the store's records compressed with its own zstd dictionaries, analyses
// without the texts their article holds, role records in zstd).
const Schema = "baotinh-10"

// fieldKind is how a field is indexed.
type fieldKind int

const (
	text     fieldKind = iota // Vietnamese syllables as written (vi_exact), with positions; folded terms are made at search time (foldterms.go)
	keyword_                  // one exact term, with doc values for facets
	datetime                  // a time, for ranges
	boolean                   // true or false
)

// fieldSpec is one field of a document type.
type fieldSpec struct {
	name string
	kind fieldKind
	doc  string // what it holds, for README and `search --help`
}

// The fields of an article document.
var articleFields = []fieldSpec{
	{"title", text, "headline"},
	{"lead", text, "sapo (lead paragraph)"},
	{"body", text, "paragraphs"},
	{"captions", text, "image captions"},
	{"site", keyword_, "site profile: baohatinh, baosonla, ..."},
	{"category", text, "section of the paper"},
	{"tags", text, "the paper's tags"},
	{"authors", text, "byline"},
	{"url", keyword_, "canonical URL"},
	{"published", datetime, "publication time (ranges: published:>=\"2024-01-01\")"},
	{"year", keyword_, "year of publication, 2024"},
	{"month", keyword_, "month of publication, 2024-11"},
	{"week", keyword_, "ISO week of publication, 2024-W47"},
	{"day", keyword_, "day of publication, 2024-11-19"},
	{"people", text, "names of the people the article mentions"},
	{"titles", text, "official titles given to them"},
	{"organizations", text, "organizations of those titles"},
	{"places", text, "places the article names"},
	{"terms", text, "quoted campaign names, slogans and mottos"},
	{"person", keyword_, "people, one exact term each (facets)"},
	{"official", keyword_, "official titles, one exact term each (facets)"},
}

// fieldAliases are names a researcher may type in a query for a field.
var fieldAliases = map[string]string{
	"person": "people", "place": "places", "term": "terms", "tag": "tags",
	"author": "authors", "organization": "organizations", "org": "organizations",
	"official": "titles",
}

// defaultFields are searched by a query word without a field, with their
// weight.
var defaultFields = []struct {
	name  string
	boost float64
}{{"title", 3}, {"lead", 1.5}, {"body", 1}, {"captions", 1}}

// foldedCopies, set by tests only, makes the indexes opened while it is set
// index the folded copies of the syllables (vi_folding), as baotinh-8 did,
// and search them instead of making folded terms (foldterms.go):
// TestFoldedTerms compares the two.
var foldedCopies bool

func (f fieldSpec) mapping() *mapping.FieldMapping {
	var fm *mapping.FieldMapping
	switch f.kind {
	case text:
		fm = mapping.NewTextFieldMapping()
		fm.Analyzer = vietnamese.Exact
		if foldedCopies {
			fm.Analyzer = vietnamese.Folding
		}
		// Phrase queries read positions from the term vectors: every text
		// field keeps them, not only those snippets are made of. The term
		// vectors hold no byte offsets (textField.Analyze): highlights
		// analyze the matched values again for them.
		fm.IncludeTermVectors = true
		fm.DocValues = false
	case keyword_:
		fm = mapping.NewKeywordFieldMapping()
		fm.IncludeTermVectors = false
	case datetime:
		fm = mapping.NewDateTimeFieldMapping()
	case boolean:
		fm = mapping.NewBooleanFieldMapping()
		fm.DocValues = false
	}
	fm.Name = f.name
	fm.Store = false
	fm.IncludeInAll = false
	return fm
}

// Mapping returns the index mapping: one document per article, whose fields
// are analyzed by the Vietnamese analyzers (never Bleve's standard analyzer,
// which drops "an", "to", "do" as English stop words).
func Mapping() *mapping.IndexMappingImpl {
	m := mapping.NewIndexMapping()
	m.DefaultAnalyzer = vietnamese.Exact
	m.IndexDynamic, m.StoreDynamic, m.DocValuesDynamic = false, false, false
	dm := mapping.NewDocumentStaticMapping()
	for _, f := range articleFields {
		dm.AddFieldMappingsAt(f.name, f.mapping())
	}
	m.DefaultMapping = dm
	return m
}

// MappingVersion identifies the mapping this binary writes: the schema name
// and a digest of the mapping's JSON, analyzers included.
func MappingVersion() string {
	b, err := json.Marshal(Mapping())
	if err != nil {
		panic(fmt.Sprintf("index: mapping does not marshal: %v", err))
	}
	sum := sha256.Sum256(b)
	return Schema + "+" + vietnamese.Exact + "+" + vietnamese.Folding + "+" + hex.EncodeToString(sum[:6])
}

// docBuilder makes Bleve documents field by field with the options and
// analyzers of the mapping, without its reflection.
type docBuilder struct {
	specs     map[string]fieldSpec
	opts      map[string]bindex.FieldIndexingOptions
	analyzers map[string]analysis.Analyzer
	copies    bool // the text fields' analyzer makes the folded copies (foldedCopies)
}

func newDocBuilder(m *mapping.IndexMappingImpl) *docBuilder {
	b := &docBuilder{specs: map[string]fieldSpec{}, opts: map[string]bindex.FieldIndexingOptions{},
		analyzers: map[string]analysis.Analyzer{}, copies: foldedCopies}
	for _, f := range articleFields {
		fm := f.mapping()
		b.specs[f.name] = f
		b.opts[f.name] = fm.Options()
		name := fm.Analyzer
		if f.kind == keyword_ {
			name = keyword.Name
		}
		if name != "" {
			a := m.AnalyzerNamed(name)
			if a == nil {
				panic("index: analyzer " + name + " is not registered")
			}
			b.analyzers[f.name] = a
		}
	}
	return b
}

// text adds the values of a text or keyword field; each value of a list has
// its array position, as a field mapped from a slice would.
func (b *docBuilder) text(d *document.Document, name string, values ...string) {
	b.add(d, name, len(values) > 1, values)
}

// list adds the values of a field with their array positions, even a single
// one: snippets map a position back to its block.
func (b *docBuilder) list(d *document.Document, name string, values []string) {
	b.add(d, name, true, values)
}

func (b *docBuilder) add(d *document.Document, name string, positions bool, values []string) {
	spec, ok := b.specs[name]
	if !ok || spec.kind == datetime || spec.kind == boolean {
		panic("index: no text field " + name)
	}
	if spec.kind == text {
		if f := newTextField(name, positions, values, b.opts[name], b.analyzers[name]); f != nil {
			f.countCopies = !b.copies
			d.AddField(f)
		}
		return
	}
	for i, v := range values {
		if v == "" {
			continue
		}
		var pos []uint64
		if positions {
			pos = []uint64{uint64(i)}
		}
		d.AddField(document.NewTextFieldCustom(name, pos, []byte(v), b.opts[name], b.analyzers[name]))
	}
}

// textField is every value of a text field of a document in one field:
// what Bleve makes of one field per value (each value's syllables numbered
// from 1, with the value's array position when positions is set), made
// without analyzing the values one by one into maps and merging them.
type textField struct {
	name      string
	values    []string
	positions bool
	options   bindex.FieldIndexingOptions
	analyzer  analysis.Analyzer
	length    int
	freqs     bindex.TokenFrequencies
	bytes     int
	// countCopies counts in length the folded copies the index no longer
	// holds (foldterms.go): a field's norm, 1/√length, is the one it had
	// with them, and so are the scores.
	countCopies bool
}

func newTextField(name string, positions bool, values []string, opts bindex.FieldIndexingOptions, a analysis.Analyzer) *textField {
	n := 0
	for _, v := range values {
		n += len(v)
	}
	if n == 0 {
		return nil
	}
	return &textField{name: name, values: values, positions: positions, options: opts, analyzer: a, bytes: n}
}

func (f *textField) Name() string                                      { return f.name }
func (f *textField) ArrayPositions() []uint64                          { return nil }
func (f *textField) Options() bindex.FieldIndexingOptions              { return f.options }
func (f *textField) Value() []byte                                     { return []byte(strings.Join(f.values, " ")) }
func (f *textField) NumPlainTextBytes() uint64                         { return uint64(f.bytes) }
func (f *textField) EncodedFieldType() byte                            { return 't' }
func (f *textField) AnalyzedLength() int                               { return f.length }
func (f *textField) AnalyzedTokenFrequencies() bindex.TokenFrequencies { return f.freqs }

func (f *textField) Size() int {
	n := 64 + len(f.name) + f.bytes
	if f.freqs != nil {
		n += f.freqs.Size()
	}
	return n
}

func (f *textField) Analyze() {
	streams := make([]analysis.TokenStream, len(f.values))
	total := 0
	for i, v := range f.values {
		if v == "" {
			continue
		}
		streams[i] = f.analyzer.Analyze([]byte(v))
		total += len(streams[i])
	}
	f.length = total
	if f.countCopies {
		for _, toks := range streams {
			for _, t := range toks {
				if fold.Copied(t.Term) {
					f.length++
				}
			}
		}
	}
	f.freqs = make(bindex.TokenFrequencies, total/2+1)
	vectors := f.options.IncludeTermVectors()
	var locs []bindex.TokenLocation
	if vectors {
		locs = make([]bindex.TokenLocation, total)
	}
	var aps []uint64
	if f.positions {
		aps = make([]uint64, len(f.values))
	}
	k := 0
	for i, toks := range streams {
		var ap []uint64
		if f.positions {
			aps[i] = uint64(i)
			ap = aps[i : i+1 : i+1]
		}
		for _, t := range toks {
			tf := f.freqs[string(t.Term)]
			if tf == nil {
				tf = &bindex.TokenFreq{Term: t.Term}
				f.freqs[string(t.Term)] = tf
			}
			if vectors {
				l := &locs[k]
				k++
				// No byte offsets: zap writes two uvarints for every
				// location, and highlights find the offsets again from the
				// positions (Index.markSpans).
				*l = bindex.TokenLocation{ArrayPositions: ap, Position: t.Position}
				tf.Locations = append(tf.Locations, l)
			}
			if !f.options.SkipFreqNorm() {
				tf.SetFrequency(tf.Frequency() + 1)
			}
		}
	}
}

func (b *docBuilder) time(d *document.Document, name string, t time.Time) {
	if t.IsZero() {
		return
	}
	f, err := document.NewDateTimeFieldWithIndexingOptions(name, nil, t, time.RFC3339, b.opts[name])
	if err == nil {
		d.AddField(f)
	}
}

func (b *docBuilder) bool(d *document.Document, name string, v bool) {
	d.AddField(document.NewBooleanFieldWithIndexingOptions(name, nil, v, b.opts[name]))
}
