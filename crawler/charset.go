package crawler

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

// ErrBinary is returned (wrapped) by DecodeHTML and ParseArticle for content
// that is not text: images, archives, PDF files.
var ErrBinary = errors.New("crawler: binary content, not HTML")

// legacyFallback is the charset of a page that declares none and is not
// valid UTF-8: Vietnamese pages of the 2000s were windows-1258.
const legacyFallback = "windows-1258"

// prescanLimit is how far into a page a <meta charset> is looked for. The
// HTML standard says 1024 bytes; real pages put it later behind long
// comments and scripts, so a little more is read.
const prescanLimit = 4096

// DecodeHTML turns the raw bytes of a page into UTF-8 text in Unicode
// normalization form C, and returns the name of the charset it was decoded
// from. The charset is taken from a byte order mark, else the charset
// parameter of contentType (the HTTP header), else a <meta charset> or
// <meta http-equiv="Content-Type"> near the top of the page, else UTF-8 when
// the bytes are valid UTF-8, else windows-1258. A page labelled with a Latin
// single-byte charset (windows-1252, iso-8859-1) that is valid UTF-8 with
// non-ASCII letters is read as UTF-8: servers mislabel such pages often, and
// the reverse mistake cannot produce valid UTF-8 by chance. Binary content
// (images, archives, PDF, NUL bytes) is an error wrapping ErrBinary.
func DecodeHTML(body []byte, contentType string) (string, string, error) {
	if what := binaryKind(body); what != "" {
		return "", "", fmt.Errorf("%w (%s)", ErrBinary, what)
	}
	enc, name := detectCharset(body, contentType)
	var text string
	switch {
	case name == "utf-8":
		b := bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
		if utf8.Valid(b) {
			text = string(b)
		} else {
			text = strings.ToValidUTF8(string(b), "\uFFFD")
		}
	default:
		out, err := enc.NewDecoder().Bytes(body)
		if err != nil {
			return "", "", fmt.Errorf("crawler: decoding %s: %w", name, err)
		}
		text = strings.TrimPrefix(string(out), "\uFEFF")
	}
	text = toNFC(text)
	return text, name, nil
}

// toNFC returns s in NFC. Most pages are NFC already, and telling that by the
// full check costs more than parsing them. Only a few ranges can make text
// not NFC: combining marks (U+0300–U+036F, U+1DC0–U+1DFF, U+20D0–U+20FF),
// Greek (U+0374–U+0387, U+1F00–U+1FFF), and the characters NFC replaces by
// others (U+2126, U+212A, U+212B, U+2329, U+232A, U+2ADC, the CJK and
// Hebrew compatibility blocks, U+1D15E… in the supplementary planes). Text
// whose UTF-8 has none of their leading bytes is NFC as it is; Vietnamese
// letters (U+1EA0–U+1EF9, lead bytes E1 BA/BB) do not trigger the check.
func toNFC(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0xcc {
			continue
		}
		var next byte
		if i+1 < len(s) {
			next = s[i+1]
		}
		suspect := false
		switch c {
		case 0xcc, 0xcd, 0xf0:
			suspect = true
		case 0xce:
			suspect = next == 0x87
		case 0xe1:
			suspect = next == 0xb7 || next >= 0xbc
		case 0xe2:
			suspect = next == 0x83 || next == 0x84 || next == 0x8c || next == 0xab
		case 0xef:
			suspect = next >= 0xa4 && next <= 0xad
		}
		if suspect {
			if !norm.NFC.IsNormalString(s) {
				return norm.NFC.String(s)
			}
			return s
		}
	}
	return s
}

// detectCharset picks the encoding of a page as DecodeHTML describes.
func detectCharset(body []byte, contentType string) (encoding.Encoding, string) {
	switch {
	case bytes.HasPrefix(body, []byte("\xef\xbb\xbf")):
		return encoding.Nop, "utf-8"
	case bytes.HasPrefix(body, []byte("\xfe\xff")):
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM), "utf-16be"
	case bytes.HasPrefix(body, []byte("\xff\xfe")):
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "utf-16le"
	}
	label := ""
	if contentType != "" {
		if _, params, err := mime.ParseMediaType(contentType); err == nil {
			label = params["charset"]
		} else {
			// A header mime cannot parse ("text/html; charset=utf-8;;").
			label = charsetParam(contentType)
		}
	}
	if label == "" {
		label = metaCharset(body)
	}
	if label != "" {
		if enc, name := charset.Lookup(label); enc != nil {
			switch name {
			case "utf-16be", "utf-16le", "replacement":
				// Declared in the page, UTF-16 is read as UTF-8 (the
				// declaration itself could not have been read otherwise).
				return encoding.Nop, "utf-8"
			case "utf-8":
				return encoding.Nop, "utf-8"
			case "windows-1252", "iso-8859-2", "iso-8859-15":
				if hasNonASCII(body) && utf8.Valid(body) {
					return encoding.Nop, "utf-8"
				}
			}
			return enc, name
		}
	}
	if utf8.Valid(body) {
		return encoding.Nop, "utf-8"
	}
	enc, name := charset.Lookup(legacyFallback)
	return enc, name
}

// metaCharset finds the charset a page declares in a <meta> element near its
// top, or "".
func metaCharset(body []byte) string {
	if len(body) > prescanLimit {
		body = body[:prescanLimit]
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	z.SetMaxBuf(prescanLimit * 2)
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "meta" || !hasAttr {
				continue
			}
			var cs, content string
			httpEquiv := false
			for {
				key, val, more := z.TagAttr()
				switch strings.ToLower(string(key)) {
				case "charset":
					cs = string(val)
				case "content":
					content = string(val)
				case "http-equiv":
					httpEquiv = strings.EqualFold(strings.TrimSpace(string(val)), "content-type")
				}
				if !more {
					break
				}
			}
			if cs = strings.TrimSpace(cs); cs != "" {
				return cs
			}
			if httpEquiv || content != "" {
				if cs := charsetParam(content); cs != "" {
					return cs
				}
			}
		}
	}
}

// charsetParam reads "charset=..." out of a Content-Type value, leniently.
func charsetParam(s string) string {
	i := indexASCIIFold(s, "charset")
	if i < 0 {
		return ""
	}
	s = strings.TrimLeft(s[i+len("charset"):], " \t")
	if !strings.HasPrefix(s, "=") {
		return ""
	}
	s = strings.TrimLeft(s[1:], " \t\"'")
	end := strings.IndexAny(s, " \t;\"',")
	if end >= 0 {
		s = s[:end]
	}
	return s
}

// indexASCIIFold is strings.Index ignoring ASCII case, with offsets into s
// (strings.ToLower may change the length of text that is not UTF-8).
func indexASCIIFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// magic are the openings of binary formats a crawler meets instead of pages.
var magic = []struct {
	prefix, what string
}{
	{"\x89PNG", "PNG image"},
	{"GIF8", "GIF image"},
	{"\xff\xd8\xff", "JPEG image"},
	{"RIFF", "RIFF media"},
	{"%PDF", "PDF document"},
	{"PK\x03\x04", "zip archive"},
	{"\x1f\x8b", "gzip data"},
	{"BZh", "bzip2 data"},
	{"\xfd7zXZ", "xz data"},
	{"\x28\xb5\x2f\xfd", "zstd data"},
	{"ID3", "MP3 audio"},
	{"OggS", "Ogg media"},
	{"\x00\x00\x01\x00", "icon"},
	{"wOFF", "web font"},
	{"wOF2", "web font"},
	{"\xd0\xcf\x11\xe0", "Office document"},
}

// binaryKind returns what binary content body is, or "" for text.
func binaryKind(body []byte) string {
	for _, m := range magic {
		if bytes.HasPrefix(body, []byte(m.prefix)) {
			return m.what
		}
	}
	if len(body) >= 12 && string(body[4:8]) == "ftyp" {
		return "MP4 media"
	}
	if bytes.HasPrefix(body, []byte("\xfe\xff")) || bytes.HasPrefix(body, []byte("\xff\xfe")) {
		return "" // UTF-16 text has NUL bytes
	}
	head := body
	if len(head) > 8192 {
		head = head[:8192]
	}
	control := 0
	for _, c := range head {
		switch {
		case c == 0:
			return "NUL bytes"
		case c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b:
			control++
		}
	}
	if control > 8 && control*20 > len(head) {
		return "control bytes"
	}
	return ""
}
