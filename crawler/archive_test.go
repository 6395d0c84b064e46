package crawler

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/baotinh/baotinh/crawler/warc"
)

// archivedArticles reads every metadata record of a data directory's archive
// and returns, per site:id, the records of articles parsed as "ok".
func archivedArticles(t *testing.T, dir string) map[string][]ArchiveRecord {
	t.Helper()
	files, err := warc.Files(WARCDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]ArchiveRecord{}
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		r, err := warc.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if errors.Is(err, warc.ErrTruncated) {
				t.Logf("%s: %v (a crawl was killed while writing it)", file, err)
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if rec.Type() != "metadata" {
				continue
			}
			b, err := io.ReadAll(rec.Body)
			if err != nil {
				t.Fatal(err)
			}
			var ar ArchiveRecord
			if json.Unmarshal(b, &ar) == nil && ar.Status == "ok" {
				out[ar.Site+":"+ar.ID] = append(out[ar.Site+":"+ar.ID], ar)
			}
		}
		f.Close()
	}
	return out
}
