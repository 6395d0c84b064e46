package crawler

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/baotinh/baotinh/crawler/warc"
)

// A Fetch is one HTTP exchange as it happened: what was asked, what came
// back, and the bytes on the wire for the archive.
type Fetch struct {
	URL      string // real-world URL (after --base-url is undone)
	FetchURL string // URL actually requested
	Status   int
	Header   http.Header
	Body     []byte // entity body, content-encoding removed
	// Hops are the exchanges on the wire in order: redirects first, the final
	// response last. Each holds the raw request and response bytes.
	Hops []Hop
	// Truncated is set when the body was cut at the size cap.
	Truncated bool

	loc warc.Location // where the final response was archived
}

// A Hop is one request and its response, raw, as sent and received.
type Hop struct {
	URL      string // real-world URL of this hop
	Date     time.Time
	IP       string
	Request  []byte
	Response []byte
}

// fetcher performs single requests through colly with a capturing transport.
// It does no politeness itself: the scheduler decides when a request may go.
type fetcher struct {
	c       *colly.Collector
	maxBody int
	mapping *originMap
	allowed func(host string) bool

	mu   sync.Mutex
	jobs map[string]*captureSet
	seq  int64
}

// jobHeader carries a request's capture key from colly to the transport,
// which removes it before anything is sent.
const jobHeader = "X-Baotinh-Capture"

type captureSet struct {
	mu   sync.Mutex
	hops []*capture
}

type capture struct {
	url     string
	date    time.Time
	ip      string
	req     bytes.Buffer
	resp    bytes.Buffer
	maxResp int
	// body is the response body as colly read it (transfer coding removed),
	// kept for an HTML page whose Content-Type names a charset other than
	// UTF-8: colly converts such a body to UTF-8 before handing it over, and
	// the parser, which decodes the page itself by that same Content-Type,
	// must see the bytes as sent, as reindex sees them in the archive.
	body *bytes.Buffer
}

func newFetcher(ua string, timeout time.Duration, maxBody int, m *originMap, allowed func(string) bool) *fetcher {
	f := &fetcher{maxBody: maxBody, mapping: m, allowed: allowed, jobs: map[string]*captureSet{}}
	c := colly.NewCollector(
		colly.UserAgent(ua),
		colly.IgnoreRobotsTxt(), // obeyed by the scheduler, with Crawl-delay
		colly.AllowURLRevisit(), // identity and revisits are the crawl state's business
		colly.ParseHTTPErrorResponse(),
		colly.MaxBodySize(maxBody+1), // one byte more tells an oversized body
	)
	c.SetRequestTimeout(timeout)
	base := &http.Transport{
		// No proxy: through an HTTPS proxy the transport would do TLS over
		// our captured connection, and the archive would hold ciphertext.
		Proxy:                 nil,
		DialContext:           f.dial,
		DialTLSContext:        f.dialTLS,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       30 * time.Second,
		ResponseHeaderTimeout: timeout,
		DisableCompression:    true, // we ask for gzip ourselves and keep the bytes as sent
	}
	c.WithTransport(&captureTransport{f: f, next: base})
	c.SetRedirectHandler(f.redirect)
	f.c = c
	return f
}

// redirect follows redirects only inside the site's hosts, mapped through
// --base-url, and stops loops.
func (f *fetcher) redirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return fmt.Errorf("crawler: %w: %d redirects from %s", errRedirectLoop, len(via), f.mapping.toReal(via[0].URL))
	}
	real := f.mapping.realURL(req.URL)
	if !f.allowed(real.Host) {
		return fmt.Errorf("crawler: %w: to %s", errOffSite, real)
	}
	for _, v := range via {
		if f.mapping.toReal(v.URL) == real.String() {
			return fmt.Errorf("crawler: %w at %s", errRedirectLoop, real)
		}
	}
	*req.URL = *f.mapping.fetchURL(real)
	req.Host = ""
	return nil
}

// get fetches one URL (real-world form) with extra request headers.
func (f *fetcher) get(ctx context.Context, realURL string, hdr http.Header) (*Fetch, error) {
	u, err := url.Parse(realURL)
	if err != nil {
		return nil, fmt.Errorf("crawler: %w", err)
	}
	fu := f.mapping.fetchURL(u)
	f.mu.Lock()
	f.seq++
	key := strconv.FormatInt(f.seq, 10)
	set := &captureSet{}
	f.jobs[key] = set
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.jobs, key)
		f.mu.Unlock()
	}()

	h := http.Header{}
	for k, v := range hdr {
		h[k] = v
	}
	h.Set(jobHeader, key)
	h.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	h.Set("Accept-Encoding", "gzip")
	h.Set("Accept-Language", "vi,en;q=0.5")

	out := &Fetch{URL: realURL, FetchURL: fu.String()}
	var resp *colly.Response
	var respErr error
	cl := f.collectorFor(ctx)
	cl.OnResponse(func(r *colly.Response) { resp = r })
	cl.OnError(func(r *colly.Response, e error) {
		respErr = e
		if r != nil && r.StatusCode > 0 {
			resp = r
		}
	})
	if err := cl.Request(http.MethodGet, fu.String(), nil, colly.NewContext(), h); err != nil && respErr == nil {
		respErr = err
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	var asSent *bytes.Buffer // the final response's body before colly recoded it
	set.mu.Lock()
	for _, c := range set.hops {
		out.Hops = append(out.Hops, Hop{URL: c.url, Date: c.date, IP: c.ip, Request: c.req.Bytes(), Response: c.resp.Bytes()})
		asSent = c.body
	}
	set.mu.Unlock()
	if resp != nil && resp.StatusCode > 0 {
		out.Status = resp.StatusCode
		if resp.Headers != nil {
			out.Header = *resp.Headers
		}
		out.Body = resp.Body
		if asSent != nil {
			out.Body = asSent.Bytes()
		}
		if ce := strings.ToLower(out.Header.Get("Content-Encoding")); strings.Contains(ce, "gzip") && len(out.Body) > 0 {
			// One byte over the cap tells an oversized body, as for plain ones.
			body, err := gunzipIfGzip(out.Body, int64(f.maxBody)+1)
			if err != nil && !errors.Is(err, errTooLarge) {
				return out, fmt.Errorf("crawler: %s: content-encoding gzip: %w", realURL, err)
			}
			out.Body = body
		}
		if len(out.Body) > f.maxBody {
			out.Body = out.Body[:f.maxBody]
			out.Truncated = true
		}
		if resp.Request != nil && resp.Request.URL != nil {
			out.URL = f.mapping.toReal(resp.Request.URL)
		}
	}
	if respErr != nil && out.Status == 0 {
		return out, respErr
	}
	return out, nil
}

// collectorFor returns a collector sharing the transport and settings of the
// fetcher's, with fresh callbacks for one request. colly's Clone shares the
// backend (and so the transport and its connections).
func (f *fetcher) collectorFor(ctx context.Context) *colly.Collector {
	c := f.c.Clone()
	c.Context = ctx
	return c
}

// captureTransport records the bytes of every request and response on the
// wire, per request, for the WARC archive.
type captureTransport struct {
	f    *fetcher
	next http.RoundTripper
}

func (t *captureTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	key := req.Header.Get(jobHeader)
	r := req.Clone(req.Context())
	r.Header.Del(jobHeader)
	t.f.mu.Lock()
	set := t.f.jobs[key]
	t.f.mu.Unlock()
	if set == nil {
		return t.next.RoundTrip(r)
	}
	c := &capture{url: t.f.mapping.toReal(req.URL), date: time.Now().UTC(), maxResp: t.f.maxBody + 64<<10}
	set.mu.Lock()
	set.hops = append(set.hops, c)
	set.mu.Unlock()
	trace := &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) {
			if tc, ok := info.Conn.(*teeConn); ok {
				tc.start(c)
			}
			if a, ok := info.Conn.RemoteAddr().(*net.TCPAddr); ok {
				c.ip = a.IP.String()
			}
		},
	}
	r = r.WithContext(httptrace.WithClientTrace(r.Context(), trace))
	resp, err := t.next.RoundTrip(r)
	if resp != nil {
		// Keep colly from decompressing on its own (it would on a ".xml.gz"
		// path even for an empty 304): the fetcher undoes Content-Encoding
		// itself, and sitemaps are unzipped by their magic bytes.
		resp.Uncompressed = true
		if resp.Body != nil && collyRecodes(resp.Header.Get("Content-Type")) {
			c.body = &bytes.Buffer{}
			resp.Body = &teeBody{ReadCloser: resp.Body, buf: c.body}
		}
	}
	return resp, err
}

// collyRecodes tells an HTML page whose body colly converts to UTF-8 by the
// charset its Content-Type names (colly's Response.fixCharset): the parser
// wants the bytes as sent.
func collyRecodes(contentType string) bool {
	ct := strings.ToLower(contentType)
	if !strings.Contains(ct, "charset") || strings.Contains(ct, "utf-8") || strings.Contains(ct, "utf8") {
		return false
	}
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.TrimSpace(mt)
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// teeBody copies a response body, as the client reads it, into buf.
type teeBody struct {
	io.ReadCloser
	buf *bytes.Buffer
}

func (b *teeBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.buf.Write(p[:n])
	return n, err
}

func (f *fetcher) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	d.Timeout = 30 * time.Second
	conn, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return &teeConn{Conn: conn}, nil
}

func (f *fetcher) dialTLS(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	d.Timeout = 30 * time.Second
	raw, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	host, _, _ := net.SplitHostPort(addr)
	tc := tls.Client(raw, &tls.Config{ServerName: host, NextProtos: []string{"http/1.1"}})
	if err := tc.HandshakeContext(ctx); err != nil {
		raw.Close()
		return nil, err
	}
	return &teeConn{Conn: tc}, nil
}

// teeConn copies what is written and read on a connection into the capture
// of the request using it. HTTP/1.1 carries one exchange at a time, and the
// transport reports which request got the connection before writing it.
type teeConn struct {
	net.Conn
	mu  sync.Mutex
	cur *capture
}

func (c *teeConn) start(cp *capture) {
	c.mu.Lock()
	c.cur = cp
	c.mu.Unlock()
}

func (c *teeConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.mu.Lock()
		if cp := c.cur; cp != nil && cp.resp.Len() < cp.maxResp {
			cp.resp.Write(p[:min(n, cp.maxResp-cp.resp.Len())])
		}
		c.mu.Unlock()
	}
	return n, err
}

func (c *teeConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	if cp := c.cur; cp != nil {
		cp.req.Write(p)
	}
	c.mu.Unlock()
	return c.Conn.Write(p)
}

// originMap maps sites' real origins onto mirrors (--base-url) and back.
// Every host of a profile maps onto that profile's mirror, so a mirror serves
// the old domain's links too.
type originMap struct {
	toMirror   map[string]*url.URL // real host -> mirror base
	fromMirror map[string]*url.URL // mirror host -> real origin
}

func newOriginMap() *originMap {
	return &originMap{toMirror: map[string]*url.URL{}, fromMirror: map[string]*url.URL{}}
}

// add maps all of a profile's hosts onto base.
func (m *originMap) add(p *Profile, base *url.URL) {
	for _, h := range p.Hosts {
		m.toMirror[h] = base
	}
	m.fromMirror[strings.ToLower(base.Host)] = p.OriginURL()
}

// fetchURL returns the URL to request for a real-world URL.
func (m *originMap) fetchURL(u *url.URL) *url.URL {
	b, ok := m.toMirror[strings.ToLower(u.Host)]
	if !ok {
		return u
	}
	v := *u
	v.Scheme, v.Host = b.Scheme, b.Host
	return &v
}

// realURL returns the real-world form of a requested URL.
func (m *originMap) realURL(u *url.URL) *url.URL {
	o, ok := m.fromMirror[strings.ToLower(u.Host)]
	if !ok {
		return u
	}
	v := *u
	v.Scheme, v.Host = o.Scheme, o.Host
	return &v
}

func (m *originMap) toReal(u *url.URL) string { return m.realURL(u).String() }
