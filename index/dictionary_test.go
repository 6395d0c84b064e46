package index

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/baotinh/baotinh/internal/corpus"
)

// TestStoreDictionaries adds articles in batches past dictionarySamples:
// the store must train its dictionaries once, compress every record with
// them (those written before too), read each article and analysis back as
// it was added, after reopening as well, and take fewer bytes than the
// same records without dictionaries.
func TestStoreDictionaries(t *testing.T) {
	items := corpus.Make(dictionarySamples + 100)
	dir := t.TempDir()
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := ix.NewWriter(1<<20, nil) // batches of about 200 articles
	want := map[string]*Article{}
	for i, it := range items {
		a := NewArticle(it.Article, it.Analysis)
		want[a.ID] = a
		if err := w.AddArticle(a); err != nil {
			t.Fatal(err)
		}
		if i == 50 {
			// Before the store has enough articles: no dictionaries.
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if ix.codec.Load().dictionaries {
				t.Fatalf("dictionaries trained after %d articles, want %d", i+1, dictionarySamples)
			}
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if !ix.codec.Load().dictionaries {
		t.Fatal("no dictionaries after", len(items), "articles")
	}
	check := func(ix *Index) {
		t.Helper()
		n, withDict, plainBytes, dictBytes := 0, 0, 0, 0
		err := ix.db.View(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketArticles).ForEach(func(k, v []byte) error {
				n++
				art, an, err := splitRecord(v)
				if err != nil {
					return err
				}
				da, err1 := frameDictionary(art)
				dn, err2 := frameDictionary(an)
				if err1 != nil || err2 != nil {
					t.Fatalf("%s: frame headers: %v, %v", k, err1, err2)
				}
				if da != 0 && dn != 0 && da != dn {
					withDict++
				}
				plain, err := encodeArticle(want[string(k)])
				if err != nil {
					return err
				}
				plainBytes += len(plain)
				dictBytes += len(v)
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		if n != len(items) || withDict != n {
			t.Errorf("%d records, %d of them with both dictionaries; want %d and all", n, withDict, len(items))
		}
		if float64(dictBytes) > 0.85*float64(plainBytes) {
			t.Errorf("records with dictionaries take %d bytes, without %d: want at least 15%% fewer", dictBytes, plainBytes)
		}
		roles, rolesWithDict := 0, 0
		err = ix.db.View(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketRoles).ForEach(func(k, v []byte) error {
				roles++
				_, packed, err := roleHeader(v)
				if err != nil {
					return err
				}
				if d, err := frameDictionary(packed); err == nil && d == 0x62740003 {
					rolesWithDict++
				}
				return nil
			})
		})
		if err != nil || roles == 0 || rolesWithDict != roles {
			t.Errorf("%d role records, %d with the dictionary of role records (%v)", roles, rolesWithDict, err)
		}
		for id, wa := range want {
			got, err := ix.article(id, true)
			if err != nil || got == nil {
				t.Fatalf("article %s: %v, %v", id, got, err)
			}
			if got.Text != wa.Text || got.Title != wa.Title || !reflect.DeepEqual(got.Blocks, wa.Blocks) {
				t.Errorf("article %s differs from what was added", id)
			}
			gj, _ := json.Marshal(got.Analysis)
			wj, _ := json.Marshal(wa.Analysis)
			if string(gj) != string(wj) {
				t.Errorf("analysis of %s differs from what was added", id)
			}
		}
	}
	check(ix)
	officials := func(ix *Index) string {
		t.Helper()
		var b strings.Builder
		err := ix.roles(context.Background(), &OfficialsFilter{}, func(r *roleFact) error {
			fmt.Fprintf(&b, "%+v\n", *r)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	// The facts as they were added, through records without dictionaries.
	var ids []string
	for id := range want {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var wb strings.Builder
	for _, id := range ids {
		facts := roleFacts(want[id], roleSentences(want[id]))
		if len(facts) == 0 {
			continue
		}
		err := decodeRoles(encodeRoles(facts), func(r *roleFact) error {
			fmt.Fprintf(&wb, "%+v\n", *r)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	wantRoles := wb.String()
	if got := officials(ix); got != wantRoles {
		t.Error("role facts read with the dictionary differ from those added")
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	for _, ro := range []bool{true, false} {
		ix, err := Open(dir, Options{ReadOnly: ro})
		if err != nil {
			t.Fatal(err)
		}
		if !ix.codec.Load().dictionaries {
			t.Errorf("reopened (read-only %v): no dictionaries", ro)
		}
		check(ix)
		if got := officials(ix); got != wantRoles {
			t.Errorf("reopened (read-only %v): role facts differ", ro)
		}
		ix.Close()
	}
}
