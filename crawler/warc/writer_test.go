package warc

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var recordIDPattern = regexp.MustCompile(`^<urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}>$`)

// roundTripCase is one exchange and what its response body is.
type roundTripCase struct {
	name string
	ex   Exchange
	body []byte // the HTTP payload inside ex.Response
}

func roundTripCases() []roundTripCase {
	date := time.Date(2026, 3, 2, 1, 2, 3, 456789000, time.FixedZone("ICT", 7*3600))
	html := vietnameseHTML(20 << 10)
	binary := append(randomBytes(1, 3000), func() []byte { // every byte value, NULs and CRLFs included
		b := make([]byte, 256)
		for i := range b {
			b[i] = byte(i)
		}
		return b
	}()...)
	big := randomBytes(2, 5<<20+17)
	chunked := []byte("7\r\nXin chà\r\n3\r\no! \r\n0\r\n\r\n")
	cases := []roundTripCase{
		{"vietnamese html", Exchange{
			URL: "https://baohatinh.vn/thoi-su/hoi-nghi.html", Date: date, IP: "203.162.0.1",
			Request:  httpRequest("baohatinh.vn", "/thoi-su/hoi-nghi.html"),
			Response: httpResponse("200 OK", "text/html; charset=utf-8", html),
			Metadata: []byte(`{"via":"https://baohatinh.vn/","tiêu_đề":"Hội nghị"}`),
		}, html},
		{"binary body", Exchange{
			URL: "https://baohatinh.vn/logo.png", Date: date, IP: "2001:db8::1",
			Request:  httpRequest("baohatinh.vn", "/logo.png"),
			Response: httpResponse("200 OK", "image/png", binary),
		}, binary},
		{"empty body", Exchange{
			URL: "https://baohatinh.vn/empty", Date: date,
			Request:  httpRequest("baohatinh.vn", "/empty"),
			Response: httpResponse("204 No Content", "", nil),
		}, []byte{}},
		{"big body", Exchange{
			URL: "https://baohatinh.vn/video.mp4", Date: date,
			Request:  httpRequest("baohatinh.vn", "/video.mp4"),
			Response: httpResponse("200 OK", "video/mp4", big),
		}, big},
		{"vietnamese url", Exchange{
			URL: "https://baohatinh.vn/tin-tức/thời sự.html?q=Hà Tĩnh&p=100%", Date: date,
			Request:  httpRequest("baohatinh.vn", "/tin-t%E1%BB%A9c/th%E1%BB%9Di%20s%E1%BB%B1.html?q=H%C3%A0%20T%C4%A9nh&p=100%25"),
			Response: httpResponse("200 OK", "text/plain; charset=utf-8", []byte("Chào Hà Tĩnh")),
		}, []byte("Chào Hà Tĩnh")},
		{"chunked raw body, no request, truncated", Exchange{
			URL: "http://example.vn/stream", Date: date, Truncated: "length",
			Response: append([]byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"), chunked...),
		}, chunked},
	}
	return cases
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, Options{Prefix: "rt", Software: "baotinh/test", Info: map[string]string{"robots": "obey", "operator": "Nhóm baotinh"}})
	if err != nil {
		t.Fatal(err)
	}
	cases := roundTripCases()
	locs := make([]Location, len(cases))
	for i, c := range cases {
		if locs[i], err = w.WriteExchange(c.ex); err != nil {
			t.Fatalf("%s: WriteExchange: %v", c.name, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := Files(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 {
		t.Fatalf("got %d files, want 1: %v", len(files), files)
	}
	recs := readFile(t, files[0])
	if len(recs) == 0 || recs[0].get("WARC-Type") != "warcinfo" {
		t.Fatalf("first record is not warcinfo")
	}
	infoID := recs[0].get("WARC-Record-ID")
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}

	seen := map[string]bool{}
	for _, r := range recs {
		id := r.get("WARC-Record-ID")
		if !recordIDPattern.MatchString(id) {
			t.Errorf("record ID %q is not <urn:uuid:...> with a v4 UUID", id)
		}
		if seen[id] {
			t.Errorf("record ID %s used twice", id)
		}
		seen[id] = true
		if r.Version != "WARC/1.1" {
			t.Errorf("version line %q, want WARC/1.1", r.Version)
		}
		if got, want := r.get("WARC-Block-Digest"), sha1b32(r.Block); got != want {
			t.Errorf("%s %s: WARC-Block-Digest %s, want %s", r.get("WARC-Type"), r.get("WARC-Target-URI"), got, want)
		}
		if got, want := r.get("Content-Length"), fmt.Sprint(len(r.Block)); got != want {
			t.Errorf("Content-Length %s, want %s", got, want)
		}
		if r.get("WARC-Type") != "warcinfo" && r.get("WARC-Warcinfo-ID") != infoID {
			t.Errorf("%s record: WARC-Warcinfo-ID %q, want %q", r.get("WARC-Type"), r.get("WARC-Warcinfo-ID"), infoID)
		}
		// Each record is one complete gzip member ending in CRLF CRLF.
		if r.Offset < 0 || r.Offset >= int64(len(raw)) {
			t.Fatalf("record offset %d out of the file", r.Offset)
		}
		zr, err := gzip.NewReader(bytes.NewReader(raw[r.Offset:]))
		if err != nil {
			t.Fatalf("no gzip member at offset %d: %v", r.Offset, err)
		}
		zr.Multistream(false)
		member, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("gzip member at offset %d: %v", r.Offset, err)
		}
		if !bytes.HasPrefix(member, []byte("WARC/1.1\r\n")) || !bytes.HasSuffix(member, append(r.Block, "\r\n\r\n"...)) {
			t.Errorf("member at offset %d does not hold exactly one record ending in CRLF CRLF", r.Offset)
		}
	}

	i := 1
	for ci, c := range cases {
		var req, resp, meta *readRec
		if len(c.ex.Request) > 0 {
			req = &recs[i]
			i++
		}
		resp = &recs[i]
		i++
		if len(c.ex.Metadata) > 0 {
			meta = &recs[i]
			i++
		}
		t.Run(c.name, func(t *testing.T) {
			wantURI := EscapeURI(c.ex.URL)
			for i := 0; i < len(wantURI); i++ {
				if wantURI[i] <= ' ' || wantURI[i] >= 0x7f {
					t.Fatalf("target URI %q holds byte %#x, not allowed in a URI", wantURI, wantURI[i])
				}
			}
			if dec, err := url.PathUnescape(wantURI); err != nil || dec != c.ex.URL {
				t.Errorf("target URI %q unescapes to %q (%v), want the URL as fetched %q", wantURI, dec, err, c.ex.URL)
			}
			wantDate := c.ex.Date.UTC().Truncate(time.Second).Format("2006-01-02T15:04:05Z")
			check := func(r *readRec, typ, ctype string, block []byte) {
				t.Helper()
				if got := r.get("WARC-Type"); got != typ {
					t.Fatalf("WARC-Type %q, want %q", got, typ)
				}
				if !bytes.Equal(r.Block, block) {
					t.Errorf("%s block differs from what was written (got %d bytes, want %d)", typ, len(r.Block), len(block))
				}
				if got := r.get("WARC-Target-URI"); got != wantURI {
					t.Errorf("%s WARC-Target-URI %q, want %q", typ, got, wantURI)
				}
				if got := r.get("WARC-Date"); got != wantDate {
					t.Errorf("%s WARC-Date %q, want %q", typ, got, wantDate)
				}
				if got := r.get("Content-Type"); got != ctype {
					t.Errorf("%s Content-Type %q, want %q", typ, got, ctype)
				}
				if r.get("WARC-Filename") != "" {
					t.Errorf("%s record has WARC-Filename", typ)
				}
			}
			check(resp, "response", "application/http;msgtype=response", c.ex.Response)
			respID := resp.get("WARC-Record-ID")
			if got, want := resp.get("WARC-Payload-Digest"), sha1b32(c.body); got != want {
				t.Errorf("WARC-Payload-Digest %s, want %s (sha1 of the %d body bytes)", got, want, len(c.body))
			}
			if got, want := resp.get("WARC-Truncated"), c.ex.Truncated; got != want {
				t.Errorf("WARC-Truncated %q, want %q", got, want)
			}
			if c.ex.IP != "" && resp.get("WARC-IP-Address") != c.ex.IP {
				t.Errorf("WARC-IP-Address %q, want %q", resp.get("WARC-IP-Address"), c.ex.IP)
			}
			if req != nil {
				check(req, "request", "application/http;msgtype=request", c.ex.Request)
				if got := req.Header.Values("WARC-Concurrent-To"); len(got) != 1 || got[0] != respID {
					t.Errorf("request WARC-Concurrent-To %q, want [%s]", got, respID)
				}
				if got, want := req.get("WARC-Payload-Digest"), sha1b32(nil); got != want {
					t.Errorf("request WARC-Payload-Digest %s, want %s (empty body)", got, want)
				}
			}
			if meta != nil {
				check(meta, "metadata", "application/json", c.ex.Metadata)
				if got := meta.get("WARC-Concurrent-To"); got != respID {
					t.Errorf("metadata WARC-Concurrent-To %q, want %s", got, respID)
				}
			}

			// The Location returned is the response record's gzip member.
			loc := locs[ci]
			if loc.File != files[0] || loc.Offset != resp.Offset {
				t.Errorf("Location %+v, want file %s offset %d", loc, files[0], resp.Offset)
			}
			zr, err := gzip.NewReader(bytes.NewReader(raw[loc.Offset : loc.Offset+loc.Length]))
			if err != nil {
				t.Fatal(err)
			}
			zr.Multistream(false)
			if _, err := io.Copy(io.Discard, zr); err != nil {
				t.Errorf("bytes [%d,%d) are not one gzip member: %v", loc.Offset, loc.Offset+loc.Length, err)
			}
			rec, err := ReadAt(loc.File, loc.Offset)
			if err != nil {
				t.Fatalf("ReadAt: %v", err)
			}
			if rec.ID() != respID || rec.Offset != loc.Offset {
				t.Errorf("ReadAt gave record %s at %d, want %s at %d", rec.ID(), rec.Offset, respID, loc.Offset)
			}
			if !rec.Date().Equal(c.ex.Date.Truncate(time.Second)) {
				t.Errorf("Date() %v, want %v", rec.Date(), c.ex.Date.Truncate(time.Second))
			}
			hr, err := ReadHTTPResponse(rec)
			if err != nil {
				t.Fatalf("ReadHTTPResponse: %v", err)
			}
			got, err := io.ReadAll(hr.Body)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, c.body) {
				t.Errorf("HTTP body from ReadAt differs (got %d bytes, want %d)", len(got), len(c.body))
			}
			if hr.ContentLength != int64(len(c.body)) {
				t.Errorf("ContentLength %d, want %d", hr.ContentLength, len(c.body))
			}
		})
	}
	if i != len(recs) {
		t.Errorf("got %d records, want %d", len(recs), i)
	}
}

func TestWarcinfo(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, Options{Prefix: "baotinh", Software: "baotinh/dev", Info: map[string]string{
		"robots": "obey", "operator": "Phòng dữ liệu", "format": "WARC File Format 1.1 (baotinh)",
	}})
	if err != nil {
		t.Fatal(err)
	}
	w.now = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	if _, err := w.WriteExchange(Exchange{URL: "http://a.vn/", Response: httpResponse("200 OK", "text/plain", []byte("a"))}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	files, _ := Files(dir)
	if len(files) != 1 {
		t.Fatalf("got %d files, want 1", len(files))
	}
	if got, want := filepath.Base(files[0]), "baotinh-20260102030405-00000.warc.gz"; got != want {
		t.Errorf("file name %q, want %q", got, want)
	}
	recs := readFile(t, files[0])
	info := recs[0]
	want := Header{
		{"WARC-Type", "warcinfo"},
		{"WARC-Record-ID", info.get("WARC-Record-ID")},
		{"WARC-Date", "2026-01-02T03:04:05Z"},
		{"WARC-Filename", "baotinh-20260102030405-00000.warc.gz"},
		{"WARC-Block-Digest", sha1b32(info.Block)},
		{"Content-Type", "application/warc-fields"},
		{"Content-Length", fmt.Sprint(len(info.Block))},
	}
	if fmt.Sprint(info.Header) != fmt.Sprint(want) {
		t.Errorf("warcinfo header\n got %v\nwant %v", info.Header, want)
	}
	wantBlock := "software: baotinh/dev\r\n" +
		"format: WARC File Format 1.1 (baotinh)\r\n" +
		"conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n" +
		"operator: Phòng dữ liệu\r\n" +
		"robots: obey\r\n"
	if string(info.Block) != wantBlock {
		t.Errorf("warcinfo block\n got %q\nwant %q", info.Block, wantBlock)
	}
	if recs[1].get("WARC-Date") != "2026-01-02T03:04:05Z" {
		t.Errorf("exchange without a date: WARC-Date %q, want the writer's clock", recs[1].get("WARC-Date"))
	}
}

func TestRotation(t *testing.T) {
	dir := t.TempDir()
	const maxSize = 40 << 10
	w, err := NewWriter(dir, Options{Prefix: "rot", MaxSize: maxSize, Sync: true})
	if err != nil {
		t.Fatal(err)
	}
	const n = 30
	var locs []Location
	for i := 0; i < n; i++ {
		body := randomBytes(uint64(100+i), 9000) // incompressible: about 9 KB per exchange
		loc, err := w.WriteExchange(Exchange{
			URL:      fmt.Sprintf("https://baohatinh.vn/anh/%d.jpg", i),
			Request:  httpRequest("baohatinh.vn", fmt.Sprintf("/anh/%d.jpg", i)),
			Response: httpResponse("200 OK", "image/jpeg", body),
			Metadata: []byte(fmt.Sprintf(`{"n":%d}`, i)),
		})
		if err != nil {
			t.Fatal(err)
		}
		locs = append(locs, loc)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := Files(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 5 {
		t.Fatalf("got %d files for %d KB with a %d KB limit, want at least 5", len(files), n*9, maxSize>>10)
	}
	next := 0
	for fi, file := range files {
		if want := fmt.Sprintf("-%05d.warc.gz", fi); !strings.HasSuffix(file, want) {
			t.Errorf("file %d is %s, want a name ending in %s", fi, file, want)
		}
		recs := readFile(t, file)
		if recs[0].get("WARC-Type") != "warcinfo" || recs[0].get("WARC-Filename") != filepath.Base(file) {
			t.Errorf("%s does not start with its own warcinfo record", file)
		}
		if (len(recs)-1)%3 != 0 {
			t.Errorf("%s holds %d records after warcinfo, not whole exchanges", file, len(recs)-1)
		}
		st, _ := os.Stat(file)
		lastStart := int64(0)
		for _, r := range recs[1:] {
			if r.get("WARC-Warcinfo-ID") != recs[0].get("WARC-Record-ID") {
				t.Errorf("%s: record's WARC-Warcinfo-ID is not its file's warcinfo", file)
			}
			if r.get("WARC-Type") == "request" {
				lastStart = r.Offset
			}
			if r.get("WARC-Type") != "response" {
				continue
			}
			if want := fmt.Sprintf("https://baohatinh.vn/anh/%d.jpg", next); r.get("WARC-Target-URI") != want {
				t.Errorf("response %d is %s, want %s (write order across files)", next, r.get("WARC-Target-URI"), want)
			}
			if locs[next].File != file || locs[next].Offset != r.Offset {
				t.Errorf("exchange %d: Location %+v, found in %s at %d", next, locs[next], file, r.Offset)
			}
			next++
		}
		if fi < len(files)-1 && st.Size() < maxSize {
			t.Errorf("%s rotated at %d bytes, before reaching %d", file, st.Size(), maxSize)
		}
		if lastStart >= maxSize {
			t.Errorf("%s: an exchange starts at %d, after the file had reached %d", file, lastStart, maxSize)
		}
	}
	if next != n {
		t.Errorf("found %d responses, want %d", next, n)
	}
}

func TestReopenDirectory(t *testing.T) {
	dir := t.TempDir()
	write := func(url string) string {
		t.Helper()
		w, err := NewWriter(dir, Options{Prefix: "re"})
		if err != nil {
			t.Fatal(err)
		}
		loc, err := w.WriteExchange(Exchange{URL: url, Response: httpResponse("200 OK", "text/plain", []byte(url))})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return loc.File
	}
	first := write("http://a.vn/1")
	before, _ := os.ReadFile(first)
	// A file of another prefix with a higher number: numbers go on from it.
	if err := os.WriteFile(filepath.Join(dir, "other-20200101000000-00007.warc.gz"), before, 0o644); err != nil {
		t.Fatal(err)
	}
	second := write("http://a.vn/2")
	if second == first {
		t.Fatalf("second writer wrote into %s again", first)
	}
	after, _ := os.ReadFile(first)
	if !bytes.Equal(before, after) {
		t.Errorf("%s changed when a second writer opened the directory", first)
	}
	if !strings.HasSuffix(second, "-00008.warc.gz") {
		t.Errorf("second writer's file is %s, want sequence number 00008", second)
	}
	files, _ := Files(dir)
	want := []string{first, filepath.Join(dir, "other-20200101000000-00007.warc.gz"), second}
	if fmt.Sprint(files) != fmt.Sprint(want) {
		t.Errorf("Files = %v, want %v", files, want)
	}
	// A writer that never writes leaves no file behind.
	w, _ := NewWriter(dir, Options{Prefix: "re"})
	w.Close()
	if files2, _ := Files(dir); len(files2) != 3 {
		t.Errorf("an unused writer left a file: %v", files2)
	}
}

func TestFilesOrder(t *testing.T) {
	dir := t.TempDir()
	names := []string{
		"zz-notours.warc", "b-20260101000000-00010.warc.gz", "a-20260102000000-00002.warc.gz",
		"a-20251231000000-00002.warc.gz", "readme.txt", "c-20260101000000-100000.warc.gz", "aa.warc.gz",
	}
	for _, n := range names {
		os.WriteFile(filepath.Join(dir, n), nil, 0o644)
	}
	os.Mkdir(filepath.Join(dir, "d-20260101000000-00001.warc.gz"), 0o755) // a directory, not a file
	got, err := Files(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		got[i] = filepath.Base(got[i])
	}
	want := []string{
		"a-20251231000000-00002.warc.gz", "a-20260102000000-00002.warc.gz", "b-20260101000000-00010.warc.gz",
		"c-20260101000000-100000.warc.gz", "aa.warc.gz", "zz-notours.warc",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Files\n got %v\nwant %v", got, want)
	}
	if _, err := Files(filepath.Join(dir, "missing")); !errPrefixed(err) {
		t.Errorf("Files on a missing directory: error %v, want a warc: error", err)
	}
}

func TestConcurrentWrites(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, Options{Prefix: "conc", MaxSize: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for g := 0; g < workers; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				u := fmt.Sprintf("https://hatinh.gov.vn/%d/%d", g, i)
				_, err := w.WriteExchange(Exchange{
					URL:      u,
					Request:  httpRequest("hatinh.gov.vn", fmt.Sprintf("/%d/%d", g, i)),
					Response: httpResponse("200 OK", "text/plain", append(randomBytes(uint64(g*1000+i), 2000), u...)),
					Metadata: []byte(`{"g":` + fmt.Sprint(g) + `}`),
				})
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	w.Close()
	files, _ := Files(dir)
	seen := map[string]int{}
	for _, f := range files {
		recs := readFile(t, f)
		for i := 1; i < len(recs); i += 3 {
			req, resp, meta := recs[i], recs[i+1], recs[i+2]
			u := resp.get("WARC-Target-URI")
			if req.get("WARC-Type") != "request" || resp.get("WARC-Type") != "response" || meta.get("WARC-Type") != "metadata" ||
				req.get("WARC-Target-URI") != u || meta.get("WARC-Target-URI") != u ||
				req.get("WARC-Concurrent-To") != resp.get("WARC-Record-ID") {
				t.Fatalf("%s: records %d-%d are not one exchange", f, i, i+2)
			}
			if !bytes.HasSuffix(resp.Block, []byte(u)) {
				t.Errorf("response for %s holds another exchange's body", u)
			}
			seen[u]++
		}
	}
	if len(seen) != workers*each {
		t.Errorf("found %d exchanges, want %d", len(seen), workers*each)
	}
	for u, n := range seen {
		if n != 1 {
			t.Errorf("%s written %d times", u, n)
		}
	}
}

func TestWriteRecord(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	content := []byte("Nội dung tài liệu: Quyết định số 12/QĐ-UBND")
	loc, err := w.WriteRecord(&Record{Header: Header{
		{"WARC-Type", "resource"},
		{"WARC-Target-URI", "file:///tài liệu/qđ 12.txt"},
		{"Content-Type", "text/plain; charset=utf-8"},
		{"X-Baotinh-Note", "Ghi chú"},
	}, Body: bytes.NewReader(content)})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := ReadAt(loc.File, loc.Offset)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := io.ReadAll(rec.Body)
	if !bytes.Equal(block, content) {
		t.Errorf("block %q, want %q", block, content)
	}
	wantNames := []string{"WARC-Type", "WARC-Target-URI", "Content-Type", "X-Baotinh-Note", "WARC-Record-ID", "WARC-Date", "WARC-Warcinfo-ID", "WARC-Block-Digest", "Content-Length"}
	var names []string
	for _, f := range rec.Header {
		names = append(names, f.Name)
	}
	if fmt.Sprint(names) != fmt.Sprint(wantNames) {
		t.Errorf("fields\n got %v\nwant %v", names, wantNames)
	}
	if got, want := rec.TargetURI(), "file:///t%C3%A0i%20li%E1%BB%87u/q%C4%91%2012.txt"; got != want {
		t.Errorf("target URI %q, want %q", got, want)
	}
	if rec.Header.Get("x-baotinh-note") != "Ghi chú" {
		t.Errorf("extension field lost: %v", rec.Header)
	}

	bad := []struct {
		name string
		rec  *Record
		is   error
	}{
		{"no type", &Record{Header: Header{{"Content-Type", "text/plain"}}}, nil},
		{"wrong length", &Record{Header: Header{{"WARC-Type", "resource"}, {"Content-Length", "3"}}, Body: strings.NewReader("abcd")}, nil},
		{"wrong digest", &Record{Header: Header{{"WARC-Type", "resource"}, {"WARC-Block-Digest", sha1b32([]byte("x"))}}, Body: strings.NewReader("y")}, ErrDigest},
		{"header injection", &Record{Header: Header{{"WARC-Type", "resource"}, {"X-A", "1\r\nWARC-Type: response"}}}, nil},
		{"bad field name", &Record{Header: Header{{"WARC-Type", "resource"}, {"X A", "1"}}}, nil},
	}
	for _, b := range bad {
		_, err := w.WriteRecord(b.rec)
		if !errPrefixed(err) || (b.is != nil && !errors.Is(err, b.is)) {
			t.Errorf("%s: error %v, want a warc: error (is %v)", b.name, err, b.is)
		}
	}
	w.Close()
	if _, err := w.WriteRecord(&Record{Header: Header{{"WARC-Type", "resource"}}}); err != ErrClosed {
		t.Errorf("WriteRecord after Close: error %v, want ErrClosed", err)
	}
	if _, err := w.WriteExchange(Exchange{URL: "http://a.vn/", Response: httpResponse("200 OK", "", nil)}); err != ErrClosed {
		t.Errorf("WriteExchange after Close: error %v, want ErrClosed", err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	// Nothing was written by the rejected records.
	files, _ := Files(dir)
	if recs := readFile(t, files[0]); len(recs) != 2 {
		t.Errorf("file holds %d records, want warcinfo and the resource", len(recs))
	}
}

func TestWriteExchangeErrors(t *testing.T) {
	w, err := NewWriter(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	resp := httpResponse("200 OK", "text/plain", []byte("x"))
	for _, c := range []struct {
		name string
		ex   Exchange
	}{
		{"no url", Exchange{Response: resp}},
		{"no response", Exchange{URL: "http://a.vn/"}},
		{"bad ip", Exchange{URL: "http://a.vn/", Response: resp, IP: "300.1.2.3"}},
		{"bad truncation reason", Exchange{URL: "http://a.vn/", Response: resp, Truncated: "too long"}},
	} {
		if _, err := w.WriteExchange(c.ex); !errPrefixed(err) {
			t.Errorf("%s: error %v, want a warc: error", c.name, err)
		}
	}
	for _, opt := range []Options{{Prefix: "a/b"}, {MaxSize: -1}, {Info: map[string]string{"a b": "c"}}, {Info: map[string]string{"a": "b\nc"}}} {
		if _, err := NewWriter(t.TempDir(), opt); !errPrefixed(err) {
			t.Errorf("NewWriter(%+v): error %v, want a warc: error", opt, err)
		}
	}
}

// A failed write leaves the file as it was, and the writer goes on.
func TestWriteFailureLeavesFileWhole(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ex := func(u string) Exchange {
		return Exchange{URL: u, Request: httpRequest("a.vn", "/"), Response: httpResponse("200 OK", "text/plain", []byte(u))}
	}
	loc, err := w.WriteExchange(ex("http://a.vn/1"))
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(loc.File)
	good := w.f
	ro, err := os.Open(loc.File) // writes to a read-only descriptor fail
	if err != nil {
		t.Fatal(err)
	}
	w.f = ro
	if _, err := w.WriteExchange(ex("http://a.vn/2")); !errPrefixed(err) {
		t.Errorf("write to a read-only file: error %v, want a warc: error", err)
	}
	ro.Close()
	w.f = good
	if after, _ := os.ReadFile(loc.File); !bytes.Equal(before, after) {
		t.Errorf("failed write changed the file")
	}
	if _, err := w.WriteExchange(ex("http://a.vn/3")); err != nil {
		t.Fatal(err)
	}
	w.Close()
	var got []string
	for _, r := range readFile(t, loc.File) {
		if r.get("WARC-Type") == "response" {
			got = append(got, r.get("WARC-Target-URI"))
		}
	}
	if want := []string{"http://a.vn/1", "http://a.vn/3"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("responses %v, want %v", got, want)
	}
}

func TestEscapeURI(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"https://baohatinh.vn/a/b.html?x=1&y=2#f", "https://baohatinh.vn/a/b.html?x=1&y=2#f"},
		{"https://baohatinh.vn/tin-tức", "https://baohatinh.vn/tin-t%E1%BB%A9c"},
		{"https://a.vn/thời sự?q=Hà Tĩnh", "https://a.vn/th%E1%BB%9Di%20s%E1%BB%B1?q=H%C3%A0%20T%C4%A9nh"},
		{"https://a.vn/100%", "https://a.vn/100%25"},
		{"https://a.vn/%E1%BB%A9%zz", "https://a.vn/%E1%BB%A9%25zz"},
		{"https://a.vn/a\r\nb\"<>\\^`{|}", "https://a.vn/a%0D%0Ab%22%3C%3E%5C%5E%60%7B%7C%7D"},
		{"https://a.vn/[::1]:80/~u_-.!$&'()*+,;=:@", "https://a.vn/[::1]:80/~u_-.!$&'()*+,;=:@"},
		{"http://\xff\x00/", "http://%FF%00/"},
	} {
		got := EscapeURI(c.in)
		if got != c.want {
			t.Errorf("EscapeURI(%q) = %q, want %q", c.in, got, c.want)
		}
		if again := EscapeURI(got); again != got {
			t.Errorf("EscapeURI not idempotent on %q: %q", got, again)
		}
	}
}

func TestHeader(t *testing.T) {
	h := Header{{"WARC-Type", "response"}, {"WARC-Concurrent-To", "<a>"}, {"warc-concurrent-to", "<b>"}}
	if got := h.Get("warc-type"); got != "response" {
		t.Errorf("Get(warc-type) = %q, want response", got)
	}
	if got := h.Get("WARC-Date"); got != "" {
		t.Errorf("Get of a missing field = %q, want empty", got)
	}
	if got := h.Values("WARC-CONCURRENT-TO"); fmt.Sprint(got) != "[<a> <b>]" {
		t.Errorf("Values = %v, want [<a> <b>]", got)
	}
	h.Set("Warc-Concurrent-To", "<c>")
	h.Add("Content-Length", "0")
	h.Del("WARC-TYPE")
	want := Header{{"WARC-Concurrent-To", "<c>"}, {"Content-Length", "0"}}
	if fmt.Sprint(h) != fmt.Sprint(want) {
		t.Errorf("after Set, Add, Del: %v, want %v", h, want)
	}
}

func TestParseDate(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Time
	}{
		{"2026-03-02T01:02:03Z", time.Date(2026, 3, 2, 1, 2, 3, 0, time.UTC)},
		{"2026-03-02T01:02:03.123456Z", time.Date(2026, 3, 2, 1, 2, 3, 123456000, time.UTC)},
		{"2026-03-02T08:02:03+07:00", time.Date(2026, 3, 2, 1, 2, 3, 0, time.UTC)},
		{"2026-03-02T01:02Z", time.Date(2026, 3, 2, 1, 2, 0, 0, time.UTC)},
		{"20260302010203", time.Date(2026, 3, 2, 1, 2, 3, 0, time.UTC)},
		{"2026-03-02", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)},
		{"2026", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		got, err := ParseDate(c.in)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	if _, err := ParseDate("hôm qua"); !errPrefixed(err) {
		t.Errorf("ParseDate of junk: error %v, want a warc: error", err)
	}
}
