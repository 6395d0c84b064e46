package index

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	bolt "go.etcd.io/bbolt"

	"github.com/baotinh/baotinh/extract"
	"github.com/baotinh/baotinh/index/internal/zap"
)

// Index is a search index over articles and the role facts extracted from
// them: a Bleve index for search, facets and filters, and beside it a store
// (bbolt) of the articles with their analyses and of the role facts, which
// snippets, exports and the officials tables read.
//
// A directory holds one index: DIR/bleve and DIR/store.db. One process
// writes an index at a time; others wait for it (Options.Timeout).
type Index struct {
	dir      string
	b        bleve.Index
	db       *bolt.DB
	mapping  *mapping.IndexMappingImpl
	docs     *docBuilder
	readOnly bool
	bulk     bool

	writeMu sync.Mutex   // one store commit at a time
	closeMu sync.RWMutex // searches that read Bleve's index directly, and Close

	// Articles the search index holds in a newer version than the store:
	// a batch goes to Bleve first and to the store after (so that the
	// store never says an article is indexed when it is not); a search in
	// between waits for the store (see awaitStore).
	uncommittedMu sync.Mutex
	uncommitted   map[string]int // article id -> batches holding it not committed yet
	committed     *sync.Cond

	codec              atomic.Pointer[recordCodec] // compresses the store's article records (dictionary.go)
	dictionariesFailed bool                        // the store's dictionaries could not be made; ix.writeMu guards it

	facetCache facetCache // the facet terms of the segments searched lately
	segCache   segCache   // the terms' bounds and phrases' matches of the segments searched lately (topk.go)
	articles   articleCache
	copies     bool // the folded copies are indexed (foldedCopies): no folded terms are made
}

// holdUncommitted notes that the articles of a batch are about to reach the
// search index before the store (delta 1), or that the batch is over,
// committed or failed (delta -1).
func (ix *Index) holdUncommitted(items []*prepared, delta int) {
	ix.uncommittedMu.Lock()
	defer ix.uncommittedMu.Unlock()
	for _, p := range items {
		if ix.uncommitted[p.a.ID] += delta; ix.uncommitted[p.a.ID] <= 0 {
			delete(ix.uncommitted, p.a.ID)
		}
	}
	if delta < 0 {
		ix.committed.Broadcast()
	}
}

// awaitStore waits until no batch holding the article is between the search
// index and the store.
func (ix *Index) awaitStore(id string) {
	ix.uncommittedMu.Lock()
	defer ix.uncommittedMu.Unlock()
	for ix.uncommitted[id] > 0 {
		ix.committed.Wait()
	}
}

// DataDir returns where a data directory keeps its index: DATA/index.
func DataDir(data string) string { return filepath.Join(data, "index") }

// Options says how to open an index.
type Options struct {
	// ReadOnly opens an existing index for searching only.
	ReadOnly bool
	// Timeout bounds the wait for another process that has the index open
	// for writing; zero means 2 seconds.
	Timeout time.Duration
	// Bulk skips the sync to disk of the store's commits (reindex into a
	// fresh directory, which is thrown away if the run fails; Close syncs),
	// and Close compacts the store (compactStore) and removes the segments
	// Bleve made but did not take in (removeStaleSegments).
	// Bleve's own unsafe_batch is not used: scorch drops what it has not
	// persisted when it is closed.
	Bulk bool
}

// Errors of Open.
var (
	ErrNoIndex = errors.New("index: no index here yet (run `baotinh crawl` or `baotinh reindex`)")
	ErrBusy    = errors.New("index: in use by another process (`baotinh serve`, a crawl or a reindex is writing it; try again when it ends, or ask the running server: its API and pages share its index)")
)

// MappingError is returned by Open when the index was built by a binary
// whose mapping differs from this one's.
type MappingError struct{ Dir, Have, Want string }

func (e *MappingError) Error() string {
	return fmt.Sprintf("index: %s was built with mapping %s, but this binary uses %s: run `baotinh reindex` to rebuild it from the archive", e.Dir, e.Have, e.Want)
}

// The store's buckets are filled mostly at their ends: a site's new
// articles have the next ids (or the previous ones, for the newest first).
// bbolt splits a page it writes into pages filled to FillPercent of their
// size, by default half, which leaves the pages of small values, the role
// facts, half empty; filled to 90% they take a quarter fewer pages (5,000
// articles of the synthetic corpus, where half the ids are random: role
// records 8.6 -> 6.3 MB). Not 100%: a page filled to the brim splits again
// on the next insert into it.
const storeFill = 0.9

// storeAllocSize is how much the store's file grows at a time when it
// grows (bbolt's default is 16 MB, which stays unused at the end of the
// file until the data needs it).
const storeAllocSize = 4 << 20

// storePageSize is the page size of a new store (one made earlier keeps
// its own). A record larger than a page takes pages of its own, the last
// one half empty on average: 1 KB pages instead of the system's 4 KB made
// the store of the 50,000-article corpus 7% smaller (447 MB to 415 MB,
// the same records compacted into a new file of each page size).
const storePageSize = 1 << 10

var (
	bucketArticles = []byte("articles") // id -> the article and its analysis (encodeArticle)
	bucketRoles    = []byte("roles")    // article id -> its role facts (encodeRoles)
	bucketMeta     = []byte("meta")
	bucketIndexed  = []byte("indexed") // article id -> when it was indexed (unix seconds)
	keyMapping     = []byte("mapping")
	keyCreated     = []byte("created")
	keyRoles       = []byte("roles") // the number of role facts
)

// Open opens the index in dir, creating it unless opt.ReadOnly.
func Open(dir string, opt Options) (*Index, error) {
	if opt.Timeout <= 0 {
		opt.Timeout = 2 * time.Second
	}
	bleveDir, storePath := filepath.Join(dir, "bleve"), filepath.Join(dir, "store.db")
	_, err := os.Stat(storePath)
	exists := err == nil
	if !exists && opt.ReadOnly {
		return nil, fmt.Errorf("%w: %s", ErrNoIndex, dir)
	}
	if !exists {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("index: %w", err)
		}
	}
	// A bulk build does not grow the file ahead of its pages (NoGrowSync:
	// no truncate), so that it ends at its last page; Close syncs it.
	db, err := bolt.Open(storePath, 0o644, &bolt.Options{Timeout: opt.Timeout, ReadOnly: opt.ReadOnly, NoSync: opt.Bulk,
		NoGrowSync: opt.Bulk, NoFreelistSync: true, PageSize: storePageSize})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, fmt.Errorf("%w: %s", ErrBusy, dir)
		}
		return nil, fmt.Errorf("index: open %s: %w", storePath, err)
	}
	db.AllocSize = storeAllocSize
	ix := &Index{dir: dir, db: db, mapping: Mapping(), readOnly: opt.ReadOnly, bulk: opt.Bulk && !opt.ReadOnly,
		uncommitted: map[string]int{}, copies: foldedCopies}
	ix.committed = sync.NewCond(&ix.uncommittedMu)
	ix.docs = newDocBuilder(ix.mapping)
	want := MappingVersion()
	var have string
	if !opt.ReadOnly {
		err = db.Update(func(tx *bolt.Tx) error {
			for _, name := range [][]byte{bucketArticles, bucketRoles, bucketMeta, bucketIndexed} {
				if _, err := tx.CreateBucketIfNotExists(name); err != nil {
					return err
				}
			}
			meta := tx.Bucket(bucketMeta)
			if v := meta.Get(keyMapping); v != nil {
				have = string(v)
				return nil
			}
			have = want
			if err := meta.Put(keyCreated, []byte(time.Now().UTC().Format(time.RFC3339))); err != nil {
				return err
			}
			return meta.Put(keyMapping, []byte(want))
		})
	} else {
		err = db.View(func(tx *bolt.Tx) error {
			if meta := tx.Bucket(bucketMeta); meta != nil {
				have = string(meta.Get(keyMapping))
			}
			return nil
		})
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("index: %s: %w", storePath, err)
	}
	if have != want {
		db.Close()
		return nil, &MappingError{Dir: dir, Have: have, Want: want}
	}
	if err := ix.loadCodec(); err != nil {
		db.Close()
		return nil, err
	}
	cfg := map[string]interface{}{"bolt_timeout": opt.Timeout.String(),
		// New segments are written in baotinh's zap (segment.go).
		"forceSegmentType": zap.Type, "forceSegmentVersion": int(zap.Version)}
	if opt.ReadOnly {
		cfg["read_only"] = true
	}
	if _, err := os.Stat(filepath.Join(bleveDir, "index_meta.json")); err == nil {
		ix.b, err = bleve.OpenUsing(bleveDir, cfg)
	} else if opt.ReadOnly {
		err = fmt.Errorf("%w: %s", ErrNoIndex, dir)
	} else {
		ix.b, err = bleve.NewUsing(bleveDir, ix.mapping, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, cfg)
	}
	if err != nil {
		db.Close()
		if errors.Is(err, bolt.ErrTimeout) || strings.Contains(err.Error(), "timeout") {
			return nil, fmt.Errorf("%w: %s", ErrBusy, dir)
		}
		if errors.Is(err, ErrNoIndex) {
			return nil, err
		}
		return nil, fmt.Errorf("index: open %s: %w", bleveDir, err)
	}
	return ix, nil
}

// Dir is the directory of the index.
func (ix *Index) Dir() string { return ix.dir }

// Close closes the index; an index written by a Writer must be flushed first.
func (ix *Index) Close() error {
	ix.closeMu.Lock()
	defer ix.closeMu.Unlock()
	err := ix.b.Close()
	switch {
	case ix.bulk && err == nil:
		err = removeStaleSegments(filepath.Join(ix.dir, "bleve"))
		if e := ix.compactStore(); err == nil {
			err = e
		}
	case !ix.readOnly:
		if e := ix.db.Sync(); err == nil {
			err = e
		}
		fallthrough
	default:
		if e := ix.db.Close(); err == nil {
			err = e
		}
	}
	if err != nil {
		return fmt.Errorf("index: close: %w", err)
	}
	return nil
}

// Count returns the number of articles and role facts in the index.
func (ix *Index) Count() (articles, roles int, err error) {
	err = ix.db.View(func(tx *bolt.Tx) error {
		articles = tx.Bucket(bucketArticles).Stats().KeyN
		n, _ := binary.Varint(tx.Bucket(bucketMeta).Get(keyRoles))
		roles = int(n)
		return nil
	})
	return articles, roles, err
}

// IndexedTimes returns when each article of the index was indexed, by id:
// the crawl compares them with its state to index what a crash left out.
func (ix *Index) IndexedTimes() (map[string]time.Time, error) {
	out := map[string]time.Time{}
	err := ix.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketIndexed)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			if sec, n := binary.Varint(v); n > 0 {
				out[string(k)] = time.Unix(sec, 0)
			}
			return nil
		})
	})
	return out, err
}

// Article returns the stored article with the given id and its analysis,
// or nil.
func (ix *Index) Article(id string) (*Article, error) {
	return ix.article(id, true)
}

// articleCache keeps the articles decoded lately for hits (decoding a
// record was a tenth of a search's time under load). An entry is used only
// while the store's record is, byte for byte, the one it was decoded from:
// an article a crawl updates is decoded again.
type articleCache struct {
	mu sync.Mutex
	m  map[string]cachedArticle
}

type cachedArticle struct {
	rec []byte
	a   *Article
}

// articleCacheSize is how many articles articleCache keeps: past it, one
// goes for each one that comes.
const articleCacheSize = 2048

func (c *articleCache) get(id string, rec []byte) *Article {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[id]; ok && bytes.Equal(e.rec, rec) {
		return e.a
	}
	return nil
}

// put keeps a copy of rec (the store's bytes last only as long as its
// transaction).
func (c *articleCache) put(id string, rec []byte, a *Article) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string]cachedArticle, articleCacheSize)
	}
	if len(c.m) >= articleCacheSize {
		for k := range c.m { // one at random
			delete(c.m, k)
			break
		}
	}
	c.m[id] = cachedArticle{rec: bytes.Clone(rec), a: a}
}

// article returns the stored article, with its analysis if asked. Without
// it, the article may be shared with other callers (articleCache): it must
// not be changed.
func (ix *Index) article(id string, analysis bool) (*Article, error) {
	var a *Article
	err := ix.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketArticles).Get([]byte(id))
		if v == nil {
			return nil
		}
		if !analysis {
			if a = ix.articles.get(id, v); a != nil {
				return nil
			}
		}
		var err error
		c := ix.codec.Load()
		if a, err = c.decodeArticle(v); err != nil || !analysis {
			if err == nil {
				ix.articles.put(id, v, a)
			}
			return err
		}
		a.Analysis, err = c.decodeAnalysis(v, a.Text)
		return err
	})
	return a, err
}

// Articles calls fn for every stored article, with its analysis, in id
// order until fn returns an error.
func (ix *Index) Articles(fn func(*Article) error) error {
	return ix.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketArticles).ForEach(func(k, v []byte) error {
			c := ix.codec.Load()
			a, err := c.decodeArticle(v)
			if err == nil {
				a.Analysis, err = c.decodeAnalysis(v, a.Text)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
			return fn(a)
		})
	})
}

// Size returns the bytes the index takes on disk.
func (ix *Index) Size() (int64, error) { return DirSize(ix.dir) }

// DirSize returns the bytes of the regular files under dir.
func DirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n, err
}

// NewArticle makes the indexed form of an article and its analysis.
func NewArticle(a *extract.Article, an *extract.Analysis) *Article {
	out := &Article{ID: ArticleID(a.Site, a.SiteID), Site: a.Site, SiteID: a.SiteID, URL: a.URL,
		Category: a.Category, Tags: nonNil(a.Tags), Authors: nonNil(a.Authors), Text: a.Text, Blocks: a.Blocks,
		Analysis: an, Indexed: time.Now().UTC().Truncate(time.Second)}
	if out.Blocks == nil {
		out.Blocks = []extract.Block{}
	}
	if an != nil {
		out.Title, out.Published = an.Title, string(an.Published)
	}
	if out.Title == "" {
		out.Title = a.Title()
	}
	if out.Published == "" && !a.Published.IsZero() {
		out.Published = a.Published.In(extract.Vietnam).Format(time.RFC3339)
	}
	if !a.Modified.IsZero() {
		out.Modified = a.Modified.In(extract.Vietnam).Format(time.RFC3339)
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// prepared is an article made ready for a batch, outside the writer's lock.
type prepared struct {
	a     *Article
	rec   []byte // encodeArticle
	roles []roleFact
	size  int
}

// Writer adds articles to an index in batches bounded by bytes. It is safe
// for concurrent use; the work of making documents is done by the caller's
// goroutine, and a batch is written by the Add that fills it while the other
// callers go on filling the next one. Bleve builds the segments of batches
// that hold different articles at the same time, one per goroutine (most of
// the work of indexing is there); a batch that holds an article of an
// earlier batch still being written waits for it. The store commits the
// batches in the order they were filled, each once Bleve holds it, so the
// last version of an article added is the one kept.
type Writer struct {
	ix       *Index
	maxBytes int

	mu       sync.Mutex // pending, bytes, tickets, inflight
	pending  []*prepared
	bytes    int
	tickets  uint64                 // batches handed out
	inflight map[string]*batchState // article id -> the last batch taken that holds it, until Bleve has it

	order   sync.Mutex // next, added, err: batches committed in ticket order
	turn    *sync.Cond
	next    uint64
	added   int
	err     error
	onFlush func(articles int)
}

// batchState is a batch handed out to be written.
type batchState struct {
	ticket  uint64
	items   []*prepared
	after   []*batchState // earlier batches with some of the same articles
	indexed chan struct{} // closed when Bleve's write of the batch has ended
}

// DefaultBatchBytes is the text a Writer gathers before it writes a batch.
const DefaultBatchBytes = 4 << 20

// NewWriter returns a writer whose batches hold about maxBytes of article
// text (DefaultBatchBytes if maxBytes <= 0). onFlush, if not nil, is called
// after each batch is written with the number of articles written so far.
func (ix *Index) NewWriter(maxBytes int, onFlush func(articles int)) *Writer {
	if maxBytes <= 0 {
		maxBytes = DefaultBatchBytes
	}
	w := &Writer{ix: ix, maxBytes: maxBytes, onFlush: onFlush, inflight: map[string]*batchState{}}
	w.turn = sync.NewCond(&w.order)
	return w
}

// Add adds or replaces an article and its analysis.
func (w *Writer) Add(a *extract.Article, an *extract.Analysis) error {
	if a.Site == "" || a.SiteID == "" {
		return fmt.Errorf("index: article %q has no site or id", a.URL)
	}
	return w.AddArticle(NewArticle(a, an))
}

// AddArticle adds or replaces an article already in its indexed form.
func (w *Writer) AddArticle(a *Article) error {
	if w.ix.readOnly {
		return errors.New("index: opened read-only")
	}
	rec, err := w.ix.codec.Load().encodeArticle(a)
	if err != nil {
		return fmt.Errorf("index: %s: %w", a.ID, err)
	}
	p := &prepared{a: a, rec: rec, roles: roleFacts(a, roleSentences(a)), size: len(a.Text) + 512}
	w.mu.Lock()
	w.pending = append(w.pending, p)
	w.bytes += p.size
	if w.bytes < w.maxBytes {
		w.mu.Unlock()
		return nil
	}
	b := w.take()
	w.mu.Unlock()
	return w.write(b)
}

// take hands out the pending articles as the next batch; w.mu is held.
func (w *Writer) take() *batchState {
	b := &batchState{ticket: w.tickets, items: w.pending, indexed: make(chan struct{})}
	w.pending, w.bytes = nil, 0
	w.tickets++
	for _, p := range b.items {
		if prev := w.inflight[p.a.ID]; prev != nil && prev != b && !slices.Contains(b.after, prev) {
			b.after = append(b.after, prev)
		}
		w.inflight[p.a.ID] = b
	}
	return b
}

// write writes a batch to Bleve once the earlier batches with some of its
// articles are there, then commits it to the store when its turn comes.
// After a failed batch, the later ones are not committed and give the same
// error.
func (w *Writer) write(b *batchState) error {
	for _, prev := range b.after {
		<-prev.indexed
	}
	w.order.Lock()
	failed := w.err != nil
	w.order.Unlock()
	var err error
	if !failed && len(b.items) > 0 {
		w.ix.holdUncommitted(b.items, 1)
		defer w.ix.holdUncommitted(b.items, -1) // committed below, or failed
		err = w.index(b.items)
	}
	close(b.indexed)
	w.mu.Lock()
	for _, p := range b.items {
		if w.inflight[p.a.ID] == b {
			delete(w.inflight, p.a.ID)
		}
	}
	w.mu.Unlock()

	w.order.Lock()
	defer w.order.Unlock()
	for w.next != b.ticket {
		w.turn.Wait()
	}
	defer func() {
		w.next++
		w.turn.Broadcast()
	}()
	if w.err != nil {
		return w.err
	}
	if err != nil {
		w.err = err
		return err
	}
	if len(b.items) == 0 {
		return nil
	}
	n, err := w.commit(b.items)
	if err != nil {
		w.err = err
		return err
	}
	w.added += n
	if w.onFlush != nil {
		w.onFlush(w.added)
	}
	return nil
}

func hasRoles(an *extract.Analysis) bool {
	for _, p := range an.People {
		if len(p.Roles) > 0 {
			return true
		}
	}
	return false
}

// Flush writes the articles added so far, after the batches before them.
func (w *Writer) Flush() error {
	w.mu.Lock()
	b := w.take()
	w.mu.Unlock()
	return w.write(b)
}

// Added returns the number of articles written.
func (w *Writer) Added() int {
	w.order.Lock()
	defer w.order.Unlock()
	return w.added
}

// latest returns the index in items of the last version of each article.
func latest(items []*prepared) map[string]int {
	last := map[string]int{}
	for i, p := range items {
		last[p.a.ID] = i
	}
	return last
}

// index writes the articles of a batch to the search index.
func (w *Writer) index(items []*prepared) error {
	ix := w.ix
	last := latest(items)
	batch := ix.b.NewBatch()
	for i, p := range items {
		if last[p.a.ID] != i {
			continue
		}
		if err := batch.IndexAdvanced(ix.articleDoc(p.a)); err != nil {
			return fmt.Errorf("index: write batch: %w", err)
		}
	}
	if err := ix.b.Batch(batch); err != nil {
		return fmt.Errorf("index: write batch: %w", err)
	}
	return nil
}

// commit writes the articles of a batch, which the search index holds, to
// the store and returns how many distinct articles it wrote.
func (w *Writer) commit(items []*prepared) (int, error) {
	ix := w.ix
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	// The last version of an article in the batch wins.
	last := latest(items)
	err := ix.db.Update(func(tx *bolt.Tx) error {
		arts := tx.Bucket(bucketArticles)
		roles, indexed := tx.Bucket(bucketRoles), tx.Bucket(bucketIndexed)
		for _, b := range []*bolt.Bucket{arts, roles, indexed} {
			b.FillPercent = storeFill
		}
		roleDelta := 0
		for i, p := range items {
			if last[p.a.ID] != i {
				continue
			}
			// The facts of an earlier version are replaced.
			n := roleCount(roles.Get([]byte(p.a.ID)))
			if len(p.roles) == 0 {
				if err := roles.Delete([]byte(p.a.ID)); err != nil {
					return err
				}
			} else if err := roles.Put([]byte(p.a.ID), ix.codec.Load().encodeRoles(p.roles)); err != nil {
				return err
			}
			roleDelta += len(p.roles) - n
			if err := arts.Put([]byte(p.a.ID), p.rec); err != nil {
				return err
			}
			if err := indexed.Put([]byte(p.a.ID), binary.AppendVarint(nil, p.a.Indexed.Unix())); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		count, _ := binary.Varint(meta.Get(keyRoles))
		return meta.Put(keyRoles, binary.AppendVarint(nil, count+int64(roleDelta)))
	})
	if err != nil {
		return 0, fmt.Errorf("index: write batch: %w", err)
	}
	return len(last), ix.trainDictionaries()
}

// sortedUnique returns the distinct non-empty values, sorted.
func sortedUnique(vs []string) []string {
	out := slices.DeleteFunc(slices.Clone(vs), func(s string) bool { return s == "" })
	slices.Sort(out)
	return slices.Compact(out)
}
