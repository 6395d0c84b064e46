package warc

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"
)

// The warcio interop tests run Webrecorder's warcio (the npm package, pinned in
// testdata/warcio/package.json) under node: `npm ci` in testdata/warcio first.

const warcioDir = "testdata/warcio"

// requireWarcio returns the node binary, or skips (fails in CI) when node or
// the installed warcio package is missing.
func requireWarcio(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		requireTool(t, "node", "apt-get install -y nodejs npm, then npm ci in crawler/warc/testdata/warcio")
	}
	if _, err := os.Stat(filepath.Join(warcioDir, "node_modules", "warcio", "package.json")); err != nil {
		requireTool(t, "warcio under crawler/warc/testdata/warcio/node_modules", "cd crawler/warc/testdata/warcio && npm ci")
	}
	return node
}

func runNode(t *testing.T, node string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = warcioDir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %v: %v\n%s", args, err, stderr.Bytes())
	}
	return out
}

// warcioRecord is how dump.mjs reports one record as warcio read it.
type warcioRecord struct {
	Type          string   `json:"type"`
	TargetURI     string   `json:"targetURI"`
	RecordID      string   `json:"recordID"`
	WarcinfoID    string   `json:"warcinfoID"`
	ConcurrentTo  []string `json:"concurrentTo"`
	Date          string   `json:"date"`
	ContentType   string   `json:"contentType"`
	ContentLength int64    `json:"contentLength"`
	BlockLength   int64    `json:"blockLength"`
	BlockSHA1     string   `json:"blockSHA1"`
	BlockDigest   string   `json:"blockDigest"`
	PayloadDigest string   `json:"payloadDigest"`
	Offset        int64    `json:"offset"`
	Length        int64    `json:"length"`
	HTTP          *struct {
		StatusLine    string `json:"statusLine"`
		Status        int    `json:"status"`
		Method        string `json:"method"`
		PayloadLength int64  `json:"payloadLength"`
		PayloadSHA1   string `json:"payloadSHA1"`
	} `json:"http"`
}

func hexSHA1(b []byte) string {
	sum := sha1.Sum(b)
	return hex.EncodeToString(sum[:])
}

// TestWarcioReadsOurFiles writes exchanges and a resource record with Writer
// and checks that warcio reads back exactly what was written.
func TestWarcioReadsOurFiles(t *testing.T) {
	node := requireWarcio(t)
	dir := t.TempDir()
	w, err := NewWriter(dir, Options{Prefix: "warcio", Software: "baotinh/test", Info: map[string]string{"robots": "obey"}})
	if err != nil {
		t.Fatal(err)
	}
	type written struct {
		typ, ctype, uri, date string
		block                 []byte
		status                int    // responses
		payload               []byte // responses
		loc                   Location
	}
	var want []written
	for _, c := range roundTripCases() {
		loc, err := w.WriteExchange(c.ex)
		if err != nil {
			t.Fatal(err)
		}
		uri, date := EscapeURI(c.ex.URL), FormatDate(c.ex.Date)
		if len(c.ex.Request) > 0 {
			want = append(want, written{typ: "request", ctype: ContentTypeHTTPRequest, uri: uri, date: date, block: c.ex.Request})
		}
		status, _ := strconv.Atoi(string(c.ex.Response[9:12]))
		want = append(want, written{typ: "response", ctype: ContentTypeHTTPResponse, uri: uri, date: date, block: c.ex.Response, status: status, payload: c.body, loc: loc})
		if len(c.ex.Metadata) > 0 {
			want = append(want, written{typ: "metadata", ctype: ContentTypeJSON, uri: uri, date: date, block: c.ex.Metadata})
		}
	}
	doc := []byte("Quyết định số 1234/QĐ-UBND của UBND tỉnh Sơn La")
	loc, err := w.WriteRecord(&Record{Header: Header{
		{"WARC-Type", "resource"}, {"WARC-Target-URI", "file:///văn bản/qđ.txt"}, {"WARC-Date", "2026-03-02T01:02:03Z"},
		{"Content-Type", "text/plain; charset=utf-8"},
	}, Body: bytes.NewReader(doc)})
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, written{typ: "resource", ctype: "text/plain; charset=utf-8", uri: EscapeURI("file:///văn bản/qđ.txt"), date: "2026-03-02T01:02:03Z", block: doc, loc: loc})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	file := loc.File
	abs, _ := filepath.Abs(file)
	var dump struct{ Records []warcioRecord }
	if err := json.Unmarshal(runNode(t, node, "dump.mjs", abs), &dump); err != nil {
		t.Fatal(err)
	}
	got := dump.Records
	if len(got) != len(want)+1 {
		t.Fatalf("warcio read %d records, want %d", len(got), len(want)+1)
	}
	info := got[0]
	if info.Type != "warcinfo" || info.Offset != 0 {
		t.Errorf("warcio's first record: %s at %d, want warcinfo at 0", info.Type, info.Offset)
	}
	st, _ := os.Stat(file)
	var respID string
	for i, g := range got {
		if i > 0 && g.Offset != got[i-1].Offset+got[i-1].Length {
			t.Errorf("record %d: warcio offset %d, want %d (end of the previous member)", i, g.Offset, got[i-1].Offset+got[i-1].Length)
		}
		if i == len(got)-1 && g.Offset+g.Length != st.Size() {
			t.Errorf("last member ends at %d for warcio, file has %d bytes", g.Offset+g.Length, st.Size())
		}
		if g.ContentLength != g.BlockLength {
			t.Errorf("record %d: Content-Length %d but warcio read %d block bytes", i, g.ContentLength, g.BlockLength)
		}
		if i == 0 {
			continue
		}
		wr := want[i-1]
		where := fmt.Sprintf("record %d (%s %s)", i, wr.typ, wr.uri)
		if g.Type != wr.typ || g.TargetURI != wr.uri || g.Date != wr.date || g.ContentType != wr.ctype {
			t.Errorf("%s: warcio read type %q uri %q date %q content type %q", where, g.Type, g.TargetURI, g.Date, g.ContentType)
		}
		if g.BlockLength != int64(len(wr.block)) || g.BlockSHA1 != hexSHA1(wr.block) {
			t.Errorf("%s: warcio's block (%d bytes, sha1 %s) is not what was written (%d bytes, sha1 %s)", where, g.BlockLength, g.BlockSHA1, len(wr.block), hexSHA1(wr.block))
		}
		if g.BlockDigest != sha1b32(wr.block) {
			t.Errorf("%s: WARC-Block-Digest %s, want %s", where, g.BlockDigest, sha1b32(wr.block))
		}
		if g.WarcinfoID != info.RecordID {
			t.Errorf("%s: WARC-Warcinfo-ID %s, want %s", where, g.WarcinfoID, info.RecordID)
		}
		if !recordIDPattern.MatchString(g.RecordID) {
			t.Errorf("%s: record ID %q", where, g.RecordID)
		}
		switch wr.typ {
		case "response":
			respID = g.RecordID
			if g.HTTP == nil {
				t.Errorf("%s: warcio found no HTTP response", where)
				break
			}
			if g.HTTP.Status != wr.status || g.HTTP.PayloadLength != int64(len(wr.payload)) || g.HTTP.PayloadSHA1 != hexSHA1(wr.payload) {
				t.Errorf("%s: warcio read status %d, payload %d bytes sha1 %s; want %d, %d bytes sha1 %s",
					where, g.HTTP.Status, g.HTTP.PayloadLength, g.HTTP.PayloadSHA1, wr.status, len(wr.payload), hexSHA1(wr.payload))
			}
			if g.PayloadDigest != sha1b32(wr.payload) {
				t.Errorf("%s: WARC-Payload-Digest %s, want %s", where, g.PayloadDigest, sha1b32(wr.payload))
			}
			if g.Offset != wr.loc.Offset || g.Length != wr.loc.Length {
				t.Errorf("%s: warcio's offset/length %d/%d, Location says %d/%d", where, g.Offset, g.Length, wr.loc.Offset, wr.loc.Length)
			}
		case "request":
			// The response comes next; its ID is checked against this link below.
			if g.HTTP == nil || g.HTTP.Method != "GET" {
				t.Errorf("%s: warcio did not parse a GET request: %+v", where, g.HTTP)
			}
			if len(got) <= i+1 || len(g.ConcurrentTo) != 1 || g.ConcurrentTo[0] != got[i+1].RecordID {
				t.Errorf("%s: WARC-Concurrent-To %v, want the next record's ID", where, g.ConcurrentTo)
			}
		case "metadata":
			if len(g.ConcurrentTo) != 1 || g.ConcurrentTo[0] != respID {
				t.Errorf("%s: WARC-Concurrent-To %v, want [%s]", where, g.ConcurrentTo, respID)
			}
		case "resource":
			if g.Offset != wr.loc.Offset || g.Length != wr.loc.Length {
				t.Errorf("%s: warcio's offset/length %d/%d, Location says %d/%d", where, g.Offset, g.Length, wr.loc.Offset, wr.loc.Length)
			}
		}
	}
}

// warcioSpec is what write.mjs writes: testSite's pages under one base URL.
func warcioSpec() (spec struct {
	Base  string `json:"base"`
	Date  string `json:"date"`
	Pages []struct {
		Path        string `json:"path"`
		ContentType string `json:"contentType"`
		Body        string `json:"body"`
	} `json:"pages"`
}) {
	spec.Base = "https://baohatinh.vn"
	spec.Date = "2026-03-02T01:02:03.456Z"
	site := testSite()
	var paths []string
	for p := range site {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		spec.Pages = append(spec.Pages, struct {
			Path        string `json:"path"`
			ContentType string `json:"contentType"`
			Body        string `json:"body"`
		}{p, site[p].contentType, base64.StdEncoding.EncodeToString(site[p].body)})
	}
	return spec
}

// TestWarcioWritesOurReaderReads has warcio write a WARC file of testSite and
// reads it with Reader.
func TestWarcioWritesOurReaderReads(t *testing.T) {
	node := requireWarcio(t)
	dir := t.TempDir()
	spec, _ := json.Marshal(warcioSpec())
	specFile := filepath.Join(dir, "spec.json")
	if err := os.WriteFile(specFile, spec, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "warcio.warc.gz")
	runNode(t, node, "write.mjs", specFile, out)
	checkWarcioWARC(t, out)
	if *update {
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(warcioDir, "warcio.warc.gz"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s/warcio.warc.gz (%d bytes)", warcioDir, len(data))
	}
}

// TestWarcioTestdata reads a file warcio 2.4.11 wrote of testSite, so this
// direction of the interop is covered where node is not installed.
func TestWarcioTestdata(t *testing.T) {
	checkWarcioWARC(t, filepath.Join(warcioDir, "warcio.warc.gz"))
}

func checkWarcioWARC(t *testing.T, path string) {
	t.Helper()
	spec := warcioSpec()
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
	wantDate := time.Date(2026, 3, 2, 1, 2, 3, 456e6, time.UTC)
	found := map[string]bool{}
	ids := map[string]string{} // response record ID -> target URI
	var links [][2]string      // request: concurrent-to, target
	var types []string
	for i := 0; ; i++ {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		types = append(types, rec.Type())
		if rec.Version != "WARC/1.1" || !rec.Date().Equal(wantDate) {
			t.Errorf("record %d: version %q, date %v; want WARC/1.1, %v", i, rec.Version, rec.Date(), wantDate)
		}
		if rec.Offset < 0 {
			t.Errorf("record %d: offset unknown", i)
		} else if again, err := ReadAt(path, rec.Offset); err != nil || again.ID() != rec.ID() {
			t.Errorf("record %d: ReadAt(%d): %v, %v", i, rec.Offset, again, err)
		}
		switch rec.Type() {
		case "response":
			var page sitePage
			var pagePath string
			for p, pg := range site {
				if EscapeURI(spec.Base+p) == rec.TargetURI() {
					page, pagePath = pg, p
				}
			}
			if pagePath == "" {
				t.Errorf("response for %s, which is not a page of the site", rec.TargetURI())
				continue
			}
			found[pagePath] = true
			ids[rec.ID()] = rec.TargetURI()
			resp, err := ReadHTTPResponse(rec)
			if err != nil {
				t.Errorf("%s: %v", pagePath, err)
				continue
			}
			body, err := io.ReadAll(resp.Body) // reads the block to its end: the block digest is checked
			if err != nil {
				t.Errorf("%s: %v", pagePath, err)
				continue
			}
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != page.contentType || !bytes.Equal(body, page.body) {
				t.Errorf("%s: status %d, type %q, %d body bytes; want 200, %q, %d bytes", pagePath, resp.StatusCode, resp.Header.Get("Content-Type"), len(body), page.contentType, len(page.body))
			}
			sum := sha256.Sum256(page.body)
			if got, want := rec.Header.Get("WARC-Payload-Digest"), "sha256:"+hex.EncodeToString(sum[:]); got != want {
				t.Errorf("%s: WARC-Payload-Digest %s, want %s", pagePath, got, want)
			}
			if d := rec.Header.Get("WARC-Block-Digest"); len(d) < 7 || d[:7] != "sha256:" {
				t.Errorf("%s: WARC-Block-Digest %q, want warcio's sha256", pagePath, d)
			}
		case "request":
			links = append(links, [2]string{rec.Header.Get("WARC-Concurrent-To"), rec.TargetURI()})
		case "metadata":
			block, err := io.ReadAll(rec.Body)
			var doc map[string]string
			if err != nil || json.Unmarshal(block, &doc) != nil || doc["ghi_chú"] != "Tệp thử nghiệm do warcio.js ghi" {
				t.Errorf("metadata record: %q, %v", block, err)
			}
		}
	}
	if len(types) == 0 || types[0] != "warcinfo" || types[len(types)-1] != "metadata" || len(types) != 2+2*len(site) {
		t.Errorf("record types %v, want warcinfo, a response and a request per page, metadata", types)
	}
	for p := range site {
		if !found[p] {
			t.Errorf("no response for %s", p)
		}
	}
	for _, l := range links {
		if ids[l[0]] != l[1] {
			t.Errorf("request for %s: WARC-Concurrent-To %s is not its response", l[1], l[0])
		}
	}
}
