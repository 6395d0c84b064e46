package crawler

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/baotinh/baotinh/extract"
)

// FuzzParseArticle checks that any page parses without a panic into an
// article whose text is valid NFC UTF-8, whose blocks lie inside the text,
// whose times are in +07:00 and whose layers are known. The corpus in
// testdata/fuzz/FuzzParseArticle holds a page of each template in small.
func FuzzParseArticle(f *testing.F) {
	f.Add([]byte(`<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"Tựa","author":{"name":""},"datePublished":"2025-06-17T13:43:02+0700"}</script></head><body><div class="article__body"><p>Đoạn<br>hai</p><p style="text-align:right">Thu Hà</p></div></body></html>`), "text/html; charset=utf-8")
	f.Add([]byte("<meta charset=\"windows-1258\"><h1>H\xe0 Ti\xdenh</h1><p>Ngh\xea\xf2</p>"), "text/html")
	f.Add([]byte(`<meta property="article:published_time" content="2025-06-17T13:43:02+0700"><meta name="keywords" content="a, b,"><div class="fulltext"><p class="font-bold">Sapo</p><p>Thân</p><p class="text-end">Việt Anh</p></div>`), "")
	f.Add([]byte(`<div class="time-detail">Cập nhật: 11:42 27/12/2022</div><div id="content-detail"><p>X</p></div><div> {name} - {time}</div>`), "text/html; charset=utf-8")
	hatinh := profileNamed(f, "baohatinh")
	pageURL, _ := url.Parse("https://baohatinh.vn/tin-post317598.html")
	layers := map[string]bool{LayerJSONLD: true, LayerMeta: true, LayerSite: true, LayerGeneric: true}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		page, err := ParseArticle(body, contentType, pageURL, hatinh)
		if err != nil {
			if errors.Is(err, errParserBug) {
				t.Fatal(err)
			}
			if !strings.HasPrefix(err.Error(), "crawler: ") {
				t.Fatalf("error without the package prefix: %v", err)
			}
			return
		}
		a := page.Article
		if a == nil {
			t.Fatal("no article and no error")
		}
		if !utf8.ValidString(a.Text) || !norm.NFC.IsNormalString(a.Text) {
			t.Fatalf("text is not NFC UTF-8: %q", a.Text)
		}
		end := 0
		for _, b := range a.Blocks {
			if b.Span[0] < end || b.Span[1] < b.Span[0] || b.Span[1] > len(a.Text) {
				t.Fatalf("block %v out of order or outside the text (%d bytes)", b, len(a.Text))
			}
			if strings.TrimSpace(a.BlockText(b)) != a.BlockText(b) || a.BlockText(b) == "" {
				t.Fatalf("block %q is empty or not trimmed", a.BlockText(b))
			}
			end = b.Span[1]
		}
		for _, tm := range []time.Time{a.Published, a.Modified} {
			if _, off := tm.Zone(); !tm.IsZero() && off != 7*3600 {
				t.Fatalf("time %v is not in +07:00", tm)
			}
		}
		for field, l := range page.Layers {
			if !layers[l] {
				t.Fatalf("field %s from unknown layer %q", field, l)
			}
		}
		if a.URL != "" && !strings.HasPrefix(a.URL, "https://baohatinh.vn/") {
			t.Fatalf("canonical URL %q is not the site's", a.URL)
		}
		_ = extract.Analyze(a) // the extractor takes whatever the parser makes
	})
}
