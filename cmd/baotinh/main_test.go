package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// run runs the command line and returns its exit status, output and errors.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errs bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(stdin), &out, &errs)
	return code, out.String(), errs.String()
}

// golden compares got with a golden file, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("../../testdata/golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/baotinh -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (run go test ./cmd/baotinh -update and review the diff):\n%s",
			name, firstDiff(string(want), got))
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return ""
}

// The seeds with the arguments their gold annotations give.
var seeds = []struct{ file, site, published string }{
	{"000_407ce489949a9cbd.txt", "baohatinh", ""},
	{"003_2500473cc3374f31.txt", "baohatinh", "2022-12-27"},
	{"004_6cf404bf1a333344.txt", "baosonla", ""},
}

func TestExtractGolden(t *testing.T) {
	for _, s := range seeds {
		args := []string{"extract", "--site", s.site}
		if s.published != "" {
			args = append(args, "--published", s.published)
		}
		path := "../../testdata/seeds/" + s.file
		code, out, errs := run(t, "", append(args, path)...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", s.file, code, errs)
		}
		var parsed map[string]any
		if err := json.Unmarshal([]byte(out), &parsed); err != nil {
			t.Fatalf("%s: output is not JSON: %v", s.file, err)
		}
		golden(t, "extract/"+strings.TrimSuffix(s.file, ".txt")+".json", out)

		code, table, errs := run(t, "", append(args, "--format", "table", path)...)
		if code != 0 {
			t.Fatalf("%s: table: exit %d: %s", s.file, code, errs)
		}
		golden(t, "extract/"+strings.TrimSuffix(s.file, ".txt")+".table", table)
	}
}

// TestExtractContract checks the JSON fields scripts rely on.
func TestExtractContract(t *testing.T) {
	code, out, errs := run(t, "", "extract", "--site", "baohatinh", "--published", "2022-12-27",
		"../../testdata/seeds/003_2500473cc3374f31.txt")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		Title     *string  `json:"title"`
		Site      *string  `json:"site"`
		Published *string  `json:"published"`
		Authors   []string `json:"authors"`
		People    []struct {
			Name     string   `json:"name"`
			Mentions int      `json:"mentions"`
			Spans    [][2]int `json:"spans"`
			Roles    []struct {
				Title        string   `json:"title"`
				Organization *string  `json:"organization"`
				Level        *string  `json:"level"`
				Place        *string  `json:"place"`
				Spans        [][2]int `json:"spans"`
			} `json:"roles"`
		} `json:"people"`
		Dates, Figures, Quotes, Terms, Documents []json.RawMessage
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	src, _ := os.ReadFile("../../testdata/seeds/003_2500473cc3374f31.txt")
	if got.Site == nil || *got.Site != "baohatinh" || got.Published == nil || *got.Published != "2022-12-27T11:42:00+07:00" {
		t.Errorf("site %v, published %v", got.Site, got.Published)
	}
	if len(got.Authors) != 1 || got.Authors[0] != "Thu Hà" {
		t.Errorf("authors = %q", got.Authors)
	}
	p := got.People[0]
	if p.Name != "Trần Thế Dũng" || p.Mentions != len(p.Spans) || p.Mentions < 6 {
		t.Errorf("first person = %s with %d mentions, %d spans", p.Name, p.Mentions, len(p.Spans))
	}
	if string(src[p.Spans[0][0]:p.Spans[0][1]]) != "Trần Thế Dũng" {
		t.Errorf("first span covers %q", src[p.Spans[0][0]:p.Spans[0][1]])
	}
	r := p.Roles[0]
	if r.Title != "Phó Bí thư Thường trực Tỉnh ủy" || *r.Organization != "Tỉnh ủy" || *r.Level != "tỉnh" || *r.Place != "Hà Tĩnh" {
		t.Errorf("role = %+v", r)
	}
	if got.Dates == nil || got.Figures == nil || got.Quotes == nil || got.Terms == nil || got.Documents == nil {
		t.Errorf("dates, figures, quotes, terms and documents must be lists, never absent or null")
	}
}

func TestExtractStdin(t *testing.T) {
	code, out, errs := run(t, "Phó Chủ tịch UBND tỉnh Nguyễn Thành Công phát biểu.", "extract", "--site", "baosonla", "-")
	if code != 0 || !strings.Contains(out, `"Nguyễn Thành Công"`) || !strings.Contains(out, `"Sơn La"`) {
		t.Errorf("exit %d, out %s, err %s", code, out, errs)
	}
}

func TestExtractErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	binary := write("image.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
	latin := write("old.txt", []byte("T\xecnh \xfey H\xe0 T\xecnh")) // windows-1258 bytes
	missing := filepath.Join(dir, "missing.txt")
	tests := []struct {
		name    string
		args    []string
		code    int
		message string
	}{
		{"missing file", []string{"extract", missing}, 1, missing},
		{"a directory", []string{"extract", dir}, 1, dir},
		{"binary", []string{"extract", binary}, 1, binary + ": binary"},
		{"not UTF-8", []string{"extract", latin}, 1, latin + ": not UTF-8"},
		{"no file", []string{"extract"}, 2, "want one FILE"},
		{"two files", []string{"extract", "a", "b"}, 2, "want one FILE"},
		{"bad format", []string{"extract", "--format", "xml", "-"}, 2, "--format"},
		{"bad date", []string{"extract", "--published", "27/12/2022", "-"}, 2, "--published"},
		{"unknown site", []string{"extract", "--site", "vnexpress", "-"}, 2, "unknown site"},
		{"unknown flag", []string{"extract", "--nope", "-"}, 2, "unknown flag"},
		{"unknown command", []string{"crawlx"}, 2, "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errs)
			}
			if !strings.Contains(errs, tt.message) {
				t.Errorf("stderr %q does not say %q", errs, tt.message)
			}
			if out != "" {
				t.Errorf("printed %q on failure", out)
			}
			if strings.Count(strings.TrimSpace(errs), "\n") > 0 {
				t.Errorf("want a one-line message, got %q", errs)
			}
		})
	}
}

// One fixture page per template (testdata/sites, made by sitegen), with the
// golden name of its output.
var htmlPages = []struct{ template, file string }{
	{"hatinh-current", "baohatinh/trao-doi-kinh-nghiem-cong-tac-dan-van-giua-ha-tinh-son-la-lao-cai-post274649.html"},
	{"hatinh-legacy", "baohatinh/tiep-tuc-day-manh-thuc-hien-quy-che-dan-chu-o-co-so-tren-dia-ban-ha-tinh-post257257.html"},
	{"hatinh-legacy-windows-1258", "baohatinh/bi-thu-tinh-uy-trinh-van-khai-lam-viec-voi-ban-thuong-vu-huyen-uy-quan-hoa-post281956.html"},
	{"sonla", "baosonla/thoi-su-chinh-tri/phoi-hop-nang-cao-hieu-qua-cong-tac-dan-van-trong-tinh-hinh-moi-PhvhNb60O.html"},
	{"generic", "generic/2024/07/pho-thu-tuong-le-minh-khang-kiem-tra-tien-do-du-an-cang-hang-khong-quang-tri/index.html"},
}

// TestExtractHTMLGolden runs extract on an HTML page of each template: the
// site comes from the URL the page gives for itself.
func TestExtractHTMLGolden(t *testing.T) {
	for _, p := range htmlPages {
		t.Run(p.template, func(t *testing.T) {
			path := "../../testdata/sites/" + p.file
			if _, err := os.Stat(path); err != nil {
				t.Skipf("no fixture page: %v", err)
			}
			code, out, errs := run(t, "", "extract", path)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			var parsed struct {
				Title   string   `json:"title"`
				Site    string   `json:"site"`
				Authors []string `json:"authors"`
				People  []struct {
					Name string `json:"name"`
				} `json:"people"`
			}
			if err := json.Unmarshal([]byte(out), &parsed); err != nil {
				t.Fatalf("output is not JSON: %v", err)
			}
			if parsed.Title == "" || parsed.Site == "" || len(parsed.People) == 0 {
				t.Errorf("title %q, site %q, %d people", parsed.Title, parsed.Site, len(parsed.People))
			}
			golden(t, "extract/html-"+p.template+".json", out)
			code, table, errs := run(t, "", "extract", "--format", "table", path)
			if code != 0 {
				t.Fatalf("table: exit %d: %s", code, errs)
			}
			golden(t, "extract/html-"+p.template+".table", table)
		})
	}
}

// TestExtractHTML checks how HTML input is recognized and its site found.
func TestExtractHTML(t *testing.T) {
	page, err := os.ReadFile("../../testdata/sites/" + htmlPages[1].file)
	if err != nil {
		t.Skipf("no fixture page: %v", err)
	}
	// Without its og:url the page names no site.
	bare := regexp.MustCompile(`<meta property="og:url"[^>]*>`).ReplaceAll(page, nil)
	dir := t.TempDir()
	saved := filepath.Join(dir, "saved.txt") // HTML by its content, not its name
	if err := os.WriteFile(saved, bare, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		stdin    string
		args     []string
		site     string
		province string
		title    string
	}{
		{"by name, site from og:url", "", []string{"extract", "../../testdata/sites/" + htmlPages[1].file}, "baohatinh", "Hà Tĩnh", "Tiếp tục đẩy mạnh"},
		{"standard input starting with <", "\ufeff \n" + string(page), []string{"extract", "-"}, "baohatinh", "Hà Tĩnh", "Tiếp tục đẩy mạnh"},
		{"no URL in the page: generic", "", []string{"extract", saved}, "", "", "Tiếp tục đẩy mạnh"},
		{"--url gives the site", "", []string{"extract", "--url", "https://baohatinh.vn/x-post257257.html", saved}, "baohatinh", "Hà Tĩnh", "Tiếp tục đẩy mạnh"},
		{"--site by name", "", []string{"extract", "--site", "baosonla", saved}, "baosonla", "Sơn La", "Tiếp tục đẩy mạnh"},
		{"--site by URL", "", []string{"extract", "--site", "https://baohatinh.vn", saved}, "baohatinh", "Hà Tĩnh", "Tiếp tục đẩy mạnh"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, tt.stdin, tt.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			var got struct {
				Title    string `json:"title"`
				Site     string `json:"site"`
				Province string `json:"province"`
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatal(err)
			}
			if got.Site != tt.site || !strings.HasPrefix(got.Title, tt.title) || tt.province != "" && got.Province != tt.province {
				t.Errorf("site %q, province %q, title %q; want %q, %q, %q…", got.Site, got.Province, got.Title, tt.site, tt.province, tt.title)
			}
		})
	}
}

func TestExtractHTMLErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	binary := write("image.html", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
	text := write("article.txt", []byte("Phó Chủ tịch UBND tỉnh Nguyễn Thành Công phát biểu."))
	page := write("page.html", []byte("<h1>Tựa</h1><p>Đoạn.</p>"))
	tests := []struct {
		name    string
		args    []string
		code    int
		message string
	}{
		{"binary .html", []string{"extract", binary}, 1, binary + ": binary data, not HTML"},
		{"--url with text", []string{"extract", "--url", "https://baohatinh.vn/a-post1.html", text}, 2, "--url applies to HTML input only"},
		{"site URL with text", []string{"extract", "--site", "https://baovidu.vn", text}, 2, "needs HTML input"},
		{"bad --url", []string{"extract", "--url", "baohatinh.vn/a", page}, 2, "--url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, "", tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.message) || out != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit %d and %q", code, errs, out, tt.code, tt.message)
			}
		})
	}
}
