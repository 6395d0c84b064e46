package index

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/baotinh/baotinh/extract"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestPaging(t *testing.T) {
	ix := testIndex(t)
	ctx := context.Background()
	for _, sort := range []string{"relevance", "newest", "oldest"} {
		all, err := ix.Search(ctx, &Search{Query: "hội nghị dân", Sort: sort, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(all.Hits) < 5 || all.Next != "" {
			t.Fatalf("%s: one page of 100 gave %d hits, next %q", sort, len(all.Hits), all.Next)
		}
		var want, got []string
		for _, h := range all.Hits {
			want = append(want, h.ID)
		}
		s := &Search{Query: "hội nghị dân", Sort: sort, Limit: 2}
		for pages := 0; ; pages++ {
			if pages > 10 {
				t.Fatal("paging does not end")
			}
			res, err := ix.Search(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != all.Total {
				t.Errorf("%s: page total %d, want %d", sort, res.Total, all.Total)
			}
			for _, h := range res.Hits {
				got = append(got, h.ID)
			}
			if res.Next == "" {
				break
			}
			s.After = res.Next
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: pages of 2 gave %v, one page %v", sort, got, want)
		}
	}
	if sortNewest, _ := ix.Search(ctx, &Search{Sort: "newest", Limit: 3}); sortNewest.Hits[0].ID != "baosonla:Kk1Ll2Mm3" {
		t.Errorf("newest first = %s, want baosonla:Kk1Ll2Mm3", sortNewest.Hits[0].ID)
	}
	// A token of another search is refused.
	res, _ := ix.Search(ctx, &Search{Query: "dân", Limit: 1})
	_, err := ix.Search(ctx, &Search{Query: "vận", Limit: 1, After: res.Next})
	var qe *QueryError
	if !errors.As(err, &qe) {
		t.Errorf("a token of another search: err = %v, want a QueryError", err)
	}
}

func TestMappingChanged(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	// As if an older binary had built it.
	db, err := bolt.Open(filepath.Join(dir, "store.db"), 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyMapping, []byte("baotinh-1+old")) })
	db.Close()
	for _, ro := range []bool{false, true} {
		_, err = Open(dir, Options{ReadOnly: ro})
		var me *MappingError
		if !errors.As(err, &me) || me.Have != "baotinh-1+old" || !strings.Contains(err.Error(), "baotinh reindex") {
			t.Errorf("Open(read-only %v) of an old index: %v, want a MappingError asking for reindex", ro, err)
		}
	}
	if _, err := Open(filepath.Join(dir, "none"), Options{ReadOnly: true}); !errors.Is(err, ErrNoIndex) {
		t.Errorf("Open of a missing index: %v, want ErrNoIndex", err)
	}
}

// TestUpdate replaces an article by a version with fewer titles: the role
// documents of the old version must go.
func TestUpdate(t *testing.T) {
	ix := testIndex(t)
	ctx := context.Background()
	// A hit of the old version, whose article the cache keeps.
	old, err := ix.Search(ctx, &Search{Query: "site:baohatinh", Limit: MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	oldTitle := ""
	for _, h := range old.Hits {
		if h.ID == "baohatinh:100001" {
			oldTitle = h.Title
		}
	}
	if oldTitle == "" {
		t.Fatal("no hit of baohatinh:100001 before the update")
	}
	before, err := ix.Officials(ctx, &OfficialsFilter{Person: "Trương Thanh Huyền"})
	if err != nil || len(before) != 1 {
		t.Fatalf("Officials before = %v, %v; want one row", before, err)
	}
	a := &extract.Article{Site: "baohatinh", SiteID: "100001", URL: "https://baohatinh.vn/x-post100001.html"}
	a.Add(extract.BlockTitle, "Nhân rộng mô hình “Dân vận khéo” ở Hương Sơn")
	a.Add(extract.BlockParagraph, "Bài viết đã được biên tập lại.")
	w := ix.NewWriter(0, nil)
	if err := w.Add(a, extract.Analyze(a)); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	after, err := ix.Officials(ctx, &OfficialsFilter{Person: "Trương Thanh Huyền"})
	if err != nil || len(after) != 0 {
		t.Errorf("Officials after the update = %v, %v; want none", after, err)
	}
	all, err := ix.Officials(ctx, &OfficialsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range all {
		if o.Name == "Trương Thanh Huyền" || o.Name == "Nguyễn Văn Hòa" {
			t.Errorf("the full table still has %s from the old version", o.Name)
		}
	}
	res, _ := ix.Search(ctx, &Search{Query: "\"biên tập lại\""})
	if res.Total != 1 {
		t.Errorf("the new text is not found: %d hits", res.Total)
	} else if h := res.Hits[0]; h.Title != "Nhân rộng mô hình “Dân vận khéo” ở Hương Sơn" {
		t.Errorf("the hit shows the title %q (before the update: %q)", h.Title, oldTitle)
	} else if len(h.Snippets) == 0 || !strings.Contains(h.Snippets[0].Text, "biên tập lại") {
		t.Errorf("the hit's snippets %+v are not of the new text", h.Snippets)
	}
	n, _, _ := ix.Count()
	if n != 8 {
		t.Errorf("%d articles after replacing one of 8", n)
	}
}

// TestOfficialsGolden builds the officials table of the seed articles and
// compares it with the golden CSV (go test ./index -run Golden -update).
func TestOfficialsGolden(t *testing.T) {
	ix, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	addSeeds(t, ix.NewWriter(64<<10, nil)) // several batches
	rows, err := ix.Officials(context.Background(), &OfficialsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	cw.Write(OfficialColumns)
	for _, o := range rows {
		cw.Write(o.Row())
	}
	cw.Flush()
	golden := "testdata/officials.golden.csv"
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		gl, wl := strings.Split(buf.String(), "\r\n"), strings.Split(string(want), "\r\n")
		for i := 0; i < max(len(gl), len(wl)); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("officials table differs from %s at line %d:\n got %s\nwant %s\n(go test ./index -run Golden -update after checking)", golden, i+1, g, w)
			}
		}
	}
	// The CSV reads back with the same number of fields in every row.
	recs, err := csv.NewReader(bytes.NewReader(want)).ReadAll()
	if err != nil || len(recs) != len(rows)+1 {
		t.Fatalf("golden CSV reads back as %d records (%v), want %d", len(recs), err, len(rows)+1)
	}
	// Every row counts at least one article, and last_seen sorts down.
	for i, o := range rows {
		if o.Articles < 1 || o.Name == "" || o.Title == "" {
			t.Errorf("row %d is incomplete: %+v", i, o)
		}
		if i > 0 && rows[i-1].LastSeen < o.LastSeen {
			t.Errorf("row %d last_seen %s after %s", i, o.LastSeen, rows[i-1].LastSeen)
		}
	}
	ms, err := ix.Mentions(context.Background(), &OfficialsFilter{Title: "Trưởng ban Dân vận"})
	if err != nil || len(ms) == 0 {
		t.Fatalf("Mentions: %d, %v", len(ms), err)
	}
	for _, m := range ms {
		a, _ := ix.Article(m.Article)
		if a == nil || a.Text[m.Start:m.Start+len(m.Sentence)] != m.Sentence || m.Span[0] < m.Start || m.Span[1] > m.Start+len(m.Sentence) {
			t.Errorf("mention %+v: the sentence is not where it says, or does not hold the mention", m)
		}
		if !strings.Contains(m.Title, "Trưởng ban Dân vận") {
			t.Errorf("mention of %q for the title filter Trưởng ban Dân vận", m.Title)
		}
	}
}

// TestWriterConcurrent adds articles from many goroutines in small batches,
// each article in two versions one after the other: every article is
// written once, in its last version.
func TestWriterConcurrent(t *testing.T) {
	ix, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	w := ix.NewWriter(2<<10, nil) // a batch every few articles
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 30 {
				for _, version := range []string{"bản nháp", "bản cuối"} {
					a := &extract.Article{Site: "baohatinh", SiteID: fmt.Sprintf("%d-%d", g, i)}
					a.Add(extract.BlockTitle, fmt.Sprintf("Tin số %d của nhóm %d", i, g))
					a.Add(extract.BlockParagraph, "Đây là "+version+" của bài viết về công tác dân vận ở xã Sơn Kim 1.")
					if err := w.Add(a, extract.Analyze(a)); err != nil {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := ix.Count(); n != 180 {
		t.Errorf("%d articles, want 180", n)
	}
	res, err := ix.Search(context.Background(), &Search{Query: "\"bản cuối\"", Limit: 1})
	if err != nil || res.Total != 180 {
		t.Errorf("last versions found: %d (%v), want 180", res.Total, err)
	}
	res, _ = ix.Search(context.Background(), &Search{Query: "\"bản nháp\"", Limit: 1})
	if res.Total != 0 {
		t.Errorf("%d first versions left, want 0", res.Total)
	}
}

// TestSearchWhileWriting: searches that run while batches of new articles
// are written never see an article the store cannot give (the search index
// takes a batch before the store commits it).
func TestSearchWhileWriting(t *testing.T) {
	ix, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	w := ix.NewWriter(1<<10, nil) // a batch every article or two
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 300 {
			a := &extract.Article{Site: "baosonla", SiteID: fmt.Sprintf("w%d", i), Published: time.Date(2024, time.Month(i%12+1), i%28+1, 8, 0, 0, 0, extract.Vietnam)}
			a.Add(extract.BlockTitle, fmt.Sprintf("Tin số %d về công tác dân vận", i))
			a.Add(extract.BlockParagraph, "Bí thư Huyện ủy Mường La Nguyễn Văn A dự hội nghị về công tác dân vận ở xã Chiềng Lao.")
			if err := w.Add(a, extract.Analyze(a)); err != nil {
				t.Error(err)
				return
			}
		}
		if err := w.Flush(); err != nil {
			t.Error(err)
		}
	}()
	searches := 0
	for running := true; running; searches++ {
		select {
		case <-done:
			running = false
		default:
		}
		for _, s := range []*Search{{Sort: "newest", Limit: 20}, {Query: "dan van", Limit: 20}} {
			if _, err := ix.Search(context.Background(), s); err != nil {
				t.Errorf("search %d while writing: %v", searches, err)
				<-done
				return
			}
		}
	}
	if n, _, _ := ix.Count(); n != 300 {
		t.Errorf("%d articles, want 300", n)
	}
	t.Logf("%d rounds of searches while writing", searches)
}

// addSeeds adds the seed articles of testdata (site "seeds", the file's
// number as id) with w and flushes it.
func addSeeds(t *testing.T, w *Writer) {
	t.Helper()
	files, err := filepath.Glob("../testdata/seeds/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no seeds: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a := extract.ParseText(string(b))
		a.Site, a.SiteID = "seeds", strings.SplitN(filepath.Base(f), "_", 2)[0]
		if a.URL == "" {
			a.URL = "seed:" + a.SiteID
		}
		if err := w.Add(a, extract.Analyze(a)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
}
