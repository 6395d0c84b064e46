package warc

import (
	"bytes"
	"io"
	"testing"
)

// BenchmarkWriteExchange archives a typical exchange: a 60 KB HTML response,
// its request and a small metadata record. Bytes are the uncompressed bytes
// archived per exchange, so MB/s is archiving throughput.
func BenchmarkWriteExchange(b *testing.B) {
	w, err := NewWriter(b.TempDir(), Options{Prefix: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	ex := Exchange{
		URL:      "https://baohatinh.vn/thoi-su/hoi-nghi-tong-ket-post274649.html",
		IP:       "203.162.0.1",
		Request:  httpRequest("baohatinh.vn", "/thoi-su/hoi-nghi-tong-ket-post274649.html"),
		Response: httpResponse("200 OK", "text/html; charset=utf-8", vietnameseHTML(60<<10)),
		Metadata: []byte(`{"depth":2,"via":"https://baohatinh.vn/thoi-su/","fetch_ms":182}`),
	}
	b.SetBytes(int64(len(ex.Request) + len(ex.Response) + len(ex.Metadata)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := w.WriteExchange(ex); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadExchange reads back such exchanges, bodies and digest checks included.
func BenchmarkReadExchange(b *testing.B) {
	dir := b.TempDir()
	w, err := NewWriter(dir, Options{Prefix: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	ex := Exchange{
		URL:      "https://baohatinh.vn/a.html",
		Request:  httpRequest("baohatinh.vn", "/a.html"),
		Response: httpResponse("200 OK", "text/html; charset=utf-8", vietnameseHTML(60<<10)),
	}
	const n = 50
	for i := 0; i < n; i++ {
		if _, err := w.WriteExchange(ex); err != nil {
			b.Fatal(err)
		}
	}
	w.Close()
	files, _ := Files(dir)
	raw := readBytes(b, files[0])
	b.SetBytes(int64(n * (len(ex.Request) + len(ex.Response))))
	b.ReportAllocs()
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(raw))
		if err != nil {
			b.Fatal(err)
		}
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, rec.Body); err != nil {
				b.Fatal(err)
			}
		}
	}
}
