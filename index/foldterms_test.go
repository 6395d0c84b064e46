package index

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	bindex "github.com/blevesearch/bleve_index_api"
)

// foldedQueries are searches of words typed without diacritics (and some
// with) through every path that makes folded terms: topK, Bleve's
// searchers (fuzzy words, wildcards, regular expressions, boolean
// queries, ranges), phrases and filters.
var foldedQueries = []string{
	`dan`, `dân`, `dan van kheo`, `"dan van"`, `"Dân van khéo"`, `nong thon moi`, `title:dan`, `body:huyen lead:tinh`,
	`dan~1`, `dân~1`, `dna~1`, `huyen~2`, `title:dan~1`, `tinh~1 "nong thon"`, `xyzzy~1`,
	`hu*`, `d?n`, `*an`, `title:hu*`, `nong*`, `Đả*`, `/d.n/`, `/hu.*/`, `/h[uư]y.n/`, `title:/d[aâ]n/`,
	// Not a word that may match beside words that must (`+/d.n/ tinh`):
	// Bleve's boolean searcher scores it or not depending on the order of
	// the internal numbers, which differs from one build to the next
	// (with folded copies as without).
	`+dan -van`, `+dan +"nong thon"`, `dan -huyen`, `+hu* -dan~1`, `+/d.n/ +tinh`,
	`dan year:>=2025`, `people:"truong thanh huyen"`, `titles:"pho bi thu"`,
}

// foldedCopiesIndex returns what build makes with foldedCopies set: an
// index with the folded copies of baotinh-8.
func foldedCopiesIndex(t *testing.T, build func() *Index) *Index {
	t.Helper()
	foldedCopies = true
	defer func() { foldedCopies = false }()
	return build()
}

// TestFoldedTerms checks that folded terms made at search time find what
// the folded copies indexed beside every accented syllable (baotinh-8)
// found: the same hits with the same scores, totals, marks, facets,
// cursors and timelines, through topK and through Bleve's searchers, on
// the search test documents and on a corpus of several segments with
// deleted documents.
func TestFoldedTerms(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two indexes of 800 articles")
	}
	segments := func() *Index {
		dir := t.TempDir()
		if err := buildSegments(dir); err != nil {
			t.Fatal(err)
		}
		ix, err := Open(dir, Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		return ix
	}
	corpusRef := foldedCopiesIndex(t, segments)
	docsRef := foldedCopiesIndex(t, func() *Index { return testIndex(t) })
	for _, tc := range []struct {
		name     string
		ix, want *Index
	}{{"documents", testIndex(t), docsRef}, {"corpus", topKIndex(t), corpusRef}} {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.want.copies || tc.ix.copies {
				t.Fatal("the indexes are not those compared")
			}
			defer func() { fastTopK = true }()
			for _, q := range foldedQueries {
				for _, fast := range []bool{true, false} {
					fastTopK = fast
					for _, s := range []Search{
						{Query: q, Limit: 3},
						{Query: q, Limit: 30, Facets: 5},
						{Query: q, Limit: 10, Sort: "newest"},
						{Query: q, Limit: 10, Sort: "oldest", Sites: []string{"baosonla"}},
						{Query: q, Limit: 5, Sites: []string{"baohatinh"}},
					} {
						compareFolded(t, tc.ix, tc.want, s)
					}
				}
				fastTopK = true
				tl := &Timeline{Query: q, Interval: "month"}
				got, err := tc.ix.Timeline(context.Background(), tl)
				if err != nil {
					t.Fatalf("timeline %q: %v", q, err)
				}
				want, err := tc.want.Timeline(context.Background(), tl)
				if err != nil {
					t.Fatalf("timeline %q: %v", q, err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("timeline %q: %v, with folded copies %v", q, got, want)
				}
			}
		})
	}
}

// compareFolded runs a search on ix and on want, the same articles indexed
// with folded copies, and compares the results: totals, facets and hits
// with their marks. A hit's score may differ in its last bits: a batch's
// documents get their internal numbers in no fixed order, so two indexes
// of the same articles do not number them alike, and Bleve's disjunctions
// add the scores of a document's terms in an order that follows those
// numbers; hits whose scores are that close may come in either order.
func compareFolded(t *testing.T, ix, want *Index, s Search) {
	t.Helper()
	ctx := context.Background()
	got, err := ix.Search(ctx, &s)
	if err != nil {
		t.Fatalf("%+v: %v", s, err)
	}
	exp, err := want.Search(ctx, &s)
	if err != nil {
		t.Fatalf("%+v: %v", s, err)
	}
	fail := func(why string) {
		t.Errorf("%+v (topK %v): %s:\n%s\nwith folded copies:\n%s", s, fastTopK, why, resultString(got), resultString(exp))
	}
	if got.Total != exp.Total || !reflect.DeepEqual(got.Facets, exp.Facets) || len(got.Hits) != len(exp.Hits) ||
		(got.Next == "") != (exp.Next == "") {
		fail("totals, facets or pages differ")
		return
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b)) }
	for i := 0; i < len(got.Hits); {
		// The hits from i whose scores are near the first's.
		j := i + 1
		for j < len(got.Hits) && near(got.Hits[j].Score, got.Hits[i].Score) && near(exp.Hits[j].Score, got.Hits[i].Score) {
			j++
		}
		last := j == len(got.Hits) && got.Next != "" // the next page may hold the rest of the run
		byID := map[string]Hit{}
		for _, h := range exp.Hits[i:j] {
			byID[h.ID] = h
		}
		for _, g := range got.Hits[i:j] {
			w, ok := byID[g.ID]
			if !ok && last && j-i > 1 {
				continue
			}
			if !ok || !near(g.Score, w.Score) {
				fail(fmt.Sprintf("hit %d (%s, %v) differs", i, g.ID, g.Score))
				return
			}
			if !reflect.DeepEqual(g.TitleMarks, w.TitleMarks) || !reflect.DeepEqual(g.Snippets, w.Snippets) {
				fail(fmt.Sprintf("the marks of %s differ", g.ID))
				return
			}
		}
		i = j
	}
}

func resultString(r *Result) string {
	var b strings.Builder
	for _, h := range r.Hits {
		fmt.Fprintf(&b, "%s %v %v %+v\n", h.ID, h.Score, h.TitleMarks, h.Snippets)
	}
	fmt.Fprintf(&b, "total %d, facets %v", r.Total, r.Facets)
	return b.String()
}

// TestFoldedReader checks a folded term's reader, moved by Next and
// Advance at random, against the reader of the folded copies' term: the
// same documents (by external id), frequencies, norms and positions.
func TestFoldedReader(t *testing.T) {
	ref := foldedCopiesIndex(t, func() *Index { return testIndex(t) })
	ix := testIndex(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, field := range []string{"title", "lead", "body", "captions"} {
		for _, vectors := range []bool{false, true} {
			r, release, err := ix.reader()
			if err != nil {
				t.Fatal(err)
			}
			fr := ix.withFolds(r)
			w, wrelease, err := ref.reader()
			if err != nil {
				t.Fatal(err)
			}
			d, err := fr.FieldDict(field)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for e, err := d.Next(); e != nil && err == nil; e, err = d.Next() {
				if !isFolded(e.Term) {
					continue
				}
				n++
				// The documents of the term, in each index's order of
				// internal ids, by external id.
				docs := func(r bindex.IndexReader) []string {
					tr, err := r.TermFieldReader(context.Background(), []byte(e.Term), field, true, true, vectors)
					if err != nil {
						t.Fatal(err)
					}
					defer tr.Close()
					var out []string
					for td, err := tr.Next(nil); td != nil && err == nil; td, err = tr.Next(nil) {
						id, _ := r.ExternalID(td.ID)
						out = append(out, id)
					}
					return out
				}
				all := docs(fr)
				if len(all) == 0 || len(all) != len(docs(w)) {
					t.Errorf("%s %s: %d documents, with folded copies %d", field, e.Term, len(all), len(docs(w)))
					continue
				}
				for round := 0; round < 5; round++ {
					a, err := fr.TermFieldReader(context.Background(), []byte(e.Term), field, true, true, vectors)
					if err != nil {
						t.Fatal(err)
					}
					next := 0 // the index in all of the document Next gives
					for step := 0; step < 8; step++ {
						var got *bindex.TermFieldDoc
						if rng.IntN(2) == 0 {
							got, err = a.Next(nil)
						} else {
							next = rng.IntN(len(all))
							id, _ := r.InternalID(all[next])
							got, err = a.Advance(id, nil)
						}
						if err != nil {
							t.Fatal(err)
						}
						if got == nil {
							if next < len(all) {
								t.Errorf("%s %s: no document, %s expected", field, e.Term, all[next])
							}
							break
						}
						ext, _ := r.ExternalID(got.ID)
						if next >= len(all) || ext != all[next] {
							t.Errorf("%s %s: step %d gives %s, not document %d", field, e.Term, step, ext, next)
							break
						}
						next++
						wid, _ := w.InternalID(ext)
						b, err := w.TermFieldReader(context.Background(), []byte(e.Term), field, true, true, vectors)
						if err != nil {
							t.Fatal(err)
						}
						want, err := b.Advance(wid, nil)
						b.Close()
						if err != nil || want == nil || !want.ID.Equals(wid) {
							t.Fatalf("%s %s: %s is not in the index with folded copies", field, e.Term, ext)
						}
						if got.Freq != want.Freq || got.Norm != want.Norm || !reflect.DeepEqual(positions(got), positions(want)) {
							t.Errorf("%s %s %s: freq %d norm %v %d positions, with folded copies %d %v %d", field, e.Term, ext,
								got.Freq, got.Norm, len(got.Vectors), want.Freq, want.Norm, len(want.Vectors))
						}
					}
					a.Close()
				}
			}
			d.Close()
			release()
			wrelease()
			if n == 0 {
				t.Errorf("%s: no folded terms", field)
			}
		}
	}
}

// positions returns the sorted positions of a term's vectors.
func positions(td *bindex.TermFieldDoc) []string {
	var out []string
	for _, v := range td.Vectors {
		out = append(out, fmt.Sprint(v.Field, v.ArrayPositions, v.Pos))
	}
	slices.Sort(out)
	return out
}
