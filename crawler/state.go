package crawler

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Article statuses in the crawl state.
const (
	StatusOK      = "ok"      // fetched and archived
	StatusFailed  = "failed"  // the last attempt failed; retried next run
	StatusGone    = "gone"    // 404 or 410 on the article itself
	StatusSkipped = "skipped" // not an article after all, or excluded by robots.txt
)

// Changes an article went through on its last fetch.
const (
	ChangeNew       = "new"
	ChangeUpdated   = "updated"
	ChangeUnchanged = "unchanged"
)

// ArticleState is what the crawl state knows of one article, by site and id.
type ArticleState struct {
	Site         string    `json:"site"`
	ID           string    `json:"id"`
	URL          string    `json:"url"`    // canonical URL
	Source       string    `json:"source"` // how it was first discovered: sitemap, feed, listing
	Status       string    `json:"status"`
	Change       string    `json:"change,omitempty"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Hash         string    `json:"hash,omitempty"` // of the parsed article, not the page chrome
	Lastmod      time.Time `json:"lastmod,omitzero"`
	Published    time.Time `json:"published,omitzero"`
	FirstSeen    time.Time `json:"first_seen"`
	LastSeen     time.Time `json:"last_seen"`
	LastFetched  time.Time `json:"last_fetched,omitzero"`
	Attempts     int       `json:"attempts"`
	LastError    string    `json:"last_error,omitempty"`
	WARCFile     string    `json:"warc_file,omitempty"` // where the last response is archived
	WARCOffset   int64     `json:"warc_offset,omitempty"`
}

// PageState keeps conditional-GET validators of non-article pages (listings,
// sitemaps, feeds).
type PageState struct {
	URL          string    `json:"url"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Fetched      time.Time `json:"fetched"`
	Body         []byte    `json:"body,omitempty"` // kept for sitemaps and feeds, so a 304 still lists them
}

// Run is one crawl's record.
type Run struct {
	ID       string    `json:"id"`
	Sites    []string  `json:"sites"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished,omitzero"`
	PID      int       `json:"pid"`
	WARCs    []string  `json:"warcs,omitempty"`
	Summary  *Summary  `json:"summary,omitempty"`
	Error    string    `json:"error,omitempty"`
}

var (
	bucketArticles = []byte("articles")
	bucketURLs     = []byte("urls")
	bucketPages    = []byte("pages")
	bucketRuns     = []byte("runs")
)

// State is the crawl state of a data directory, in a bbolt file.
type State struct {
	db         *bolt.DB
	stop, done chan struct{}
}

// OpenState opens (creating) the crawl state at path.
func OpenState(path string) (*State, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("crawler: state: %w", err)
	}
	db, err := bolt.Open(path, 0o644, &bolt.Options{Timeout: 2 * time.Second, NoFreelistSync: true, NoSync: true})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, fmt.Errorf("crawler: state %s is in use by another process", path)
		}
		return nil, fmt.Errorf("crawler: state %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketArticles, bucketURLs, bucketPages, bucketRuns} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("crawler: state %s: %w", path, err)
	}
	// Workers' updates are committed together; a short delay keeps the
	// latency of one article's commit low (bbolt waits 10ms by default).
	db.MaxBatchDelay = 2 * time.Millisecond
	s := &State{db: db, stop: make(chan struct{}), done: make(chan struct{})}
	go s.syncLoop()
	return s, nil
}

// syncLoop flushes the state to disk every few seconds. Commits are not
// fsynced one by one (that cost 25 ms each here): a crashed process loses
// nothing, since the kernel holds what was written, and what a power cut
// takes from the last seconds is restored from the archive's metadata
// records by the next crawl (recoverState).
func (s *State) syncLoop() {
	defer close(s.done)
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			s.db.Sync()
		case <-s.stop:
			return
		}
	}
}

// Close flushes and closes the state file.
func (s *State) Close() error {
	close(s.stop)
	<-s.done
	var err error
	if !s.db.IsReadOnly() {
		err = s.db.Sync()
	}
	if cerr := s.db.Close(); err == nil {
		err = cerr
	}
	return err
}

func articleKey(site, id string) []byte { return []byte(site + "\x00" + id) }

// Article returns the state of one article, or nil.
func (s *State) Article(site, id string) (*ArticleState, error) {
	var a *ArticleState
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketArticles).Get(articleKey(site, id))
		if v == nil {
			return nil
		}
		a = new(ArticleState)
		return json.Unmarshal(v, a)
	})
	if err != nil {
		return nil, fmt.Errorf("crawler: state: %w", err)
	}
	return a, nil
}

// PutArticle stores an article's state durably. Concurrent calls are
// committed together.
func (s *State) PutArticle(a *ArticleState) error {
	v, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("crawler: state: %w", err)
	}
	err = s.db.Batch(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketArticles).Put(articleKey(a.Site, a.ID), v); err != nil {
			return err
		}
		return tx.Bucket(bucketURLs).Put([]byte(a.URL), articleKey(a.Site, a.ID))
	})
	if err != nil {
		return fmt.Errorf("crawler: state: %w", err)
	}
	return nil
}

// Articles calls fn for every article of site ("" for all), in key order.
func (s *State) Articles(site string, fn func(*ArticleState) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketArticles).Cursor()
		prefix := []byte(site + "\x00")
		var k, v []byte
		if site == "" {
			k, v = c.First()
		} else {
			k, v = c.Seek(prefix)
		}
		for ; k != nil; k, v = c.Next() {
			if site != "" && !hasPrefix(k, prefix) {
				break
			}
			var a ArticleState
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("crawler: state: article %q: %w", k, err)
			}
			if err := fn(&a); err != nil {
				return err
			}
		}
		return nil
	})
}

func hasPrefix(b, p []byte) bool { return len(b) >= len(p) && string(b[:len(p)]) == string(p) }

// Page returns the validators of a non-article page, or nil.
func (s *State) Page(url string) (*PageState, error) {
	var p *PageState
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketPages).Get([]byte(url))
		if v == nil {
			return nil
		}
		p = new(PageState)
		return json.Unmarshal(v, p)
	})
	if err != nil {
		return nil, fmt.Errorf("crawler: state: %w", err)
	}
	return p, nil
}

// PutPage stores the validators of a non-article page.
func (s *State) PutPage(p *PageState) error {
	v, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("crawler: state: %w", err)
	}
	return s.db.Batch(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPages).Put([]byte(p.URL), v)
	})
}

// PutRun records a crawl run (at its start and its end).
func (s *State) PutRun(r *Run) error {
	v, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("crawler: state: %w", err)
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketRuns).Put([]byte(r.ID), v)
	})
}

// Runs returns the recorded runs, oldest first.
func (s *State) Runs() ([]*Run, error) {
	var runs []*Run
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketRuns).ForEach(func(k, v []byte) error {
			var r Run
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("run %q: %w", k, err)
			}
			runs = append(runs, &r)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("crawler: state: %w", err)
	}
	return runs, nil
}
