package warc

import (
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"
	"time"
)

// Version is the version line this package writes at the head of every record.
const Version = "WARC/1.1"

// Record types defined by WARC 1.1.
const (
	TypeWarcinfo     = "warcinfo"
	TypeResponse     = "response"
	TypeResource     = "resource"
	TypeRequest      = "request"
	TypeMetadata     = "metadata"
	TypeRevisit      = "revisit"
	TypeConversion   = "conversion"
	TypeContinuation = "continuation"
)

// Content types of the blocks this package writes.
const (
	ContentTypeHTTPRequest  = "application/http;msgtype=request"
	ContentTypeHTTPResponse = "application/http;msgtype=response"
	ContentTypeWarcFields   = "application/warc-fields"
	ContentTypeJSON         = "application/json"
)

// Errors the package reports, always wrapped with context; test for them with errors.Is.
var (
	// ErrTruncated: the input ends inside a record (or inside the gzip member holding it).
	// Every complete record before that point has been returned.
	ErrTruncated = errors.New("warc: truncated input")
	// ErrCorrupt: the input is not well-formed WARC (or not well-formed gzip).
	ErrCorrupt = errors.New("warc: malformed input")
	// ErrDigest: a record's block does not match its WARC-Block-Digest.
	ErrDigest = errors.New("warc: digest mismatch")
	// ErrClosed: the Writer was used after Close.
	ErrClosed = errors.New("warc: writer closed")
)

// Field is one named field of a record header, with its name spelled as written.
type Field struct {
	Name  string
	Value string
}

// Header is a record's named fields in the order they were written, with their
// names in the case they were written in. Field names compare case-insensitively.
type Header []Field

// Get returns the value of the first field called name (case-insensitive), or "".
func (h Header) Get(name string) string {
	for _, f := range h {
		if strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// Values returns the values of every field called name, in order
// (WARC-Concurrent-To may repeat).
func (h Header) Values(name string) []string {
	var vs []string
	for _, f := range h {
		if strings.EqualFold(f.Name, name) {
			vs = append(vs, f.Value)
		}
	}
	return vs
}

// Has reports whether a field called name is present.
func (h Header) Has(name string) bool {
	for _, f := range h {
		if strings.EqualFold(f.Name, name) {
			return true
		}
	}
	return false
}

// Add appends a field.
func (h *Header) Add(name, value string) { *h = append(*h, Field{name, value}) }

// Set replaces the value of the first field called name and drops any others,
// or appends the field if there is none.
func (h *Header) Set(name, value string) {
	out := (*h)[:0]
	done := false
	for _, f := range *h {
		if strings.EqualFold(f.Name, name) {
			if done {
				continue
			}
			f.Value, done = value, true
		}
		out = append(out, f)
	}
	if !done {
		out = append(out, Field{name, value})
	}
	*h = out
}

// Del removes every field called name.
func (h *Header) Del(name string) {
	out := (*h)[:0]
	for _, f := range *h {
		if !strings.EqualFold(f.Name, name) {
			out = append(out, f)
		}
	}
	*h = out
}

// Record is one WARC record. When it comes from a Reader, Body yields the
// record's content block (exactly Content-Length bytes) and is valid until the
// next call to Next; reading it to the end checks the WARC-Block-Digest, if the
// record has one in an algorithm this package knows (sha1, sha256, sha512, md5).
type Record struct {
	// Version is the record's version line, e.g. "WARC/1.1" (ignored by Writer.WriteRecord,
	// which always writes WARC/1.1).
	Version string
	Header  Header
	Body    io.Reader
	// Offset is where the record starts in its file: for files of one gzip member per
	// record, the offset of the member, counted in compressed bytes; for plain WARC
	// files, the byte offset. It is -1 when unknown (a record that starts in the middle
	// of a gzip member, as in files compressed as one big gzip stream).
	Offset int64
}

// Type returns WARC-Type.
func (r *Record) Type() string { return r.Header.Get("WARC-Type") }

// ID returns WARC-Record-ID as written, angle brackets included.
func (r *Record) ID() string { return r.Header.Get("WARC-Record-ID") }

// TargetURI returns WARC-Target-URI without the angle brackets some writers
// (GNU Wget, following WARC 1.0's grammar) put around it.
func (r *Record) TargetURI() string { return stripAngles(r.Header.Get("WARC-Target-URI")) }

// ConcurrentTo returns the WARC-Concurrent-To record IDs, angle brackets included.
func (r *Record) ConcurrentTo() []string { return r.Header.Values("WARC-Concurrent-To") }

// ContentLength returns Content-Length, or -1 if it is missing or malformed.
func (r *Record) ContentLength() int64 {
	n, err := parseLength(r.Header.Get("Content-Length"))
	if err != nil {
		return -1
	}
	return n
}

// Date returns WARC-Date, or the zero time if it is missing or unparsable. It
// accepts the W3C profile of ISO 8601 that WARC uses, with or without fractions
// of a second, and the 14-digit form of ARC files.
func (r *Record) Date() time.Time {
	t, _ := ParseDate(r.Header.Get("WARC-Date"))
	return t
}

// DateFormat is how this package writes WARC-Date: UTC, second precision, the
// form that WARC 1.0 requires and WARC 1.1 still prefers, readable by every tool.
const DateFormat = "2006-01-02T15:04:05Z"

// FormatDate formats t as a WARC-Date value (UTC, whole seconds).
func FormatDate(t time.Time) string { return t.UTC().Format(DateFormat) }

// ParseDate parses a WARC-Date value.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{
		time.RFC3339Nano, "2006-01-02T15:04Z07:00", "20060102150405", "2006-01-02", "2006-01", "2006",
	} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("warc: unparsable date %q", s)
}

func stripAngles(s string) string {
	if len(s) >= 2 && s[0] == '<' && s[len(s)-1] == '>' {
		return s[1 : len(s)-1]
	}
	return s
}

// parseLength parses a Content-Length value: decimal digits only, surrounding
// blanks allowed.
func parseLength(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("not a number: %q", s)
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("out of range: %q", s)
	}
	return n, nil
}

// NewRecordID returns a fresh record ID, "<urn:uuid:...>" with a random
// (version 4) UUID drawn from crypto/rand.
func NewRecordID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (it crashes the program instead)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:36], b[10:16])
	return "<urn:uuid:" + string(s[:]) + ">"
}

// SHA1Digest returns the labelled digest of b as this package writes it:
// "sha1:" followed by the base32 (RFC 4648) form of its SHA-1.
func SHA1Digest(b []byte) string {
	sum := sha1.Sum(b)
	return "sha1:" + base32.StdEncoding.EncodeToString(sum[:])
}

// parseDigest reads a labelled digest ("sha1:BASE32", "sha256:hex", ...). It
// returns a fresh hash and the expected sum, or ok=false for an algorithm or an
// encoding it does not know.
func parseDigest(v string) (h hash.Hash, want []byte, ok bool) {
	algo, val, found := strings.Cut(strings.TrimSpace(v), ":")
	if !found {
		return nil, nil, false
	}
	var size int
	switch strings.ToLower(strings.ReplaceAll(algo, "-", "")) {
	case "sha1":
		h, size = sha1.New(), sha1.Size
	case "sha256":
		h, size = sha256.New(), sha256.Size
	case "sha512":
		h, size = sha512.New(), sha512.Size
	case "md5":
		h, size = md5.New(), md5.Size
	default:
		return nil, nil, false
	}
	if len(val) == 2*size {
		if b, err := hex.DecodeString(val); err == nil {
			return h, b, true
		}
	}
	b32 := strings.ToUpper(strings.TrimRight(val, "="))
	if b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(b32); err == nil && len(b) == size {
		return h, b, true
	}
	return nil, nil, false
}

// HTTPHeadLength returns the length of the HTTP message head at the start of
// block (start line and header fields, through the blank line that ends them),
// or -1 if block holds no complete head. Lines may end in CRLF or, leniently, LF.
// The payload of an application/http block is what follows the head.
func HTTPHeadLength(block []byte) int {
	i := 0
	for i < len(block) {
		j := bytes.IndexByte(block[i:], '\n')
		if j < 0 {
			return -1
		}
		line := block[i : i+j]
		next := i + j + 1
		if i > 0 && (len(line) == 0 || (len(line) == 1 && line[0] == '\r')) {
			return next
		}
		if i == 0 && (len(line) == 0 || (len(line) == 1 && line[0] == '\r')) {
			return -1 // no start line
		}
		i = next
	}
	return -1
}

// EscapeURI returns s as a URI properly escaped per RFC 3986, as WARC-Target-URI
// requires: every byte that may not appear in a URI (non-ASCII bytes of an IRI
// such as a Vietnamese path, spaces, controls, and characters like " < > \ ^ `
// { | }) is percent-encoded, and so is a '%' not followed by two hex digits.
// Existing escapes are kept, so EscapeURI is idempotent and leaves a valid URI
// unchanged.
func EscapeURI(s string) string {
	const hexdig = "0123456789ABCDEF"
	need := false
	for i := 0; i < len(s); i++ {
		if !uriByteOK(s, i) {
			need = true
			break
		}
	}
	if !need {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); i++ {
		if uriByteOK(s, i) {
			b.WriteByte(s[i])
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexdig[s[i]>>4])
		b.WriteByte(hexdig[s[i]&15])
	}
	return b.String()
}

func uriByteOK(s string, i int) bool {
	c := s[i]
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	case c == '%':
		return i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])
	}
	return strings.IndexByte("-._~:/?#[]@!$&'()*+,;=", c) >= 0
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// isToken reports whether s is a non-empty RFC 2616 token (a legal field name).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("()<>@,;:\\\"/[]?={}", c) >= 0 {
			return false
		}
	}
	return true
}

// validValue reports whether s can be written as a field value on one line.
func validValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\r' || c == '\n' || c == 0 {
			return false
		}
	}
	return true
}
