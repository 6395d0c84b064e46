// Package corpus makes the synthetic corpus the index benchmarks run on:
// n realistic articles of two provincial papers, Báo Hà Tĩnh and Báo Sơn La,
// with the extractor's analysis of each.
//
// Article k is made from sitegen.SyntheticArticle(k), whose text is
// recombined from the real seed articles, so it names real-looking people,
// titles and places. Even k are Báo Hà Tĩnh articles as the crawler reads
// them (the lead keeps its "(Baohatinh.vn) - " tag); odd k are Báo Sơn La
// articles: no lead tag, "Hà Tĩnh" and "Sơn La" swapped in the text, a Sơn La
// id, URL and section. Publication times step back from January 2026 by
// about 2¾ hours an article, so 50,000 articles span some fifteen years and
// 5,000 about a year and a half. The same k gives the same article whatever
// n is.
//
// Analyzing 50,000 articles takes about a minute on two cores, so Load
// caches the result as gzip'd gob files in $BAOTINH_CORPUS_DIR, or the
// system's temporary directory, keyed by n, Version and a fingerprint of the
// extractor's output on the first articles (a change of the extractor that
// changes its output makes a new cache); later runs read 50,000 articles
// back in about ten seconds. The corpus is not checked in.
package corpus

import (
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/baotinh/baotinh/extract"
	"github.com/baotinh/baotinh/internal/sitegen"
)

// Version names the layout of the corpus and of its cache file. Bump it when
// Article changes what it makes.
const Version = 2

// Sites of the corpus, in the order they alternate.
var Sites = []string{sitegen.SiteHatinh, sitegen.SiteSonla}

// Item is one article of the corpus and its analysis.
type Item struct {
	Article  *extract.Article
	Analysis *extract.Analysis
}

// Load returns the n articles of the corpus with their analyses, from the
// cache file when there is one, else made (on every core) and cached.
func Load(n int) ([]Item, error) {
	if n < 0 {
		return nil, fmt.Errorf("corpus: negative size %d", n)
	}
	path := Path(n)
	if items, err := read(path, n); err == nil {
		return items, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		// A damaged or stale cache: make it again.
		os.RemoveAll(path)
	}
	items := Make(n)
	if err := write(path, items); err != nil {
		return items, fmt.Errorf("corpus: cache: %w", err)
	}
	return items, nil
}

// Dir is where the cache files are: $BAOTINH_CORPUS_DIR, or the system's
// temporary directory.
func Dir() string {
	if d := os.Getenv("BAOTINH_CORPUS_DIR"); d != "" {
		return d
	}
	return os.TempDir()
}

// Path returns the cache directory of the n-article corpus.
func Path(n int) string {
	return filepath.Join(Dir(), fmt.Sprintf("baotinh-corpus-v%d-%s-%d", Version, fingerprint(), n))
}

var (
	fpOnce sync.Once
	fp     string
)

// fingerprint digests the first articles and their analyses: it changes
// when sitegen or the extractor make something else.
func fingerprint() string {
	fpOnce.Do(func() {
		h := sha256.New()
		for k := range 4 {
			a := Article(k)
			b, _ := json.Marshal(struct {
				A *extract.Article
				N *extract.Analysis
			}{a, extract.Analyze(a)})
			h.Write(b)
		}
		fp = hex.EncodeToString(h.Sum(nil)[:6])
	})
	return fp
}

// Make makes the n articles and analyzes them on every core, without the
// cache.
func Make(n int) []Item {
	items := make([]Item, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				k := int(next.Add(1) - 1)
				if k >= n {
					return
				}
				a := Article(k)
				items[k] = Item{Article: a, Analysis: extract.Analyze(a)}
			}
		})
	}
	wg.Wait()
	return items
}

// Article returns article k of the corpus, not analyzed.
func Article(k int) *extract.Article {
	e := sitegen.SyntheticArticle(k)
	site := Sites[k%len(Sites)]
	a := &extract.Article{Site: site, SiteID: e.ID, URL: e.URL, Province: extract.ProvinceOf(site),
		Category: e.Category, Authors: e.Authors, Tags: e.Tags}
	a.Published, _ = time.Parse(time.RFC3339, e.Published)
	a.Modified, _ = time.Parse(time.RFC3339, e.Modified)
	title, lead := e.Title, e.Lead
	fix := func(s string) string { return s }
	if site == sitegen.SiteSonla {
		fix = swapProvinces.Replace
		title = fix(title)
		lead = fix(strings.TrimPrefix(lead, "(Baohatinh.vn) - "))
		sa := &sitegen.Article{Site: sitegen.SiteSonla, ID: sitegen.SonlaID(fmt.Sprintf("corpus-%d", k)),
			Category: sitegen.SonlaCategories[k/2%len(sitegen.SonlaCategories)].Slug, Slug: sitegen.Slugify(title)}
		a.SiteID, a.URL = sa.ID, sa.URL()
		a.Category = sitegen.SonlaCategories[k/2%len(sitegen.SonlaCategories)].Name
		a.Tags = make([]string, len(e.Tags))
		for i, t := range e.Tags {
			a.Tags[i] = fix(t)
		}
	}
	a.Add(extract.BlockTitle, title)
	a.Add(extract.BlockLead, lead)
	// The synthetic pages are two to four times as long as real articles
	// (their text is recombined from several seeds); the corpus keeps the
	// paragraphs up to a length drawn between 2.5 and 7.5 KB, which gives
	// the real seeds' mean of about 4.7 KB (median 4.5 KB, 7 roles).
	target := 2500 + int(uint32(k)*2654435761%5000)
	paragraphs := 0
	for _, b := range e.Body {
		if len(a.Text) >= target && paragraphs >= 2 {
			break
		}
		paragraphs++
		kind := extract.BlockParagraph // the crawler reads subheadings as paragraphs
		if b.Kind == sitegen.KindCaption {
			kind = extract.BlockCaption
		}
		a.Add(kind, fix(b.Text))
	}
	if len(e.Authors) > 0 {
		a.Add(extract.BlockByline, strings.Join(e.Authors, " - "))
	}
	return a
}

// swapProvinces makes a Hà Tĩnh text a Sơn La one and the other way round.
var swapProvinces = strings.NewReplacer("Hà Tĩnh", "Sơn La", "Sơn La", "Hà Tĩnh",
	"HÀ TĨNH", "SƠN LA", "SƠN LA", "HÀ TĨNH")

// The cache is a directory of parts, each a gzip'd gob stream of a header
// and then its items one by one; the parts are written and read on every
// core.
const parts = 8

type header struct {
	Version int
	N       int
	Lo, Hi  int // the items of the part
}

func partRange(n, p int) (lo, hi int) { return n * p / parts, n * (p + 1) / parts }

func partFile(dir string, p int) string {
	return filepath.Join(dir, fmt.Sprintf("part-%02d.gob.gz", p))
}

// eachPart runs fn for every part on GOMAXPROCS goroutines and returns the
// first error.
func eachPart(fn func(p int) error) error {
	errs := make([]error, parts)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(parts, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for {
				p := int(next.Add(1) - 1)
				if p >= parts {
					return
				}
				errs[p] = fn(p)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

func write(path string, items []Item) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	err = eachPart(func(p int) error {
		f, err := os.Create(partFile(tmp, p))
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(f, 1<<20)
		zw, _ := gzip.NewWriterLevel(bw, gzip.BestSpeed)
		enc := gob.NewEncoder(zw)
		lo, hi := partRange(len(items), p)
		err = enc.Encode(header{Version, len(items), lo, hi})
		for i := lo; err == nil && i < hi; i++ {
			err = enc.Encode(&items[i])
		}
		if err == nil {
			err = zw.Close()
		}
		if err == nil {
			err = bw.Flush()
		}
		if e := f.Close(); err == nil {
			err = e
		}
		return err
	})
	if err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func read(path string, n int) ([]Item, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	items := make([]Item, n)
	err := eachPart(func(p int) error {
		name := partFile(path, p)
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		zr, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		dec := gob.NewDecoder(zr)
		var h header
		if err := dec.Decode(&h); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		lo, hi := partRange(n, p)
		if h.Version != Version || h.N != n || h.Lo != lo || h.Hi != hi {
			return fmt.Errorf("corpus: %s holds items %d..%d of %d, version %d", name, h.Lo, h.Hi, h.N, h.Version)
		}
		for i := lo; i < hi; i++ {
			if err := dec.Decode(&items[i]); err != nil {
				return fmt.Errorf("corpus: %s: item %d: %w", name, i, err)
			}
		}
		if err := dec.Decode(new(Item)); err != io.EOF {
			return fmt.Errorf("corpus: %s: trailing data", name)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return items, nil
}
