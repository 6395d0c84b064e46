package warc

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
)

// sampleFile writes n exchanges with distinct bodies and returns the file's
// bytes and the response bodies in order.
func sampleFile(t testing.TB, n int) ([]byte, [][]byte) {
	t.Helper()
	dir := t.TempDir()
	w, err := NewWriter(dir, Options{Prefix: "s"})
	if err != nil {
		t.Fatal(err)
	}
	var bodies [][]byte
	for i := 0; i < n; i++ {
		body := append([]byte(fmt.Sprintf("trang %d: ", i)), randomBytes(uint64(i), 3000+i*100)...)
		bodies = append(bodies, body)
		_, err := w.WriteExchange(Exchange{
			URL:      fmt.Sprintf("https://baosonla.vn/bai/%d", i),
			Request:  httpRequest("baosonla.vn", fmt.Sprintf("/bai/%d", i)),
			Response: httpResponse("200 OK", "application/octet-stream", body),
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	files, _ := Files(dir)
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	return raw, bodies
}

// memberOffsets returns the offset of every record of a gzip-per-record file.
func memberOffsets(t testing.TB, raw []byte) []int64 {
	t.Helper()
	recs, err := readAllRecords(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var offs []int64
	for _, r := range recs {
		offs = append(offs, r.Offset)
	}
	return offs
}

// gunzip decompresses all members of raw.
func gunzip(t testing.TB, raw []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// readUntilError reads records whole until an error or the end, like a
// reindex would, returning the records read whole and the error (nil at a clean end).
func readUntilError(in []byte) ([]readRec, error) {
	r, err := NewReader(bytes.NewReader(in))
	if err != nil {
		return nil, err
	}
	var recs []readRec
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return recs, nil
		}
		if err != nil {
			return recs, err
		}
		block, err := io.ReadAll(rec.Body)
		if err != nil {
			// The reader must keep reporting the failure.
			if _, err2 := r.Next(); err2 == nil || err2 == io.EOF {
				return recs, fmt.Errorf("Next after a failed body read returned %v (body error: %w)", err2, err)
			}
			return recs, err
		}
		recs = append(recs, readRec{rec.Version, rec.Header, block, rec.Offset})
	}
}

func TestTruncated(t *testing.T) {
	raw, bodies := sampleFile(t, 4)
	offs := memberOffsets(t, raw) // warcinfo, then request and response per exchange
	if len(offs) != 9 {
		t.Fatalf("sample has %d records, want 9", len(offs))
	}
	last := offs[8] // the last response's member
	plain := gunzip(t, raw)
	plainStarts := []int{}
	for i := 0; i < len(plain); {
		j := bytes.Index(plain[i:], []byte("WARC/1.1\r\n"))
		if j < 0 {
			break
		}
		plainStarts = append(plainStarts, i+j)
		i += j + 1
	}
	lastPlain := plainStarts[len(plainStarts)-1]
	headEnd := lastPlain + bytes.Index(plain[lastPlain:], []byte("\r\n\r\n")) + 4

	cases := []struct {
		name  string
		data  []byte
		whole int // records that must come back whole before the error
	}{
		{"gzip: cut in the middle of the last member", raw[:last+(int64(len(raw))-last)/2], 8},
		{"gzip: cut right after the last member's gzip header", raw[:last+10], 8},
		{"gzip: cut inside the last member's gzip header", raw[:last+4], 8},
		{"gzip: cut inside the last member's 8-byte trailer", raw[:len(raw)-3], 9},
		{"gzip: a partial member after complete ones", append(append([]byte{}, raw...), raw[last:last+40]...), 9},
		{"gzip: cut right after the first byte of the last member", raw[:last+1], 8},
		{"plain: cut inside the last record's block", plain[:headEnd+100], 8},
		{"plain: cut inside the last record's header", plain[:lastPlain+30], 8},
		{"plain: cut right after the last version line", plain[:lastPlain+10], 8},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			recs, err := readUntilError(c.data)
			if !errors.Is(err, ErrTruncated) {
				t.Fatalf("error %v, want ErrTruncated", err)
			}
			if !errPrefixed(err) || !strings.Contains(err.Error(), "record") {
				t.Errorf("error %q should start with \"warc: \" and name the record", err)
			}
			if len(recs) != c.whole {
				t.Fatalf("got %d whole records before the error, want %d", len(recs), c.whole)
			}
			for i, r := range recs {
				if r.get("WARC-Type") != "response" {
					continue
				}
				n := (i - 2) / 2
				if want := httpResponse("200 OK", "application/octet-stream", bodies[n]); !bytes.Equal(r.Block, want) {
					t.Errorf("response %d differs from what was written", n)
				}
			}
		})
	}
}

func TestCorrupt(t *testing.T) {
	raw, _ := sampleFile(t, 3)
	offs := memberOffsets(t, raw)
	flipped := append([]byte{}, raw...)
	flipped[offs[4]+60] ^= 0x55 // inside the second response's deflate data
	badCRC := append([]byte{}, raw...)
	badCRC[offs[3]-8] ^= 0xff // the CRC-32 in the trailer of the member before record 3
	plain := gunzip(t, raw)

	cases := []struct {
		name    string
		data    []byte
		minRecs int
		is      []error // any of these
	}{
		{"gzip: junk after the last member", append(append([]byte{}, raw...), "không phải gzip"...), 7, []error{ErrCorrupt}},
		{"gzip: one junk byte after the last member", append(append([]byte{}, raw...), 'x'), 7, []error{ErrCorrupt}},
		{"gzip: a gzip magic byte and junk after the last member", append(append([]byte{}, raw...), 0x1f, 'x'), 7, []error{ErrCorrupt}},
		{"gzip: zero bytes after the last member", append(append([]byte{}, raw...), make([]byte, 512)...), 7, []error{ErrCorrupt}},
		{"gzip: a flipped bit in compressed data", flipped, 3, []error{ErrCorrupt, ErrDigest}},
		{"gzip: a wrong member checksum", badCRC, 2, []error{ErrCorrupt}},
		{"plain: not WARC", []byte("<html>xin chào</html>\r\n"), 0, []error{ErrCorrupt}},
		{"plain: junk between records", bytes.Replace(plain, []byte("\r\n\r\nWARC/1.1"), []byte("\r\n\r\nxx\r\nWARC/1.1"), 1), 1, []error{ErrCorrupt}},
		{"plain: no Content-Length", []byte("WARC/1.1\r\nWARC-Type: resource\r\n\r\n"), 0, []error{ErrCorrupt}},
		{"plain: negative Content-Length", []byte("WARC/1.1\r\nContent-Length: -5\r\n\r\n"), 0, []error{ErrCorrupt}},
		{"plain: header line without a colon", []byte("WARC/1.1\r\nContent-Length 5\r\n\r\nabcde\r\n\r\n"), 0, []error{ErrCorrupt}},
		{"plain: header starting with a continuation", []byte("WARC/1.1\r\n x\r\nContent-Length: 0\r\n\r\n\r\n\r\n"), 0, []error{ErrCorrupt}},
		{"plain: version line without a version", []byte("WARC/\r\nContent-Length: 0\r\n\r\n"), 0, []error{ErrCorrupt}},
		{"plain: an endless header line", append([]byte("WARC/1.1\r\nX: "), bytes.Repeat([]byte("a"), 2<<20)...), 0, []error{ErrCorrupt}},
		{"plain: an endless header", append([]byte("WARC/1.1\r\n"), bytes.Repeat([]byte("X-A: b\r\n"), 200000)...), 0, []error{ErrCorrupt}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			recs, err := readUntilError(c.data)
			ok := false
			for _, want := range c.is {
				ok = ok || errors.Is(err, want)
			}
			if !ok {
				t.Fatalf("error %v, want one of %v", err, c.is)
			}
			if !errPrefixed(err) {
				t.Errorf("error %q does not start with \"warc: \"", err)
			}
			if len(recs) < c.minRecs {
				t.Errorf("got %d whole records before the error, want at least %d", len(recs), c.minRecs)
			}
		})
	}
}

func TestDigestMismatch(t *testing.T) {
	rec := func(typ, digest, block string) string {
		h := "WARC/1.1\r\nWARC-Type: " + typ + "\r\n"
		if digest != "" {
			h += "WARC-Block-Digest: " + digest + "\r\n"
		}
		return h + fmt.Sprintf("Content-Length: %d\r\n\r\n%s\r\n\r\n", len(block), block)
	}
	data := rec("resource", sha1b32([]byte("abc")), "abd") + // wrong
		rec("resource", "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "abc") + // right, hex sha256
		rec("resource", "sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AE", "abc") + // wrong
		rec("resource", "md5:kAFQmDzST7DWlj99KOF/cg==", "abc") + // unknown encoding: not checked
		rec("resource", "", "abc") // none
	r, err := NewReader(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	want := []bool{true, false, true, false, false}
	for i, wantErr := range want {
		rec, err := r.Next()
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		_, err = io.ReadAll(rec.Body)
		if got := errors.Is(err, ErrDigest); got != wantErr {
			t.Errorf("record %d: body error %v, want digest mismatch %v", i, err, wantErr)
		}
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("after the last record: %v, want io.EOF", err)
	}
}

// Files written by other tools: plain, one gzip stream for the whole file,
// several records per member, WARC/1.0 with angle-bracketed target URIs, LF
// line endings, folded header lines, blank lines between records.
func TestReaderLayouts(t *testing.T) {
	raw, _ := sampleFile(t, 3)
	want := readFile(t, writeTemp(t, raw))
	plain := gunzip(t, raw)

	var oneStream bytes.Buffer
	zw := gzip.NewWriter(&oneStream)
	zw.Write(plain)
	zw.Close()

	var twoPerMember bytes.Buffer
	for i := 0; i < len(want); i += 2 {
		zw := gzip.NewWriter(&twoPerMember)
		for _, r := range want[i:min(i+2, len(want))] {
			writePlain(zw, r)
		}
		zw.Close()
	}

	check := func(t *testing.T, data []byte, offsets func(i int, r readRec) bool) {
		t.Helper()
		got, err := readUntilError(data)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("got %d records, want %d", len(got), len(want))
		}
		for i := range want {
			if fmt.Sprint(got[i].Header) != fmt.Sprint(want[i].Header) || !bytes.Equal(got[i].Block, want[i].Block) {
				t.Errorf("record %d differs", i)
			}
			if !offsets(i, got[i]) {
				t.Errorf("record %d: offset %d not as expected", i, got[i].Offset)
			}
		}
	}
	t.Run("plain", func(t *testing.T) {
		check(t, plain, func(i int, r readRec) bool {
			return bytes.HasPrefix(plain[r.Offset:], []byte("WARC/1.1\r\nWARC-Type: "+r.get("WARC-Type")))
		})
	})
	t.Run("one gzip stream", func(t *testing.T) {
		check(t, oneStream.Bytes(), func(i int, r readRec) bool { return r.Offset == map[bool]int64{true: 0, false: -1}[i == 0] })
	})
	t.Run("two records per member", func(t *testing.T) {
		data := twoPerMember.Bytes()
		check(t, data, func(i int, r readRec) bool {
			if i%2 == 1 {
				return r.Offset == -1
			}
			zr, err := gzip.NewReader(bytes.NewReader(data[r.Offset:]))
			if err != nil {
				return false
			}
			head := make([]byte, 10)
			io.ReadFull(zr, head)
			return string(head) == "WARC/1.1\r\n"
		})
	})

	const oldBlock = "HTTP/1.0 200 OK\nContent-Type: text/plain\n\nabc"
	old := "WARC/1.0\n" +
		"WARC-Type: response\n" +
		"WARC-Target-URI: <http://baohatinh.vn/a%20b>\n" +
		"X-Folded: first\n" +
		"\t second\n" +
		"   third\n" +
		fmt.Sprintf("Content-Length: %d\n", len(oldBlock)) +
		"\n" +
		oldBlock +
		"\n\n\r\n\r\n\n" +
		"WARC/1.0\r\nWARC-Type: metadata\r\nContent-Length: 0\r\n\r\n"
	r, err := NewReader(strings.NewReader(old))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if rec.Version != "WARC/1.0" || rec.TargetURI() != "http://baohatinh.vn/a%20b" || rec.Header.Get("x-folded") != "first second third" {
		t.Errorf("got version %q, target %q, folded %q", rec.Version, rec.TargetURI(), rec.Header.Get("x-folded"))
	}
	resp, err := ReadHTTPResponse(rec)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/plain" || string(body) != "abc" || resp.ContentLength != 3 {
		t.Errorf("HTTP response: status %d, type %q, body %q, length %d", resp.StatusCode, resp.Header.Get("Content-Type"), body, resp.ContentLength)
	}
	rec, err = r.Next()
	if err != nil || rec.Type() != "metadata" || rec.Offset != int64(strings.Index(old, "WARC/1.0\r\n")) {
		t.Fatalf("second record: %v, %v", rec, err)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("end: %v, want io.EOF", err)
	}
}

func writeTemp(t testing.TB, data []byte) string {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "*.warc.gz")
	if err != nil {
		t.Fatal(err)
	}
	f.Write(data)
	f.Close()
	return f.Name()
}

func writePlain(w io.Writer, r readRec) {
	fmt.Fprintf(w, "%s\r\n", r.Version)
	for _, f := range r.Header {
		fmt.Fprintf(w, "%s: %s\r\n", f.Name, f.Value)
	}
	fmt.Fprintf(w, "\r\n%s\r\n\r\n", r.Block)
}

func TestEmptyAndOddInput(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, io.EOF},
		{"blank lines only", []byte("\r\n\r\n\n"), io.EOF},
		{"one byte", []byte{0x1f}, ErrCorrupt},
		{"gzip magic only", []byte{0x1f, 0x8b}, ErrTruncated},
		{"empty gzip member", func() []byte { var b bytes.Buffer; z := gzip.NewWriter(&b); z.Close(); return b.Bytes() }(), io.EOF},
	} {
		r, err := NewReader(bytes.NewReader(c.data))
		if err != nil {
			t.Errorf("%s: NewReader: %v", c.name, err)
			continue
		}
		if _, err := r.Next(); !errors.Is(err, c.want) {
			t.Errorf("%s: Next error %v, want %v", c.name, err, c.want)
		}
	}
	if _, err := NewReader(bytes.NewReader([]byte{0x28, 0xb5, 0x2f, 0xfd, 0})); !errPrefixed(err) {
		t.Errorf("zstd input: error %v, want a warc: error", err)
	}
}

// A declared Content-Length far beyond the input is never allocated.
func TestHugeContentLength(t *testing.T) {
	data := []byte("WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 9223372036854775807\r\n\r\nabc")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r, err := NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if rec.ContentLength() != 1<<63-1 {
		t.Errorf("ContentLength %d", rec.ContentLength())
	}
	_, err = io.Copy(io.Discard, rec.Body)
	if !errors.Is(err, ErrTruncated) {
		t.Errorf("body error %v, want ErrTruncated", err)
	}
	if _, err := r.Next(); !errors.Is(err, ErrTruncated) {
		t.Errorf("Next error %v, want ErrTruncated", err)
	}
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Errorf("reading allocated %d bytes, want under 1 MiB", grew)
	}
	if _, err := parseLength("99999999999999999999"); err == nil {
		t.Errorf("Content-Length past int64 accepted")
	}
}

func TestBodyAfterNext(t *testing.T) {
	raw, _ := sampleFile(t, 1)
	r, _ := NewReader(bytes.NewReader(raw))
	first, _ := r.Next()
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	if _, err := first.Body.Read(make([]byte, 10)); !errPrefixed(err) {
		t.Errorf("reading a body after Next: error %v, want a warc: error", err)
	}
}

func TestReadAtErrors(t *testing.T) {
	raw, _ := sampleFile(t, 2)
	path := writeTemp(t, raw)
	offs := memberOffsets(t, raw)
	if _, err := ReadAt(path, offs[1]+5); !errors.Is(err, ErrCorrupt) {
		t.Errorf("ReadAt inside a member: error %v, want ErrCorrupt", err)
	}
	if _, err := ReadAt(path, int64(len(raw))); !errors.Is(err, ErrCorrupt) {
		t.Errorf("ReadAt at the end: error %v, want ErrCorrupt", err)
	}
	if _, err := ReadAt(path+".missing", 0); !errPrefixed(err) {
		t.Errorf("ReadAt of a missing file: error %v, want a warc: error", err)
	}
	// A damaged checksum in the member read is reported, in the next member is not ReadAt's concern.
	bad := append([]byte{}, raw...)
	bad[offs[2]-8] ^= 0xff
	badPath := writeTemp(t, bad)
	if _, err := ReadAt(badPath, offs[1]); !errors.Is(err, ErrCorrupt) {
		t.Errorf("ReadAt of a member with a bad checksum: error %v, want ErrCorrupt", err)
	}
	if _, err := ReadAt(badPath, offs[2]); err != nil {
		t.Errorf("ReadAt of the member after a damaged one: %v", err)
	}
	// Plain files: offsets are byte offsets.
	plain := gunzip(t, raw)
	plainPath := writeTemp(t, plain)
	i := bytes.LastIndex(plain, []byte("WARC/1.1\r\nWARC-Type: response"))
	rec, err := ReadAt(plainPath, int64(i))
	if err != nil || rec.Type() != "response" {
		t.Errorf("ReadAt in a plain file: %v, %v", rec, err)
	}
}

func TestReadHTTPResponse(t *testing.T) {
	mk := func(block string) *Record {
		return &Record{Header: Header{{"WARC-Type", "response"}, {"Content-Length", fmt.Sprint(len(block))}}, Body: strings.NewReader(block)}
	}
	cases := []struct {
		name    string
		block   string
		status  int
		headers map[string]string
		body    string
		err     bool
	}{
		{"chunked stays raw", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 200,
			map[string]string{"Transfer-Encoding": "chunked", "Content-Encoding": "gzip"}, "3\r\nabc\r\n0\r\n\r\n", false},
		{"no reason phrase, LF only, folded and junk lines", "HTTP/1.1 404\nX-A: 1\n  2\njunk line\nx-b:3\n\nkhông có", 404,
			map[string]string{"X-A": "1 2", "X-B": "3"}, "không có", false},
		{"repeated fields", "HTTP/1.0 302 Found\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nLocation: /x\r\n\r\n", 302,
			map[string]string{"Set-Cookie": "a=1", "Location": "/x"}, "", false},
		{"HTTP/2 as some tools record it", "HTTP/2 200\r\ncontent-type: text/html\r\n\r\n<p>", 200,
			map[string]string{"Content-Type": "text/html"}, "<p>", false},
		{"not HTTP", "<html></html>\r\n\r\n", 0, nil, "", true},
		{"not a version", "HTTP/x 200 OK\r\n\r\n", 0, nil, "", true},
		{"bad status", "HTTP/1.1 2x0 OK\r\n\r\n", 0, nil, "", true},
		{"head cut short", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n", 0, nil, "", true},
	}
	for _, c := range cases {
		resp, err := ReadHTTPResponse(mk(c.block))
		if c.err {
			if !errPrefixed(err) {
				t.Errorf("%s: error %v, want a warc: error", c.name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != c.status || string(body) != c.body || resp.ContentLength != int64(len(c.body)) {
			t.Errorf("%s: status %d body %q length %d, want %d %q %d", c.name, resp.StatusCode, body, resp.ContentLength, c.status, c.body, len(c.body))
		}
		for k, v := range c.headers {
			if got := resp.Header.Get(k); got != v {
				t.Errorf("%s: header %s = %q, want %q", c.name, k, got, v)
			}
		}
	}
}

func TestHTTPHeadLength(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
	}{
		{"HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody", 25},
		{"HTTP/1.1 200 OK\nA: b\n\nbody", 22},
		{"HTTP/1.1 200 OK\r\n\r\n", 19},
		{"HTTP/1.1 200 OK\r\nA: b\r\n", -1},
		{"\r\nHTTP/1.1 200 OK\r\n\r\n", -1},
		{"", -1},
	} {
		if got := HTTPHeadLength([]byte(c.in)); got != c.want {
			t.Errorf("HTTPHeadLength(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}
