package index

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/klauspost/compress/zstd"

	"github.com/baotinh/baotinh/extract"
)

// An article record of the store (bucket articles) holds the article and its
// analysis: a version byte (articleRecordVersion), the length of the article
// part as a uvarint, the article part (marshalArticle) and the analysis part
// (its JSON), each compressed into a zstd frame of its own. One record, not
// two: bbolt keeps a large value on pages of its own, and the last page of
// each is half empty on average. Two frames, not one: a search hit, a
// snippet and a mention read the article part only, and decode nothing else.
//
// Why zstd and not snappy (which compressed both parts up to baotinh-7):
// on the records of 1,000 articles of the synthetic corpus
// (BenchmarkRecordCompression, 2-core Xeon), zstd's default level keeps
// 50% of the article part and 33% of the analysis where snappy keeps 66%
// and 44%: a quarter fewer bytes for the store's records. It encodes at
// 114 and 172 MB/s (snappy 412 and 465), about 0.1 ms an article, spent by
// the goroutines that add them; it decodes at 467 and 743 MB/s (snappy 973
// and 1,146): 12.7 µs for the article part of an average record against
// 6.1 µs with snappy, 0.13 ms more for a page of 20 hits. The better and
// best levels gain 0-5% for 1.5 to 7 times slower encoding.
//
// With the store's dictionaries (dictionary.go) the fastest level is used:
// on 3,000 records of the synthetic corpus it keeps 35.3% of the article
// parts and 25.0% of the analyses, the default level 35.4% and 24.3%, but
// the default level's encoder with a dictionary costs 2.8 times as much an
// article (131 against 47 µs for the article part), most of it setting its
// tables up from the dictionary for each frame: 20 s of CPU in a bulk build
// of 50,000 articles.
const articleRecordVersion = 3 // baotinh-10: texts the article holds left out of the analysis (elideTexts); 2: zstd frames; before it, snappy blocks and no version byte

// A recordCodec compresses and decompresses the store's records: zstd, and
// once the store has them, with its three dictionaries, for article parts,
// analyses and role records (see trainDictionaries). Its decoder reads
// frames made with or without them.
type recordCodec struct {
	article, analysis, roles *zstd.Encoder
	dec                      *zstd.Decoder
	dictionaries             bool
}

// plainCodec is the codec of a store without dictionaries, made once.
var plainCodec = sync.OnceValue(func() *recordCodec {
	c, err := newRecordCodec(nil, nil, nil)
	if err != nil {
		panic(fmt.Sprintf("index: zstd: %v", err))
	}
	return c
})

// newRecordCodec makes the codec of a store: with dictionaries if those of
// article parts and analyses are given (a store whose first articles had
// too few role facts has none for role records). Encoders and decoder are safe for concurrent use: EncodeAll and
// DecodeAll each take one of GOMAXPROCS encoders or decoders for the call.
func newRecordCodec(articleDict, analysisDict, rolesDict []byte) (*recordCodec, error) {
	level := zstd.WithEncoderLevel(zstd.SpeedDefault)
	if articleDict != nil && analysisDict != nil {
		level = zstd.WithEncoderLevel(zstd.SpeedFastest)
	}
	// No record is near this; a corrupt frame header may claim anything.
	decOpts := []zstd.DOption{zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(1 << 30)}
	c := &recordCodec{}
	var err error
	if c.article, err = zstd.NewWriter(nil, level); err != nil {
		return nil, err
	}
	c.analysis, c.roles = c.article, c.article
	if articleDict != nil && analysisDict != nil {
		c.dictionaries = true
		for _, e := range []struct {
			enc  **zstd.Encoder
			dict []byte
		}{{&c.article, articleDict}, {&c.analysis, analysisDict}, {&c.roles, rolesDict}} {
			if e.dict == nil {
				continue
			}
			if *e.enc, err = zstd.NewWriter(nil, level, zstd.WithEncoderDict(e.dict)); err != nil {
				return nil, err
			}
			decOpts = append(decOpts, zstd.WithDecoderDicts(e.dict))
		}
	}
	if c.dec, err = zstd.NewReader(nil, decOpts...); err != nil {
		return nil, err
	}
	return c, nil
}

// decodeBuffers are the buffers records are decompressed into: what is read
// out of them is copied (strings), so a buffer is reused at once.
var decodeBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

// unzstd decompresses a frame into a buffer of decodeBuffers and calls fn
// with its content, which fn must not keep.
func (c *recordCodec) unzstd(frame []byte, fn func([]byte) error) error {
	buf := decodeBuffers.Get().(*[]byte)
	b, err := c.dec.DecodeAll(frame, (*buf)[:0])
	if err == nil {
		err = fn(b)
	}
	if cap(b) <= 1<<20 {
		*buf = b[:0]
		decodeBuffers.Put(buf)
	}
	return err
}

// encodeArticle makes the stored record of an article.
func (c *recordCodec) encodeArticle(a *Article) ([]byte, error) {
	an, err := json.Marshal(elideTexts(a.Analysis, a.Text))
	if err != nil {
		return nil, err
	}
	return c.record(marshalArticle(a), an), nil
}

// record makes a record of the two parts of an article, uncompressed.
func (c *recordCodec) record(article, analysis []byte) []byte {
	art := c.article.EncodeAll(article, nil)
	out := make([]byte, 0, 1+binary.MaxVarintLen64+len(art)+len(analysis)/2)
	out = append(out, articleRecordVersion)
	out = binary.AppendUvarint(out, uint64(len(art)))
	out = append(out, art...)
	return c.analysis.EncodeAll(analysis, out)
}

// The codec of a store without dictionaries, for tests and benchmarks.
func encodeArticle(a *Article) ([]byte, error) { return plainCodec().encodeArticle(a) }
func decodeArticle(v []byte) (*Article, error) { return plainCodec().decodeArticle(v) }
func decodeAnalysis(v []byte, text string) (*extract.Analysis, error) {
	return plainCodec().decodeAnalysis(v, text)
}
func encodeRoles(facts []roleFact) []byte { return plainCodec().encodeRoles(facts) }
func decodeRoles(rec []byte, fn func(*roleFact) error) error {
	return plainCodec().decodeRoles(rec, fn)
}

// splitRecord returns the parts of a record made by encodeArticle, each a
// zstd frame.
func splitRecord(v []byte) (article, analysis []byte, err error) {
	if len(v) == 0 {
		return nil, nil, errCorruptArticle
	}
	if v[0] != articleRecordVersion {
		return nil, nil, fmt.Errorf("index: an article record of layout %d, where this binary reads layout %d: run `baotinh reindex`", v[0], articleRecordVersion)
	}
	n, k := binary.Uvarint(v[1:])
	if k <= 0 || n > uint64(len(v)-1-k) {
		return nil, nil, errCorruptArticle
	}
	v = v[1+k:]
	return v[:n], v[n:], nil
}

// decodeArticle returns the article of a record made by encodeArticle,
// without its analysis.
func (c *recordCodec) decodeArticle(v []byte) (*Article, error) {
	rec, _, err := splitRecord(v)
	if err != nil {
		return nil, err
	}
	var a *Article
	err = c.unzstd(rec, func(b []byte) (err error) {
		a, err = unmarshalArticle(b)
		return err
	})
	if err != nil {
		if !errors.Is(err, errCorruptArticle) {
			err = fmt.Errorf("%w: %w", errCorruptArticle, err)
		}
		return nil, err
	}
	return a, nil
}

// decodeAnalysis returns the analysis of a record made by encodeArticle.
func (c *recordCodec) decodeAnalysis(v []byte, text string) (*extract.Analysis, error) {
	_, ana, err := splitRecord(v)
	if err != nil {
		return nil, err
	}
	var an *extract.Analysis
	err = c.unzstd(ana, func(b []byte) error { return json.Unmarshal(b, &an) })
	if err == nil {
		err = restoreTexts(an, text)
	}
	if err != nil {
		return nil, fmt.Errorf("index: corrupt analysis record: %w", err)
	}
	return an, nil
}

// An analysis repeats much of its article's text: what each quote, date,
// figure, term and document says is the text at its first span, as a
// rule. The stored analysis leaves such a text out (an empty string) and
// restoreTexts takes it from the article again. A text that is really
// empty is stored as textEscape, and one that begins with textEscape gets
// one more in front, so that every stored text reads back as it was. On
// the 5,000-article synthetic corpus the stored analyses took 8.8 MB
// instead of 13.5 MB (compressed with the store's dictionary).
const textEscape = "\x00"

// eachSpannedText calls fn with the text and spans of every quote, date,
// figure, term and document of an.
func eachSpannedText(an *extract.Analysis, fn func(text *string, spans []extract.Span)) {
	for i := range an.Quotes {
		fn(&an.Quotes[i].Text, an.Quotes[i].Spans)
	}
	for i := range an.Dates {
		fn(&an.Dates[i].Text, an.Dates[i].Spans)
	}
	for i := range an.Figures {
		fn(&an.Figures[i].Text, an.Figures[i].Spans)
	}
	for i := range an.Terms {
		fn(&an.Terms[i].Text, an.Terms[i].Spans)
	}
	for i := range an.Documents {
		fn(&an.Documents[i].Text, an.Documents[i].Spans)
	}
}

// elideTexts returns an with the texts the article holds left out; the
// slices it changes are copies, an is not changed.
func elideTexts(an *extract.Analysis, text string) *extract.Analysis {
	if an == nil {
		return nil
	}
	out := *an
	out.Quotes, out.Dates, out.Figures = slices.Clone(an.Quotes), slices.Clone(an.Dates), slices.Clone(an.Figures)
	out.Terms, out.Documents = slices.Clone(an.Terms), slices.Clone(an.Documents)
	eachSpannedText(&out, func(t *string, spans []extract.Span) {
		switch {
		case len(spans) == 0:
		case *t == "" || strings.HasPrefix(*t, textEscape):
			*t = textEscape + *t
		case inside(text, spans[0]) && text[spans[0][0]:spans[0][1]] == *t:
			*t = ""
		}
	})
	return &out
}

// restoreTexts puts back in an the texts elideTexts left out.
func restoreTexts(an *extract.Analysis, text string) error {
	if an == nil {
		return nil
	}
	var err error
	eachSpannedText(an, func(t *string, spans []extract.Span) {
		switch {
		case len(spans) == 0:
		case strings.HasPrefix(*t, textEscape):
			*t = (*t)[len(textEscape):]
		case *t == "":
			if s := spans[0]; inside(text, s) {
				*t = text[s[0]:s[1]]
			} else {
				err = fmt.Errorf("span %v outside the article's %d bytes", s, len(text))
			}
		}
	})
	return err
}

// inside says whether s is a span of text.
func inside(text string, s extract.Span) bool {
	return s[0] >= 0 && s[0] <= s[1] && s[1] <= len(text)
}
