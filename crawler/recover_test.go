package crawler

import (
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// An article archived by a crawl that died before committing its state is
// restored from the archive's metadata record, not fetched again.
func TestRecoverFromArchive(t *testing.T) {
	s := newFaultSite(t, 6)
	dir := tempData(t)
	opt := s.options(dir)
	crawlT(t, opt)

	// Make it look as if the process died after archiving article 3 but
	// before committing it: its state is gone and the last run never finished.
	st, err := OpenState(StatePath(dir))
	if err != nil {
		t.Fatal(err)
	}
	runs, err := st.Runs()
	if err != nil || len(runs) != 1 {
		t.Fatalf("runs %v, %v", runs, err)
	}
	runs[0].Finished, runs[0].Summary = time.Time{}, nil
	if err := st.PutRun(runs[0]); err != nil {
		t.Fatal(err)
	}
	err = st.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketArticles).Delete(articleKey("baohatinh", articleID(3)))
	})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	before := s.hitsOf(articlePath(3))
	var logs []string
	opt.Log = func(l string) { logs = append(logs, l) }
	sum := crawlT(t, opt)
	if got := s.hitsOf(articlePath(3)) - before; got != 0 || sum.New != 0 {
		t.Errorf("after recovery: article 3 fetched %d more times, %d new; want neither (logs %q)", got, sum.New, logs)
	}
	a := stateOf(t, dir)["baohatinh:"+articleID(3)]
	if a == nil || a.Status != StatusOK || a.Source != "recovered" || a.Hash == "" {
		t.Errorf("recovered state %+v, want ok, from the archive, with its hash", a)
	}
	if n := len(archivedArticles(t, dir)["baohatinh:"+articleID(3)]); n != 1 {
		t.Errorf("article 3 archived %d times, want once", n)
	}
	st, _ = OpenState(StatePath(dir))
	defer st.Close()
	runs, _ = st.Runs()
	if runs[0].Finished.IsZero() || runs[0].Error == "" {
		t.Errorf("the unfinished run is not marked as such: %+v", runs[0])
	}
}
