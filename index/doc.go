// Package index is baotinh's search index: full-text search of articles with
// Vietnamese analysis, facets, attention over time, and tables of officials,
// over what the crawler collected and the extractor found.
//
// An index is a directory with a Bleve (scorch) index and a store (bbolt).
// Bleve holds one document per article (title, lead, body, captions, site,
// category, tags, authors, published, url, people, titles, organizations,
// places, terms, year, month, week, day). The store holds each article with
// its text, blocks and analysis, for snippets and exports, and each role
// fact, a person holding a title in an article, with its evidence, for the
// officials tables, which read and filter the facts there.
//
// Text is analyzed by the analyzers of index/analysis/analyzer/vietnamese,
// never by Bleve's standard analyzer (whose English stop words include the
// Vietnamese syllables an, to, do, no, in, my). Every syllable is indexed as
// written, normalized; the folded form of a word ("~dan" for dân, dần, đàn,
// …) is made at search time from each segment's dictionary (foldterms.go),
// and matches and scores as a folded copy indexed beside every accented
// syllable would. A query word typed with diacritics matches them exactly;
// one typed without matches every accented form, and ranks a word written
// exactly so first.
//
// A search of words and phrases runs on the index's segments directly
// (topk.go): matches are counted on the postings' bitmaps and the page is
// found with MaxScore, scoring only the documents that can enter it, with
// Bleve's scores; other queries (fuzzy, wildcard, boolean) go through
// Bleve's searchers (engine.go). The store's records are compressed with
// zstd dictionaries the store trains on its first articles (storecodec.go,
// dictionary.go), and a bulk build's store is compacted when it closes
// (compact.go). The term vectors keep positions, in baotinh's own segment
// format (index/internal/zap, Bleve's zap with compact positions; see
// segment.go), and a hit's marks find their offsets again in its text.
//
// The mapping is versioned (MappingVersion): an index built by a binary with
// another mapping is refused with a MappingError that asks for
// `baotinh reindex`.
//
// This is the only package that imports Bleve.
package index
