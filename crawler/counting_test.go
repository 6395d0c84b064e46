package crawler

import (
	"net/http"
	"net/url"
	"sync"
)

// countingHandler counts the requests per path a handler serves.
type countingHandler struct {
	next http.Handler
	mu   sync.Mutex
	hits map[string]int
}

func (h *countingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.hits[r.URL.Path]++
	h.mu.Unlock()
	h.next.ServeHTTP(w, r)
}

// articleHits counts requests for paths that the site's profile takes for an
// article.
func (h *countingHandler) articleHits(profiles ...*Profile) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for p, c := range h.hits {
		for _, pr := range profiles {
			u := &url.URL{Scheme: "https", Host: pr.Hosts[0], Path: p}
			if pr.ArticleID(u) != "" {
				n += c
				break
			}
		}
	}
	return n
}

func (h *countingHandler) snapshot() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := map[string]int{}
	for k, v := range h.hits {
		m[k] = v
	}
	return m
}
