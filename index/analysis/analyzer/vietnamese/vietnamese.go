// Package vietnamese registers the Bleve analyzers for Vietnamese text:
//
//   - Exact ("vi_exact_v1"): the syllable tokenizer alone. Terms are
//     syllables and numbers, lower-cased, in NFC with canonical tone
//     placement; no stop words are dropped (an, to, do, no, in, my are
//     Vietnamese words: Nghệ An, to lớn, do đó).
//   - Folding ("vi_folding_v1"): the syllable tokenizer and the fold filter,
//     which adds after each term with diacritics its folded form with the
//     prefix fold.FoldedPrefix ("~dan" after "dân") at the same position.
//
// Index text with Folding. Analyze a query with Exact; search a query word
// typed with diacritics as its term only, and one typed without them (one
// for which fold.HasDiacritics is false) as both t and fold.FoldedPrefix + t,
// so that "dan van kheo" finds "dân vận khéo" and a document that literally
// says "dan" ranks first. Build such term queries directly: '~' is an
// operator in Bleve's query string syntax.
//
// # Versioned names
//
// The names of the analyzers, of the syllable tokenizer and of the fold
// filter end in a version. An index stores the analyzer names of its mapping
// and the terms they produced; a change to the tokens any of them makes
// (splitting, normalization, folding) must register the changed code under a
// new version, so that an index built with the old tokens is detected by its
// mapping and rebuilt, instead of silently missing matches.
//
// # Registration
//
// The analyzers exist in Bleve's registry only once this package is
// imported. Every binary that opens the index, not only the one that builds
// it, must import it, for its side effect if nothing else:
//
//	import _ "github.com/baotinh/baotinh/index/analysis/analyzer/vietnamese"
//
// Otherwise opening the index fails: its mapping names analyzers Bleve does
// not know.
package vietnamese

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/baotinh/baotinh/index/analysis/tokenfilter/fold"
	"github.com/baotinh/baotinh/index/analysis/tokenizer/syllable"
)

// The registered names of the analyzers.
const (
	Exact   = "vi_exact_v1"
	Folding = "vi_folding_v1"
)

// NewExact returns the Exact analyzer: Vietnamese syllables, lower-cased and
// normalized.
func NewExact() analysis.Analyzer {
	return &analysis.DefaultAnalyzer{Tokenizer: syllable.NewTokenizer()}
}

// NewFolding returns the Folding analyzer: the Exact tokens, each term with
// diacritics followed by its folded form.
func NewFolding() analysis.Analyzer {
	return &analysis.DefaultAnalyzer{
		Tokenizer:    syllable.NewTokenizer(),
		TokenFilters: []analysis.TokenFilter{fold.NewFilter()},
	}
}

// ExactConstructor builds the Exact analyzer for the Bleve registry.
func ExactConstructor(config map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
	tokenizer, err := cache.TokenizerNamed(syllable.Name)
	if err != nil {
		return nil, err
	}
	return &analysis.DefaultAnalyzer{Tokenizer: tokenizer}, nil
}

// FoldingConstructor builds the Folding analyzer for the Bleve registry.
func FoldingConstructor(config map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
	tokenizer, err := cache.TokenizerNamed(syllable.Name)
	if err != nil {
		return nil, err
	}
	folder, err := cache.TokenFilterNamed(fold.Name)
	if err != nil {
		return nil, err
	}
	return &analysis.DefaultAnalyzer{
		Tokenizer:    tokenizer,
		TokenFilters: []analysis.TokenFilter{folder},
	}, nil
}

func init() {
	if err := registry.RegisterAnalyzer(Exact, ExactConstructor); err != nil {
		panic(err)
	}
	if err := registry.RegisterAnalyzer(Folding, FoldingConstructor); err != nil {
		panic(err)
	}
}
