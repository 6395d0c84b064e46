package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// errSiteSkipped ends a site's discovery for this run without failing the
// crawl (robots.txt unreachable: RFC 9309 says assume complete disallow).
var errSiteSkipped = errors.New("site skipped")

// walker is one site's discovery in one run.
type walker struct {
	c       *crawl
	p       *Profile
	jobs    chan<- job
	known   map[string]*ArticleState // state at the start of the run
	seen    map[string]bool          // article ids offered this run
	visited map[string]bool          // listing URLs fetched this run
	queued  int                      // article jobs sent
	full    bool                     // --max reached

	pending atomic.Int64 // article jobs sent and not finished
	mu      sync.Mutex
	more    []Link // links found in fetched articles, for the walker to follow
}

// found hands the walker the links of a fetched article page (its latest-news
// and related boxes, its tag pages): called by workers.
func (w *walker) found(links []Link) {
	w.mu.Lock()
	w.more = append(w.more, links...)
	w.mu.Unlock()
}

// drain follows the links found in article pages until every article job of
// the site is done and no link is left: article links are offered, listing
// pages (tags, categories) not visited yet are read for their articles.
func (w *walker) drain(ctx context.Context) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for ctx.Err() == nil {
		w.mu.Lock()
		links := w.more
		w.more = nil
		w.mu.Unlock()
		if len(links) == 0 {
			if w.pending.Load() == 0 {
				return nil
			}
			select {
			case <-tick.C:
			case <-ctx.Done():
			}
			continue
		}
		for _, l := range links {
			if w.full || ctx.Err() != nil {
				break
			}
			kind := w.classify(l.URL)
			if kind == linkArticle {
				w.offer(ctx, l)
				continue
			}
			if kind != linkListing || w.p.Generic {
				continue
			}
			key := w.listingKey(l.URL)
			if w.visited[key] || len(w.visited) >= maxListingPages {
				continue
			}
			w.visited[key] = true
			if _, err := w.listing(ctx, l.URL); err != nil {
				return err
			}
		}
	}
	return nil
}

const (
	maxListingDepth  = 1    // entry listings and the listings they link to
	maxGenericDepth  = 2    // for sites known only by URL
	maxListingPages  = 5000 // per site and run, pagination included
	maxPaginationRun = 2000 // numbered pages of one listing
)

func (c *crawl) discover(ctx context.Context, p *Profile, jobs chan<- job) error {
	w := &walker{c: c, p: p, jobs: jobs, known: map[string]*ArticleState{}, seen: map[string]bool{}, visited: map[string]bool{}}
	defer func() {
		// Workers may still hand over links; nobody reads them now.
		w.mu.Lock()
		w.more = nil
		w.mu.Unlock()
	}()
	err := c.state.Articles(p.Name, func(a *ArticleState) error {
		w.known[a.ID] = a
		return nil
	})
	if err != nil {
		return err
	}
	rob, err := c.loadRobots(ctx, p)
	if errors.Is(err, errSiteSkipped) {
		return nil
	}
	if err != nil {
		return err
	}
	// Sitemaps: those robots.txt names, then the profile's.
	var sitemaps []string
	seenSM := map[string]bool{}
	for _, s := range append(append([]string{}, rob.sitemaps...), p.Entry.Sitemaps...) {
		if u, ok := resolveLink(p.OriginURL(), s); ok && !seenSM[u] {
			seenSM[u] = true
			sitemaps = append(sitemaps, u)
		}
	}
	for _, s := range sitemaps {
		if err := w.sitemap(ctx, s, 0); err != nil {
			return err
		}
	}
	for _, f := range p.Entry.Feeds {
		if u, ok := resolveLink(p.OriginURL(), f); ok {
			if err := w.feed(ctx, u); err != nil {
				return err
			}
		}
	}
	if err := w.listings(ctx); err != nil {
		return err
	}
	return w.drain(ctx)
}

func (c *crawl) loadRobots(ctx context.Context, p *Profile) (*robots, error) {
	ru := p.OriginURL().String() + "/robots.txt"
	f, err := c.get(ctx, ru, nil, nil)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	var rob *robots
	switch {
	case err != nil && (f == nil || f.Status == 0), err == nil && f.Status >= 500:
		c.count(func(s *Summary) { s.Failed["robots.txt unreachable"]++ })
		c.logf("%s: robots.txt unreachable (%s): site skipped this run", p.Name, describe(f, err))
		return nil, errSiteSkipped
	case f.Status >= 400:
		rob = &robots{} // no robots.txt: everything allowed
		c.count(func(s *Summary) { s.Pages++; s.NotFound++ })
	default:
		c.count(func(s *Summary) { s.Pages++ })
		rob, err = parseRobots(f.Status, f.Body, "baotinh")
		if err != nil {
			rob = &robots{}
			c.logf("%s: %v: treated as allowing everything", p.Name, err)
		}
	}
	c.mu.Lock()
	c.robots[p.Name] = rob
	c.mu.Unlock()
	if rob.delay > c.opt.Delay {
		c.gateFor(c.fetch.mapping.fetchURL(p.OriginURL())).setDelay(rob.delay)
		c.logf("%s: robots.txt Crawl-delay %s", p.Name, rob.delay)
	}
	return rob, nil
}

func (c *crawl) robotsAllow(p *Profile, u *url.URL) bool {
	c.mu.Lock()
	r := c.robots[p.Name]
	c.mu.Unlock()
	return r.allowed(u)
}

// Kinds of links, for discovery.
const (
	linkOther   = iota // another site's, excluded, or of no interest
	linkArticle        // an article of the site
	linkListing        // a listing page to read (numbered pages are left to the pagination walk)
)

// classify tells what a link of a page is to the site's discovery.
func (w *walker) classify(link string) int {
	u, err := url.Parse(link)
	if err != nil || !w.p.Allowed(u.Host) || w.p.Excluded(u.EscapedPath()) {
		return linkOther
	}
	if w.p.ArticleID(u) != "" {
		return linkArticle
	}
	if w.p.IsListing(u) && !w.p.IsPage(u.EscapedPath()) {
		return linkListing
	}
	return linkOther
}

// offer sends an article link to the workers unless it is known, out of
// range or over --max. It reports whether the id was not archived before
// this run (what a listing page's "no new ids" stop rule counts).
func (w *walker) offer(ctx context.Context, l Link) bool {
	u, err := url.Parse(l.URL)
	if err != nil || !w.p.Allowed(u.Host) || w.p.Excluded(u.EscapedPath()) {
		return false
	}
	id := w.p.ArticleID(u)
	if id == "" {
		return false
	}
	prev := w.known[id]
	isNew := prev == nil || prev.Status == StatusFailed
	if w.seen[id] {
		return isNew
	}
	w.seen[id] = true
	w.c.count(func(s *Summary) { s.Discovered++; s.PerSite[w.p.Name].Discovered++ })
	if !w.c.opt.Since.IsZero() && !l.Lastmod.IsZero() && l.Lastmod.Before(w.c.opt.Since) {
		w.c.count(func(s *Summary) { s.Skipped["before --since"]++ })
		return isNew
	}
	// Feeds and listings date an article by its publication; a sitemap's
	// lastmod is its last change, which says nothing of --until.
	if !w.c.opt.Until.IsZero() && l.Source != "sitemap" && l.Lastmod.After(w.c.opt.Until) {
		w.c.count(func(s *Summary) { s.Skipped["after --until"]++ })
		return isNew
	}
	if prev != nil && (prev.Status == StatusOK || prev.Status == StatusGone || prev.Status == StatusSkipped) &&
		(l.Lastmod.IsZero() || !l.Lastmod.After(prev.LastFetched)) {
		w.c.count(func(s *Summary) { s.Known++ })
		return false
	}
	if w.c.opt.Max > 0 && w.queued >= w.c.opt.Max {
		w.full = true
		return isNew
	}
	var pc *ArticleState
	if prev != nil {
		cp := *prev
		pc = &cp
	}
	select {
	case w.jobs <- job{site: w.p, id: id, link: l, prev: pc, walker: w}:
		w.queued++
		w.pending.Add(1)
	case <-ctx.Done():
	}
	return isNew
}

// A page is a non-article page as fetched: its body, Content-Type and URL
// after redirects.
type page struct {
	body        []byte
	contentType string
	url         string
}

// fetchPage gets a non-article page (sitemap, feed, listing) with conditional
// GET. keep stores the body so that a later 304 can still be read. It returns
// nil, with no error, for a page that is not there, not allowed or failed
// (counted in the summary).
func (w *walker) fetchPage(ctx context.Context, u string, keep bool) (*page, error) {
	pu, err := url.Parse(u)
	if err != nil {
		return nil, nil
	}
	if !w.c.robotsAllow(w.p, pu) {
		w.c.count(func(s *Summary) { s.Skipped["disallowed by robots.txt"]++ })
		return nil, nil
	}
	var hdr http.Header
	var prev *PageState
	if keep {
		if prev, err = w.c.state.Page(u); err != nil {
			return nil, err
		}
		if prev != nil && prev.Body != nil {
			hdr = conditional(prev.ETag, prev.LastModified)
		}
	}
	f, ferr := w.c.get(ctx, u, hdr, nil)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if ferr != nil && (f == nil || f.Status == 0) {
		if errors.Is(ferr, errArchive) {
			return nil, ferr
		}
		w.c.count(func(s *Summary) { s.Failed["listing: "+failReason(f, ferr)]++ })
		w.c.logf("failed %s: %v", u, ferr)
		return nil, nil
	}
	w.c.count(func(s *Summary) { s.Pages++ })
	switch {
	case f.Status == http.StatusNotModified && prev != nil:
		return &page{body: prev.Body, url: u}, nil
	case f.Status == http.StatusNotFound || f.Status == http.StatusGone:
		w.c.count(func(s *Summary) { s.NotFound++ })
		return nil, nil
	case f.Status != http.StatusOK:
		w.c.count(func(s *Summary) { s.Failed[fmt.Sprintf("listing: http %d", f.Status)]++ })
		return nil, nil
	case f.Truncated:
		w.c.count(func(s *Summary) { s.Failed["listing: oversized"]++ })
		return nil, nil
	}
	if keep {
		ps := &PageState{URL: u, ETag: f.Header.Get("ETag"), LastModified: f.Header.Get("Last-Modified"), Fetched: time.Now(), Body: f.Body}
		if err := w.c.state.PutPage(ps); err != nil {
			return nil, err
		}
	}
	return &page{body: f.Body, contentType: f.Header.Get("Content-Type"), url: f.URL}, nil
}

func (w *walker) sitemap(ctx context.Context, u string, depth int) error {
	pg, err := w.fetchPage(ctx, u, true)
	if err != nil || pg == nil {
		return err
	}
	sm, perr := ParseSitemap(pg.body)
	if perr != nil {
		w.c.count(func(s *Summary) { s.Failed["sitemap: unreadable"]++ })
		w.c.logf("%s: %v", u, perr)
		return nil
	}
	if sm.Index {
		if depth >= 2 {
			return nil
		}
		for _, child := range sm.Links {
			if w.full || ctx.Err() != nil {
				return nil
			}
			// A child last modified before --since holds nothing newer.
			if !w.c.opt.Since.IsZero() && !child.Lastmod.IsZero() && child.Lastmod.Before(w.c.opt.Since) {
				continue
			}
			cu, ok := resolveLink(w.p.OriginURL(), child.URL)
			if !ok || !w.p.Allowed(mustParse(cu).Host) {
				continue
			}
			if err := w.sitemap(ctx, cu, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	for _, l := range sm.Links {
		if w.full || ctx.Err() != nil {
			return nil
		}
		w.offer(ctx, l)
	}
	return nil
}

func (w *walker) feed(ctx context.Context, u string) error {
	pg, err := w.fetchPage(ctx, u, true)
	if err != nil || pg == nil {
		return err
	}
	links, perr := ParseFeed(pg.body)
	if perr != nil {
		w.c.count(func(s *Summary) { s.Failed["feed: unreadable"]++ })
		w.c.logf("%s: %v", u, perr)
		return nil
	}
	for _, l := range links {
		if w.full || ctx.Err() != nil {
			return nil
		}
		w.offer(ctx, l)
	}
	return nil
}

type listingItem struct {
	url   string
	depth int
}

// listings walks the entry listings breadth first, following listing links
// one level down, and numbered pages (Sơn La's trang-N) until a 404, a page
// with no article that was not archived before this run, a page whose dated
// items are all before --since, or --max.
func (w *walker) listings(ctx context.Context) error {
	var queue []listingItem
	for _, l := range w.p.Entry.Listings {
		if u, ok := resolveLink(w.p.OriginURL(), l); ok {
			queue = append(queue, listingItem{u, 0})
		}
	}
	maxDepth := maxListingDepth
	if w.p.Generic {
		maxDepth = maxGenericDepth
	}
	pages := 0
	for len(queue) > 0 && !w.full && ctx.Err() == nil && pages < maxListingPages {
		it := queue[0]
		queue = queue[1:]
		key := w.listingKey(it.url)
		if w.visited[key] {
			continue
		}
		w.visited[key] = true
		pages++
		res, err := w.listing(ctx, it.url)
		if err != nil {
			return err
		}
		if res == nil {
			continue
		}
		if it.depth < maxDepth {
			for _, l := range res.listings {
				if !w.visited[w.listingKey(l)] {
					queue = append(queue, listingItem{l, it.depth + 1})
				}
			}
		}
		// Numbered pages of this listing.
		u := mustParse(it.url)
		if w.p.Pages(u.EscapedPath(), 2) == "" {
			continue
		}
		for n := 2; n <= maxPaginationRun && !w.full && ctx.Err() == nil && pages < maxListingPages; n++ {
			pu := w.p.OriginURL()
			pu.Path = w.p.Pages(u.EscapedPath(), n)
			pageURL := pu.String()
			w.visited[w.listingKey(pageURL)] = true
			pages++
			r, err := w.listing(ctx, pageURL)
			if err != nil {
				return err
			}
			if r == nil {
				break // 404: the last page was the one before
			}
			if r.newIDs == 0 {
				w.c.logf("%s: %s has no article not archived before: pagination stops", w.p.Name, pageURL)
				break
			}
			if r.dated > 0 && r.old == r.dated {
				break // all before --since
			}
		}
	}
	return nil
}

// listingKey identifies a listing across the site's hosts and variants.
func (w *walker) listingKey(u string) string {
	pu, err := url.Parse(u)
	if err != nil {
		return u
	}
	return w.p.Canonical(pu)
}

type listingResult struct {
	newIDs, dated, old int // article ids not archived before; items with a date; of those, before --since
	listings           []string
}

func (w *walker) listing(ctx context.Context, u string) (*listingResult, error) {
	pg, err := w.fetchPage(ctx, u, false)
	if err != nil || pg == nil {
		return nil, err
	}
	html, _, derr := DecodeHTML(pg.body, pg.contentType)
	if derr != nil {
		return &listingResult{}, nil
	}
	links, feeds := pageLinks(html, mustParse(pg.url))
	r := &listingResult{}
	for _, l := range links {
		switch w.classify(l.URL) {
		case linkArticle:
			if !l.Lastmod.IsZero() {
				r.dated++
				if !w.c.opt.Since.IsZero() && l.Lastmod.Before(w.c.opt.Since) {
					r.old++
				}
			}
			if w.offer(ctx, l) {
				r.newIDs++
			}
		case linkListing:
			r.listings = append(r.listings, l.URL)
		}
	}
	// Feeds a page announces (generic sites) are read once.
	if w.p.Generic {
		for _, f := range feeds {
			if !w.visited["feed "+f] && w.p.Allowed(mustParse(f).Host) {
				w.visited["feed "+f] = true
				if err := w.feed(ctx, f); err != nil {
					return nil, err
				}
			}
		}
	}
	return r, nil
}
