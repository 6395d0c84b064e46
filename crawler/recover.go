package crawler

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/baotinh/baotinh/crawler/warc"
)

// recoverState repairs the crawl state after a crawl that did not finish (a
// crash, SIGKILL, power loss): an article archived in the last moments before
// its state was committed is read back from the archive's metadata records, so
// that it is neither fetched nor archived twice. Runs that were interrupted are
// then marked as such.
func recoverState(st *State, dataDir string, logf func(string)) error {
	runs, err := st.Runs()
	if err != nil {
		return err
	}
	var open []*Run
	for _, r := range runs {
		if r.Finished.IsZero() {
			open = append(open, r)
		}
	}
	if len(open) == 0 {
		return nil
	}
	files, err := warc.Files(WARCDir(dataDir))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("crawler: recover: %w", err)
	}
	since := open[0].Started.Add(-time.Second)
	restored := 0
	for _, file := range files {
		fi, err := os.Stat(file)
		if err != nil || fi.ModTime().Before(since) {
			continue
		}
		n, err := recoverFile(st, file)
		restored += n
		if err != nil {
			logf(fmt.Sprintf("recover: %s: %v (the records before it were read)", filepath.Base(file), err))
		}
	}
	for _, r := range open {
		r.Finished = time.Now()
		r.Error = "did not finish (the process ended without closing the crawl)"
		if err := st.PutRun(r); err != nil {
			return err
		}
	}
	if restored > 0 {
		logf(fmt.Sprintf("recover: %d article(s) archived by an unfinished crawl restored to the crawl state", restored))
	}
	return nil
}

func recoverFile(st *State, file string) (int, error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r, err := warc.NewReader(f)
	if err != nil {
		return 0, err
	}
	n := 0
	var respID string // the last response record, which the metadata record follows
	var respOffset int64
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if rec.Type() == warc.TypeResponse {
			respID, respOffset = rec.ID(), rec.Offset
			continue
		}
		if rec.Type() != "metadata" || rec.Header.Get("Content-Type") != warc.ContentTypeJSON {
			continue
		}
		body, err := io.ReadAll(io.LimitReader(rec.Body, 64<<20))
		if err != nil {
			return n, err
		}
		var ar ArchiveRecord
		if json.Unmarshal(body, &ar) != nil || ar.Status != "ok" || ar.Site == "" || ar.ID == "" {
			continue
		}
		date := rec.Date()
		prev, err := st.Article(ar.Site, ar.ID)
		if err != nil {
			return n, err
		}
		if prev != nil && !prev.LastFetched.Before(date.Add(-time.Second)) && prev.Hash == ar.Hash {
			continue
		}
		a := &ArticleState{Site: ar.Site, ID: ar.ID, URL: ar.URL, Source: "recovered", FirstSeen: date}
		if prev != nil {
			cp := *prev
			a = &cp
		}
		a.Status, a.Change, a.Hash, a.LastError = StatusOK, ar.Change, ar.Hash, ""
		a.LastFetched, a.LastSeen = date, date
		a.Attempts++
		if ar.Article != nil {
			a.Published = ar.Article.Published
		}
		a.WARCFile, a.WARCOffset = filepath.Base(file), 0
		if concurrent(rec, respID) {
			a.WARCOffset = respOffset
		}
		if err := st.PutArticle(a); err != nil {
			return n, err
		}
		n++
	}
}
