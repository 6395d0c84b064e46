package warc

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/textproto"
	"os"
	"strconv"
	"strings"
)

const (
	bufSize        = 64 << 10
	maxHeaderBytes = 1 << 20 // a WARC record header or an HTTP head longer than this is refused
)

// Reader reads the records of one WARC file, plain or gzip-compressed (one
// member per record, or any other split into members, one big member included).
type Reader struct {
	cr   *countReader  // the input, counting the bytes taken from it
	zbuf *bufio.Reader // buffered input
	gz   *gzip.Reader  // nil for a plain WARC file
	br   *bufio.Reader // the WARC stream: zbuf itself, or the decompressed members
	pos  int64         // bytes of the WARC stream consumed
	base int64         // offset in its file of the input's first byte

	member int64         // offset of the gzip member being read
	single bool          // stop after the first gzip member (ReadAt)
	starts []memberStart // gzip members that began at WARC stream positions not yet passed

	cur  *body // the last record's body
	n    int   // records returned
	err  error // sticky: once set, Next returns it
	line []byte
}

type memberStart struct {
	pos, offset int64 // position in the WARC stream, offset in the file
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// NewReader returns a Reader of the WARC file r. It detects gzip by its magic
// bytes (1f 8b); anything else is read as plain WARC. Record offsets are counted
// from r's position when NewReader is called.
func NewReader(r io.Reader) (*Reader, error) {
	return newReader(r, 0)
}

func newReader(r io.Reader, base int64) (*Reader, error) {
	cr := &countReader{r: r}
	rd := &Reader{cr: cr, zbuf: bufio.NewReaderSize(cr, bufSize), base: base}
	magic, err := rd.zbuf.Peek(4)
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("warc: reading input: %w", err)
	}
	switch {
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		rd.gz = new(gzip.Reader)
		rd.br = bufio.NewReaderSize(&memberReader{rd: rd}, bufSize)
	case len(magic) == 4 && bytes.Equal(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return nil, errors.New("warc: zstandard-compressed WARC files are not supported")
	default:
		rd.br = rd.zbuf
	}
	return rd, nil
}

// memberReader yields the decompressed bytes of consecutive gzip members,
// noting where each member starts in the file and in the WARC stream.
type memberReader struct {
	rd    *Reader
	open  bool
	count int   // members begun
	out   int64 // decompressed bytes yielded
}

func (m *memberReader) Read(p []byte) (int, error) {
	rd := m.rd
	for {
		if !m.open {
			if rd.single && m.count > 0 {
				return 0, io.EOF
			}
			magic, err := rd.zbuf.Peek(2)
			if len(magic) == 0 {
				return 0, err // io.EOF: no more members
			}
			rd.member = rd.base + rd.cr.n - int64(rd.zbuf.Buffered())
			if magic[0] != 0x1f || len(magic) == 2 && magic[1] != 0x8b {
				return 0, gzip.ErrHeader
			}
			if err := rd.gz.Reset(rd.zbuf); err != nil {
				if err == io.EOF {
					err = io.ErrUnexpectedEOF
				}
				return 0, err
			}
			rd.gz.Multistream(false)
			m.count++
			rd.starts = append(rd.starts, memberStart{m.out, rd.member})
			m.open = true
		}
		n, err := rd.gz.Read(p)
		m.out += int64(n)
		if err == io.EOF {
			m.open = false
			if n > 0 {
				return n, nil
			}
			continue
		}
		return n, err
	}
}

// Next returns the next record, or io.EOF after the last one. Its Body is
// valid until the next call. If the input ends inside a record, Next returns
// an error wrapping ErrTruncated (when only the record's block is cut short,
// Next returns the record first and reading its Body fails that way); input
// that is not WARC, or a damaged gzip member, gives an error wrapping
// ErrCorrupt. After an error, Next keeps returning it.
func (r *Reader) Next() (*Record, error) {
	if r.err != nil {
		return nil, r.err
	}
	if b := r.cur; b != nil {
		r.cur = nil
		b.stale = true
		if err := b.skip(); err != nil {
			r.err = err
			return nil, err
		}
	}
	rec, err := r.next()
	if err != nil {
		r.err = err
		return nil, err
	}
	r.n++
	return rec, nil
}

func (r *Reader) next() (*Record, error) {
	p0 := r.pos
	for { // blank lines between records
		c, err := r.br.ReadByte()
		if err == io.EOF {
			return nil, io.EOF
		}
		if err != nil {
			return nil, r.inputErr(err, fmt.Sprintf("record %d", r.n+1))
		}
		if c != '\r' && c != '\n' {
			r.br.UnreadByte()
			break
		}
		r.pos++
	}
	start := r.pos
	off := r.offsetOf(p0, start)
	where := fmt.Sprintf("record %d at offset %d", r.n+1, off)
	if off < 0 {
		where = fmt.Sprintf("record %d (%d bytes into the decompressed stream)", r.n+1, start)
	}

	line, err := r.readLine()
	if err != nil {
		if n := min(len(line), 5); err == io.ErrUnexpectedEOF && !bytes.HasPrefix(line, []byte("WARC/"[:n])) {
			return nil, fmt.Errorf("%w: %s: expected a WARC version line, found %q", ErrCorrupt, where, clip(line))
		}
		return nil, r.inputErr(err, where+", in its version line")
	}
	if !bytes.HasPrefix(line, []byte("WARC/")) || len(line) == 5 || len(line) > 32 {
		return nil, fmt.Errorf("%w: %s: expected a WARC version line, found %q", ErrCorrupt, where, clip(line))
	}
	rec := &Record{Version: string(line), Offset: off}
	size := len(line)
	for {
		line, err := r.readLine()
		if err != nil {
			return nil, r.inputErr(err, where+", in its header")
		}
		if len(line) == 0 {
			break
		}
		if size += len(line); size > maxHeaderBytes {
			return nil, fmt.Errorf("%w: %s: header longer than %d bytes", ErrCorrupt, where, maxHeaderBytes)
		}
		if line[0] == ' ' || line[0] == '\t' { // continuation of the previous field
			if len(rec.Header) == 0 {
				return nil, fmt.Errorf("%w: %s: header starts with a continuation line", ErrCorrupt, where)
			}
			f := &rec.Header[len(rec.Header)-1]
			if v := strings.TrimSpace(string(line)); v != "" {
				if f.Value != "" {
					f.Value += " "
				}
				f.Value += v
			}
			continue
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		name = bytes.TrimRight(name, " \t")
		if !ok || !isToken(string(name)) {
			return nil, fmt.Errorf("%w: %s: malformed header line %q", ErrCorrupt, where, clip(line))
		}
		rec.Header = append(rec.Header, Field{string(name), strings.TrimSpace(string(value))})
	}
	cl, err := parseLength(rec.Header.Get("Content-Length"))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: Content-Length: %v", ErrCorrupt, where, err)
	}
	b := &body{r: r, where: where, size: cl, remaining: cl}
	if v := rec.Header.Get("WARC-Block-Digest"); v != "" {
		b.h, b.want, _ = parseDigest(v)
		b.digest = v
	}
	rec.Body = b
	r.cur = b
	return rec, nil
}

// offsetOf returns the file offset of a record whose leading blank lines start
// at WARC stream position p0 and whose version line starts at p: the offset of
// the last gzip member begun in between, -1 if none was (in a gzip file), or p
// itself (in a plain file).
func (r *Reader) offsetOf(p0, p int64) int64 {
	if r.gz == nil {
		return r.base + p
	}
	off := int64(-1)
	i := 0
	for ; i < len(r.starts) && r.starts[i].pos <= p; i++ {
		if r.starts[i].pos >= p0 {
			off = r.starts[i].offset
		}
	}
	r.starts = append(r.starts[:0], r.starts[i:]...)
	return off
}

// readLine reads one line of a header, without its line ending (CRLF or LF).
// The slice is valid until the next call.
func (r *Reader) readLine() ([]byte, error) {
	r.line = r.line[:0]
	for {
		chunk, err := r.br.ReadSlice('\n')
		r.pos += int64(len(chunk))
		if err == bufio.ErrBufferFull {
			if len(r.line)+len(chunk) > maxHeaderBytes {
				return nil, errLineTooLong
			}
			r.line = append(r.line, chunk...)
			continue
		}
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF // a header line always ends in a line feed
			}
			return append(r.line, chunk...), err
		}
		line := chunk
		if len(r.line) > 0 {
			r.line = append(r.line, chunk...)
			line = r.line
		}
		line = line[:len(line)-1]
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		return line, nil
	}
}

var errLineTooLong = fmt.Errorf("header line longer than %d bytes", maxHeaderBytes)

// inputErr wraps an error met while reading the WARC stream.
func (r *Reader) inputErr(err error, where string) error {
	if err == errLineTooLong {
		return fmt.Errorf("%w: %s: %w", ErrCorrupt, where, err)
	}
	in := ""
	if r.gz != nil {
		in = fmt.Sprintf(" (gzip member at offset %d)", r.member)
	}
	var corrupt flate.CorruptInputError
	switch {
	case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: %s: input ends early%s: %w", ErrTruncated, where, in, io.ErrUnexpectedEOF)
	case errors.Is(err, gzip.ErrHeader):
		return fmt.Errorf("%w: %s: data at offset %d is not a gzip member: %w", ErrCorrupt, where, r.member, err)
	case errors.Is(err, gzip.ErrChecksum), errors.As(err, &corrupt):
		return fmt.Errorf("%w: %s: damaged gzip data%s: %w", ErrCorrupt, where, in, err)
	}
	return fmt.Errorf("warc: %s: %w", where, err)
}

func clip(b []byte) []byte {
	if len(b) > 40 {
		return b[:40]
	}
	return b
}

// body reads a record's block from the Reader, checking its digest at the end.
type body struct {
	r               *Reader
	where           string
	size, remaining int64
	h               hash.Hash
	want            []byte
	digest          string
	stale, checked  bool
	err             error
}

func (b *body) Read(p []byte) (int, error) {
	if b.stale {
		return 0, fmt.Errorf("warc: %s: body read after the next call to Next", b.where)
	}
	if b.err != nil {
		return 0, b.err
	}
	if b.remaining == 0 {
		b.err = io.EOF
		if b.h != nil && !b.checked {
			b.checked = true
			if got := b.h.Sum(nil); !bytes.Equal(got, b.want) {
				b.err = fmt.Errorf("%w: %s: block does not match WARC-Block-Digest %s", ErrDigest, b.where, b.digest)
			}
		}
		return 0, b.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	if int64(len(p)) > b.remaining {
		p = p[:b.remaining]
	}
	n, err := b.r.br.Read(p)
	b.r.pos += int64(n)
	b.remaining -= int64(n)
	if b.h != nil {
		b.h.Write(p[:n])
	}
	if err != nil {
		b.err = b.r.inputErr(err, fmt.Sprintf("%s, %d of its %d block bytes read", b.where, b.size-b.remaining, b.size))
		b.r.err = b.err
		if n > 0 {
			return n, nil
		}
		return 0, b.err
	}
	return n, nil
}

// skip discards what is left of the block.
func (b *body) skip() error {
	if b.err != nil && b.err != io.EOF && !errors.Is(b.err, ErrDigest) {
		return b.err
	}
	for b.remaining > 0 {
		n := min(b.remaining, 1<<30)
		d, err := b.r.br.Discard(int(n))
		b.r.pos += int64(d)
		b.remaining -= int64(d)
		if err != nil {
			return b.r.inputErr(err, fmt.Sprintf("%s, %d of its %d block bytes read", b.where, b.size-b.remaining, b.size))
		}
	}
	return nil
}

// ReadAt reads the record whose gzip member (or, in a plain WARC file, whose
// first byte) is at offset in file, as given by a Location. Its Body holds the
// whole block in memory, its digest checked; when the member holds that record
// alone its gzip checksum is checked too.
func ReadAt(file string, offset int64) (*Record, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("warc: %w", err)
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return nil, fmt.Errorf("warc: %s: %w", file, err)
	}
	r, err := newReader(f, offset)
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, file)
	}
	r.single = true
	rec, err := r.Next()
	if err == io.EOF {
		return nil, fmt.Errorf("%w: %s: no record at offset %d", ErrCorrupt, file, offset)
	}
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, file)
	}
	block, err := io.ReadAll(rec.Body)
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, file)
	}
	rec.Body = bytes.NewReader(block)
	rec.Offset = offset
	if r.gz != nil {
		// Read on to the end of the member (normally just the CRLF CRLF that ends
		// the record), so that gzip checks the member's checksum and length.
		// A member holding more than that holds more records: no check then.
		var rest [64]byte
		for n := 0; n < len(rest); {
			m, err := r.br.Read(rest[n:])
			n += m
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("%w (in %s)", r.inputErr(err, fmt.Sprintf("end of the gzip member at offset %d", offset)), file)
			}
		}
	}
	return rec, nil
}

// ReadHTTPResponse parses a response record's block as an HTTP response. The
// Header holds every field as recorded, Transfer-Encoding and Content-Encoding
// included; Body yields the payload's raw bytes as they were transferred (still
// chunked or compressed if they were), and ContentLength is their number. Body
// reads from rec.Body, so it is valid until the next call to Next.
func ReadHTTPResponse(rec *Record) (*http.Response, error) {
	where := fmt.Sprintf("warc: %s record", rec.Type())
	if u := rec.TargetURI(); u != "" {
		where += " for " + u
	}
	if rec.Body == nil {
		return nil, fmt.Errorf("%s: no body", where)
	}
	br := bufio.NewReaderSize(rec.Body, 4096)
	var headLen int64
	readLine := func() (string, error) {
		var line []byte
		for {
			chunk, err := br.ReadSlice('\n')
			headLen += int64(len(chunk))
			if headLen > maxHeaderBytes {
				return "", fmt.Errorf("%s: HTTP head longer than %d bytes", where, maxHeaderBytes)
			}
			line = append(line, chunk...)
			if err == bufio.ErrBufferFull {
				continue
			}
			if err == io.EOF {
				return "", fmt.Errorf("%s: block ends inside the HTTP head", where)
			}
			if err != nil {
				return "", err
			}
			return strings.TrimRight(string(line), "\r\n"), nil
		}
	}
	status, err := readLine()
	if err != nil {
		return nil, err
	}
	proto, rest, _ := strings.Cut(status, " ")
	major, minor, ok := http.ParseHTTPVersion(proto)
	if !ok && len(proto) == 6 && strings.HasPrefix(proto, "HTTP/") && '1' <= proto[5] && proto[5] <= '9' {
		major, minor, ok = int(proto[5]-'0'), 0, true // "HTTP/2", as some tools record HTTP/2 responses
	}
	code, reason, _ := strings.Cut(strings.TrimLeft(rest, " "), " ")
	n, cerr := strconv.Atoi(code)
	if !ok || cerr != nil || len(code) != 3 || n < 100 {
		return nil, fmt.Errorf("%s: not an HTTP response: status line %q", where, status)
	}
	resp := &http.Response{
		Status:     strings.TrimSpace(code + " " + reason),
		StatusCode: n,
		Proto:      proto,
		ProtoMajor: major,
		ProtoMinor: minor,
		Header:     http.Header{},
	}
	var last string
	for {
		line, err := readLine()
		if err != nil {
			return nil, err
		}
		if line == "" {
			break
		}
		if (line[0] == ' ' || line[0] == '\t') && last != "" { // obsolete line folding
			vs := resp.Header[last]
			vs[len(vs)-1] = strings.TrimSpace(vs[len(vs)-1] + " " + strings.TrimSpace(line))
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			continue // not a header field; servers send such lines, browsers ignore them
		}
		last = textproto.CanonicalMIMEHeaderKey(name)
		resp.Header.Add(last, strings.TrimSpace(value))
	}
	resp.ContentLength = -1
	if cl := rec.ContentLength(); cl >= 0 {
		resp.ContentLength = cl - headLen
	}
	resp.Body = io.NopCloser(br)
	return resp, nil
}
