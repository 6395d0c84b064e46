package index

import (
	"reflect"
	"testing"

	"github.com/baotinh/baotinh/extract"
	"github.com/baotinh/baotinh/internal/corpus"
)

// TestRoleSentences checks that the sentences of the blocks with titles
// give every role fact the evidence the sentences of the whole article give.
func TestRoleSentences(t *testing.T) {
	facts := 0
	for _, it := range corpus.Make(300) {
		a := NewArticle(it.Article, it.Analysis)
		want := roleFacts(a, extract.Sentences(it.Article))
		got := roleFacts(a, roleSentences(a))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: role facts %+v, with every sentence %+v", a.ID, got, want)
		}
		for _, f := range got {
			if len(f.Evidence) > 0 && f.Evidence[0].At != f.Evidence[0].Span {
				facts++
			}
		}
	}
	if facts < 1000 {
		t.Errorf("only %d role facts have a sentence as evidence", facts)
	}
}
