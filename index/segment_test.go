package index

import (
	"encoding/binary"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2/util"
	bolt "go.etcd.io/bbolt"

	"github.com/baotinh/baotinh/index/internal/zap"
)

// TestSegmentFormat checks that the index's segments are written in
// baotinh's zap (index/internal/zap), not in Bleve's default format: every
// snapshot scorch persists names the segment type and version it used.
func TestSegmentFormat(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := ix.NewWriter(0, nil)
	addSeeds(t, w)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(filepath.Join(dir, "bleve", "store", "root.bolt"), 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	snapshots := 0
	err = db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(util.BoltSnapshotsBucket)
		if b == nil {
			t.Fatal("root.bolt has no snapshots")
		}
		return b.ForEachBucket(func(k []byte) error {
			meta := b.Bucket(k).Bucket(util.BoltMetaDataKey)
			if meta == nil {
				t.Errorf("snapshot %x has no meta data", k)
				return nil
			}
			snapshots++
			typ, ver := string(meta.Get(util.BoltMetaDataSegmentTypeKey)), binary.BigEndian.Uint32(meta.Get(util.BoltMetaDataSegmentVersionKey))
			if typ != zap.Type || ver != zap.Version {
				t.Errorf("snapshot %x: segments %s v%d, want %s v%d", k, typ, ver, zap.Type, zap.Version)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if snapshots == 0 {
		t.Error("no snapshot persisted")
	}
}
