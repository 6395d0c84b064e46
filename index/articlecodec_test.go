package index

import (
	"reflect"
	"testing"
	"time"

	"github.com/baotinh/baotinh/extract"
)

func TestArticleCodec(t *testing.T) {
	full := &Article{ID: "baohatinh:1", Site: "baohatinh", SiteID: "1", URL: "https://baohatinh.vn/x-post1.html",
		Title: "Bí thư Tỉnh ủy", Published: "2024-11-19T08:00:00+07:00", Modified: "2024-11-20", Category: "Chính trị",
		Tags: []string{"Hà Tĩnh", "dân vận"}, Authors: []string{"Thu Hà"}, Text: "Bí thư Tỉnh ủy\nNội dung.",
		Blocks:  []extract.Block{{Kind: extract.BlockTitle, Span: extract.Span{0, 17}}, {Kind: extract.BlockParagraph, Span: extract.Span{18, 28}}},
		Indexed: time.Date(2026, 11, 21, 23, 0, 0, 123, time.UTC)}
	empty := &Article{Tags: []string{}, Authors: []string{}, Blocks: []extract.Block{}}
	for _, a := range []*Article{full, empty} {
		got, err := unmarshalArticle(marshalArticle(a))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, a) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, a)
		}
	}
	// Every field but the analysis (stored apart) is in the codec: a new
	// field of Article must be added to it too.
	if n := reflect.TypeOf(Article{}).NumField(); n != 14 {
		t.Errorf("Article has %d fields; the codec knows 14 (13 and the analysis): add the new one to marshalArticle", n)
	}
	b := marshalArticle(full)
	for i := range b {
		if _, err := unmarshalArticle(b[:i]); err == nil {
			t.Errorf("a record cut to %d of %d bytes was read", i, len(b))
		}
	}
}

func FuzzArticleCodec(f *testing.F) {
	f.Add(marshalArticle(&Article{ID: "a:1", Text: "xin chào", Blocks: []extract.Block{{Kind: "title", Span: extract.Span{0, 3}}}}))
	f.Add([]byte{1, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := unmarshalArticle(b)
		if err != nil {
			return
		}
		for _, bl := range a.Blocks {
			if bl.Span[0] > bl.Span[1] || bl.Span[1] > len(a.Text) {
				t.Fatalf("block %v outside the text (%d bytes)", bl, len(a.Text))
			}
		}
		again, err := unmarshalArticle(marshalArticle(a))
		if err != nil || !reflect.DeepEqual(again, a) {
			t.Fatalf("a record read back differs: %v", err)
		}
	})
}
