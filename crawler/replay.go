package crawler

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/baotinh/baotinh/crawler/warc"
)

// Archived is one article read back from the archive.
type Archived struct {
	// Page is re-parsed from the archived response with today's parser and
	// the site's profile of today, exactly as the crawl built it: SiteID is
	// the crawl's id of the article, URL its canonical URL when the page
	// names none.
	Page    *Page
	Fetched time.Time // WARC-Date of the response
	File    string    // base name of the WARC file
	Offset  int64     // offset of the response record (ArticleState.WARCOffset)
	Hash    string    // the archive record's hash, as the crawl stored it
}

// ReplayOptions configure Replay.
type ReplayOptions struct {
	DataDir string
	// Progress is called as the archive is read, with the bytes of WARC
	// files read so far and the total size of the WARC files when Replay
	// began. May be nil.
	Progress func(done, total int64)
	// Log receives the warnings (a truncated or damaged file, an article
	// that can no longer be parsed), one line each. May be nil.
	Log func(string)
}

// ReplayStats is what Replay read.
type ReplayStats struct {
	Files    int      // WARC files read
	Records  int      // WARC records read
	Articles int      // articles passed to fn
	Skipped  int      // articles archived as "ok" that could not be rebuilt
	Warnings []string // as given to ReplayOptions.Log
}

// Replay reads every WARC file of the data directory in order and calls fn
// for every article the crawl archived with status "ok": all its versions,
// oldest first (the caller keeps the latest). Each response is parsed again
// from its archived bytes with the parser and the profiles of today (built-in
// profiles, replaced or extended by those in DATA/profiles; a site crawled by
// its URL gets the generic profile again), so the result is what a crawl of
// the same bytes would hand OnArticle now; run the extractor on it anew.
//
// Replay needs the archive only, not the crawl state. It streams: at most one
// response is held in memory, and fn may keep the Archived it is given (it
// shares no memory with the replay), or hand it to another goroutine. A file cut short (a crawl killed while writing
// it) or damaged is a warning: the records before the damage are used and
// Replay goes on with the next file. An article that can no longer be rebuilt
// (its profile is gone, its page no longer parses as an article) is counted
// in Skipped with a warning. The error is fn's (wrapped), ctx.Err() when ctx
// is done, or one that stops the archive from being read at all.
func Replay(ctx context.Context, opt ReplayOptions, fn func(*Archived) error) (*ReplayStats, error) {
	stats := &ReplayStats{}
	if err := ctx.Err(); err != nil {
		return stats, err
	}
	files, err := warc.Files(WARCDir(opt.DataDir))
	if err != nil {
		return stats, fmt.Errorf("crawler: replay: %w", err)
	}
	profiles, err := newProfileSet(opt.DataDir)
	if err != nil {
		return stats, fmt.Errorf("crawler: replay: %w", err)
	}
	sizes := make([]int64, len(files))
	var total int64
	for i, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			return stats, fmt.Errorf("crawler: replay: %w", err)
		}
		sizes[i] = fi.Size()
		total += fi.Size()
	}
	r := &replayer{opt: opt, stats: stats, profiles: profiles, fn: fn, total: total}
	for i, f := range files {
		if err := r.file(ctx, f, sizes[i]); err != nil {
			return stats, err
		}
		r.done += sizes[i]
		r.progress(0)
	}
	return stats, nil
}

// maxResponse bounds the archived response Replay keeps in memory to parse:
// more than the parser takes (maxPageSize), which the crawl cannot have
// parsed either.
const maxResponse = maxPageSize + 2<<20

type replayer struct {
	opt      ReplayOptions
	stats    *ReplayStats
	profiles *profileSet
	fn       func(*Archived) error

	done, total, reported int64
}

func (r *replayer) warn(format string, args ...any) {
	msg := "replay: " + fmt.Sprintf(format, args...)
	r.stats.Warnings = append(r.stats.Warnings, msg)
	if r.opt.Log != nil {
		r.opt.Log(msg)
	}
}

// progress reports n bytes read of the current file.
func (r *replayer) progress(n int64) {
	if r.opt.Progress == nil || r.done+n == r.reported {
		return
	}
	r.reported = r.done + n
	r.opt.Progress(r.reported, r.total)
}

// response is the last response record read, waiting for its metadata.
type response struct {
	id, target string
	date       time.Time
	offset     int64
	block      bytes.Buffer
	problem    string // why the block cannot be used ("" if it can)
}

// file replays the first size bytes of one WARC file (a file still being
// written is read as it was when Replay began). Only ctx.Err() and fn's
// errors stop the replay; the archive's own faults are warnings.
func (r *replayer) file(ctx context.Context, path string, size int64) error {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		r.warn("%s: %v", name, err)
		return nil
	}
	defer f.Close()
	r.stats.Files++
	cr := &counter{r: io.LimitReader(f, size)}
	wr, err := warc.NewReader(cr)
	if err != nil {
		r.warn("%s: %v", name, err)
		return nil
	}
	var resp response
	// A metadata record whose block fails its digest is a warning, unless
	// the file fails right after (a damaged gzip member fails its checksum
	// once its record is read): one warning then, for the file. (A response
	// that fails its digest is one for the article archived with it.)
	var damaged string
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := wr.Next()
		if err != nil && err != io.EOF {
			r.warn("%s: %v (the records before it were read)", name, err)
			return nil
		}
		if damaged != "" {
			r.warn("%s", damaged)
			damaged = ""
		}
		if err == io.EOF {
			return nil
		}
		r.stats.Records++
		switch rec.Type() {
		case warc.TypeResponse:
			resp.id, resp.target, resp.date, resp.offset, resp.problem = rec.ID(), rec.TargetURI(), rec.Date(), rec.Offset, ""
			resp.block.Reset()
			if cl := rec.ContentLength(); cl > maxResponse {
				resp.problem = fmt.Sprintf("response of %d bytes, more than the parser takes", cl)
				break
			}
			if _, err := io.Copy(&resp.block, rec.Body); err != nil {
				// Cut short or damaged: the file fails at the next record,
				// or the article archived with it is skipped.
				resp.problem = err.Error()
				resp.block.Reset()
			}
		case warc.TypeMetadata:
			ar, err := readArchiveRecord(rec)
			if err != nil {
				if errors.Is(err, warc.ErrDigest) {
					damaged = fmt.Sprintf("%s: %s: %v", name, rec.TargetURI(), err)
				}
				continue // else cut short: the file fails at the next record
			}
			if ar == nil {
				continue // not an article archived as "ok"
			}
			if !concurrent(rec, resp.id) {
				r.skip("%s: %s: metadata record at offset %d names no response read before it", name, ar.URL, rec.Offset)
				continue
			}
			if resp.problem != "" {
				r.skip("%s: %s: response at offset %d: %s", name, ar.URL, resp.offset, resp.problem)
				continue
			}
			a, err := r.profiles.rebuild(ar, &resp)
			resp.id = "" // one article per response
			if err != nil {
				r.skip("%s: %s: %v", name, ar.URL, err)
				continue
			}
			a.File = name
			r.stats.Articles++
			if err := r.fn(a); err != nil {
				if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
					return ctx.Err()
				}
				return fmt.Errorf("crawler: replay: %s: %w", ar.URL, err)
			}
		}
		r.progress(cr.n)
	}
}

// skip counts an article that cannot be rebuilt.
func (r *replayer) skip(format string, args ...any) {
	r.stats.Skipped++
	r.warn(format+": skipped", args...)
}

type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// readArchiveRecord reads a metadata record's ArchiveRecord: nil (and no
// error) when it is not an article archived as "ok", or not the crawl's.
func readArchiveRecord(rec *warc.Record) (*ArchiveRecord, error) {
	if ct := rec.Header.Get("Content-Type"); ct != warc.ContentTypeJSON {
		return nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(rec.Body, maxResponse))
	if err != nil {
		return nil, err
	}
	var ar ArchiveRecord
	if json.Unmarshal(body, &ar) != nil || ar.Status != "ok" || ar.Site == "" || ar.ID == "" {
		return nil, nil
	}
	return &ar, nil
}

// concurrent reports whether a metadata record belongs to the response whose
// record ID is id, the last one read before it: it names it in
// WARC-Concurrent-To, or it names none (written by a tool that does not
// link its records).
func concurrent(meta *warc.Record, id string) bool {
	if id == "" {
		return false
	}
	to := meta.ConcurrentTo()
	for _, v := range to {
		if v == id {
			return true
		}
	}
	return len(to) == 0
}

// ArchivedAt reads back the one article whose records start at offset in
// file (a WARC file's base name, as ArticleState.WARCFile holds it, or a
// path): the response record there (ArticleState.WARCOffset), the crawl's
// metadata record that follows it, and the page parsed again as Replay does.
// It loads the profiles on every call: to read many articles, use Replay.
func ArchivedAt(dataDir, file string, offset int64) (*Archived, error) {
	path := file
	if filepath.Base(file) == file {
		path = filepath.Join(WARCDir(dataDir), file)
	}
	name := filepath.Base(path)
	where := fmt.Sprintf("%s at offset %d", name, offset)
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("crawler: %w", err)
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return nil, fmt.Errorf("crawler: %s: %w", where, err)
	}
	wr, err := warc.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("crawler: %s: %w", where, err)
	}
	var resp response
	for i := 0; ; i++ {
		rec, err := wr.Next()
		if err == io.EOF {
			return nil, fmt.Errorf("crawler: %s: no article archived there (the file ends)", where)
		}
		if err != nil {
			return nil, fmt.Errorf("crawler: %s: %w", where, err)
		}
		switch typ := rec.Type(); {
		case typ == warc.TypeRequest && resp.id == "" && i == 0:
			// The exchange's request record: its response follows.
		case typ == warc.TypeResponse && resp.id == "":
			resp.id, resp.target, resp.date, resp.offset = rec.ID(), rec.TargetURI(), rec.Date(), offset+rec.Offset
			if cl := rec.ContentLength(); cl > maxResponse {
				return nil, fmt.Errorf("crawler: %s: response of %d bytes, more than the parser takes", where, cl)
			}
			if _, err := io.Copy(&resp.block, rec.Body); err != nil {
				return nil, fmt.Errorf("crawler: %s: %w", where, err)
			}
		case typ == warc.TypeMetadata && resp.id != "" && concurrent(rec, resp.id):
			ar, err := readArchiveRecord(rec)
			if err != nil {
				return nil, fmt.Errorf("crawler: %s: %w", where, err)
			}
			if ar == nil {
				return nil, fmt.Errorf("crawler: %s: %s was not archived as an article", where, resp.target)
			}
			profiles, err := newProfileSet(dataDir)
			if err != nil {
				return nil, err
			}
			a, err := profiles.rebuild(ar, &resp)
			if err != nil {
				return nil, fmt.Errorf("crawler: %s: %s: %w", where, ar.URL, err)
			}
			a.File = name
			return a, nil
		default:
			what := "the response"
			if resp.id != "" {
				what = "its metadata record"
			}
			return nil, fmt.Errorf("crawler: %s: %s record where %s was expected: no article archived there", where, rec.Type(), what)
		}
	}
}

// profileSet finds the profile an archived article was crawled with, by the
// site name its metadata record holds.
type profileSet struct {
	known   []*Profile
	generic map[string]*Profile // by origin
}

// newProfileSet gathers the profiles the crawl command knows: the built-in
// ones, replaced or extended by those in DATA/profiles.
func newProfileSet(dataDir string) (*profileSet, error) {
	known := Profiles()
	user, err := UserProfiles(filepath.Join(dataDir, "profiles"))
	if err != nil {
		return nil, err
	}
	for _, u := range user {
		replaced := false
		for i, k := range known {
			if k.Name == u.Name {
				known[i], replaced = u, true
			}
		}
		if !replaced {
			known = append(known, u)
		}
	}
	return &profileSet{known: known, generic: map[string]*Profile{}}, nil
}

// profile returns the profile of the site an article was archived for: the
// profile of that name, unless it does not serve the article's host and the
// site was crawled by its URL (the crawl names a generic site by its host's
// first label: "baovidu" for https://baovidu.vn).
func (ps *profileSet) profile(site, canonical string) (*Profile, error) {
	var named *Profile
	for _, p := range ps.known {
		if p.Name == site {
			named = p
			break
		}
	}
	u, _ := url.Parse(canonical)
	if u == nil || u.Host == "" || (named != nil && named.Allowed(u.Host)) {
		if named == nil {
			return nil, fmt.Errorf("crawler: no profile named %q", site)
		}
		return named, nil
	}
	origin := u.Scheme + "://" + u.Host
	g, ok := ps.generic[origin]
	if !ok {
		g, _ = GenericProfile(origin)
		ps.generic[origin] = g
	}
	switch {
	case g != nil && g.Name == site:
		return g, nil
	case named != nil:
		return named, nil
	}
	return nil, fmt.Errorf("crawler: no profile named %q, and %s is not the generic site of that name", site, origin)
}

// rebuild parses an archived response again as the crawl did.
func (ps *profileSet) rebuild(ar *ArchiveRecord, resp *response) (*Archived, error) {
	p, err := ps.profile(ar.Site, ar.URL)
	if err != nil {
		return nil, err
	}
	status, hdr, body, err := archivedBody(resp.block.Bytes(), resp.target)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("crawler: archived response is http %d", status)
	}
	page, err := ParseArticle(body, hdr.Get("Content-Type"), mustParse(resp.target), p)
	if err != nil {
		return nil, err
	}
	if !page.IsArticle {
		return nil, errors.New("crawler: the page no longer parses as an article")
	}
	// As the crawl does (*crawl).article.
	page.Article.SiteID = ar.ID
	if page.Article.URL == "" {
		page.Article.URL = ar.URL
	}
	return &Archived{Page: page, Fetched: resp.date, Offset: resp.offset, Hash: ar.Hash}, nil
}

// archivedBody returns the status, header and entity body of an archived
// HTTP response as the crawl's fetcher handed them to the parser: transfer
// coding and gzip content coding undone, the body as sent otherwise.
// Interim (1xx) responses before the final one are passed over.
func archivedBody(block []byte, target string) (int, http.Header, []byte, error) {
	rec := &warc.Record{Header: warc.Header{
		{Name: "WARC-Type", Value: warc.TypeResponse},
		{Name: "WARC-Target-URI", Value: target},
		{Name: "Content-Length", Value: strconv.Itoa(len(block))},
	}, Body: bytes.NewReader(block)}
	var resp *http.Response
	for {
		var err error
		if resp, err = warc.ReadHTTPResponse(rec); err != nil {
			return 0, nil, nil, fmt.Errorf("crawler: %w", err)
		}
		if resp.StatusCode >= 200 || resp.StatusCode == http.StatusSwitchingProtocols {
			break
		}
		rec.Header[2].Value = strconv.FormatInt(resp.ContentLength, 10)
		rec.Body = resp.Body
	}
	var r io.Reader = resp.Body
	te := strings.ToLower(strings.Join(resp.Header.Values("Transfer-Encoding"), ","))
	switch {
	case strings.HasSuffix(strings.TrimSpace(te), "chunked"):
		r = httputil.NewChunkedReader(bufio.NewReader(r))
	case resp.Header.Get("Content-Length") != "":
		if n, err := strconv.ParseInt(strings.TrimSpace(resp.Header.Get("Content-Length")), 10, 64); err == nil && n >= 0 {
			r = io.LimitReader(r, n)
		}
	}
	body, err := io.ReadAll(r)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("crawler: archived body: %w", err)
	}
	if ce := strings.ToLower(resp.Header.Get("Content-Encoding")); strings.Contains(ce, "gzip") && len(body) > 0 {
		if body, err = gunzipIfGzip(body, maxPageSize+1); err != nil {
			return 0, nil, nil, fmt.Errorf("crawler: archived body: content-encoding gzip: %w", err)
		}
	}
	return resp.StatusCode, resp.Header, body, nil
}
