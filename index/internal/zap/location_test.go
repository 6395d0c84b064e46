package zap

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// wantLoc is a location as the documents gave it.
type wantLoc struct {
	field      string
	pos        uint64
	start, end uint64
	ap         []uint64
}

// locationDocs makes n documents of four fields with term vectors: "plain"
// with no byte offsets and no array positions (the way baotinh indexes its
// text), "list" with array positions and positions restarting in each value
// (so a document's positions go backwards), "paragraphs" likewise with one
// array position a value (as baotinh's body), "offsets" with byte offsets and
// large gaps between positions; and the composite "_all" of them, whose
// locations name the field they came from. It returns the documents and,
// per field, term and document id, the locations each posting must give.
func locationDocs(rng *rand.Rand, n int, prefix string) ([]index.Document, map[string]map[string]map[string][]wantLoc) {
	want := map[string]map[string]map[string][]wantLoc{}
	add := func(field, term, id string, l wantLoc) {
		if want[field] == nil {
			want[field] = map[string]map[string][]wantLoc{}
		}
		if want[field][term] == nil {
			want[field][term] = map[string][]wantLoc{}
		}
		want[field][term][id] = append(want[field][term][id], l)
	}
	words := []string{"dân", "vận", "khéo", "an", "ninh", "tỉnh", "ủy"}
	var docs []index.Document
	for d := 0; d < n; d++ {
		id := fmt.Sprintf("%s%03d", prefix, d)
		var fields []*stubField
		field := func(name string, ap []uint64, offsets bool, gap int) {
			freqs := index.TokenFrequencies{}
			pos, off, count := 0, 0, 1+rng.IntN(12)
			for range count {
				pos += 1 + rng.IntN(gap)
				w := words[rng.IntN(len(words))]
				tl := &index.TokenLocation{Position: pos, ArrayPositions: ap}
				if offsets {
					off += 1 + rng.IntN(300)
					tl.Start, tl.End = off, off+len(w)
				}
				tf := freqs[w]
				if tf == nil {
					tf = &index.TokenFreq{Term: []byte(w)}
					freqs[w] = tf
				}
				tf.Locations = append(tf.Locations, tl)
				tf.SetFrequency(len(tf.Locations))
			}
			f := &stubField{name: name, encodedType: 't', arrayPositions: ap,
				options: index.IndexField | index.IncludeTermVectors, analyzedLen: count, analyzedFreqs: freqs}
			fields = append(fields, f)
		}
		field("_id", nil, false, 1)
		fields[0].analyzedFreqs = index.TokenFrequencies{id: {Term: []byte(id)}}
		fields[0].analyzedFreqs[id].SetFrequency(1)
		fields[0].options = index.IndexField | index.StoreField
		fields[0].value = []byte(id)
		field("plain", nil, false, 3)
		for v := range 1 + rng.IntN(3) {
			field("list", []uint64{uint64(v), uint64(rng.IntN(200))}, false, 2)
		}
		for v := range 1 + rng.IntN(5) {
			field("paragraphs", []uint64{uint64(v)}, false, 3) // as baotinh's body
		}
		field("offsets", nil, true, 5000)
		if prefix == "b" {
			// A field the first segment lacks: merging them then decodes
			// and encodes every location (mergeTermFreqNormLocs) instead
			// of copying their bytes.
			field("b_only", nil, d%2 == 0, 4)
		}
		doc := newStubDocument(id, fields, "_all")
		for _, f := range fields[1:] {
			for term, tf := range f.analyzedFreqs {
				for _, l := range tf.Locations {
					wl := wantLoc{field: f.name, pos: uint64(l.Position), start: uint64(l.Start), end: uint64(l.End), ap: l.ArrayPositions}
					add(f.name, term, id, wl)
					add("_all", term, id, wl)
				}
			}
		}
		docs = append(docs, doc)
	}
	return docs, want
}

// checkLocations compares every posting of the fields of want in seg with
// the locations the documents gave, except documents in dropped.
func checkLocations(t *testing.T, seg segment.Segment, want map[string]map[string]map[string][]wantLoc, dropped map[string]bool) {
	t.Helper()
	ids := map[uint64]string{}
	for n := uint64(0); n < seg.Count(); n++ {
		err := seg.(*Segment).VisitStoredFields(n, func(field string, _ byte, value []byte, _ []uint64) bool {
			if field == "_id" {
				ids[n] = string(value)
			}
			return true
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for field, terms := range want {
		dict, err := seg.Dictionary(field)
		if err != nil {
			t.Fatal(err)
		}
		for term, docs := range terms {
			pl, err := dict.PostingsList([]byte(term), nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			seen := 0
			it := pl.Iterator(true, true, true, nil)
			for p, err := it.Next(); p != nil || err != nil; p, err = it.Next() {
				if err != nil {
					t.Fatal(err)
				}
				id := ids[p.Number()]
				var got []wantLoc
				for _, l := range p.Locations() {
					ap := l.ArrayPositions()
					if len(ap) == 0 {
						ap = nil // zap gives an empty slice, the documents nil
					}
					got = append(got, wantLoc{l.Field(), l.Pos(), l.Start(), l.End(), ap})
				}
				if !reflect.DeepEqual(got, docs[id]) {
					t.Errorf("%s:%s in %s: got locations\n%v\nwant\n%v", field, term, id, got, docs[id])
				}
				if p.Frequency() != uint64(len(docs[id])) {
					t.Errorf("%s:%s in %s: frequency %d, want %d", field, term, id, p.Frequency(), len(docs[id]))
				}
				seen++
			}
			wantN := 0
			for id := range docs {
				if !dropped[id] {
					wantN++
				}
			}
			if seen != wantN {
				t.Errorf("%s:%s: %d postings, want %d", field, term, seen, wantN)
			}
		}
	}
}

// TestLocations checks that the compact locations (appendLocation,
// readLocation) give back exactly what the documents held: in a new
// segment, in a merge that copies postings' bytes, and in a merge with
// deleted documents; both merges decode and encode the locations again,
// the second segment having a field the first has not.
func TestLocations(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	dir := t.TempDir()
	docs1, want1 := locationDocs(rng, 300, "a")
	docs2, want2 := locationDocs(rng, 200, "b")
	var segs []segment.Segment
	for i, docs := range [][]index.Document{docs1, docs2} {
		sb, _, err := zapPlugin.newWithChunkMode(docs, DefaultChunkMode)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, fmt.Sprintf("%d.zap", i))
		if err := PersistSegmentBase(sb.(*SegmentBase), path); err != nil {
			t.Fatal(err)
		}
		seg, err := zapPlugin.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer seg.Close()
		segs = append(segs, seg)
	}
	checkLocations(t, segs[0], want1, nil)
	checkLocations(t, segs[1], want2, nil)

	all := want1
	for field, terms := range want2 {
		if all[field] == nil {
			all[field] = map[string]map[string][]wantLoc{}
		}
		for term, docs := range terms {
			if all[field][term] == nil {
				all[field][term] = map[string][]wantLoc{}
			}
			for id, l := range docs {
				all[field][term][id] = l
			}
		}
	}
	merge := func(name string, drops []*roaring.Bitmap, dropped map[string]bool) {
		path := filepath.Join(dir, name)
		if _, _, err := zapPlugin.Merge(segs, drops, path, nil, nil); err != nil {
			t.Fatal(err)
		}
		seg, err := zapPlugin.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer seg.Close()
		checkLocations(t, seg, all, dropped)
	}
	merge("merged.zap", []*roaring.Bitmap{nil, nil}, nil)
	drop := roaring.New()
	dropped := map[string]bool{}
	for n := uint32(0); n < 300; n += 3 {
		drop.Add(n)
		dropped[fmt.Sprintf("a%03d", n)] = true
	}
	merge("dropped.zap", []*roaring.Bitmap{drop, nil}, dropped)
}

// FuzzLocation checks appendLocation against readLocation on any location
// after any previous one.
func FuzzLocation(f *testing.F) {
	f.Add(uint64(0), uint64(0), uint64(0), uint64(1), uint64(0), uint64(0), uint64(0), uint64(0), uint64(0))
	f.Add(uint64(900), uint64(1), uint64(4), uint64(3), uint64(1), uint64(17), uint64(21), uint64(1), uint64(2))
	f.Add(uint64(5), uint64(1), uint64(4), uint64(3), uint64(1), uint64(0), uint64(0), uint64(1), uint64(4))
	f.Add(uint64(5), uint64(2), uint64(9), uint64(3), uint64(1), uint64(0), uint64(0), uint64(2), uint64(9))
	f.Add(uint64(1)<<40, uint64(0), uint64(0), uint64(0), uint64(2), uint64(1)<<33, uint64(1)<<34, uint64(5), uint64(1)<<50)
	f.Fuzz(func(t *testing.T, prevPos, prevN, prevFirst, pos, field, start, end, n, first uint64) {
		if end < start || n > 8 || prevN > 8 || pos > 1<<62 || prevPos > 1<<62 || first > 1<<62 || prevFirst > 1<<62 || field > 2 {
			t.Skip()
		}
		positions := func(n, first uint64) []uint64 {
			var ap []uint64
			for i := range n {
				ap = append(ap, first+i%2)
			}
			return ap
		}
		prevAP, ap := positions(prevN, prevFirst), positions(n, first)
		vals := appendLocation(nil, 1, field, prevPos, prevAP, pos, start, end, ap)
		var buf []byte
		for _, v := range vals {
			buf = binary.AppendUvarint(buf, v)
		}
		it := &PostingsIterator{postings: &PostingsList{fieldID: 1, sb: &SegmentBase{fieldsInv: []string{"f0", "f1", "f2"}}}}
		it.locReader = &chunkedIntDecoder{r: newMemUvarintReader(buf)}
		l := Location{ap: []uint64{7, 7, 7}} // a reused location's
		if err := it.readLocation(&l, prevPos, prevAP); err != nil {
			t.Fatal(err)
		}
		if l.pos != pos || l.start != start || l.end != end || l.field != fmt.Sprintf("f%d", field) || !slices.Equal(l.ap, ap) {
			t.Errorf("got %s %d %d-%d %v, want f%d %d %d-%d %v", l.field, l.pos, l.start, l.end, l.ap, field, pos, start, end, ap)
		}
		if it.locReader.Len() != 0 {
			t.Errorf("%d bytes left unread", it.locReader.Len())
		}
	})
}
