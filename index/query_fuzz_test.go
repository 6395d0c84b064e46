package index

import (
	"context"
	"errors"
	"testing"
)

// FuzzSearch runs arbitrary query strings and filters against a small
// index: a query either runs or is refused with a QueryError, never a panic
// or another error.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"dan van kheo", "\"dân vận khéo\"", "+an -to", "title:\"hà tĩnh\"", "published:>=\"2024-01-01\"",
		"year:>2020", "tinh*", "/h[oò]a/", "dân~1", "body:>5", "\"", "+", "a:b:c", "(x)", "hoà^2", "\x00\xff", "đ", "~dan", ""} {
		f.Add(s, "")
	}
	f.Add("", "truong thanh huyen")
	ix := testIndex(f)
	f.Fuzz(func(t *testing.T, q, person string) {
		_, err := ix.Search(context.Background(), &Search{Query: q, Person: person, Limit: 3, Facets: 2})
		var qe *QueryError
		if err != nil && !errors.As(err, &qe) {
			t.Fatalf("Search(%q, person %q): %v, want a result or a QueryError", q, person, err)
		}
	})
}
