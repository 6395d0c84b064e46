package extract

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// blockText is one block of an article, normalized.
type blockText struct {
	index  int         // in Article.Blocks
	kind   BlockKind   // what the block is
	off    int         // the block's start in Article.Text
	n      Normalized  // of the block's text
	text   string      // n.String()
	lower  string      // text in lower case, same offsets
	quotes []quotePair // quoted spans
}

// source maps a span of normalized block text to Article.Text.
func (b *blockText) source(s Span) Span {
	src := b.n.SourceSpan(s)
	return Span{src[0] + b.off, src[1] + b.off}
}

// sentence is a run of tokens of one block, with the abbreviations in it
// expanded into virtual words that the lexicons match.
type sentence struct {
	b     *blockText
	toks  []token
	caps  bool // written in capitals (a heading)
	vt    []vword
	known map[string]string // names the article writes in mixed case, by key
	kept  bool              // outlives its visit: its buffers are its own
	place []bool            // words that are part of a place name (set by scanPlaces)
	used  []bool            // words a date, document or figure has taken
}

// markUsed notes that words [a, b) belong to a date, document or figure.
func (s *sentence) markUsed(a, b int) { s.mark(&s.used, a, b) }

// usedWord reports whether word k belongs to a date, document or figure.
func (s *sentence) usedWord(k int) bool { return marked(s.used, k) }

// markPlace notes that words [a, b) name a place.
func (s *sentence) markPlace(a, b int) { s.mark(&s.place, a, b) }

// placeWord reports whether word k is part of a place name.
func (s *sentence) placeWord(k int) bool { return marked(s.place, k) }

// mark sets words [a, b) in a per-word mark, made on first use.
func (s *sentence) mark(marks *[]bool, a, b int) {
	if *marks == nil {
		*marks = make([]bool, len(s.vt))
	}
	for k := max(a, 0); k < b && k < len(*marks); k++ {
		(*marks)[k] = true
	}
}

func marked(marks []bool, k int) bool { return k >= 0 && k < len(marks) && marks[k] }

// vword is one word as the lexicons see it: a token, lower-cased, or one word
// of an abbreviation's expansion.
type vword struct {
	w        string // lower-case normalized form
	tok0     int    // first source token, index into sentence.toks
	tok1     int    // last source token (two-token abbreviations)
	expanded bool   // part of an expansion
	shaped   bool   // a plain capitalized word that can be part of a name or place
	starts   uint8  // lexicons with a phrase starting with w (fRank, ...)
}

// maxSentenceTokens bounds the work and memory per sentence on text without
// punctuation.
const maxSentenceTokens = 400

// scratch holds buffers reused from sentence to sentence.
type scratch struct {
	toks  []token
	words []vword
}

// sentences tokenizes a block one sentence at a time and passes each to
// visit. The sentence's tokens are reused after visit returns: a visitor that
// keeps a sentence must keep a copy (keep).
func (b *blockText) sentences(sc *scratch, visit func(*sentence)) {
	buf, words := sc.toks, sc.words
	defer func() { sc.toks, sc.words = buf, words }()
	pos := 0
	next := func() (token, bool) {
		t, ok := nextToken(b.text, pos)
		if ok {
			pos = t.end
		}
		return t, ok
	}
	look, more := next()
	for more {
		buf = buf[:0]
		for more {
			t := look
			buf = append(buf, t)
			look, more = next()
			if len(buf) >= maxSentenceTokens || t.kind == tokPunct && b.endsSentence(buf, look, more) {
				break
			}
		}
		s := &sentence{b: b, toks: buf, vt: words[:0]}
		s.prepare()
		visit(s)
		if !s.kept {
			words = s.vt
		}
	}
}

// keep copies the sentence's tokens so that it outlives its visit.
func (s *sentence) keep() {
	s.toks = append([]token(nil), s.toks...)
	s.vt = append([]vword(nil), s.vt...)
	s.kept = true
}

// endsSentence reports whether the punctuation token that ends buf ends a
// sentence, given the token after it.
func (b *blockText) endsSentence(buf []token, next token, more bool) bool {
	t := buf[len(buf)-1]
	c := b.text[t.start:t.end]
	if c != "." && c != "!" && c != "?" && c != "…" && !strings.HasPrefix(c, "..") {
		return false
	}
	if c == "." && len(buf) > 1 {
		prev := buf[len(buf)-2]
		if isAbbrevBeforeDot(b.text[prev.start:prev.end]) {
			return false
		}
	}
	if !more {
		return true
	}
	nc := b.text[next.start:next.end]
	return next.cap || next.kind == tokNumber || nc == "“" || nc == "\"" || nc == "(" || nc == "-"
}

func isAbbrevBeforeDot(w string) bool {
	switch w {
	case "TS", "ThS", "Ths", "GS", "PGS", "BS", "Tp", "TP", "TX", "St", "Th", "PGS.TS", "GS.TS", "TS.BS", "ThS.BS", "NSND", "NSƯT", "đ", "Đ":
		return true
	}
	return false
}

// prepare decides whether the sentence is in capitals and builds its words.
func (s *sentence) prepare() {
	up, words := 0, 0
	for _, t := range s.toks {
		if t.kind != tokWord || !t.letter {
			continue
		}
		words++
		if t.upper && utf8.RuneCountInString(s.b.text[t.start:t.end]) > 1 {
			up++
		}
	}
	s.caps = up >= 3 && up*5 >= words*4

	l := getLexicon()
	for i := 0; i < len(s.toks); i++ {
		t := s.toks[i]
		text := s.b.text[t.start:t.end]
		if t.kind == tokWord && (!t.lower || t.joined) {
			if exp, n := s.expand(l, i, text); exp != nil {
				for _, w := range exp {
					s.vt = append(s.vt, vword{w: w, tok0: i, tok1: i + n - 1, expanded: true, starts: l.startsOf(w)})
				}
				i += n - 1
				continue
			}
		}
		w := s.b.lower[t.start:t.end]
		s.vt = append(s.vt, vword{w: w, tok0: i, tok1: i, starts: l.startsOf(w), shaped: t.nameShaped(s.caps)})
	}
}

// expand returns the expansion of an abbreviation at token i and how many
// tokens it spans.
func (s *sentence) expand(l *lexicon, i int, text string) ([]string, int) {
	cands := l.abbrevs[text]
	if len(cands) == 0 {
		return nil, 0
	}
	next := ""
	if i+1 < len(s.toks) {
		next = s.b.text[s.toks[i+1].start:s.toks[i+1].end]
	}
	for _, a := range cands {
		switch {
		case a.two != "":
			if next == a.two {
				return a.words, 2
			}
		case a.next != "":
			if next == a.next {
				return a.words, 1
			}
		default:
			if s.caps && utf8.RuneCountInString(text) < 3 {
				// In a heading TU or TT may be words; keep only longer forms.
				return nil, 0
			}
			return a.words, 1
		}
	}
	return nil, 0
}

// may reports whether a phrase of the lexicons f may start at word k.
func (s *sentence) may(k int, f uint8) bool {
	return k >= 0 && k < len(s.vt) && s.vt[k].starts&f != 0
}

func (s *sentence) word(k int) (string, bool) {
	if k < 0 || k >= len(s.vt) {
		return "", false
	}
	return s.vt[k].w, true
}

func (s *sentence) is(k int, words ...string) bool {
	w, ok := s.word(k)
	if !ok {
		return false
	}
	for _, x := range words {
		if w == x {
			return true
		}
	}
	return false
}

// tok returns the source token under word k.
func (s *sentence) tok(k int) token { return s.toks[s.vt[k].tok0] }

// nameShaped reports whether word k is a plain capitalized word that can be
// part of a name or a place.
func (s *sentence) nameShaped(k int) bool {
	return k >= 0 && k < len(s.vt) && s.vt[k].shaped
}

// span returns the normalized block span of words [a, b).
func (s *sentence) span(a, b int) Span {
	return Span{s.toks[s.vt[a].tok0].start, s.toks[s.vt[b-1].tok1].end}
}

// text returns the normalized text of words [a, b) as written.
func (s *sentence) text(a, b int) string {
	sp := s.span(a, b)
	return s.b.text[sp[0]:sp[1]]
}

// order is a position that sorts mentions in reading order.
func (s *sentence) order(k int) int {
	return s.b.off + s.toks[s.vt[k].tok0].start
}

// run returns the end of the run of name-shaped words that starts at k
// (at most max words).
func (s *sentence) run(k, max int) int {
	e := k
	for e < len(s.vt) && e-k < max && s.nameShaped(e) {
		e++
	}
	return e
}

// nameCase writes a name's syllables with only the first letter upper case
// (for names read from headings in capitals).
func nameCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		r, size := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + strings.ToLower(w[size:])
	}
	return strings.Join(words, " ")
}

// Sentences returns the sentences of an article's blocks (the byline
// excepted) as spans of Article.Text, in reading order, split where the
// extractor splits them. The index uses them as the evidence of a fact.
func Sentences(a *Article) []Span {
	var out []Span
	var sc scratch
	for i, b := range a.Blocks {
		if b.Kind == BlockByline || b.Span[1] > len(a.Text) || b.Span[0] > b.Span[1] {
			continue
		}
		bt := newBlockText(i, b, a.Text)
		bt.sentences(&sc, func(s *sentence) {
			if len(s.toks) == 0 {
				return
			}
			out = append(out, bt.source(Span{s.toks[0].start, s.toks[len(s.toks)-1].end}))
		})
	}
	return out
}

// SentenceAt returns the sentence of sentences (as Sentences gives them) that
// holds the start of span s, or s itself when none does.
func SentenceAt(sentences []Span, s Span) Span {
	i := sort.Search(len(sentences), func(i int) bool { return sentences[i][1] > s[0] })
	if i < len(sentences) && sentences[i][0] <= s[0] {
		return sentences[i]
	}
	return s
}
