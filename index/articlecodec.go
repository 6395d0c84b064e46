package index

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/baotinh/baotinh/extract"
)

// The article part of a store record is a compact binary form, read for
// every hit of every search: decoding it is a few copies, where JSON took
// most of a hit's time. Layout, after a version byte: the string fields in
// the order of marshalArticle, each a uvarint length and its bytes; tags and
// authors as a count and strings; the text; the blocks as a count and, for
// each, its kind and its span's two offsets; the time indexed in Unix
// nanoseconds (zero for none).
const articleCodecVersion = 1

var errCorruptArticle = errors.New("index: corrupt article record")

func marshalArticle(a *Article) []byte {
	n := 64 + len(a.Text) + len(a.ID) + len(a.Site) + len(a.SiteID) + len(a.URL) + len(a.Title) + len(a.Published) +
		len(a.Modified) + len(a.Category) + 12*len(a.Blocks)
	for _, s := range a.Tags {
		n += len(s) + 2
	}
	for _, s := range a.Authors {
		n += len(s) + 2
	}
	b := make([]byte, 0, n)
	b = append(b, articleCodecVersion)
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	for _, s := range []string{a.ID, a.Site, a.SiteID, a.URL, a.Title, a.Published, a.Modified, a.Category} {
		str(s)
	}
	for _, list := range [][]string{a.Tags, a.Authors} {
		b = binary.AppendUvarint(b, uint64(len(list)))
		for _, s := range list {
			str(s)
		}
	}
	str(a.Text)
	b = binary.AppendUvarint(b, uint64(len(a.Blocks)))
	for _, bl := range a.Blocks {
		str(string(bl.Kind))
		b = binary.AppendUvarint(b, uint64(bl.Span[0]))
		b = binary.AppendUvarint(b, uint64(bl.Span[1]))
	}
	var ns int64
	if !a.Indexed.IsZero() {
		ns = a.Indexed.UnixNano()
	}
	return binary.AppendVarint(b, ns)
}

// articleReader reads the binary form; the first error sticks.
type articleReader struct {
	b   []byte
	err error
}

func (r *articleReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, k := binary.Uvarint(r.b)
	if k <= 0 {
		r.err = errCorruptArticle
		return 0
	}
	r.b = r.b[k:]
	return v
}

func (r *articleReader) str() string {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errCorruptArticle
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *articleReader) strs() []string {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errCorruptArticle
		return nil
	}
	out := make([]string, 0, n) // never nil: JSON writes []
	for range n {
		out = append(out, r.str())
	}
	return out
}

func unmarshalArticle(b []byte) (*Article, error) {
	if len(b) == 0 || b[0] != articleCodecVersion {
		return nil, errCorruptArticle
	}
	r := &articleReader{b: b[1:]}
	a := &Article{}
	for _, p := range []*string{&a.ID, &a.Site, &a.SiteID, &a.URL, &a.Title, &a.Published, &a.Modified, &a.Category} {
		*p = r.str()
	}
	a.Tags, a.Authors = r.strs(), r.strs()
	a.Text = r.str()
	n := r.uvarint()
	if r.err == nil && n > uint64(len(r.b)) {
		r.err = errCorruptArticle
	}
	if r.err != nil {
		return nil, r.err
	}
	a.Blocks = make([]extract.Block, 0, n)
	for range n {
		kind := extract.BlockKind(r.str())
		start, end := r.uvarint(), r.uvarint()
		if r.err != nil || start > end || end > uint64(len(a.Text)) {
			return nil, errCorruptArticle
		}
		a.Blocks = append(a.Blocks, extract.Block{Kind: kind, Span: extract.Span{int(start), int(end)}})
	}
	ns, k := binary.Varint(r.b)
	if k <= 0 || k != len(r.b) {
		return nil, errCorruptArticle
	}
	if ns != 0 {
		a.Indexed = time.Unix(0, ns).UTC()
	}
	return a, nil
}
