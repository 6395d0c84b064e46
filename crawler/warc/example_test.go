package warc_test

import (
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"time"

	"github.com/baotinh/baotinh/crawler/warc"
)

// Archive one fetch, then read the archive back: sequentially, and by the
// Location WriteExchange returned.
func Example() {
	dir, err := os.MkdirTemp("", "warc-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	w, err := warc.NewWriter(dir, warc.Options{Prefix: "baotinh", Software: "baotinh/dev", Info: map[string]string{"robots": "obey"}})
	if err != nil {
		log.Fatal(err)
	}
	body := "<p>Chào Hà Tĩnh</p>"
	loc, err := w.WriteExchange(warc.Exchange{
		URL:      "https://baohatinh.vn/tin-tức/hà-tĩnh.html",
		Date:     time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC),
		IP:       "203.162.0.1",
		Request:  []byte("GET /tin-t%E1%BB%A9c/h%C3%A0-t%C4%A9nh.html HTTP/1.1\r\nHost: baohatinh.vn\r\n\r\n"),
		Response: []byte(fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s", len(body), body)),
		Metadata: []byte(`{"depth":1}`),
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}

	files, err := warc.Files(dir)
	if err != nil {
		log.Fatal(err)
	}
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			log.Fatal(err)
		}
		r, err := warc.NewReader(f)
		if err != nil {
			log.Fatal(err)
		}
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				log.Fatal(err) // errors.Is(err, warc.ErrTruncated) after a crash mid-write
			}
			fmt.Println(strings.TrimSpace(rec.Type() + " " + rec.TargetURI())) // warcinfo has no target
		}
		f.Close()
	}

	rec, err := warc.ReadAt(loc.File, loc.Offset)
	if err != nil {
		log.Fatal(err)
	}
	resp, err := warc.ReadHTTPResponse(rec)
	if err != nil {
		log.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	fmt.Println(rec.Type(), rec.Date().Format(time.RFC3339), resp.StatusCode, resp.Header.Get("Content-Type"))
	fmt.Println(string(page))
	// Output:
	// warcinfo
	// request https://baohatinh.vn/tin-t%E1%BB%A9c/h%C3%A0-t%C4%A9nh.html
	// response https://baohatinh.vn/tin-t%E1%BB%A9c/h%C3%A0-t%C4%A9nh.html
	// metadata https://baohatinh.vn/tin-t%E1%BB%A9c/h%C3%A0-t%C4%A9nh.html
	// response 2026-03-02T08:30:00Z 200 text/html; charset=utf-8
	// <p>Chào Hà Tĩnh</p>
}
