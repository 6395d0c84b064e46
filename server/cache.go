package server

import (
	"sync"
	"sync/atomic"
)

// cache keeps the answers of the costly whole-corpus questions (the
// officials table, the corpus statistics) until the index changes. The
// server is the only writer of its index while it runs, so every change
// goes through its own crawls, which call changed after each batch.
type cache struct {
	gen atomic.Uint64 // bumped by every write to the index

	mu      sync.Mutex
	entries map[string]cacheEntry
	order   []string // oldest first
	max     int
}

type cacheEntry struct {
	gen uint64
	val any
}

func newCache(max int) *cache { return &cache{entries: map[string]cacheEntry{}, max: max} }

// changed says the index has changed: every cached answer is stale.
func (c *cache) changed() { c.gen.Add(1) }

// get returns the answer for key, computing it with fn when it is missing or
// stale. Errors are not cached.
func (c *cache) get(key string, fn func() (any, error)) (any, error) {
	gen := c.gen.Load()
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && e.gen == gen {
		return e.val, nil
	}
	v, err := fn()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; !ok {
		c.order = append(c.order, key)
	}
	c.entries[key] = cacheEntry{gen, v}
	for len(c.order) > c.max {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
	return v, nil
}
