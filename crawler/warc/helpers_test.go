package warc

import (
	"bytes"
	"crypto/sha1"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// readRec is a record read back whole.
type readRec struct {
	Version string
	Header  Header
	Block   []byte
	Offset  int64
}

func (r readRec) get(name string) string { return r.Header.Get(name) }

// readFile reads every record of a WARC file, failing the test on any error.
func readFile(t testing.TB, path string) []readRec {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := readAllRecords(f)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	return recs
}

// readAllRecords reads records until the end or the first error, returning
// those read whole before it.
func readAllRecords(in io.Reader) ([]readRec, error) {
	r, err := NewReader(in)
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
			return recs, err
		}
		recs = append(recs, readRec{rec.Version, rec.Header, block, rec.Offset})
	}
}

// sha1b32 is the test's own digest computation, independent of SHA1Digest.
func sha1b32(b []byte) string {
	sum := sha1.Sum(b)
	return "sha1:" + base32.StdEncoding.EncodeToString(sum[:])
}

// httpResponse builds a raw HTTP/1.1 response with a Content-Length.
func httpResponse(status string, contentType string, body []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %s\r\n", status)
	fmt.Fprintf(&b, "Date: Mon, 02 Mar 2026 01:02:03 GMT\r\n")
	if contentType != "" {
		fmt.Fprintf(&b, "Content-Type: %s\r\n", contentType)
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(body))
	b.Write(body)
	return b.Bytes()
}

// httpRequest builds a raw HTTP/1.1 GET request head for rawURL's path and host.
func httpRequest(host, path string) []byte {
	return []byte("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: baotinh/test\r\nAccept-Encoding: gzip\r\n\r\n")
}

// randomBytes returns n reproducible pseudo-random bytes.
func randomBytes(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// vietnameseHTML returns an HTML page of about n bytes of Vietnamese text.
func vietnameseHTML(n int) []byte {
	words := strings.Fields("Sáng nay UBND tỉnh Hà Tĩnh tổ chức hội nghị tổng kết công tác năm 2025 triển khai nhiệm vụ năm 2026 đồng chí Chủ tịch nhấn mạnh phát triển kinh tế xã hội đảm bảo an sinh người dân huyện Kỳ Anh Nghi Xuân Đức Thọ Hương Sơn Cẩm Xuyên thị xã Hồng Lĩnh")
	rng := rand.New(rand.NewPCG(7, 11))
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Tin tức Hà Tĩnh</title></head><body>\n")
	for b.Len() < n-30 {
		b.WriteString("<p class=\"content\">")
		for i := 0; i < 40 && b.Len() < n-60; i++ {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "<a href=\"/tin-tuc/%d.html\">Xem thêm</a></p>\n", rng.IntN(1000000))
	}
	b.WriteString("</body></html>\n")
	return b.Bytes()
}

// errPrefixed reports whether err's message starts with "warc: ".
func errPrefixed(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "warc: ")
}

var _ = errors.Is
