package warc

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzReader feeds arbitrary bytes to Reader and ReadHTTPResponse: they must
// never panic, never yield more block bytes than Content-Length, report every
// failure as a "warc: " error, and keep reporting it. Memory stays bounded
// however large a declared Content-Length is (the reader never allocates by it;
// TestHugeContentLength measures that).
func FuzzReader(f *testing.F) {
	raw, _ := sampleFile(f, 2)
	f.Add(raw)
	f.Add(gunzip(f, raw))
	f.Add(raw[:len(raw)-100])
	for _, name := range []string{"wget/site.warc.gz", "warcio/warcio.warc.gz"} {
		if data, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 9223372036854775807\r\n\r\nHTTP/1.1 200 OK\r\n\r\nabc"))
	f.Add([]byte("WARC/1.0\nWARC-Type: response\nX: a\n b\nContent-Length: 25\n\nHTTP/1.1 200 OK\nA: b\n\nxy\n\nWARC/1.0\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data))
		if err != nil {
			if !errPrefixed(err) {
				t.Fatalf("NewReader error without the warc: prefix: %v", err)
			}
			return
		}
		for i := 0; i < 1000; i++ {
			rec, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				if !errPrefixed(err) {
					t.Fatalf("Next error without the warc: prefix: %v", err)
				}
				if _, err2 := r.Next(); err2 != err {
					t.Fatalf("Next after an error returned %v, want the same error %v", err2, err)
				}
				return
			}
			cl := rec.ContentLength()
			if cl < 0 {
				t.Fatalf("record returned with Content-Length %q", rec.Header.Get("Content-Length"))
			}
			var n int64
			if i%2 == 1 {
				resp, err := ReadHTTPResponse(rec)
				if err != nil && !errPrefixed(err) {
					t.Fatalf("ReadHTTPResponse error without the warc: prefix: %v", err)
				}
				if err == nil {
					m, err := io.Copy(io.Discard, resp.Body)
					if err != nil && !errPrefixed(err) {
						t.Fatalf("HTTP body error without the warc: prefix: %v", err)
					}
					if err == nil && m != resp.ContentLength {
						t.Fatalf("HTTP body has %d bytes, ContentLength says %d", m, resp.ContentLength)
					}
				}
				continue
			}
			n, err = io.Copy(io.Discard, rec.Body)
			if n > cl {
				t.Fatalf("body yielded %d bytes, Content-Length is %d", n, cl)
			}
			if err != nil && !errPrefixed(err) {
				t.Fatalf("body error without the warc: prefix: %v", err)
			}
			if err == nil && n != cl {
				t.Fatalf("body ended cleanly after %d of %d bytes", n, cl)
			}
		}
	})
}
