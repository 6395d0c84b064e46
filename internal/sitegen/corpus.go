package sitegen

import (
	_ "embed"
	"regexp"
	"strings"
	"sync"
)

//go:embed corpus.txt
var corpusText string

// CorpusFile is where gensites writes the sentence corpus Synthetic uses,
// relative to the repository root.
const CorpusFile = "internal/sitegen/corpus.txt"

var sentenceEnd = regexp.MustCompile(`([.!?…]["”]?)\s+([A-ZĐÀ-Ỹ“])`)

// splitSentences splits a paragraph into sentences.
func splitSentences(p string) []string {
	marked := sentenceEnd.ReplaceAllString(p, "$1\x00$2")
	var out []string
	for _, s := range strings.Split(marked, "\x00") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Corpus builds the sentence corpus of the seeds: one line per item,
// "T\t" titles, "L\t" leads, "S\t" body sentences, "C\t" captions and
// "A\t" bylines, in seed order, without repeats.
func Corpus(seeds []*Seed) []byte {
	var b strings.Builder
	seen := map[string]bool{}
	add := func(kind, s string) {
		s = strings.Join(strings.Fields(s), " ")
		if s == "" || seen[kind+s] {
			return
		}
		seen[kind+s] = true
		b.WriteString(kind + "\t" + s + "\n")
	}
	for _, s := range seeds {
		add("T", s.Title)
		add("L", s.Lead)
		for _, bl := range s.Body {
			if bl.Kind == KindCaption {
				add("C", bl.Text)
				continue
			}
			for _, x := range splitSentences(bl.Text) {
				add("S", x)
			}
		}
		add("A", strings.Join(s.Authors, " - "))
	}
	return []byte(b.String())
}

type corpus struct {
	titles, leads, sentences, captions, authors []string
}

var (
	corpusOnce sync.Once
	theCorpus  corpus
)

func getCorpus() *corpus {
	corpusOnce.Do(func() {
		for _, l := range strings.Split(corpusText, "\n") {
			k, v, ok := strings.Cut(l, "\t")
			if !ok {
				continue
			}
			switch k {
			case "T":
				theCorpus.titles = append(theCorpus.titles, v)
			case "L":
				theCorpus.leads = append(theCorpus.leads, v)
			case "S":
				theCorpus.sentences = append(theCorpus.sentences, v)
			case "C":
				theCorpus.captions = append(theCorpus.captions, v)
			case "A":
				theCorpus.authors = append(theCorpus.authors, v)
			}
		}
		if len(theCorpus.titles) == 0 {
			panic("sitegen: empty corpus.txt; run go run ./internal/sitegen/cmd/gensites")
		}
	})
	return &theCorpus
}
