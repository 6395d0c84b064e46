package crawler

import (
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ErrStateBusy is returned by OpenStateReadOnly while a crawl holds the
// state.
var ErrStateBusy = errors.New("crawler: the crawl state is in use by a running crawl")

// OpenStateReadOnly opens an existing crawl state for reading (stats,
// reports). It waits at most a second for a crawl that holds it.
func OpenStateReadOnly(path string) (*State, error) {
	db, err := bolt.Open(path, 0o644, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, ErrStateBusy
		}
		return nil, fmt.Errorf("crawler: state %s: %w", path, err)
	}
	s := &State{db: db, stop: make(chan struct{}), done: make(chan struct{})}
	close(s.done)
	return s, nil
}
