// Package benchindex gives benchmarks outside package index the index of
// the synthetic corpus (internal/corpus) that the index benchmarks search:
// built as `baotinh reindex` builds it, and with BAOTINH_BENCH_INDEX=DIR
// kept in DIR/N, the same layout and completion marker as index/bench_test.go
// (whose own copy of this code stays in that package, as its in-package
// tests cannot import a package that imports index). A kept index made by
// either is used by both; delete DIR when the index code changes.
package benchindex

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baotinh/baotinh/index"
	"github.com/baotinh/baotinh/internal/corpus"
)

// Articles returns the corpus size, BAOTINH_BENCH_ARTICLES (default 50000).
func Articles(tb testing.TB) int {
	n := 50000
	if s := os.Getenv("BAOTINH_BENCH_ARTICLES"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			tb.Fatalf("BAOTINH_BENCH_ARTICLES=%q is not a positive number", s)
		}
		n = v
	}
	return n
}

// CompleteFile marks an index whose build finished.
const CompleteFile = "bench-complete"

// Dir returns the directory of a complete index of the n-article corpus:
// the kept one in $BAOTINH_BENCH_INDEX/N, built there the first time, or
// one built in a temporary directory that is removed when tb ends. The
// caller must not write to it (copy it with Copy to open it for writing).
func Dir(tb testing.TB, n int) string {
	var dir string
	if d := os.Getenv("BAOTINH_BENCH_INDEX"); d != "" {
		dir = filepath.Join(d, strconv.Itoa(n))
		if _, err := os.Stat(filepath.Join(dir, CompleteFile)); err == nil {
			return dir
		}
		// Nothing there, or what a run that did not finish left.
		if err := os.RemoveAll(dir); err != nil {
			tb.Fatal(err)
		}
	} else {
		dir = filepath.Join(tb.TempDir(), "index")
	}
	start := time.Now()
	items, err := corpus.Load(n)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Logf("corpus: %d articles loaded in %v (%s)", len(items), time.Since(start).Round(time.Millisecond), corpus.Path(n))
	start = time.Now()
	if err := Build(items, dir); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, CompleteFile), nil, 0o644); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("built the index of %d articles in %v (%s)", n, time.Since(start).Round(time.Millisecond), dir)
	return dir
}

// Build indexes the items into a new index in dir from GOMAXPROCS
// goroutines, as `baotinh reindex` does, and closes it.
func Build(items []corpus.Item, dir string) error {
	ix, err := index.Open(dir, index.Options{Bulk: true})
	if err != nil {
		return err
	}
	w := ix.NewWriter(0, nil)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, runtime.GOMAXPROCS(0))
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				k := int(next.Add(1) - 1)
				if k >= len(items) {
					return
				}
				if err := w.Add(items[k].Article, items[k].Analysis); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	err = <-errs
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		var articles int
		if articles, _, err = ix.Count(); err == nil && articles != len(items) {
			err = fmt.Errorf("benchindex: the index holds %d articles, want %d", articles, len(items))
		}
	}
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	return err
}

// Copy copies the index in src to dst, a new directory, for opening it
// for writing. Bleve's segment files (*.zap), which are written once and
// never changed, are hard-linked when they can be; the rest is copied.
func Copy(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		if d.Name() == CompleteFile {
			return nil
		}
		if strings.HasSuffix(d.Name(), ".zap") && os.Link(p, to) == nil {
			return nil
		}
		return copyFile(p, to)
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
