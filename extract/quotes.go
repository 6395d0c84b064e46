package extract

import (
	"strings"
	"unicode/utf8"
)

// Kinds of quotes.
const (
	QuoteDirect   = "direct"   // the speaker's words: “...”, or after "Name:" in a caption
	QuoteIndirect = "indirect" // reported speech: speaker + đề nghị, cho biết, ... + content
)

// quotePair is a span of quoted text in a block: “...”, "...", ‘...’.
type quotePair struct {
	open, close int // offsets of the quote marks in the block's normalized text
	words       int // words inside
	speech      bool
}

// findQuotes pairs the quote marks of a block's normalized text. Curly
// quotes nest; straight quotes alternate.
func findQuotes(text string) []quotePair {
	if !hasQuoteChar(text) {
		return nil
	}
	var pairs []quotePair
	var stack []int
	straight := -1
	for i, r := range text {
		switch r {
		case '“', '«', '‘':
			stack = append(stack, i)
		case '”', '»', '’':
			if r == '’' && len(stack) == 0 {
				continue // an apostrophe
			}
			if n := len(stack); n > 0 {
				open := stack[n-1]
				stack = stack[:n-1]
				pairs = append(pairs, quotePair{open: open, close: i})
			}
		case '"':
			if straight < 0 {
				straight = i
			} else {
				pairs = append(pairs, quotePair{open: straight, close: i})
				straight = -1
			}
		}
	}
	for i := range pairs {
		_, size := utf8.DecodeRuneInString(text[pairs[i].open:])
		pairs[i].words = countWords(text[pairs[i].open+size : pairs[i].close])
	}
	return pairs
}

// hasQuoteChar reports whether s has a quote mark: " “ ” ‘ ’ « ».
func hasQuoteChar(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			return true
		case 0xE2:
			if i+2 < len(s) && s[i+1] == 0x80 && s[i+2] >= 0x98 && s[i+2] <= 0x9D {
				return true
			}
		case 0xC2:
			if i+1 < len(s) && (s[i+1] == 0xAB || s[i+1] == 0xBB) {
				return true
			}
		}
	}
	return false
}

func countWords(s string) int {
	n, in := 0, false
	for i := 0; i < len(s); i++ {
		sp := s[i] == ' ' || s[i] == '\n'
		if !sp && !in {
			n++
		}
		in = !sp
	}
	return n
}

// content returns the normalized span inside a pair's marks.
func (b *blockText) content(p quotePair) Span {
	_, size := utf8.DecodeRuneInString(b.text[p.open:])
	s, e := trimSpan(b.text, p.open+size, p.close)
	return Span{s, e}
}

// speechEvent is someone saying something, found in a sentence and turned
// into a quote once people are resolved.
type speechEvent struct {
	block       int
	m           *mention
	verb        string
	kind        string
	content     Span // in Article.Text
	text        string
	attribution Span // speaker and verb, in Article.Text
}

// scanSpeech finds the statements of a sentence: a speaker (a mention made
// in this sentence) with a speech verb, a quote, or a caption's colon.
func (an *analyzer) scanSpeech(s *sentence, mentions []*mention) {
	l := getLexicon()
	b := s.b
	last := len(s.vt) // the statement runs to the sentence's end, less its full stop
	for last > 0 && s.is(last-1, ".", "!", "?", "…", "...", ";") {
		last--
	}
	if len(mentions) == 0 {
		// Ông Quyết cho biết, ... . Năm 2023, ...: a sentence naming no one,
		// with no quotes, goes on with the reported speech before it.
		if o := an.open; o >= 0 && an.speech[o].block == b.index && b.kind == BlockParagraph && !s.hasSpeechQuote() &&
			!s.hasSpeechVerb() && last > 0 {
			e := &an.speech[o]
			e.content[1] = b.source(s.span(0, last))[1]
			e.text = an.a.Text[e.content[0]:e.content[1]]
		}
		return
	}
	an.open = -1
	afterVerb := -1 // the word after the last speech verb seen
	for k := 0; k < len(s.vt); k++ {
		// Theo ông X, ...: the rest of the sentence is what X says.
		if s.is(k, "theo") {
			if m := mentionAt(mentions, k+1); m != nil && s.is(m.w1, ",") && m.w1+1 < last {
				an.addSpeech(s, m, "theo", QuoteIndirect, m.w1+1, last, k, m.w1)
				an.open = len(an.speech) - 1
				return
			}
		}
		if !s.may(k, fSpeech) || s.insideQuote(k) {
			continue
		}
		sv, n := l.speech.longest(s.word, k)
		if n == 0 || s.is(k-1, "được", "các", "những", "nhiều", "một", "bị") || s.is(k+n, "của") {
			continue
		}
		if k == afterVerb && sv.verb == "chỉ đạo" {
			// phát biểu chỉ đạo: a kind of speech, not what was said (but
			// "trình bày nêu rõ, ..." goes on to say it).
			afterVerb = k + n
			continue
		}
		afterVerb = k + n
		verb := sv.verb
		m := mentionBefore(mentions, k)
		if m == nil || s.quoteBetween(m.w1, k) {
			continue
		}
		// “...”, X nói: the quote just before the speaker.
		if p, ok := s.closedBefore(m.w0); ok {
			an.addQuotePair(s, m, verb, p, m.w0, k+n)
			s.b.quotes[p].speech = true
			k += n - 1
			continue
		}
		// X nhấn mạnh: “...”: the quote just after the verb.
		j := k + n
		if s.is(j, ":", ",") {
			j++
		}
		if p, ok := s.openedAt(j); ok {
			an.addQuotePair(s, m, verb, p, m.w0, k+n)
			s.b.quotes[p].speech = true
			return
		}
		// X đề nghị ...: reported speech to the sentence's end (for a verb
		// that also takes a plain object, only after a comma, a colon or
		// "rằng": chia sẻ, mỗi chi bộ ... but not chia sẻ kinh nghiệm).
		if sv.needsSep && !s.is(k+n, ",", ":", "rằng") {
			continue
		}
		if k+n < last-1 {
			an.addSpeech(s, m, verb, QuoteIndirect, k, last, m.w0, k+n)
			an.open = len(an.speech) - 1
			return
		}
	}
	// X xúc động: “...”: a colon before a quote gives the words of the person
	// last named before it.
	for k := 1; k < len(s.vt); k++ {
		if !s.is(k-1, ":") {
			continue
		}
		if p, ok := s.openedAt(k); ok && !s.b.quotes[p].speech {
			if m := mentionBefore(mentions, k-1); m != nil && !s.quoteBetween(m.w1, k-1) {
				an.addQuotePair(s, m, "", p, m.w0, k-1)
				s.b.quotes[p].speech = true
			}
		}
	}
	// A caption that opens with a titled name and a colon: what follows is
	// the person's words (Phó Chủ tịch Ủy ban MTTQ tỉnh Phạm Thị Thu Hà: ...).
	if m := mentions[0]; m.w0 == 0 && s.is(m.w1, ":") && len(m.roles) > 0 && s.b.kind != BlockTitle {
		start := m.w1 + 1
		if p, ok := s.openedAt(start); ok {
			an.addQuotePair(s, m, "", p, m.w0, m.w1)
			s.b.quotes[p].speech = true
			return
		}
		if start < len(s.vt) {
			an.colon = &colonSpeech{m: m, block: b.index, start: b.source(s.span(start, start+1))[0], attribution: b.source(s.span(m.w0, m.w1))}
		}
	}
}

// colonSpeech is a caption's "Name: words", whose words run to the end of the
// block, past the sentence that opens them.
type colonSpeech struct {
	m           *mention
	block       int
	start       int // where the words start, in Article.Text
	attribution Span
}

func mentionAt(mentions []*mention, k int) *mention {
	for _, m := range mentions {
		if m.w0 == k {
			return m
		}
	}
	return nil
}

// mentionBefore returns the last mention that ends before word k.
func mentionBefore(mentions []*mention, k int) *mention {
	var best *mention
	for _, m := range mentions {
		if m.w1 <= k && (best == nil || m.w1 > best.w1 || m.w1 == best.w1 && m.w0 < best.w0) {
			best = m
		}
	}
	return best
}

// quoteMark reports which pair a quote mark at word k opens or closes.
func (s *sentence) quoteMark(k int, opening bool) (int, bool) {
	t := s.tokAt(k)
	if t == nil || t.kind != tokPunct {
		return 0, false
	}
	for i, p := range s.b.quotes {
		if opening && p.open == t.start || !opening && p.close == t.start {
			return i, true
		}
	}
	return 0, false
}

// closedBefore finds a quote that closes just before word k (skipping a
// comma, a full stop or a dash): “...”, X nói.
func (s *sentence) closedBefore(k int) (int, bool) {
	j := k - 1
	for j >= 0 && s.is(j, ",", "-", ".") {
		j--
	}
	return s.quoteMark(j, false)
}

// openedAt finds a quote that opens at word k.
func (s *sentence) openedAt(k int) (int, bool) { return s.quoteMark(k, true) }

// hasSpeechVerb reports whether a speech verb is in the sentence (someone
// else speaks: Ban Thường vụ Tỉnh ủy yêu cầu ...).
func (s *sentence) hasSpeechVerb() bool {
	for k := range s.vt {
		if s.may(k, fSpeech) {
			if _, n := getLexicon().speech.longest(s.word, k); n > 0 {
				return true
			}
		}
	}
	return false
}

// hasSpeechQuote reports whether the sentence has quote marks other than a
// short quoted name (“Chung sức xây dựng nông thôn mới”).
func (s *sentence) hasSpeechQuote() bool {
	for k := range s.vt {
		for _, opening := range []bool{true, false} {
			if p, ok := s.quoteMark(k, opening); ok && !s.b.quotes[p].termLike(s.b.text) {
				return true
			}
		}
	}
	return false
}

// termLike reports whether a quoted span reads as a name, slogan or motto
// rather than someone's words: at most 30 words, one sentence, no sentence
// punctuation at its end, no first person.
func (p quotePair) termLike(text string) bool {
	if p.words < 1 || p.words > 30 {
		return false
	}
	_, size := utf8.DecodeRuneInString(text[p.open:])
	inner := strings.TrimSpace(text[p.open+size : p.close])
	if strings.Contains(inner, ". ") || strings.HasSuffix(inner, ".") || strings.HasSuffix(inner, "!") || strings.HasSuffix(inner, "?") {
		return false
	}
	lower := " " + lowerSameLength(inner) + " "
	for _, w := range []string{" tôi ", " chúng tôi ", " mình ", " chúng em "} {
		if strings.Contains(lower, w) || strings.Contains(lower, strings.TrimSpace(w)+",") {
			return false
		}
	}
	return true
}

// insideQuote reports whether word k is inside quotes of this block.
func (s *sentence) insideQuote(k int) bool {
	t := s.tokAt(k)
	if t == nil {
		return false
	}
	for _, p := range s.b.quotes {
		if p.open < t.start && t.start < p.close {
			return true
		}
	}
	return false
}

// quoteBetween reports whether a quote mark lies between words a and b.
func (s *sentence) quoteBetween(a, b int) bool {
	for j := a; j < b; j++ {
		if _, ok := s.quoteMark(j, true); ok {
			return true
		}
		if _, ok := s.quoteMark(j, false); ok {
			return true
		}
	}
	return false
}

// addSpeech records reported speech over words [a, b), attributed over
// words [ra, rb).
func (an *analyzer) addSpeech(s *sentence, m *mention, verb, kind string, a, b, ra, rb int) {
	content := s.b.source(s.span(a, b))
	an.speech = append(an.speech, speechEvent{
		block: s.b.index, m: m, verb: verb, kind: kind, content: content,
		text:        an.a.Text[content[0]:content[1]],
		attribution: s.b.source(s.span(ra, rb)),
	})
}

// addQuotePair records the words of quote pair p as said by m.
func (an *analyzer) addQuotePair(s *sentence, m *mention, verb string, p, ra, rb int) {
	c := s.b.source(s.b.content(s.b.quotes[p]))
	if c[1] <= c[0] {
		return
	}
	an.speech = append(an.speech, speechEvent{
		block: s.b.index, m: m, verb: verb, kind: QuoteDirect, content: c, text: an.a.Text[c[0]:c[1]],
		attribution: s.b.source(s.span(ra, rb)),
	})
}

// endColon closes a caption's colon speech at the end of its block.
func (an *analyzer) endColon(b *blockText) {
	c := an.colon
	if c == nil || c.block != b.index {
		return
	}
	an.colon = nil
	end := an.blockEnd(b)
	if end <= c.start {
		return
	}
	an.speech = append(an.speech, speechEvent{
		m: c.m, kind: QuoteDirect, content: Span{c.start, end}, text: an.a.Text[c.start:end], attribution: c.attribution,
	})
}

// blockEnd returns where a block's text ends in Article.Text, less trailing
// space.
func (an *analyzer) blockEnd(b *blockText) int {
	return b.off + len(strings.TrimRight(an.a.Text[b.off:b.off+len(b.n.src)], " \n\t"))
}

// quotes turns speech events into quotes, once people are resolved: only
// speakers who are people of the article, and each statement once.
func (an *analyzer) quotes() []Quote {
	var out []Quote
	seen := map[string]bool{}
	for _, e := range an.speech {
		if e.m.person == nil {
			continue
		}
		text := collapseSpaces(strings.TrimSpace(e.text))
		key := e.m.person.key + "|" + lowerSameLength(NormalizeString(text))
		if seen[key] {
			continue
		}
		seen[key] = true
		q := Quote{
			Speaker: Optional(e.m.person.name), Verb: Optional(e.verb), Kind: e.kind, Text: text,
			Spans: []Span{e.content}, Attribution: []Span{e.attribution},
		}
		out = append(out, q)
	}
	return out
}

// terms returns the quoted spans nobody is said to speak: campaign names,
// slogans, mottos, once each (compared without case), as first written.
func (an *analyzer) terms() []Term {
	var out []Term
	index := map[string]int{}
	for _, tp := range an.termPairs {
		text := collapseSpaces(strings.TrimSpace(strings.Trim(an.a.Text[tp[0]:tp[1]], " ,.;:")))
		if text == "" {
			continue
		}
		k := lowerSameLength(NormalizeString(text))
		if i, ok := index[k]; ok {
			out[i].Spans = append(out[i].Spans, tp)
			continue
		}
		index[k] = len(out)
		out = append(out, Term{Text: text, Spans: []Span{tp}})
	}
	return out
}

// interview reads a question-and-answer interview: paragraphs after one that
// opens "PV:" are the answers of the person the introduction names (the
// last named before the first question).
func (an *analyzer) interview(blocks []*blockText) {
	first := -1
	for i, b := range blocks {
		if isQuestion(b.text) {
			first = i
			break
		}
	}
	if first < 0 {
		return
	}
	var who *mention
	start := blocks[first].off
	for _, m := range an.mentions {
		if m.span[0] < start && m.person != nil && len(m.person.roles) > 0 {
			who = m
		}
	}
	if who == nil {
		return
	}
	answering := false
	for _, b := range blocks[first:] {
		switch {
		case isQuestion(b.text):
			answering = true
		case answering && b.kind == BlockParagraph:
			end := an.blockEnd(b)
			an.speech = append(an.speech, speechEvent{
				m: who, kind: QuoteDirect, content: Span{b.off, end}, text: an.a.Text[b.off:end],
				attribution: who.span,
			})
		default:
			answering = false
		}
	}
}

// isQuestion reports whether a paragraph is an interviewer's question.
func isQuestion(text string) bool {
	for _, p := range []string{"PV:", "Phóng viên:", "PV :", "Hỏi:"} {
		if strings.HasPrefix(text, p) {
			return true
		}
	}
	return false
}
