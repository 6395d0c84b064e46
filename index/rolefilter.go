package index

import (
	"strings"
	"time"

	"github.com/baotinh/baotinh/extract"
	"github.com/baotinh/baotinh/index/analysis/tokenfilter/fold"
)

// How the officials tables select role facts. The facts are not in Bleve:
// the tables read every fact from the store anyway, so a filter is checked
// on each fact as it is read. A phrase filter (title, person, place)
// matches as a search phrase does in a text field: the words of the
// filter, in order, at consecutive syllables of the value; a word typed
// with diacritics matches a syllable exactly, one typed without matches
// the syllable as written or folded ("chu tich" matches Phó Chủ tịch).
// Values repeat across facts (titles, places and names are few), so each
// distinct value is checked once.

// roleFilter is an OfficialsFilter made ready to check facts.
type roleFilter struct {
	all     bool // selects every fact
	none    bool // selects no fact (a phrase without words)
	sites   map[string]bool
	from    time.Time
	to      time.Time
	phrases []*phraseMatcher // title, person, place
	get     []func(*roleFact) string
}

// phraseMatcher checks one phrase filter against values, remembering the
// answer for each value.
type phraseMatcher struct {
	words []string
	p     *queryParser
	seen  map[string]bool
}

func (ix *Index) roleFilter(f *OfficialsFilter) *roleFilter {
	rf := &roleFilter{all: f.empty(), from: f.From, to: f.To}
	if rf.all {
		return rf
	}
	if len(f.Sites) > 0 {
		rf.sites = map[string]bool{}
		for _, s := range f.Sites {
			rf.sites[s] = true
		}
	}
	p := ix.parser()
	for _, c := range []struct {
		value string
		get   func(*roleFact) string
	}{
		{f.Title, func(r *roleFact) string { return r.Title }},
		{f.Person, func(r *roleFact) string { return r.Person }},
		{f.Place, func(r *roleFact) string { return r.Place }},
	} {
		if strings.TrimSpace(c.value) == "" {
			continue
		}
		words := p.terms(extract.NormalizeString(c.value))
		if len(words) == 0 {
			rf.none = true
		}
		rf.phrases = append(rf.phrases, &phraseMatcher{words: words, p: p, seen: map[string]bool{}})
		rf.get = append(rf.get, c.get)
	}
	return rf
}

// matches reports whether the filter selects the fact.
func (rf *roleFilter) matches(r *roleFact) bool {
	switch {
	case rf.all:
		return true
	case rf.none:
		return false
	}
	if rf.sites != nil && !rf.sites[r.Site] {
		return false
	}
	if !rf.from.IsZero() || !rf.to.IsZero() {
		t := parsePublished(r.Published)
		if t.IsZero() || !rf.from.IsZero() && t.Before(rf.from) || !rf.to.IsZero() && !t.Before(rf.to) {
			return false
		}
	}
	for i, pm := range rf.phrases {
		if !pm.matches(rf.get[i](r)) {
			return false
		}
	}
	return true
}

func (pm *phraseMatcher) matches(value string) bool {
	if ok, seen := pm.seen[value]; seen {
		return ok
	}
	ok := phraseIn(pm.words, pm.p.terms(value))
	pm.seen[value] = ok
	return ok
}

// phraseIn reports whether the query words are at consecutive syllables of
// the value's syllables (each as the exact analyzer makes it).
func phraseIn(words, syllables []string) bool {
	for i := 0; i+len(words) <= len(syllables); i++ {
		ok := true
		for k, w := range words {
			if !wordMatches(w, syllables[i+k]) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// wordMatches reports whether a query word matches a syllable as the
// folding analyzer indexes it: as written, and folded when it has
// diacritics.
func wordMatches(word, syllable string) bool {
	if word == syllable {
		return true
	}
	return !fold.HasDiacritics(word) && fold.HasDiacritics(syllable) && fold.Fold(syllable) == word
}
