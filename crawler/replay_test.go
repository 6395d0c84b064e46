package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/baotinh/baotinh/crawler/warc"
	"github.com/baotinh/baotinh/extract"
	"github.com/baotinh/baotinh/internal/sitegen"
)

// indexed is what OnArticle received during crawls, per site:id in the
// order of the calls.
type indexed struct {
	mu   sync.Mutex
	arts map[string][]indexedArticle
	n    int
}

type indexedArticle struct {
	article  *extract.Article
	analysis []byte // JSON
}

func (ix *indexed) onArticle(t *testing.T) func(*Page, *extract.Analysis) error {
	return func(p *Page, a *extract.Analysis) error {
		b, err := json.Marshal(a)
		if err != nil {
			t.Errorf("analysis of %s: %v", p.Article.URL, err)
		}
		ix.mu.Lock()
		defer ix.mu.Unlock()
		if ix.arts == nil {
			ix.arts = map[string][]indexedArticle{}
		}
		k := p.Article.Site + ":" + p.Article.SiteID
		ix.arts[k] = append(ix.arts[k], indexedArticle{p.Article, b})
		ix.n++
		return nil
	}
}

// latest returns the last article OnArticle got for key.
func (ix *indexed) latest(key string) indexedArticle {
	v := ix.arts[key]
	return v[len(v)-1]
}

// replayAll replays a data directory and returns the articles per site:id,
// in the order Replay gave them.
func replayAll(t *testing.T, opt ReplayOptions) (map[string][]*Archived, *ReplayStats) {
	t.Helper()
	out := map[string][]*Archived{}
	stats, err := Replay(context.Background(), opt, func(a *Archived) error {
		k := a.Page.Article.Site + ":" + a.Page.Article.SiteID
		out[k] = append(out[k], a)
		return nil
	})
	if err != nil {
		t.Fatalf("Replay: %v", err)
	}
	if stats.Articles != countAll(out) {
		t.Errorf("stats count %d articles, fn got %d", stats.Articles, countAll(out))
	}
	return out, stats
}

func countAll[V any](m map[string][]V) int {
	n := 0
	for _, v := range m {
		n += len(v)
	}
	return n
}

// sameArticle fails the test unless got is the article OnArticle received
// and the extractor makes the same analysis of it.
func sameArticle(t *testing.T, what string, got *extract.Article, want indexedArticle) {
	t.Helper()
	w := want.article
	if !reflect.DeepEqual(got, w) {
		fields := []struct {
			name      string
			got, want any
		}{
			{"Site", got.Site, w.Site}, {"SiteID", got.SiteID, w.SiteID}, {"URL", got.URL, w.URL},
			{"Province", got.Province, w.Province}, {"Title", got.Title(), w.Title()},
			{"Published", got.Published, w.Published}, {"PublishedDateOnly", got.PublishedDateOnly, w.PublishedDateOnly},
			{"Modified", got.Modified, w.Modified}, {"Category", got.Category, w.Category},
			{"Tags", got.Tags, w.Tags}, {"Authors", got.Authors, w.Authors},
			{"Text", got.Text, w.Text}, {"Blocks", got.Blocks, w.Blocks},
		}
		n := 0
		for _, f := range fields {
			if !reflect.DeepEqual(f.got, f.want) {
				t.Errorf("%s: replayed %s %q, crawled %q", what, f.name, f.got, f.want)
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s: replayed article %+v, crawled %+v", what, got, w)
		}
		return
	}
	b, err := json.Marshal(extract.Analyze(got))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, want.analysis) {
		t.Errorf("%s: analysis of the replayed article differs:\n%s\ncrawled:\n%s", what, b, want.analysis)
	}
}

func TestReplayFixtureSites(t *testing.T) {
	want := loadFixtures(t)
	profiles, bases, _ := fixtureServers(t)
	dir := tempData(t)
	var ix indexed
	opt := Options{DataDir: dir, Sites: profiles, BaseURLs: bases, Delay: -1, Parallel: 4,
		Backoff: 10 * time.Millisecond, OnArticle: ix.onArticle(t)}
	if sum := crawlT(t, opt); sum.FailedTotal() != 0 {
		t.Fatalf("crawl failures: %v", sum.Failed)
	}
	if ix.n != len(want) || len(ix.arts) != len(want) {
		t.Fatalf("OnArticle called %d times for %d articles, want %d", ix.n, len(ix.arts), len(want))
	}

	var dones []int64
	var totals []int64
	got, stats := replayAll(t, ReplayOptions{DataDir: dir,
		Progress: func(done, total int64) { dones, totals = append(dones, done), append(totals, total) }})
	if stats.Articles != len(want) || stats.Skipped != 0 || len(stats.Warnings) != 0 {
		t.Errorf("replay: %d articles, %d skipped, warnings %q; want %d, 0, none", stats.Articles, stats.Skipped, stats.Warnings, len(want))
	}
	files, err := warc.Files(WARCDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	var size int64
	for _, f := range files {
		fi, _ := os.Stat(f)
		size += fi.Size()
	}
	if stats.Files != len(files) || stats.Records == 0 {
		t.Errorf("replay read %d files, %d records; the archive has %d files", stats.Files, stats.Records, len(files))
	}
	if len(dones) < 2 || dones[len(dones)-1] != size || totals[0] != size {
		t.Errorf("progress: %d calls, last %v of %v, want to end at %d", len(dones), dones[len(dones)-1:], totals[:1], size)
	}
	for i := 1; i < len(dones); i++ {
		if dones[i] < dones[i-1] || totals[i] != size {
			t.Fatalf("progress goes %d, %d of %d", dones[i-1], dones[i], totals[i])
		}
	}
	sites := map[string]bool{}
	for key, crawled := range ix.arts {
		rs := got[key]
		if len(rs) != 1 {
			t.Errorf("%s: replayed %d times, want once", key, len(rs))
			continue
		}
		sameArticle(t, key, rs[0].Page.Article, crawled[0])
		sites[rs[0].Page.Article.Site] = true
	}
	if len(got) != len(ix.arts) {
		t.Errorf("replayed %d articles, crawled %d: %v", len(got), len(ix.arts), keys(got))
	}
	if !sites["baohatinh"] || !sites["baosonla"] || !sites[profiles[2].Name] {
		t.Errorf("sites replayed %v, want the two built-in ones and the generic %s", sites, profiles[2].Name)
	}

	// The crawl state points at each article's records.
	st := stateOf(t, dir)
	if len(st) != len(want) {
		t.Fatalf("state holds %d articles, want %d", len(st), len(want))
	}
	for key, s := range st {
		a, err := ArchivedAt(dir, s.WARCFile, s.WARCOffset)
		if err != nil {
			t.Errorf("%s: ArchivedAt(%s, %d): %v", key, s.WARCFile, s.WARCOffset, err)
			continue
		}
		sameArticle(t, key+" (ArchivedAt)", a.Page.Article, ix.latest(key))
		r := got[key][0]
		if a.File != s.WARCFile || a.Offset != s.WARCOffset || a.Hash != s.Hash || r.File != a.File || r.Offset != a.Offset || r.Hash != a.Hash {
			t.Errorf("%s: ArchivedAt %s@%d %s, Replay %s@%d %s, state %s@%d %s", key, a.File, a.Offset, a.Hash,
				r.File, r.Offset, r.Hash, s.WARCFile, s.WARCOffset, s.Hash)
		}
		if !a.Fetched.Equal(r.Fetched) || a.Fetched.IsZero() || a.Fetched.Sub(s.LastFetched).Abs() > 2*time.Second {
			t.Errorf("%s: fetched %v (ArchivedAt), %v (Replay), %v (state)", key, a.Fetched, r.Fetched, s.LastFetched)
		}
	}
}

// An article whose text changed between two crawls is archived twice and
// replayed twice, the older version first; an article that answered 304 is
// archived once with its article.
func TestReplayUpdatedArticle(t *testing.T) {
	s := newFaultSite(t, 6)
	s.etags = true
	dir := tempData(t)
	var ix indexed
	opt := s.options(dir)
	opt.OnArticle = ix.onArticle(t)
	crawlT(t, opt)
	first := ix.latest("baohatinh:" + articleID(3))

	s.mu.Lock()
	s.lastmod[3] = time.Now().Add(time.Hour)
	s.lastmod[5] = time.Now().Add(time.Hour)
	s.body[3] = "Phó Chủ tịch UBND tỉnh Nguyễn Hồng Lĩnh chủ trì hội nghị, sửa lại bài."
	s.mu.Unlock()
	if sum := crawlT(t, opt); sum.Updated != 1 || sum.Unchanged != 1 {
		t.Fatalf("second crawl: updated %d unchanged %d, want 1, 1", sum.Updated, sum.Unchanged)
	}
	if ix.n != 7 {
		t.Fatalf("OnArticle called %d times, want 7", ix.n)
	}

	got, stats := replayAll(t, ReplayOptions{DataDir: dir})
	if stats.Articles != 7 || stats.Skipped != 0 || len(stats.Warnings) != 0 {
		t.Errorf("replay: %d articles, %d skipped, warnings %q; want 7, 0, none", stats.Articles, stats.Skipped, stats.Warnings)
	}
	for i := 1; i <= 6; i++ {
		key := "baohatinh:" + articleID(i)
		want := 1
		if i == 3 {
			want = 2
		}
		if len(got[key]) != want {
			t.Errorf("%s: %d versions, want %d", key, len(got[key]), want)
			continue
		}
		// The caller keeps the latest.
		sameArticle(t, key, got[key][len(got[key])-1].Page.Article, ix.latest(key))
	}
	vs := got["baohatinh:"+articleID(3)]
	if len(vs) == 2 {
		sameArticle(t, "article 3, first version", vs[0].Page.Article, first)
		if !strings.Contains(vs[1].Page.Article.Text, "sửa lại bài") || strings.Contains(vs[0].Page.Article.Text, "sửa lại bài") {
			t.Errorf("versions out of order: %q, then %q", vs[0].Page.Article.Text, vs[1].Page.Article.Text)
		}
		if vs[0].Hash == vs[1].Hash || vs[1].Fetched.Before(vs[0].Fetched) {
			t.Errorf("versions: %s at %v, then %s at %v", vs[0].Hash, vs[0].Fetched, vs[1].Hash, vs[1].Fetched)
		}
		st := stateOf(t, dir)["baohatinh:"+articleID(3)]
		a, err := ArchivedAt(dir, st.WARCFile, st.WARCOffset)
		if err != nil {
			t.Fatal(err)
		}
		if a.Hash != vs[1].Hash || a.Hash != st.Hash {
			t.Errorf("ArchivedAt from the state gives %s, want the latest version %s", a.Hash, vs[1].Hash)
		}
	}
}

// Responses as servers send them: gzip, chunked, a legacy charset named in
// the header, a redirect. Replay decodes them as the crawl did.
func TestReplayEncodings(t *testing.T) {
	s := newFaultSite(t, 6)
	legacy := func(i int) []byte {
		return sitegen.EncodeWindows1258(strings.Replace(s.article(i), `<meta charset="utf-8">`, `<meta charset="windows-1258">`, 1))
	}
	gzipped := func(b []byte) []byte {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(b)
		zw.Close()
		return buf.Bytes()
	}
	// 1: gzip, chunked.
	s.set(articlePath(1), func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Encoding", "gzip")
		b := gzipped([]byte(s.article(1)))
		w.Write(b[:len(b)/2])
		w.(http.Flusher).Flush()
		w.Write(b[len(b)/2:])
	})
	// 2: windows-1258, named by the header.
	s.set(articlePath(2), func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=windows-1258")
		w.Write(legacy(2))
	})
	// 3: the same, gzipped.
	s.set(articlePath(3), func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=windows-1258")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gzipped(legacy(3)))
	})
	// 4: moved; the page parsed is the one redirected to.
	s.set(articlePath(4), func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/moi"+articlePath(4), http.StatusMovedPermanently)
	})
	dir := tempData(t)
	var ix indexed
	opt := s.options(dir)
	opt.OnArticle = ix.onArticle(t)
	if sum := crawlT(t, opt); sum.New != 6 || sum.FailedTotal() != 0 {
		t.Fatalf("crawl: new %d failed %v, want 6, none", sum.New, sum.Failed)
	}
	for i := 1; i <= 6; i++ {
		a := ix.latest("baohatinh:" + articleID(i)).article
		if want := fmt.Sprintf("Hội nghị số %d về công tác dân vận", i); a.Title() != want {
			t.Errorf("article %d crawled with title %q, want %q", i, a.Title(), want)
		}
	}
	got, stats := replayAll(t, ReplayOptions{DataDir: dir})
	if stats.Articles != 6 || stats.Skipped != 0 || len(stats.Warnings) != 0 {
		t.Errorf("replay: %d articles, %d skipped, warnings %q; want 6, 0, none", stats.Articles, stats.Skipped, stats.Warnings)
	}
	st := stateOf(t, dir)
	for i := 1; i <= 6; i++ {
		key := "baohatinh:" + articleID(i)
		if len(got[key]) != 1 {
			t.Errorf("%s: %d versions, want 1", key, len(got[key]))
			continue
		}
		sameArticle(t, key, got[key][0].Page.Article, ix.latest(key))
		if cs := got[key][0].Page.Charset; (i == 2 || i == 3) != (cs == "windows-1258") {
			t.Errorf("%s: replayed from charset %s", key, cs)
		}
		a, err := ArchivedAt(dir, st[key].WARCFile, st[key].WARCOffset)
		if err != nil {
			t.Errorf("%s: ArchivedAt: %v", key, err)
			continue
		}
		sameArticle(t, key+" (ArchivedAt)", a.Page.Article, ix.latest(key))
	}
}

// archivedAt is where an article is in a WARC file: the offset of its
// response record and of its metadata record.
type archivedAt struct {
	key              string
	response, offset int64
}

// okRecords lists the articles archived as "ok" in one WARC file.
func okRecords(t *testing.T, file string) []archivedAt {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := warc.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var out []archivedAt
	var resp int64
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if rec.Type() == warc.TypeResponse {
			resp = rec.Offset
		}
		if rec.Type() != warc.TypeMetadata {
			continue
		}
		var ar ArchiveRecord
		b, _ := io.ReadAll(rec.Body)
		if json.Unmarshal(b, &ar) == nil && ar.Status == "ok" {
			out = append(out, archivedAt{ar.Site + ":" + ar.ID, resp, rec.Offset})
		}
	}
}

// A file cut in the middle of its last record (a crawl killed while
// writing) and a file damaged in the middle give a warning each: the
// articles before the damage and those of the other files are replayed.
func TestReplayTruncatedAndCorrupt(t *testing.T) {
	s := newFaultSite(t, 6)
	dir := tempData(t)
	var ix indexed
	opt := s.options(dir)
	opt.OnArticle = ix.onArticle(t)
	opt.WARCMaxSize = 1 // one exchange a file
	crawlT(t, opt)
	if ix.n != 6 {
		t.Fatalf("OnArticle called %d times, want 6", ix.n)
	}
	files, err := warc.Files(WARCDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	var holding []string // the files holding an article, in order
	var recs []archivedAt
	for _, f := range files {
		if rs := okRecords(t, f); len(rs) > 0 {
			if len(rs) != 1 {
				t.Fatalf("%s holds %d articles, want 1", f, len(rs))
			}
			holding = append(holding, f)
			recs = append(recs, rs[0])
		}
	}
	if len(holding) != 6 {
		t.Fatalf("%d files hold an article, want 6", len(holding))
	}

	// Cut the second article's file in the middle of its metadata record,
	// its last.
	cut, cutRec := holding[1], recs[1]
	fi, _ := os.Stat(cut)
	if err := os.Truncate(cut, cutRec.offset+(fi.Size()-cutRec.offset)/2); err != nil {
		t.Fatal(err)
	}
	// Damage the fourth article's response in the middle of its gzip member.
	bad, badRec := holding[3], recs[3]
	b, err := os.ReadFile(bad)
	if err != nil {
		t.Fatal(err)
	}
	mid := badRec.response + (badRec.offset-badRec.response)/2
	for i := mid; i < mid+16; i++ {
		b[i] ^= 0x55
	}
	if err := os.WriteFile(bad, b, 0o644); err != nil {
		t.Fatal(err)
	}

	var logged []string
	got, stats := replayAll(t, ReplayOptions{DataDir: dir, Log: func(l string) { logged = append(logged, l) }})
	if stats.Articles != 4 || stats.Skipped != 0 || stats.Files != len(files) {
		t.Errorf("replay: %d articles, %d skipped, %d files; want 4, 0, %d", stats.Articles, stats.Skipped, stats.Files, len(files))
	}
	if len(stats.Warnings) != 2 || !reflect.DeepEqual(logged, stats.Warnings) {
		t.Fatalf("warnings %q (logged %q), want one for each damaged file", stats.Warnings, logged)
	}
	if w := stats.Warnings[0]; !strings.Contains(w, filepath.Base(cut)) || !strings.Contains(w, "truncated") {
		t.Errorf("warning %q does not name the cut file %s as truncated", w, filepath.Base(cut))
	}
	if w := stats.Warnings[1]; !strings.Contains(w, filepath.Base(bad)) || (!strings.Contains(w, "malformed") && !strings.Contains(w, "truncated")) {
		t.Errorf("warning %q does not name the damaged file %s", w, filepath.Base(bad))
	}
	for i, r := range recs {
		lost := i == 1 || i == 3
		if n := len(got[r.key]); n != map[bool]int{true: 0, false: 1}[lost] {
			t.Errorf("%s (file %d of the articles): replayed %d times", r.key, i, n)
			continue
		}
		if !lost {
			sameArticle(t, r.key, got[r.key][0].Page.Article, ix.latest(r.key))
		}
	}
	if _, err := ArchivedAt(dir, filepath.Base(cut), cutRec.response); !errors.Is(err, warc.ErrTruncated) {
		t.Errorf("ArchivedAt in the cut file: %v, want ErrTruncated", err)
	}
}

func TestReplayCancel(t *testing.T) {
	s := newFaultSite(t, 4)
	dir := tempData(t)
	crawlT(t, s.options(dir))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	called := 0
	_, err := Replay(ctx, ReplayOptions{DataDir: dir}, func(*Archived) error { called++; return nil })
	if !errors.Is(err, context.Canceled) || called != 0 {
		t.Errorf("cancelled before: %v, %d articles; want context.Canceled, none", err, called)
	}

	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	stats, err := Replay(ctx, ReplayOptions{DataDir: dir}, func(*Archived) error { called++; cancel(); return nil })
	if err != context.Canceled || called != 1 || stats.Articles != 1 {
		t.Errorf("cancelled during: %v, %d articles; want context.Canceled after 1", err, called)
	}

	// fn's own error stops the replay too, wrapped.
	errStop := errors.New("index full")
	called = 0
	_, err = Replay(context.Background(), ReplayOptions{DataDir: dir}, func(*Archived) error { called++; return errStop })
	if !errors.Is(err, errStop) || called != 1 || !strings.HasPrefix(err.Error(), "crawler: ") {
		t.Errorf("fn failing: %v after %d articles, want it wrapped after 1", err, called)
	}

	if _, err := Replay(context.Background(), ReplayOptions{DataDir: tempData(t)}, func(*Archived) error { return nil }); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("no archive: %v, want ErrNotExist", err)
	}
}

// A site of a user profile (DATA/profiles) is replayed with it; once the
// profile is gone its articles are skipped, each with a warning naming it.
func TestReplayUserProfile(t *testing.T) {
	s := newFaultSite(t, 3)
	dir := tempData(t)
	data, err := embeddedProfiles.ReadFile("profiles/baohatinh.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	m["name"] = "baoxyz"
	data, _ = json.Marshal(m)
	file := filepath.Join(dir, "profiles", "baoxyz.json")
	os.MkdirAll(filepath.Dir(file), 0o755)
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := LoadProfile(file)
	if err != nil || p.Name != "baoxyz" {
		t.Fatalf("profile %v, %v", p, err)
	}
	var ix indexed
	opt := s.options(dir)
	opt.Sites, opt.BaseURLs = []*Profile{p}, map[string]*url.URL{"baoxyz": s.base()}
	opt.OnArticle = ix.onArticle(t)
	crawlT(t, opt)
	if ix.n != 3 {
		t.Fatalf("OnArticle called %d times, want 3", ix.n)
	}
	got, stats := replayAll(t, ReplayOptions{DataDir: dir})
	if stats.Articles != 3 || stats.Skipped != 0 {
		t.Errorf("replay: %d articles, %d skipped; want 3, 0 (warnings %q)", stats.Articles, stats.Skipped, stats.Warnings)
	}
	for key, v := range ix.arts {
		if !strings.HasPrefix(key, "baoxyz:") || len(got[key]) != 1 {
			t.Errorf("%s: replayed %d times", key, len(got[key]))
			continue
		}
		sameArticle(t, key, got[key][0].Page.Article, v[0])
	}

	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	got, stats = replayAll(t, ReplayOptions{DataDir: dir})
	if len(got) != 0 || stats.Skipped != 3 || len(stats.Warnings) != 3 {
		t.Fatalf("without the profile: %d articles, %d skipped, warnings %q; want 0, 3, 3", len(got), stats.Skipped, stats.Warnings)
	}
	for i, w := range stats.Warnings {
		if !strings.Contains(w, "https://baohatinh.vn/") || !strings.Contains(w, `"baoxyz"`) {
			t.Errorf("warning %d %q names neither the article's URL nor the missing profile", i, w)
		}
	}
	st := stateOf(t, dir)["baoxyz:"+articleID(1)]
	if _, err := ArchivedAt(dir, st.WARCFile, st.WARCOffset); err == nil || !strings.Contains(err.Error(), "baoxyz") {
		t.Errorf("ArchivedAt without the profile: %v, want an error naming it", err)
	}
}

// Records written by hand: an interim 100 response before the final one,
// chunked and gzipped, of a page that names no canonical URL; a
// Content-Length shorter than what follows; a page that is not an article; a
// metadata record that belongs to no response; a 304.
func TestReplayArchivedBodies(t *testing.T) {
	dir := tempData(t)
	s := newFaultSite(t, 2)
	w, err := warc.NewWriter(WARCDir(dir), warc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	meta := func(i int, u, status string) []byte {
		b, _ := json.Marshal(ArchiveRecord{Site: "baohatinh", ID: articleID(i), URL: u, Status: status, Hash: fmt.Sprintf("sha256:%d", i)})
		return b
	}
	urlOf := func(i int) string { return "https://baohatinh.vn" + articlePath(i) }

	page1 := []byte(strings.Replace(s.article(1), `<link rel="canonical" href="https://baohatinh.vn`+articlePath(1)+`">`, "", 1))
	if bytes.Contains(page1, []byte("canonical")) {
		t.Fatal("the canonical link is still there")
	}
	var zbuf bytes.Buffer
	zw := gzip.NewWriter(&zbuf)
	zw.Write(page1)
	zw.Close()
	z := zbuf.Bytes()
	var resp bytes.Buffer
	resp.WriteString("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n")
	fmt.Fprintf(&resp, "%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n", 10, z[:10], len(z)-10, z[10:])
	loc1, err := w.WriteExchange(warc.Exchange{URL: urlOf(1), Request: []byte("GET / HTTP/1.1\r\n\r\n"), Response: resp.Bytes(), Metadata: meta(1, urlOf(1), "ok")})
	if err != nil {
		t.Fatal(err)
	}

	page2 := []byte(s.article(2))
	r2 := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s<p>Rác sau phần thân.</p>", len(page2), page2)
	if status, _, body, err := archivedBody([]byte(r2), urlOf(2)); status != 200 || !bytes.Equal(body, page2) || err != nil {
		t.Errorf("body as the client reads it: http %d, %d bytes, %v; want 200, the %d bytes of Content-Length", status, len(body), err, len(page2))
	}
	if _, err := w.WriteExchange(warc.Exchange{URL: urlOf(2), Response: []byte(r2), Metadata: meta(2, urlOf(2), "ok")}); err != nil {
		t.Fatal(err)
	}

	u3 := "https://baohatinh.vn/gioi-thieu-post300003.html"
	_, err = w.WriteExchange(warc.Exchange{URL: u3, Response: []byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 34\r\n\r\n<html><body>Giới thiệu</body></html>"),
		Metadata: meta(3, u3, "ok")})
	if err != nil {
		t.Fatal(err)
	}

	if _, err := w.WriteExchange(warc.Exchange{URL: urlOf(1), Response: resp.Bytes()}); err != nil {
		t.Fatal(err)
	}
	orphan := &warc.Record{Header: warc.Header{{Name: "WARC-Type", Value: "metadata"}, {Name: "WARC-Target-URI", Value: urlOf(4)},
		{Name: "WARC-Concurrent-To", Value: warc.NewRecordID()}, {Name: "Content-Type", Value: warc.ContentTypeJSON}},
		Body: bytes.NewReader(meta(4, urlOf(4), "ok"))}
	if _, err := w.WriteRecord(orphan); err != nil {
		t.Fatal(err)
	}

	_, err = w.WriteExchange(warc.Exchange{URL: urlOf(1), Response: []byte("HTTP/1.1 304 Not Modified\r\n\r\n"), Metadata: meta(1, urlOf(1), "not-modified")})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()

	got, stats := replayAll(t, ReplayOptions{DataDir: dir})
	if stats.Articles != 2 || stats.Skipped != 2 || len(stats.Warnings) != 2 || stats.Records != 12 {
		t.Fatalf("replay: %d articles, %d skipped, %d records, warnings %q; want 2, 2, 12 (with the warcinfo), two", stats.Articles, stats.Skipped, stats.Records, stats.Warnings)
	}
	if w := stats.Warnings[0]; !strings.Contains(w, u3) || !strings.Contains(w, "no longer parses as an article") {
		t.Errorf("warning %q does not name the page that is not an article", w)
	}
	if w := stats.Warnings[1]; !strings.Contains(w, urlOf(4)) || !strings.Contains(w, "names no response") {
		t.Errorf("warning %q does not name the metadata record without its response", w)
	}
	for i, page := range [][]byte{page1, page2} {
		key := "baohatinh:" + articleID(i+1)
		want, err := ParseArticle(page, "text/html; charset=utf-8", mustParse(urlOf(i+1)), mustProfile(t, "baohatinh"))
		if err != nil {
			t.Fatal(err)
		}
		want.Article.SiteID = articleID(i + 1)
		if want.Article.URL == "" {
			want.Article.URL = urlOf(i + 1)
		}
		b, _ := json.Marshal(extract.Analyze(want.Article))
		a := got[key]
		if len(a) != 1 {
			t.Errorf("%s replayed %d times", key, len(a))
			continue
		}
		sameArticle(t, key, a[0].Page.Article, indexedArticle{want.Article, b})
		if a[0].Page.Article.URL != urlOf(i+1) || strings.Contains(a[0].Page.Article.Text, "Rác") {
			t.Errorf("%s: URL %s, text %q", key, a[0].Page.Article.URL, a[0].Page.Article.Text)
		}
		if i == 0 {
			if a[0].Offset != loc1.Offset || a[0].File != filepath.Base(loc1.File) || a[0].Hash != "sha256:1" {
				t.Errorf("replayed from %s@%d (%s), written at %s@%d", a[0].File, a[0].Offset, a[0].Hash, loc1.File, loc1.Offset)
			}
			at, err := ArchivedAt(dir, filepath.Base(loc1.File), loc1.Offset)
			if err != nil {
				t.Fatal(err)
			}
			sameArticle(t, key+" (ArchivedAt)", at.Page.Article, indexedArticle{want.Article, b})
		}
	}
	if _, err := ArchivedAt(dir, filepath.Base(loc1.File), 0); err == nil {
		t.Errorf("ArchivedAt the warcinfo record: no error")
	}
}

// An article restored to the crawl state from the archive after a crash
// points at its response, as one the crawl recorded does.
func TestArchivedAtRecovered(t *testing.T) {
	s := newFaultSite(t, 4)
	dir := tempData(t)
	opt := s.options(dir)
	crawlT(t, opt)
	st, err := OpenState(StatePath(dir))
	if err != nil {
		t.Fatal(err)
	}
	runs, _ := st.Runs()
	runs[0].Finished, runs[0].Summary = time.Time{}, nil
	if err := st.PutRun(runs[0]); err != nil {
		t.Fatal(err)
	}
	before, _ := st.Article("baohatinh", articleID(2))
	err = st.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketArticles).Delete(articleKey("baohatinh", articleID(2)))
	})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	crawlT(t, opt)
	a := stateOf(t, dir)["baohatinh:"+articleID(2)]
	if a == nil || a.Source != "recovered" {
		t.Fatalf("state %+v, want recovered", a)
	}
	if a.WARCFile != before.WARCFile || a.WARCOffset != before.WARCOffset {
		t.Errorf("recovered state points at %s@%d, the crawl had %s@%d", a.WARCFile, a.WARCOffset, before.WARCFile, before.WARCOffset)
	}
	ar, err := ArchivedAt(dir, a.WARCFile, a.WARCOffset)
	if err != nil {
		t.Fatal(err)
	}
	if ar.Page.Article.SiteID != articleID(2) || ar.Hash != a.Hash {
		t.Errorf("ArchivedAt gives %s %s, want %s %s", ar.Page.Article.SiteID, ar.Hash, articleID(2), a.Hash)
	}
}
