// Package ingest is the pipeline behind `baotinh crawl` and the server's
// scheduled crawls: it crawls with the crawler and indexes every new or
// updated article as it comes, in batches, after indexing what an earlier
// crawl archived but did not index (a crawl killed before its last batch).
package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/baotinh/baotinh/crawler"
	"github.com/baotinh/baotinh/extract"
	"github.com/baotinh/baotinh/index"
)

// Options adds the indexing side to a crawl's options.
type Options struct {
	crawler.Options
	// BatchBytes bounds a batch of the index writer (index.DefaultBatchBytes
	// when 0).
	BatchBytes int
	// FlushEvery writes the pending batch when this long has passed since
	// the last one, so that a slow, polite crawl's articles become
	// searchable soon (0: only when a batch is full and at the end).
	FlushEvery time.Duration
	// OnCatchUp, if not nil, is told how many archived articles were
	// indexed before the crawl.
	OnCatchUp func(n int)
	// OnFlush, if not nil, is called after each batch is written with the
	// number of articles this crawl has indexed so far.
	OnFlush func(indexed int)
}

// Result is what a crawl did to the archive and the index.
type Result struct {
	Summary  *crawler.Summary // nil when the crawl could not start
	Indexed  int              // new or updated articles indexed
	CaughtUp int              // archived articles indexed before the crawl
}

// Crawl indexes what earlier crawls left out, then crawls, adding each new
// or updated article to ix. The index stays open: searches of ix see each
// batch as soon as it is written. When the crawl fails or ctx ends, the
// articles fetched so far are flushed before Crawl returns, so none is lost
// (the archive keeps them anyway, and the next Crawl catches up).
func Crawl(ctx context.Context, ix *index.Index, opt Options) (*Result, error) {
	res := &Result{}
	w := ix.NewWriter(opt.BatchBytes, opt.OnFlush)
	n, err := CatchUp(ctx, opt.DataDir, ix, w)
	res.CaughtUp = n
	if err != nil {
		res.Indexed = w.Added()
		return res, fmt.Errorf("ingest: indexing archived articles: %w", err)
	}
	if n > 0 && opt.OnCatchUp != nil {
		opt.OnCatchUp(n)
	}
	base := w.Added()
	var mu sync.Mutex
	last := time.Now()
	copt := opt.Options
	copt.OnArticle = func(p *crawler.Page, an *extract.Analysis) error {
		if err := w.Add(p.Article, an); err != nil {
			return err
		}
		if opt.FlushEvery > 0 {
			mu.Lock()
			due := time.Since(last) >= opt.FlushEvery
			if due {
				last = time.Now()
			}
			mu.Unlock()
			if due {
				return w.Flush()
			}
		}
		return nil
	}
	sum, err := crawler.Crawl(ctx, copt)
	res.Summary = sum
	ferr := w.Flush()
	res.Indexed = w.Added() - base
	if err == nil && ferr != nil {
		err = fmt.Errorf("ingest: the articles are archived, but indexing failed (run `baotinh reindex`): %w", ferr)
	}
	return res, err
}

// CatchUp indexes the articles the crawl state has archived but the index
// lacks or holds in an older version: a crawl that ended before its last
// batch was written (a crash, a kill) leaves them behind, and the next crawl
// would not fetch them again. It returns how many it indexed.
func CatchUp(ctx context.Context, dataDir string, ix *index.Index, w *index.Writer) (int, error) {
	if _, err := os.Stat(crawler.StatePath(dataDir)); err != nil {
		return 0, nil // no crawl yet
	}
	indexed, err := ix.IndexedTimes()
	if err != nil {
		return 0, err
	}
	st, err := crawler.OpenStateReadOnly(crawler.StatePath(dataDir))
	if err != nil {
		if errors.Is(err, crawler.ErrStateBusy) {
			return 0, nil // a crawl runs: Crawl will say so
		}
		return 0, err
	}
	var stale []*crawler.ArticleState
	err = st.Articles("", func(a *crawler.ArticleState) error {
		if a.Status != crawler.StatusOK || a.WARCFile == "" {
			return nil
		}
		at, ok := indexed[index.ArticleID(a.Site, a.ID)]
		if !ok || at.Before(a.LastFetched.Truncate(time.Second)) {
			stale = append(stale, a)
		}
		return nil
	})
	st.Close()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, a := range stale {
		if ctx.Err() != nil {
			return n, ctx.Err()
		}
		arch, err := crawler.ArchivedAt(dataDir, a.WARCFile, a.WARCOffset)
		if err != nil {
			continue // reindex reports what cannot be read back
		}
		if err := w.Add(arch.Page.Article, extract.Analyze(arch.Page.Article)); err != nil {
			return n, err
		}
		n++
	}
	return n, w.Flush()
}
