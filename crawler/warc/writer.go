package warc

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultMaxSize is the file size at which a Writer starts a new file when
// Options.MaxSize is 0: 1 GiB of compressed bytes.
const DefaultMaxSize = 1 << 30

// Options configures a Writer.
type Options struct {
	// Prefix starts every file name: <Prefix>-<UTC yyyymmddhhmmss>-<5-digit seq>.warc.gz.
	// It defaults to "baotinh" and may not contain a path separator.
	Prefix string
	// MaxSize: once a file holds this many (compressed) bytes, the next write
	// starts a new file. A file can exceed it by one exchange, which is never split.
	// 0 means DefaultMaxSize.
	MaxSize int64
	// Software goes into the warcinfo record as "software: ..." (e.g. "baotinh/dev").
	Software string
	// Info holds extra warcinfo fields (e.g. "robots": "obey", "operator": "..."),
	// written after the standard ones in the order of their names; a name that is
	// also a standard field ("software", "format", "conformsTo") replaces it.
	Info map[string]string
	// Sync makes every write also fsync the file. Without it a write is in the
	// file (in the kernel's hands) when it returns, which survives a crash of the
	// process but not necessarily of the machine. Files are always fsynced when
	// they are closed.
	Sync bool
}

// Location is where a record is: its file (the Writer's directory joined with
// the file name), the offset of its gzip member and the member's length, both
// in compressed bytes.
type Location struct {
	File   string
	Offset int64
	Length int64
}

// Exchange is one fetch. WriteExchange writes it as a request record (when
// Request is not empty), a response record and a metadata record (when Metadata
// is not empty), the other two linked to the response with WARC-Concurrent-To,
// all three with the same WARC-Target-URI and WARC-Date.
type Exchange struct {
	URL       string    // target URI as fetched; written escaped per RFC 3986 (see EscapeURI)
	Date      time.Time // when the response started; the zero time means now
	IP        string    // WARC-IP-Address, optional
	Request   []byte    // the HTTP request as sent: request line, headers, CRLF CRLF, body if any
	Response  []byte    // the HTTP response as received: status line, headers, CRLF CRLF, raw body
	Metadata  []byte    // optional JSON document, written as a metadata record (application/json)
	Truncated string    // optional WARC-Truncated reason ("length", "time", ...) for the response
}

// Writer writes WARC/1.1 records to files in a directory, each record as one
// gzip member, each file starting with a warcinfo record, a new file begun when
// the current one reaches Options.MaxSize. A record is in the file when the
// call that wrote it returns. A Writer is safe for concurrent use.
type Writer struct {
	mu  sync.Mutex
	dir string
	opt Options
	now func() time.Time

	seq    int      // sequence number of the next file
	f      *os.File // current file, nil before the first write and after rotation
	path   string   // its path
	size   int64    // its length
	infoID string   // its warcinfo record's ID
	closed bool

	buf bytes.Buffer // compressed members waiting to be written
	zw  *gzip.Writer
}

// fileName matches the names Writer gives its files: prefix, timestamp, sequence number.
var fileName = regexp.MustCompile(`^(.+)-([0-9]{14})-([0-9]{5,})\.warc(\.gz)?$`)

// NewWriter returns a Writer that writes into dir, creating it if needed. No
// file is created before the first record is written. If dir already holds WARC
// files, the Writer's files are numbered after the highest sequence number found
// there; it never writes into an existing file.
func NewWriter(dir string, opt Options) (*Writer, error) {
	if opt.Prefix == "" {
		opt.Prefix = "baotinh"
	}
	if strings.ContainsAny(opt.Prefix, `/\`+"\x00") || opt.Prefix == "." || opt.Prefix == ".." {
		return nil, fmt.Errorf("warc: file name prefix %q holds a path separator", opt.Prefix)
	}
	if opt.MaxSize < 0 {
		return nil, fmt.Errorf("warc: negative maximum file size %d", opt.MaxSize)
	}
	if opt.MaxSize == 0 {
		opt.MaxSize = DefaultMaxSize
	}
	for k, v := range opt.Info {
		if !isToken(k) || !validValue(v) {
			return nil, fmt.Errorf("warc: warcinfo field %q: name must be a token and the value one line", k)
		}
	}
	if !validValue(opt.Software) {
		return nil, fmt.Errorf("warc: software %q is not one line", opt.Software)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("warc: creating directory: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("warc: reading directory: %w", err)
	}
	seq := 0
	for _, e := range entries {
		if m := fileName.FindStringSubmatch(e.Name()); m != nil {
			if n, err := strconv.Atoi(m[3]); err == nil && n >= seq {
				seq = n + 1
			}
		}
	}
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression)
	return &Writer{dir: dir, opt: opt, now: time.Now, seq: seq, zw: zw}, nil
}

// WriteExchange writes e as a request, a response and a metadata record (see
// Exchange), all into the same file, and returns the response record's location.
func (w *Writer) WriteExchange(e Exchange) (Location, error) {
	if e.URL == "" {
		return Location{}, errors.New("warc: exchange without a URL")
	}
	if len(e.Response) == 0 {
		return Location{}, fmt.Errorf("warc: exchange for %s has no response bytes", e.URL)
	}
	target := EscapeURI(e.URL)
	ip := ""
	if e.IP != "" {
		a, err := netip.ParseAddr(e.IP)
		if err != nil {
			return Location{}, fmt.Errorf("warc: exchange for %s: IP address %q: %w", e.URL, e.IP, err)
		}
		ip = a.WithZone("").String()
	}
	if e.Truncated != "" && !isToken(e.Truncated) {
		return Location{}, fmt.Errorf("warc: exchange for %s: truncation reason %q is not a token", e.URL, e.Truncated)
	}
	date := e.Date
	if date.IsZero() {
		date = w.now()
	}
	ds := FormatDate(date)

	// Digests are the costly part and need nothing from the file: compute them unlocked.
	respID := NewRecordID()
	resp := Header{
		{"WARC-Type", TypeResponse},
		{"WARC-Record-ID", respID},
		{"WARC-Date", ds},
		{"WARC-Target-URI", target},
	}
	if ip != "" {
		resp.Add("WARC-IP-Address", ip)
	}
	if e.Truncated != "" {
		resp.Add("WARC-Truncated", e.Truncated)
	}
	addDigests(&resp, e.Response, true)
	resp.Add("Content-Type", ContentTypeHTTPResponse)
	resp.Add("Content-Length", strconv.Itoa(len(e.Response)))

	var recs []pending
	if len(e.Request) > 0 {
		req := Header{
			{"WARC-Type", TypeRequest},
			{"WARC-Record-ID", NewRecordID()},
			{"WARC-Date", ds},
			{"WARC-Target-URI", target},
		}
		if ip != "" {
			req.Add("WARC-IP-Address", ip)
		}
		req.Add("WARC-Concurrent-To", respID)
		addDigests(&req, e.Request, true)
		req.Add("Content-Type", ContentTypeHTTPRequest)
		req.Add("Content-Length", strconv.Itoa(len(e.Request)))
		recs = append(recs, pending{req, e.Request})
	}
	respIndex := len(recs)
	recs = append(recs, pending{resp, e.Response})
	if len(e.Metadata) > 0 {
		meta := Header{
			{"WARC-Type", TypeMetadata},
			{"WARC-Record-ID", NewRecordID()},
			{"WARC-Date", ds},
			{"WARC-Target-URI", target},
			{"WARC-Concurrent-To", respID},
		}
		addDigests(&meta, e.Metadata, false)
		meta.Add("Content-Type", ContentTypeJSON)
		meta.Add("Content-Length", strconv.Itoa(len(e.Metadata)))
		recs = append(recs, pending{meta, e.Metadata})
	}
	locs, err := w.write(recs)
	if err == ErrClosed {
		return Location{}, err
	}
	if err != nil {
		return Location{}, fmt.Errorf("warc: writing exchange for %s: %w", e.URL, err)
	}
	return locs[respIndex], nil
}

// WriteRecord writes one record and returns its location. r.Header must hold
// WARC-Type; fields it lacks among WARC-Record-ID, WARC-Date (now),
// WARC-Warcinfo-ID (but not on a warcinfo record), WARC-Block-Digest,
// WARC-Payload-Digest (request and response records with an application/http
// block) and Content-Length are added after the given ones. A given
// Content-Length or WARC-Block-Digest that does not match the body is an error.
// WARC-Target-URI is escaped (see EscapeURI). The body is read into memory
// whole; r.Body may be nil for an empty block. r itself is not modified.
func (w *Writer) WriteRecord(r *Record) (Location, error) {
	typ := r.Type()
	if typ == "" {
		return Location{}, errors.New("warc: record without WARC-Type")
	}
	var block []byte
	if r.Body != nil {
		var err error
		if block, err = io.ReadAll(r.Body); err != nil {
			return Location{}, fmt.Errorf("warc: reading %s record body: %w", typ, err)
		}
	}
	h := make(Header, 0, len(r.Header)+6)
	for _, f := range r.Header {
		if !isToken(f.Name) || !validValue(f.Value) {
			return Location{}, fmt.Errorf("warc: %s record field %q: name must be a token and the value one line", typ, f.Name)
		}
		if strings.EqualFold(f.Name, "WARC-Target-URI") {
			f.Value = EscapeURI(f.Value)
		}
		h = append(h, f)
	}
	if !h.Has("WARC-Record-ID") {
		h.Add("WARC-Record-ID", NewRecordID())
	}
	if !h.Has("WARC-Date") {
		h.Add("WARC-Date", FormatDate(w.now()))
	}
	if v := h.Get("WARC-Block-Digest"); v != "" {
		if hh, want, ok := parseDigest(v); ok {
			hh.Write(block)
			if !bytes.Equal(hh.Sum(nil), want) {
				return Location{}, fmt.Errorf("%w: %s record: WARC-Block-Digest %s does not match its body", ErrDigest, typ, v)
			}
		}
	}
	isHTTP := strings.HasPrefix(strings.ToLower(strings.TrimSpace(h.Get("Content-Type"))), "application/http")
	addDigests(&h, block, isHTTP && (typ == TypeRequest || typ == TypeResponse))
	if v := h.Get("Content-Length"); v != "" {
		if n, err := parseLength(v); err != nil || n != int64(len(block)) {
			return Location{}, fmt.Errorf("warc: %s record: Content-Length %q but the body has %d bytes", typ, v, len(block))
		}
	} else {
		h.Add("Content-Length", strconv.Itoa(len(block)))
	}
	locs, err := w.write([]pending{{h, block}})
	if err == ErrClosed {
		return Location{}, err
	}
	if err != nil {
		return Location{}, fmt.Errorf("warc: writing %s record: %w", typ, err)
	}
	return locs[0], nil
}

// addDigests adds WARC-Block-Digest and, for an HTTP message with a complete
// head, WARC-Payload-Digest over the bytes after the head as transferred, unless
// the header already has them.
func addDigests(h *Header, block []byte, http bool) {
	if !h.Has("WARC-Block-Digest") {
		h.Add("WARC-Block-Digest", SHA1Digest(block))
	}
	if http && !h.Has("WARC-Payload-Digest") {
		if n := HTTPHeadLength(block); n >= 0 {
			h.Add("WARC-Payload-Digest", SHA1Digest(block[n:]))
		}
	}
}

type pending struct {
	h     Header
	block []byte
}

// write writes records as consecutive gzip members of the current file, adding
// WARC-Warcinfo-ID, in one write call; on failure it cuts the file back to its
// previous length so that it never ends in a partial member the Writer made.
func (w *Writer) write(recs []pending) ([]Location, error) {
	// Compression is the costly part: do it unlocked, for the warcinfo of the
	// file open now, so that concurrent writers compress in parallel. If the
	// file changes before the lock is taken again (rotation), compress again.
	w.mu.Lock()
	infoID := w.infoID
	w.mu.Unlock()
	var members []byte
	var ends []int
	if infoID != "" {
		members, ends = compressRecords(recs, infoID)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil, ErrClosed
	}
	if w.f != nil && w.size >= w.opt.MaxSize {
		if err := w.closeFile(); err != nil {
			return nil, err
		}
	}
	if w.f == nil {
		if err := w.openFile(); err != nil {
			return nil, err
		}
	}
	if infoID != w.infoID {
		members, ends = compressRecords(recs, w.infoID)
	}
	w.buf.Reset()
	w.buf.Write(members)
	if err := w.flush(); err != nil {
		return nil, err
	}
	locs := make([]Location, len(recs))
	start := w.size - int64(w.buf.Len())
	prev := 0
	for i, end := range ends {
		locs[i] = Location{File: w.path, Offset: start + int64(prev), Length: int64(end - prev)}
		prev = end
	}
	return locs, nil
}

// gzipWriters are reused: a gzip.Writer costs ~800 KB of tables to make.
// BestSpeed compresses news pages about 4:1 at several times the speed of
// the default level, which matters when a crawl archives hundreds of pages
// a second.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return zw
}}

// compressRecords makes one gzip member per record, the records tied to the
// warcinfo record infoID, and returns the members and where each ends.
func compressRecords(recs []pending, infoID string) ([]byte, []int) {
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	var buf bytes.Buffer
	ends := make([]int, len(recs))
	for i, r := range recs {
		h := r.h
		if h.Get("WARC-Type") != TypeWarcinfo && !h.Has("WARC-Warcinfo-ID") {
			h = insertAfterDate(h, Field{"WARC-Warcinfo-ID", infoID})
		}
		writeMember(zw, &buf, h, r.block)
		ends[i] = buf.Len()
	}
	return buf.Bytes(), ends
}

// writeMember writes one record as a complete gzip member to buf (writes to a
// bytes.Buffer do not fail).
func writeMember(zw *gzip.Writer, buf *bytes.Buffer, h Header, block []byte) {
	zw.Reset(buf)
	var head bytes.Buffer
	head.Grow(512)
	head.WriteString(Version + "\r\n")
	for _, f := range h {
		head.WriteString(f.Name)
		head.WriteString(": ")
		head.WriteString(f.Value)
		head.WriteString("\r\n")
	}
	head.WriteString("\r\n")
	zw.Write(head.Bytes())
	zw.Write(block)
	zw.Write([]byte("\r\n\r\n"))
	zw.Close()
}

// insertAfterDate returns h with f inserted after WARC-Date (or at the end),
// leaving h itself alone.
func insertAfterDate(h Header, f Field) Header {
	out := make(Header, 0, len(h)+1)
	done := false
	for _, x := range h {
		out = append(out, x)
		if !done && strings.EqualFold(x.Name, "WARC-Date") {
			out = append(out, f)
			done = true
		}
	}
	if !done {
		out = append(out, f)
	}
	return out
}

// compress appends one record as one gzip member to w.buf.
func (w *Writer) compress(h Header, block []byte) error {
	writeMember(w.zw, &w.buf, h, block)
	return nil
}

// flush writes w.buf to the current file, or leaves the file as it was.
func (w *Writer) flush() error {
	n, err := w.f.Write(w.buf.Bytes())
	if err == nil && w.opt.Sync {
		err = w.f.Sync()
	}
	if err != nil {
		if n > 0 {
			if terr := w.f.Truncate(w.size); terr != nil {
				// The file may end in a partial member now; readers will report it
				// as truncated after its complete records. Write no more into it.
				w.f.Close()
				w.f = nil
				return fmt.Errorf("writing %s: %w (and cutting it back: %v)", w.path, err, terr)
			}
		}
		return fmt.Errorf("writing %s: %w", w.path, err)
	}
	w.size += int64(n)
	return nil
}

// openFile creates the next file, never an existing one, and writes its warcinfo record.
func (w *Writer) openFile() error {
	now := w.now().UTC()
	for tries := 0; ; tries++ {
		name := fmt.Sprintf("%s-%s-%05d.warc.gz", w.opt.Prefix, now.Format("20060102150405"), w.seq)
		path := filepath.Join(w.dir, name)
		w.seq++
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o644)
		if errors.Is(err, fs.ErrExist) && tries < 1000 {
			continue
		}
		if err != nil {
			return fmt.Errorf("creating file: %w", err)
		}
		w.f, w.path, w.size = f, path, 0
		w.infoID = NewRecordID()
		w.buf.Reset()
		h, block := w.warcinfo(name, now)
		if err := w.compress(h, block); err == nil {
			err = w.flush()
		}
		if err != nil {
			f.Close()
			os.Remove(path) // ours, just made, holding nothing worth keeping
			w.f = nil
			return fmt.Errorf("starting %s: %w", path, err)
		}
		syncDir(w.dir)
		return nil
	}
}

// warcinfo returns the header and the block of a file's warcinfo record.
func (w *Writer) warcinfo(name string, now time.Time) (Header, []byte) {
	fields := []Field{
		{"software", w.opt.Software},
		{"format", "WARC File Format 1.1"},
		{"conformsTo", "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"},
	}
	if w.opt.Software == "" {
		fields[0].Value = "github.com/baotinh/baotinh/crawler/warc"
	}
	keys := make([]string, 0, len(w.opt.Info))
	for k := range w.opt.Info {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if i := slices.IndexFunc(fields, func(f Field) bool { return strings.EqualFold(f.Name, k) }); i >= 0 {
			fields[i].Value = w.opt.Info[k]
			continue
		}
		fields = append(fields, Field{k, w.opt.Info[k]})
	}
	var body bytes.Buffer
	for _, f := range fields {
		body.WriteString(f.Name + ": " + f.Value + "\r\n")
	}
	return Header{
		{"WARC-Type", TypeWarcinfo},
		{"WARC-Record-ID", w.infoID},
		{"WARC-Date", FormatDate(now)},
		{"WARC-Filename", name},
		{"WARC-Block-Digest", SHA1Digest(body.Bytes())},
		{"Content-Type", ContentTypeWarcFields},
		{"Content-Length", strconv.Itoa(body.Len())},
	}, body.Bytes()
}

// closeFile fsyncs and closes the current file.
func (w *Writer) closeFile() error {
	f := w.f
	w.f = nil
	err := f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("closing %s: %w", w.path, err)
	}
	return nil
}

// Close fsyncs and closes the current file. Later writes fail with ErrClosed;
// closing again does nothing.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	if w.f == nil {
		return nil
	}
	if err := w.closeFile(); err != nil {
		return fmt.Errorf("warc: %w", err)
	}
	return nil
}

// syncDir makes a new directory entry durable, where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Files returns the WARC files (*.warc, *.warc.gz) of dir in the order they
// were written: files named by a Writer by sequence number (then timestamp),
// any others after them by name.
func Files(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("warc: listing WARC files: %w", err)
	}
	type file struct {
		name string
		seq  int
		ts   string
		ours bool
	}
	var files []file
	for _, e := range entries {
		n := e.Name()
		if !e.Type().IsRegular() || !(strings.HasSuffix(n, ".warc") || strings.HasSuffix(n, ".warc.gz")) {
			continue
		}
		f := file{name: n}
		if m := fileName.FindStringSubmatch(n); m != nil {
			if s, err := strconv.Atoi(m[3]); err == nil {
				f.seq, f.ts, f.ours = s, m[2], true
			}
		}
		files = append(files, f)
	}
	sort.Slice(files, func(i, j int) bool {
		a, b := files[i], files[j]
		if a.ours != b.ours {
			return a.ours
		}
		if a.ours && a.seq != b.seq {
			return a.seq < b.seq
		}
		if a.ours && a.ts != b.ts {
			return a.ts < b.ts
		}
		return a.name < b.name
	})
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = filepath.Join(dir, f.name)
	}
	return out, nil
}
