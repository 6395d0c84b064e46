package server

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/baotinh/baotinh/index"
)

func TestPages(t *testing.T) {
	_, hs := newTestServer(t, Config{})
	res := decode[SearchResponse](t, get(t, hs.URL, "/api/search?q=%22Tr%C6%B0%C6%A1ng+Thanh+Huy%E1%BB%81n%22&limit=1"))
	if len(res.Hits) == 0 {
		t.Fatal("no article names Trương Thanh Huyền")
	}
	cases := []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{"Kho bài viết", "48 bài viết", "Báo Hà Tĩnh", `<label for="q">Từ khóa</label>`}},
		{"/?q=dan+van+kheo", 200, []string{"bài viết khớp", "<mark>khéo</mark>", `href="/articles/`, "Trang sau", "Chức danh"}},
		{"/?q=dan+van+kheo&site=baosonla&from=2020-01-01", 200, []string{"Báo Sơn La ·", `<option value="baosonla" selected>`, `name="from" type="date" value="2020-01-01"`}},
		{"/articles/" + res.Hits[0].ID, 200, []string{`m-person" title="Chức danh: Trương Thanh Huyền: Trưởng ban Dân vận Tỉnh ủy` + "\n" + `Người: Trương Thanh Huyền">Trương Thanh Huyền</span>`,
			`id="list-person"`, `id="list-title"`, `rel="noopener noreferrer nofollow"`, "Dữ kiện trích xuất"}},
		{"/officials", 200, []string{"Tải CSV", `href="/api/officials?format=csv"`, "dòng (người và chức danh)", `aria-sort="descending"`}},
		{"/officials?site=baohatinh&to=2025-12-31", 200, []string{`<option value="baohatinh" selected>`, `name="to" type="date" value="2025-12-31"`}},
		{"/officials?title=b%C3%AD+th%C6%B0&sort=name", 200, []string{"Bí thư", `href="/api/officials?format=csv&amp;sort=name&amp;title=b%C3%AD&#43;th%C6%B0"`}},
		{"/officials?mentions=1&person=Tr%C6%B0%C6%A1ng+Thanh+Huy%E1%BB%81n", 200, []string{"câu làm bằng chứng", "<mark>"}},
		{"/timeline?q=dan+van", 200, []string{"<svg", "<polyline", "Tất cả", "Báo Hà Tĩnh", "Tải CSV"}},
		{"/timeline", 200, []string{"Diễn biến theo thời gian"}},
		{"/crawls", 200, []string{"Máy chủ này không tự thu thập", "Lịch sử"}},
		{"/?q=%2B%2B", 400, []string{"Lỗi 400", "syntax error", `value="&#43;&#43;"`}},
		{"/articles/nope:1", 404, []string{"Lỗi 404"}},
		{"/nope", 404, []string{"Không tìm thấy trang này."}},
	}
	for _, c := range cases {
		r := get(t, hs.URL, c.path)
		if r.status != c.status {
			t.Errorf("GET %s: status %d, want %d", c.path, r.status, c.status)
		}
		if ct := r.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q", c.path, ct)
		}
		for _, w := range c.want {
			if !strings.Contains(string(r.body), w) {
				t.Errorf("GET %s: the page lacks %q", c.path, w)
			}
		}
	}
	svg := get(t, hs.URL, "/timeline.svg?q=dan+van")
	if svg.header.Get("Content-Type") != "image/svg+xml; charset=utf-8" || !strings.HasPrefix(string(svg.body), "<svg xmlns=") {
		t.Errorf("timeline.svg: %q %.60s", svg.header.Get("Content-Type"), svg.body)
	}
}

// TestSegments cuts overlapping marks into runs that carry every mark that
// covers them.
func TestSegments(t *testing.T) {
	text := "Chủ tịch UBND tỉnh Võ Trọng Hải nói"
	name := strings.Index(text, "Võ")
	ms := []Mark{{"title", 0, name + len("Võ Trọng Hải"), "t", 0}, {"person", name, name + len("Võ Trọng Hải"), "p", 0}, {"place", strings.Index(text, "tỉnh"), name - 1, "Hà Tĩnh", 0}}
	got := segments(text, 0, len(text), ms, []string{"m0", "m1", "m2"})
	var b strings.Builder
	for _, s := range got {
		b.WriteString("[" + s.Class + "|" + s.Text + "|" + strings.Join(s.Anchors, ",") + "]")
	}
	want := "[m m-title|Chủ tịch UBND |m0][m m-title m-place|tỉnh|m2][m m-title| |][m m-title m-person|Võ Trọng Hải|m1][| nói|]"
	if b.String() != want {
		t.Errorf("segments:\n got %s\nwant %s", b.String(), want)
	}
}

func TestShortDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{6 * time.Hour: "6h", 90 * time.Minute: "1h30m", 45 * time.Minute: "45m", 30 * time.Second: "30s", 61 * time.Second: "1m1s"} {
		if got := shortDuration(d); got != want {
			t.Errorf("shortDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestChartGaps: a period in which a paper has no article is a gap in its
// line, not a point at 0%.
func TestChartGaps(t *testing.T) {
	ps := func(totals ...int) []index.Period {
		var out []index.Period
		for i, n := range totals {
			p := index.Period{Period: fmt.Sprintf("2024-%02d", i+1), Total: n}
			if n > 0 {
				p.Matching = 1
				p.Ratio = 1 / float64(n)
			}
			out = append(out, p)
		}
		return out
	}
	c := newChart("dân vận", []string{"Tất cả", "Báo Sơn La"}, [][]index.Period{ps(2, 4, 5, 1, 2), ps(1, 0, 0, 1, 2)})
	if got := len(c.Lines[0].Runs); got != 1 || len(c.Lines[0].Dots) != 5 {
		t.Errorf("all: %d runs, %d dots; want 1 run of 5", got, len(c.Lines[0].Dots))
	}
	if got := c.Lines[1].Runs; len(got) != 2 || strings.Count(got[0], ",") != 1 || strings.Count(got[1], ",") != 2 || len(c.Lines[1].Dots) != 3 {
		t.Errorf("Sơn La: runs %q, %d dots; want a run of 1 and a run of 2, 3 dots", got, len(c.Lines[1].Dots))
	}
}

func TestCache(t *testing.T) {
	c := newCache(2)
	calls := 0
	get := func(key string) any {
		v, err := c.get(key, func() (any, error) { calls++; return calls, nil })
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if get("a") != 1 || get("a") != 1 {
		t.Fatal("a second get computed again")
	}
	c.changed()
	if get("a") != 2 {
		t.Fatal("a get after a change did not compute again")
	}
	get("b")
	get("c") // evicts a
	if get("a") != 5 {
		t.Fatal("the oldest entry was not evicted")
	}
	if _, err := c.get("e", func() (any, error) { return nil, fmt.Errorf("boom") }); err == nil {
		t.Fatal("an error was lost")
	}
	if v, _ := c.get("e", func() (any, error) { return "ok", nil }); v != "ok" {
		t.Fatal("an error was cached")
	}
}
