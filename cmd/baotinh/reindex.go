package main

import (
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/baotinh/baotinh/crawler"
	"github.com/baotinh/baotinh/extract"
	"github.com/baotinh/baotinh/index"
)

func newReindexCmd() *cobra.Command {
	var dataDir string
	var workers int
	c := &cobra.Command{
		Use:   "reindex [flags]",
		Short: "Rebuild the search index from the WARC archive with the current parser and extractor",
		Long: `reindex reads every article the crawls archived (DATA/warc), parses each response again with
today's parser and site profiles, runs today's extractor on it, and builds a new search index from
it, keeping the latest version of each article. The new index is built in DATA/index.rebuild and
swapped in at the end: the old index answers searches until then, and stays as it was if the rebuild
fails. Run it after upgrading baotinh (a changed index mapping asks for it) or to reproduce results:
the same archive and the same binary give the same index.

It holds the data directory's crawl lock while it runs: a crawl waits for it, and it for a crawl.`,
		DisableFlagsInUseLine: true,
		Args:                  cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if workers < 1 {
				return usageError("reindex: --workers must be positive")
			}
			if _, err := os.Stat(crawler.WARCDir(dataDir)); err != nil {
				return &exitError{exitError1, fmt.Errorf("reindex: no archive in %s (run `baotinh crawl` first)", crawler.WARCDir(dataDir))}
			}
			lock, err := crawler.AcquireLock(dataDir)
			if err != nil {
				return &exitError{exitError1, fmt.Errorf("reindex: %w", err)}
			}
			defer lock.Release()
			start := time.Now()
			stats, n, err := rebuild(c, dataDir, workers)
			if err != nil {
				if c.Context().Err() != nil {
					return &exitError{exitInterrupted, fmt.Errorf("reindex interrupted: the old index is unchanged")}
				}
				return &exitError{exitError1, err}
			}
			size, _ := index.DirSize(index.DataDir(dataDir))
			w := c.OutOrStdout()
			fmt.Fprintf(w, "reindexed %d articles from %d WARC files in %s (%d archived versions read", n, stats.Files,
				time.Since(start).Round(100*time.Millisecond), stats.Articles)
			if stats.Skipped > 0 {
				fmt.Fprintf(w, ", %d could not be parsed again", stats.Skipped)
			}
			fmt.Fprintf(w, ")\nindex %s: %.1f MB, mapping %s\n", index.DataDir(dataDir), float64(size)/1e6, index.MappingVersion())
			if len(stats.Warnings) > 0 {
				fmt.Fprintf(w, "%d warnings (above)\n", len(stats.Warnings))
			}
			return nil
		},
	}
	c.Flags().IntVar(&workers, "workers", runtime.GOMAXPROCS(0), "articles analyzed at once")
	addDataFlag(c, &dataDir)
	return c
}

// rebuild builds a new index from the archive and swaps it in. It returns
// what was read and the number of articles indexed.
func rebuild(c *cobra.Command, dataDir string, workers int) (*crawler.ReplayStats, int, error) {
	final := index.DataDir(dataDir)
	tmp := final + ".rebuild"
	// The live index stays open read-only until the swap: searches go on,
	// and a process that writes it (`baotinh serve`) can neither be running
	// now nor start before the swap.
	live, err := index.Open(final, index.Options{ReadOnly: true})
	switch {
	case errors.Is(err, index.ErrBusy):
		return nil, 0, fmt.Errorf("reindex: %s is open for writing by another process (`baotinh serve`?): stop it first", final)
	case err != nil:
		live = nil // none yet, or of another mapping: nothing to keep
	}
	defer func() {
		if live != nil {
			live.Close()
		}
	}()
	if err := os.RemoveAll(tmp); err != nil {
		return nil, 0, fmt.Errorf("reindex: %w", err)
	}
	ix, err := index.Open(tmp, index.Options{Bulk: true})
	if err != nil {
		return nil, 0, fmt.Errorf("reindex: %w", err)
	}
	fail := func(err error) (*crawler.ReplayStats, int, error) {
		ix.Close()
		os.RemoveAll(tmp)
		return nil, 0, err
	}
	wr := ix.NewWriter(0, nil)
	bar := newByteBar(c.ErrOrStderr())

	// Versions of one article go to one worker, in archive order, so that
	// the latest is written last.
	queues := make([]chan *crawler.Archived, workers)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var werr error
	for i := range queues {
		queues[i] = make(chan *crawler.Archived, 16)
		wg.Add(1)
		go func(q chan *crawler.Archived) {
			defer wg.Done()
			for a := range q {
				mu.Lock()
				failed := werr != nil
				mu.Unlock()
				if failed {
					continue
				}
				if err := wr.Add(a.Page.Article, extract.Analyze(a.Page.Article)); err != nil {
					mu.Lock()
					werr = err
					mu.Unlock()
				}
			}
		}(queues[i])
	}
	stats, err := crawler.Replay(c.Context(), crawler.ReplayOptions{DataDir: dataDir, Progress: bar.set,
		Log: func(s string) { bar.log(s) }}, func(a *crawler.Archived) error {
		h := fnv.New32a()
		io.WriteString(h, a.Page.Article.Site+":"+a.Page.Article.SiteID)
		queues[h.Sum32()%uint32(len(queues))] <- a
		mu.Lock()
		defer mu.Unlock()
		return werr
	})
	for _, q := range queues {
		close(q)
	}
	wg.Wait()
	bar.done()
	if err == nil {
		err = werr
	}
	if err == nil {
		err = wr.Flush()
	}
	if err != nil {
		return fail(fmt.Errorf("reindex: %w (the old index is unchanged)", err))
	}
	n, _, err := ix.Count()
	if err != nil {
		return fail(err)
	}
	if err := ix.Close(); err != nil {
		os.RemoveAll(tmp)
		return nil, 0, fmt.Errorf("reindex: %w", err)
	}
	if live != nil {
		live.Close()
		live = nil
	}
	if err := swapDir(final, tmp); err != nil {
		return nil, 0, err
	}
	return stats, n, nil
}

// swapDir puts the directory next in the place of dir: dir is moved aside,
// next renamed, and the old one removed.
func swapDir(dir, next string) error {
	old := dir + ".old"
	os.RemoveAll(old)
	if err := os.Rename(dir, old); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("reindex: move the old index aside: %w (the new one is in %s)", err, next)
	}
	if err := os.Rename(next, dir); err != nil {
		os.Rename(old, dir)
		return fmt.Errorf("reindex: swap in the new index: %w (it is in %s)", err, next)
	}
	os.RemoveAll(old)
	return nil
}

// byteBar shows the bytes of archive read: a bar on a terminal, else a line
// every 30 seconds.
type byteBar struct {
	mu   sync.Mutex
	w    io.Writer
	bar  *progressbar.ProgressBar
	last time.Time
}

func newByteBar(w io.Writer) *byteBar {
	b := &byteBar{w: w, last: time.Now()}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		b.bar = progressbar.NewOptions64(-1, progressbar.OptionSetWriter(w), progressbar.OptionShowBytes(true),
			progressbar.OptionSetDescription("reindexing"), progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish())
	}
	return b
}

func (b *byteBar) set(done, total int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bar != nil {
		if b.bar.GetMax64() != total {
			b.bar.ChangeMax64(total)
		}
		b.bar.Set64(done)
		return
	}
	if time.Since(b.last) >= 30*time.Second {
		b.last = time.Now()
		fmt.Fprintf(b.w, "%s reindex: %.0f%% of the archive read\n", time.Now().Format("15:04:05"), 100*float64(done)/float64(max(total, 1)))
	}
}

func (b *byteBar) log(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bar != nil {
		b.bar.Clear()
	}
	fmt.Fprintf(b.w, "%s %s\n", time.Now().Format("15:04:05"), s)
}

func (b *byteBar) done() {
	if b.bar != nil {
		b.bar.Finish()
	}
}
