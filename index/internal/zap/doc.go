// Package zap is the segment format of baotinh's Bleve index: Bleve's zap
// format version 16 (github.com/blevesearch/zapx/v16 v16.2.8, Apache
// License 2.0, LICENSE in this directory), copied without its vector
// sections, with term-vector locations written compactly. It registers
// with scorch as segment type "baotinh-zap", version 16, so an index in
// the stock format is never read with this one, nor the reverse.
//
// The one change is how a location (where a term occurs in a document) is
// stored. zap v16 writes five integers for each: the field, the position,
// the byte offsets of the start and end, and the number of array positions,
// then the array positions. Here a location is a head, the difference of
// its position from the document's previous location's (zigzag-encoded,
// shifted left by three), with flags: whether the field, the start and the
// length follow (only when the field is not the one of the posting list,
// or the offsets are not zero), and how the array positions are written:
// none, the same as the previous location's, one as a difference from the
// previous location's first, or their count and values. baotinh's text
// fields keep no byte offsets and give each value of a list (the body's
// paragraphs) one array position, so a location is one or two bytes
// instead of five to seven. See appendLocation and
// PostingsIterator.readLocation.
package zap
