package index

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/golang/snappy"
	"github.com/klauspost/compress/zstd"

	"github.com/baotinh/baotinh/extract"
	"github.com/baotinh/baotinh/internal/corpus"
)

func TestArticleRecord(t *testing.T) {
	a := &Article{ID: "baohatinh:1", Site: "baohatinh", SiteID: "1", URL: "https://baohatinh.vn/x-post1.html",
		Title: "Bí thư Tỉnh ủy", Published: "2024-11-19T08:00:00+07:00", Tags: []string{"dân vận"}, Authors: []string{},
		Text:   "Bí thư Tỉnh ủy\nNội dung.",
		Blocks: []extract.Block{{Kind: extract.BlockTitle, Span: extract.Span{0, 17}}, {Kind: extract.BlockParagraph, Span: extract.Span{18, 28}}},
		Analysis: &extract.Analysis{Title: "Bí thư Tỉnh ủy", Site: "baohatinh",
			People: []extract.Person{{Name: "Nguyễn Văn A", Spans: []extract.Span{{0, 3}}}}}}
	for _, an := range []*extract.Analysis{a.Analysis, nil} {
		a.Analysis = an
		rec, err := encodeArticle(a)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeArticle(rec)
		if err != nil {
			t.Fatal(err)
		}
		if got.Analysis, err = decodeAnalysis(rec, got.Text); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, a) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, a)
		}
		// A record cut short gives an error, and one with a byte changed an
		// error or the article.
		for i := range rec {
			if _, err := decodeArticle(rec[:i]); err == nil {
				if _, err := decodeAnalysis(rec[:i], a.Text); err == nil {
					t.Errorf("a record cut to %d of %d bytes was read", i, len(rec))
				}
			}
		}
		for i := range rec {
			bad := []byte(string(rec))
			bad[i] ^= 0x55
			// A frame header has bits the content does not depend on;
			// the content has a checksum.
			got, err1 := decodeArticle(bad)
			an, err2 := decodeAnalysis(bad, a.Text)
			if err1 == nil && err2 == nil {
				got.Analysis = an
				if !reflect.DeepEqual(got, a) {
					t.Errorf("a record with byte %d of %d changed was read as %+v", i, len(rec), got)
				}
			}
		}
	}
	// A record of the layout before baotinh-8 (snappy, no version byte)
	// asks for a reindex.
	old := append([]byte{5}, snappy.Encode(nil, marshalArticle(a))...)
	if _, err := decodeArticle(old); err == nil || !strings.Contains(err.Error(), "reindex") {
		t.Errorf("an old record: %v, want an error that asks for a reindex", err)
	}
	if _, err := decodeArticle(nil); err == nil {
		t.Error("an empty record was read")
	}
}

func TestRoleRecord(t *testing.T) {
	facts := []roleFact{
		{ID: "s:1/1.0", Person: "Trần Thị B", Title: "Phó Chủ tịch", Org: "UBND tỉnh", Level: "tỉnh", Place: "Hà Tĩnh", Site: "s", Article: "s:1",
			URL: "https://x/1", Published: "2024-11-19", Evidence: []evidence{{At: extract.Span{0, 40}, Span: extract.Span{3, 20}}}},
		{ID: "s:1/0.0", Person: "Nguyễn Văn A", PersonPlace: "Sơn La", Title: "Bí thư", Former: true, Site: "s", Article: "s:1",
			URL: "https://x/1", Published: "2024-11-19"},
	}
	rec := encodeRoles(facts)
	if n := roleCount(rec); n != 2 {
		t.Errorf("roleCount = %d, want 2", n)
	}
	var got []roleFact
	err := decodeRoles(rec, func(f *roleFact) error {
		c := *f
		c.Evidence = append([]evidence(nil), f.Evidence...)
		if len(c.Evidence) == 0 {
			c.Evidence = nil
		}
		got = append(got, c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []roleFact{facts[1], facts[0]}; !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
	}
	for i := range rec {
		if err := decodeRoles(rec[:i], func(*roleFact) error { return nil }); err == nil {
			t.Errorf("a role record cut to %d of %d bytes was read", i, len(rec))
		}
	}
	if err := decodeRoles([]byte{9, 1, 0}, func(*roleFact) error { return nil }); err == nil || !strings.Contains(err.Error(), "reindex") {
		t.Errorf("a role record of another layout: %v, want an error that asks for a reindex", err)
	}
}

// BenchmarkRecordCompression compares snappy and zstd's levels on the parts
// of the store's records of 1,000 articles of the synthetic corpus: the
// article (marshalArticle), its analysis (JSON) and its role facts
// (encodeRoles, uncompressed). ratio is compressed / raw bytes; MB/s is of
// raw bytes.
//
//	go test ./index -run '^$' -bench RecordCompression
func BenchmarkRecordCompression(b *testing.B) {
	items, err := corpus.Load(1000)
	if err != nil {
		b.Fatal(err)
	}
	parts := map[string][][]byte{}
	for _, it := range items {
		a := NewArticle(it.Article, it.Analysis)
		parts["article"] = append(parts["article"], marshalArticle(a))
		an, err := json.Marshal(a.Analysis)
		if err != nil {
			b.Fatal(err)
		}
		parts["analysis"] = append(parts["analysis"], an)
		if facts := roleFacts(a, extract.Sentences(it.Article)); len(facts) > 0 {
			parts["roles"] = append(parts["roles"], roleFactBytes(facts))
		}
	}
	dec, err := zstd.NewReader(nil)
	if err != nil {
		b.Fatal(err)
	}
	type codec struct {
		name string
		enc  func(dst, src []byte) []byte
		dec  func(dst, src []byte) ([]byte, error)
	}
	codecs := []codec{{"snappy", func(dst, src []byte) []byte { return snappy.Encode(dst[:cap(dst)], src) },
		func(dst, src []byte) ([]byte, error) { return snappy.Decode(dst[:cap(dst)], src) }}}
	for _, l := range []zstd.EncoderLevel{zstd.SpeedFastest, zstd.SpeedDefault, zstd.SpeedBetterCompression, zstd.SpeedBestCompression} {
		enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(l))
		if err != nil {
			b.Fatal(err)
		}
		codecs = append(codecs, codec{"zstd-" + l.String(), func(dst, src []byte) []byte { return enc.EncodeAll(src, dst[:0]) },
			func(dst, src []byte) ([]byte, error) { return dec.DecodeAll(src, dst[:0]) }})
	}
	for _, part := range []string{"article", "analysis", "roles"} {
		recs := parts[part]
		var raw int64
		for _, r := range recs {
			raw += int64(len(r))
		}
		for _, c := range codecs {
			var packed [][]byte
			var size int64
			for _, r := range recs {
				p := c.enc(nil, r)
				packed = append(packed, p)
				size += int64(len(p))
			}
			b.Run(part+"/"+c.name+"/encode", func(b *testing.B) {
				b.SetBytes(raw)
				buf := make([]byte, 0, 1<<20)
				for b.Loop() {
					for _, r := range recs {
						buf = c.enc(buf, r)
					}
				}
				b.ReportMetric(float64(size)/float64(raw), "ratio")
			})
			b.Run(part+"/"+c.name+"/decode", func(b *testing.B) {
				b.SetBytes(raw)
				buf := make([]byte, 0, 1<<20)
				for b.Loop() {
					for _, p := range packed {
						if buf, err = c.dec(buf, p); err != nil {
							b.Fatal(err)
						}
					}
				}
				b.ReportMetric(float64(size)/float64(raw), "ratio")
				b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(packed)), "µs/record")
			})
		}
	}
}

// TestElideTexts checks that the texts an analysis shares with its article
// are left out of the stored record and come back as they were: on the
// real seed articles, and on texts that are empty or differ from their
// span's.
func TestElideTexts(t *testing.T) {
	files, err := filepath.Glob("../testdata/seeds/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no seeds: %v", err)
	}
	elided, kept := 0, 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a := extract.ParseText(string(b))
		an := extract.Analyze(a)
		if len(an.Quotes) > 0 {
			// Not what the text says at the span: kept as it is.
			an.Quotes[0].Text = "khác " + an.Quotes[0].Text
		}
		if len(an.Dates) > 0 {
			an.Dates[0].Text = "" // empty, with a span
		}
		for i, t := range []string{"\x00", "\x00\x00x"} { // texts that begin as the escape does
			if len(an.Figures) > i {
				an.Figures[i].Text = t
			}
		}
		before, _ := json.Marshal(an)
		short := elideTexts(an, a.Text)
		after, _ := json.Marshal(an)
		if string(before) != string(after) {
			t.Fatalf("%s: elideTexts changed the analysis it was given", f)
		}
		for _, q := range short.Quotes {
			if q.Text == "" {
				elided++
			} else {
				kept++
			}
		}
		js, _ := json.Marshal(short)
		var back *extract.Analysis
		if err := json.Unmarshal(js, &back); err != nil {
			t.Fatal(err)
		}
		if err := restoreTexts(back, a.Text); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if !reflect.DeepEqual(back, an) {
			got, _ := json.Marshal(back)
			t.Errorf("%s: restored analysis differs:\n got %s\nwant %s", f, got, before)
		}
		if len(an.Quotes)+len(an.Figures)+len(an.Dates) > 3 && len(js) >= len(before) {
			t.Errorf("%s: stored analysis %d bytes, the whole %d", f, len(js), len(before))
		}
	}
	if elided == 0 || kept == 0 {
		t.Errorf("%d quotes' texts left out, %d kept: want some of each", elided, kept)
	}
	// A span outside the article is a corrupt record, not a panic.
	an := &extract.Analysis{Quotes: []extract.Quote{{Text: "", Spans: []extract.Span{{5, 50}}}}}
	if err := restoreTexts(an, "short"); err == nil {
		t.Error("a span outside the article was restored")
	}
}
