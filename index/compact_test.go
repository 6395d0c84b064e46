package index

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/baotinh/baotinh/internal/corpus"
)

// TestCompactStore builds the same index twice, in bulk and not, adding
// every article twice (the second time replaces the first): the store a
// bulk build leaves must hold the same buckets, keys and values as the
// other, in a file smaller than before its Close, and nothing beside it.
func TestCompactStore(t *testing.T) {
	items := corpus.Make(dictionarySamples + 50)
	var before int64 // the bulk store's size before Close compacted it
	build := func(bulk bool) string {
		dir := t.TempDir()
		ix, err := Open(dir, Options{Bulk: bulk})
		if err != nil {
			t.Fatal(err)
		}
		w := ix.NewWriter(256<<10, nil)
		for range 2 {
			for _, it := range items {
				if err := w.Add(it.Article, it.Analysis); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if bulk {
			ix.db.View(func(tx *bolt.Tx) error { before = tx.Size(); return nil })
		}
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	plain, bulk := build(false), build(true)
	contents := func(dir string) map[string]map[string][]byte {
		db, err := bolt.Open(filepath.Join(dir, "store.db"), 0o644, &bolt.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		out := map[string]map[string][]byte{}
		db.View(func(tx *bolt.Tx) error {
			return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
				m := map[string][]byte{}
				out[string(name)] = m
				return b.ForEach(func(k, v []byte) error {
					m[string(k)] = bytes.Clone(v)
					return nil
				})
			})
		})
		return out
	}
	want, got := contents(plain), contents(bulk)
	for name, wb := range want {
		gb, ok := got[name]
		if !ok {
			t.Errorf("bucket %s missing after compaction", name)
			continue
		}
		if len(gb) != len(wb) {
			t.Errorf("bucket %s: %d keys, want %d", name, len(gb), len(wb))
		}
		for k, wv := range wb {
			gv, ok := gb[k]
			switch {
			case !ok:
				t.Errorf("bucket %s: key %q missing", name, k)
			case name == string(bucketArticles) || name == string(bucketRoles) || name == string(bucketIndexed) ||
				string(k) == string(keyCreated) || string(k) == string(keyArticleDictionary) ||
				string(k) == string(keyAnalysisDictionary) || string(k) == string(keyRolesDictionary):
				// Times, and compressed records whose dictionaries are
				// trained on each build's own first articles.
			case !bytes.Equal(gv, wv):
				t.Errorf("bucket %s, key %q: %d bytes, want %d", name, k, len(gv), len(wv))
			}
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d buckets after compaction, want %d", len(got), len(want))
	}
	size := func(dir string) int64 {
		fi, err := os.Stat(filepath.Join(dir, "store.db"))
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	if after := size(bulk); after >= before*9/10 {
		t.Errorf("compacted store %d bytes, %d before: want at least 10%% fewer", after, before)
	}
	if _, err := os.Stat(filepath.Join(bulk, "store.db.compact")); !os.IsNotExist(err) {
		t.Errorf("store.db.compact left behind: %v", err)
	}
	// It opens and reads as any other: the same articles, analyses and
	// role facts.
	articles := func(dir string) map[string]string {
		ix, err := Open(dir, Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		out := map[string]string{}
		err = ix.Articles(func(a *Article) error {
			a.Indexed = time.Time{}
			b, err := json.Marshal(a)
			out[a.ID] = string(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		err = ix.roles(context.Background(), &OfficialsFilter{}, func(r *roleFact) error {
			out[r.ID] = fmt.Sprintf("%+v", *r)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	wa, ga := articles(plain), articles(bulk)
	if len(ga) <= len(items) || !reflect.DeepEqual(ga, wa) {
		t.Errorf("the compacted store reads %d articles and role facts, not the %d of the other", len(ga), len(wa))
	}
	t.Logf("store: %d bytes compacted, %d before", size(bulk), before)
}

// TestRemoveStaleSegments checks that Close of a bulk build removes a
// segment file no snapshot names, and keeps every one the index reads.
func TestRemoveStaleSegments(t *testing.T) {
	items := corpus.Make(120)
	dir := t.TempDir()
	ix, err := Open(dir, Options{Bulk: true})
	if err != nil {
		t.Fatal(err)
	}
	w := ix.NewWriter(128<<10, nil)
	for _, it := range items {
		if err := w.Add(it.Article, it.Analysis); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, "bleve", "store", "ffffffffffff.zap")
	if err := os.WriteFile(stale, []byte("not a segment"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("a segment no snapshot names is still there: %v", err)
	}
	zaps, _ := filepath.Glob(filepath.Join(dir, "bleve", "store", "*.zap"))
	if len(zaps) == 0 {
		t.Fatal("no segments left")
	}
	ix, err = Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res, err := ix.Search(context.Background(), &Search{Query: "site:baohatinh site:baosonla", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if int(res.Total) != len(items) {
		t.Errorf("after Close the index finds %d articles, want %d", res.Total, len(items))
	}
}
