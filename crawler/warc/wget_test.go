package warc

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the tool-made files under testdata/ (needs wget and node)")

// requireTool skips a test whose outside tool is missing, except in CI, which
// installs every tool and must run every test.
func requireTool(t *testing.T, what, install string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing and CI=true: CI must run this test (%s)", what, install)
	}
	t.Skipf("%s is missing; skipping (%s)", what, install)
}

// sitePage is one page of the made-up site the interop tests crawl.
type sitePage struct {
	contentType string
	body        []byte
}

// testSite is a small made-up news site: Vietnamese UTF-8 pages (one at a
// Vietnamese path), a binary file, an empty file and robots.txt.
func testSite() map[string]sitePage {
	bin := make([]byte, 0, 1536)
	for i := 0; i < 256; i++ {
		bin = append(bin, byte(i))
	}
	bin = append(bin, randomBytes(42, 1280)...)
	return map[string]sitePage{
		"/robots.txt": {"text/plain; charset=utf-8", []byte("User-agent: *\nAllow: /\n")},
		"/": {"text/html; charset=utf-8", []byte(`<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Báo Hà Tĩnh (thử nghiệm)</title></head>
<body>
<h1>Tin mới</h1>
<ul>
<li><a href="/thoi-su/hoi-nghi-tong-ket.html">Hội nghị tổng kết năm 2025</a></li>
<li><a href="/tin-tức/hà-tĩnh.html">Hà Tĩnh hôm nay</a></li>
<li><a href="/anh/logo.bin">Logo</a></li>
<li><a href="/trong.txt">Trang trống</a></li>
</ul>
</body></html>
`)},
		"/thoi-su/hoi-nghi-tong-ket.html": {"text/html; charset=utf-8", []byte(`<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Hội nghị tổng kết năm 2025</title></head>
<body><article>
<h1>Hội nghị tổng kết công tác năm 2025</h1>
<p>Sáng 5/1, UBND tỉnh Hà Tĩnh tổ chức hội nghị tổng kết công tác năm 2025, triển khai nhiệm vụ năm 2026.
Đồng chí Chủ tịch UBND tỉnh nhấn mạnh: “Năm 2026 phải tăng tốc, bứt phá”. Tăng trưởng GRDP đạt 7,5%.</p>
</article></body></html>
`)},
		"/tin-tức/hà-tĩnh.html": {"text/html; charset=utf-8", []byte("<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Hà Tĩnh hôm nay</title></head>\n<body><p>Thời tiết Hà Tĩnh: nắng nóng, nhiệt độ cao nhất 38°C. Người dân Kỳ Anh, Cẩm Xuyên chủ động phòng chống.</p></body></html>\n")},
		"/anh/logo.bin":         {"application/octet-stream", bin},
		"/trong.txt":            {"text/plain; charset=utf-8", nil},
	}
}

func siteHandler(site map[string]sitePage) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := site[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", p.contentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(p.body)))
		w.Write(p.body)
	})
}

func TestWgetLive(t *testing.T) {
	wget, err := exec.LookPath("wget")
	if err != nil {
		requireTool(t, "GNU Wget", "apt-get install -y wget")
	}
	srv := httptest.NewServer(siteHandler(testSite())) // listens on 127.0.0.1
	defer srv.Close()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, wget,
		"--no-config", "--no-proxy", "--no-verbose", "--tries=1", "--timeout=10",
		"-r", "-l1", "--no-host-directories", "--directory-prefix="+filepath.Join(dir, "files"),
		"--warc-file="+filepath.Join(dir, "site"), "--no-warc-keep-log",
		srv.URL+"/")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "LC_ALL=C.UTF-8"}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("wget: %v\n%s", err, out)
	}
	path := filepath.Join(dir, "site.warc.gz")
	checkWgetWARC(t, path)
	if *update {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", "wget", "site.warc.gz"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote testdata/wget/site.warc.gz (%d bytes)", len(data))
	}
}

// TestWgetTestdata reads a file GNU Wget 1.21 made of testSite, so the interop
// is covered where wget is not installed. To make the tool-made files again:
//
//	go test ./crawler/warc -run 'TestWgetLive|TestWarcioWritesOurReaderReads' -update
func TestWgetTestdata(t *testing.T) {
	checkWgetWARC(t, filepath.Join("testdata", "wget", "site.warc.gz"))
}

// checkWgetWARC reads a WARC file wget made of testSite: every page must be
// there as a response, with the body the server sent and its headers parsed.
func checkWgetWARC(t *testing.T, path string) {
	t.Helper()
	site := testSite()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]int{}
	requests := map[string]string{} // record ID -> target URI
	var responses []*struct{ target, concurrent string }
	types := map[string]int{}
	for i := 0; ; i++ {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		types[rec.Type()]++
		if i == 0 && rec.Type() != "warcinfo" {
			t.Errorf("first record is %q, want warcinfo", rec.Type())
		}
		if rec.Offset < 0 {
			t.Errorf("record %d: offset unknown in a file of one gzip member per record", i)
		}
		switch rec.Type() {
		case "request":
			requests[rec.ID()] = rec.TargetURI()
		case "response":
			u, err := url.Parse(rec.TargetURI())
			if err != nil {
				t.Errorf("response target %q: %v", rec.TargetURI(), err)
				continue
			}
			page, ok := site[u.Path]
			if !ok {
				t.Errorf("response for %s, which the site does not have", rec.TargetURI())
				continue
			}
			found[u.Path]++
			// wget escapes the Vietnamese path as EscapeURI does.
			if want := EscapeURI(u.Scheme + "://" + u.Host + u.Path); rec.TargetURI() != want {
				t.Errorf("wget's target URI %s, EscapeURI gives %s", rec.TargetURI(), want)
			}
			resp, err := ReadHTTPResponse(rec)
			if err != nil {
				t.Errorf("%s: %v", u.Path, err)
				continue
			}
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Errorf("%s: reading body: %v", u.Path, err)
				continue
			}
			if resp.StatusCode != 200 {
				t.Errorf("%s: status %d, want 200", u.Path, resp.StatusCode)
			}
			if got := resp.Header.Get("Content-Type"); got != page.contentType {
				t.Errorf("%s: Content-Type %q, want %q", u.Path, got, page.contentType)
			}
			if got := resp.Header.Get("Content-Length"); got != strconv.Itoa(len(page.body)) {
				t.Errorf("%s: Content-Length header %q, want %d", u.Path, got, len(page.body))
			}
			if !bytes.Equal(body, page.body) {
				t.Errorf("%s: body differs from what the server sent (got %d bytes, want %d)", u.Path, len(body), len(page.body))
			}
			if got, want := rec.Header.Get("WARC-Payload-Digest"), sha1b32(page.body); got != want {
				t.Errorf("%s: WARC-Payload-Digest %s, want %s", u.Path, got, want)
			}
			responses = append(responses, &struct{ target, concurrent string }{rec.TargetURI(), rec.Header.Get("WARC-Concurrent-To")})
		}
	}
	for p := range site {
		if found[p] != 1 {
			t.Errorf("%s: found %d response records, want 1", p, found[p])
		}
	}
	for _, resp := range responses {
		if requests[resp.concurrent] != resp.target {
			t.Errorf("response for %s: its WARC-Concurrent-To %s is not a request for it", resp.target, resp.concurrent)
		}
	}
	if types["request"] != len(site) || types["response"] != len(site) {
		t.Errorf("record types %v, want %d requests and responses", types, len(site))
	}
	if t.Failed() {
		t.Logf("record types: %v", fmt.Sprint(types))
	}
}
