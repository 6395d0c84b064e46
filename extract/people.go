package extract

import (
	"sort"
	"strings"
)

type mentionKind uint8

const (
	mentionName    mentionKind = iota // a full name: Trần Thế Dũng
	mentionShort                      // an honorific and a given name: ông Dũng
	mentionTitle                      // a title alone: Phó Bí thư Thường trực Tỉnh ủy đề nghị
	mentionComrade                    // đồng chí, ông, bà alone, referring to the person last named
)

// mention is one place where the text refers to a person.
type mention struct {
	w0, w1    int     // the words of the sentence the mention covers, titles included
	person    *person // who it refers to, once resolved
	honorific bool    // the name came with ông, bà, đồng chí, ...
	tentative bool    // a name only if the article names the person otherwise too
	kind      mentionKind
	name      string // the name as output (full or short)
	key       string
	span      Span // the name, title or honorific, in Article.Text
	pos       int  // reading order
	roles     []roleMention
	affs      []affiliationMention
	title     *title // for mentionTitle
}

type roleMention struct {
	t    *title
	span Span // the title and the name, in Article.Text
}

type affiliationMention struct {
	org, level, place string
	span              Span
}

// splitName returns where, in the capitalized run [a, b), a person's name
// starts so that it fills the rest of the run: a family name followed by one
// to three words. It prefers names of three words, then four, then two. It
// returns -1 if there is none.
func (s *sentence) splitName(a, b int) int {
	l := getLexicon()
	best, bestRank := -1, 0
	for j := a; j < b; j++ {
		n := b - j
		if n < 2 || n > 4 || !l.isFamily(s.vt[j].w) {
			continue
		}
		rank := map[int]int{3: 3, 4: 2, 2: 1}[n]
		if rank > bestRank {
			best, bestRank = j, rank
		}
	}
	// A family name of two words (Rơ Ông Ha Thoan, Tôn Nữ ...).
	if best > a && b-best < 4 && l.family[s.vt[best-1].w+" "+s.vt[best].w] {
		return best - 1
	}
	return best
}

// nameAt reports whether a person's name may start at word k: a known family
// name followed by another name-shaped word.
func (s *sentence) nameAt(k int) bool {
	return s.nameShaped(k) && s.nameShaped(k+1) && getLexicon().isFamily(s.vt[k].w)
}

// capsNameEnd returns the end of a name at word k in a heading written in
// capitals, where capitalization cannot tell: a name the article writes
// elsewhere, or else a run of common name syllables.
func (s *sentence) capsNameEnd(k int) int {
	for n := 4; n >= 2; n-- {
		if k+n <= len(s.vt) && s.known[s.key(k, k+n)] != "" {
			return k + n
		}
	}
	l := getLexicon()
	e := k + 1
	for e < len(s.vt) && e-k < 4 && s.nameShaped(e) && l.given[s.vt[e].w] {
		e++
	}
	if e-k < 2 {
		return k
	}
	return e
}

// knownNameAt reports whether a name the article writes in mixed case starts
// at word k.
func (s *sentence) knownNameAt(k int) bool {
	for n := 4; n >= 2; n-- {
		if k+n <= len(s.vt) && s.known[s.key(k, k+n)] != "" {
			return true
		}
	}
	return false
}

// key returns the comparison key of words [a, b).
func (s *sentence) key(a, b int) string {
	ws := make([]string, 0, b-a)
	for i := a; i < b; i++ {
		ws = append(ws, s.vt[i].w)
	}
	return strings.Join(ws, " ")
}

// nameEnd returns the end of a name that starts at word k, given that the
// context (a title, an honorific) says a name is there; k if none.
func (s *sentence) nameEnd(k int, licensed bool) int {
	if !s.nameShaped(k) {
		return k
	}
	if s.caps {
		if !licensed && !getLexicon().isFamily(s.vt[k].w) {
			return k
		}
		return s.capsNameEnd(k)
	}
	e := s.run(k, 12)
	switch n := e - k; {
	case n >= 2 && n <= 4:
		if licensed || s.nameAt(k) {
			return e
		}
	case n > 4:
		if s.nameAt(k) {
			// A name running into other capitalized words: keep the common
			// three-word form.
			return k + 3
		}
	}
	return k
}

// nameAfter finds a name right after a title: directly, or after a comma or
// dash and a rank or honorific (", Thiếu tướng Nguyễn Văn A",
// ", đồng chí Nguyễn Văn A").
func (s *sentence) nameAfter(pos int) (int, int) {
	if e := s.nameEnd(pos, false); e > pos {
		return pos, e
	}
	// Right after a title, three or four capitalized words are a name even
	// with a family name the lexicon lacks (Thành Thị Lệ Hằng).
	if e := s.run(pos, 5); !s.caps && e-pos >= 3 && e-pos <= 4 && !s.is(pos-1, ",") && !s.placeWord(pos) {
		return pos, e
	}
	j := pos
	sep := false
	if s.is(j, ",", "-") {
		j++
		sep = true
	}
	hon := false
	for s.may(j, fHonorific) {
		h, n := getLexicon().honorifics.longest(s.word, j)
		if n == 0 {
			break
		}
		_ = h
		j += n
		hon = true
		if s.is(j, ".") {
			j++
		}
	}
	if !hon && sep {
		return -1, -1
	}
	if e := s.nameEnd(j, hon); e > j {
		return j, e
	}
	return -1, -1
}

// nameAfterTitleLike reports whether a title starts at word k after a comma
// (a list item that is a person: "..., Nguyễn Văn A, Chủ tịch ...").
func (s *sentence) nameAfterTitleLike(k int) bool {
	return s.is(k, ",") && s.parseTitle(k+1) != nil
}

// plural reports whether the word before k makes what follows plural or
// generic (các Phó Chủ tịch, những đồng chí).
func (s *sentence) plural(k int) bool {
	return s.is(k-1, "các", "những", "nhiều", "hai", "ba", "bốn", "năm", "mấy", "vị", "và", "cùng", "quý")
}

// comradeRef reports whether the honorific at words [k, k+n), not followed
// by a name, refers back to the person last named: "đồng chí đề nghị",
// "ông cho biết" (but not "bà con", "các đồng chí").
func (s *sentence) comradeRef(k, n int) bool {
	if s.plural(k) {
		return false
	}
	switch s.key(k, k+n) {
	case "đồng chí":
	case "ông", "bà":
		return s.is(k+n, "cho", "nói", "chia", "khẳng", "nhấn", "đề", "yêu", "phát", "bày", "bộc", "kể",
			"trao", "chỉ", "ghi", "đánh", "nêu", "thông", "giải", "trả", "mong", "cũng", "đã", "đang", "vẫn",
			"luôn", "từng", "còn", "sẽ", "tâm", "khẳng", "cam", "lưu", "kiến", "tiếp", "đồng")
	default:
		return false
	}
	next, ok := s.word(k + n)
	return ok && next != "ta" && next != "mình" && next != ":" && !s.nameShaped(k+n)
}

// runStart reports whether word k starts a capitalized run (so a name may
// start there in running text).
func (s *sentence) runStart(k int) bool {
	if k == 0 || !s.nameShaped(k-1) {
		return true
	}
	// Only the sentence's first word before it, capitalized because it is
	// first: Theo Nguyễn Văn A, ...
	l := getLexicon()
	return k-1 == 0 && !l.isFamily(s.vt[0].w) && s.placeLength(0) == 0
}

// classified reports whether the words before k make a capitalized name at k
// a place or an institution (đường Trần Phú, Trường THPT Phan Đình Phùng).
func (s *sentence) classified(k int) bool {
	l := getLexicon()
	// The classifier may be separated from the name by a few lower-case
	// words (đường ven biển Võ Chí Công).
	for end := k; end >= 0 && k-end <= 3; end-- {
		if end < k && (s.tok(end).kind != tokWord || !s.tok(end).lower) {
			break
		}
		for n := 1; n <= 4 && end-n >= 0; n++ {
			if exactAt(&l.classifiers, s, end-n, end) || exactAt(&l.levels, s, end-n, end) {
				return true
			}
		}
	}
	return false
}

// placeLength returns the length in words of the longest place name the
// gazetteer knows at word k, or 0.
func (s *sentence) placeLength(k int) int {
	if !s.may(k, fPlace) {
		return 0
	}
	_, n := getLexicon().places.longest(s.word, k)
	return n
}

// exactAt reports whether words [a, b) of s are exactly a phrase of t.
func exactAt[V any](t *trie[V], s *sentence, a, b int) bool {
	n := t
	for i := a; i < b; i++ {
		if n = n.child(s.vt[i].w); n == nil {
			return false
		}
	}
	return n.ok
}

// parse finds the mentions of people in a sentence.
func (a *analyzer) parse(s *sentence) {
	for k := 0; k < len(s.vt); {
		if n := a.titleFirst(s, k); n > 0 {
			k += n
			continue
		}
		if n := a.nameFirst(s, k); n > 0 {
			k += n
			continue
		}
		k++
	}
}

// titleFirst reads titles followed by a name (Trưởng ban Dân vận Tỉnh ủy Hà
// Tĩnh Trương Thanh Huyền; Trưởng ban Dân vận Huyện ủy, Chủ tịch Ủy ban MTTQ
// huyện Cẩm Xuyên Nguyễn Thanh Long), or a title alone that refers to its
// holder. It returns the number of words read.
func (a *analyzer) titleFirst(s *sentence, k int) int {
	l := getLexicon()
	j := k
	if !s.may(k, fRank|fHonorific) && !s.is(k, "nguyên") {
		return 0
	}
	if h, n := l.honorifics.longest(s.word, j); n > 0 && h.kind == "person" {
		if s.parseTitle(j+n) != nil {
			j += n
		}
	}
	t := s.parseTitle(j)
	if t == nil {
		return 0
	}
	plural := s.plural(k)
	chain := []*title{t}
	pos := t.end
	for {
		last := chain[len(chain)-1]
		ns, ne := last.nameStart, last.nameEnd
		if ns < 0 {
			ns, ne = s.nameAfter(pos)
		}
		if ns >= 0 {
			completeChain(chain)
			m := a.addName(s, ns, ne, false)
			m.w0 = k
			for _, ct := range chain {
				a.addRole(s, m, ct, ct.start, ne)
			}
			end := a.appositives(s, m, ne)
			if plural {
				end = a.moreNames(s, end, chain)
			}
			return end - k
		}
		if s.is(pos, ",", "kiêm") {
			next := pos + 1
			if s.is(pos, ",") && s.is(next, "kiêm") {
				next++
			}
			if nt := s.parseTitle(next); nt != nil && nt.complete {
				chain = append(chain, nt)
				pos = nt.end
				continue
			}
		}
		break
	}
	if !plural {
		for _, ct := range chain {
			if ct.complete {
				a.add(&mention{kind: mentionTitle, title: ct, span: s.b.source(s.span(ct.start, ct.end)), pos: s.order(ct.start),
					w0: ct.start, w1: ct.end})
			}
		}
	}
	return pos - k
}

// moreNames reads further names that share the titles of a plural title
// (các Phó Chủ tịch HĐND tỉnh Trần Thị Minh Châu, Nguyễn Văn Hưng).
func (a *analyzer) moreNames(s *sentence, pos int, chain []*title) int {
	for s.is(pos, ",", "và") {
		ns := pos + 1
		ne := s.nameEnd(ns, false)
		if ne == ns {
			break
		}
		if s.is(ne, ",", "-") {
			if t := s.parseTitle(ne + 1); t != nil {
				break // the name has titles of its own
			}
		}
		m := a.addName(s, ns, ne, false)
		for _, ct := range chain {
			a.addRole(s, m, ct, ns, ne)
		}
		pos = ne
	}
	return pos
}

// nameFirst reads a name, with the honorific before it and the titles after
// it. It returns the number of words read.
func (a *analyzer) nameFirst(s *sentence, k int) int {
	l := getLexicon()
	if !s.may(k, fHonorific) && !s.nameShaped(k) {
		return 0
	}
	if _, n := l.honorifics.longest(s.word, k); n > 0 {
		j := k + n
		if s.is(j, ".") {
			j++
		}
		for {
			h2, n2 := l.honorifics.longest(s.word, j)
			if n2 == 0 || h2.kind == "person" {
				break
			}
			j += n2
			if s.is(j, ".") {
				j++
			}
		}
		if !s.nameShaped(j) {
			if s.comradeRef(k, n) {
				a.add(&mention{kind: mentionComrade, span: s.b.source(s.span(k, k+n)), pos: s.order(k), w0: k, w1: k + n})
			}
			return n
		}
		e := s.nameEnd(j, true)
		if e == j {
			if !s.nameShaped(j+1) && !s.caps {
				// ông Dũng: a given name alone.
				a.add(&mention{kind: mentionShort, name: s.text(j, j+1), key: s.key(j, j+1), w0: k, w1: j + 1,
					span: s.b.source(s.span(j, j+1)), pos: s.order(j)})
				return j + 1 - k
			}
			return n
		}
		m := a.addName(s, j, e, true)
		m.honorific = true
		m.w0 = k
		return a.appositives(s, m, e) - k
	}
	if s.caps {
		for n := 4; n >= 2; n-- {
			if k+n <= len(s.vt) && s.known[s.key(k, k+n)] != "" && s.nameShaped(k) {
				m := a.addName(s, k, k+n, false)
				return a.appositives(s, m, k+n) - k
			}
		}
		return 0
	}
	if !s.nameShaped(k) || !s.runStart(k) || s.placeWord(k) {
		return 0
	}
	e := s.run(k, 12)
	if n := s.placeLength(k); n > 0 && k+n <= e && (n >= 2 || e-k == 1) {
		// A place name (Hà Tĩnh), unless the run is a person's name that
		// starts like one (Vũ Quang Huy). A name may follow the place.
		whole := e-k <= 4 && s.splitName(k, e) == k
		rest := k+n < e && s.splitName(k+n, e) == k+n
		if !whole || k+n == e || rest {
			if rest {
				m := a.addName(s, k+n, e, false)
				return a.appositives(s, m, e) - k
			}
			return n
		}
	}
	if s.classified(k) || !s.nameAt(k) {
		return 0
	}
	if e-k > 4 {
		j := s.splitName(k, e)
		if j != k {
			return 0
		}
	}
	if e-k == 2 && !l.family[s.vt[k].w] {
		return 0 // Y Tý, H'Mông: an Ê Đê name needs three words or an honorific
	}
	m := a.addName(s, k, e, false)
	if e-k == 2 && !s.is(e, ",", "-", "(") {
		// Two capitalized words alone are more often a place, a street or a
		// historical figure (Kim Đới, Lê Lợi) than a person named in full:
		// a person only if named so elsewhere too.
		m.tentative = true
	}
	return a.appositives(s, m, e) - k
}

// appositives reads the titles and affiliation written after a name:
// "Nguyễn Thành Công, Phó Chủ tịch UBND tỉnh", "Phan Xuân Khánh – Phó Ban dân
// vận tỉnh ủy", "Hồ Đức Tiến (Ban Dân vận Tỉnh ủy Hà Tĩnh)". It returns the
// word after them.
func (a *analyzer) appositives(s *sentence, m *mention, pos int) (end int) {
	var chain []*title
	defer func() {
		completeChain(chain)
		m.w1 = max(m.w1, end)
	}()
	for {
		switch {
		case s.is(pos, ",") && s.ageAt(pos+1) > 0:
			// Ông Lỳ Xé Pơ, 72 tuổi, nguyên Chủ tịch ...: skip the age.
			pos += 1 + s.ageAt(pos+1)
		case s.is(pos, ",", "-", "kiêm"):
			j := pos + 1
			if s.is(j, "kiêm", "đồng thời", "là") {
				j++
			}
			t := s.parseTitle(j)
			if t == nil {
				return pos
			}
			if !t.complete {
				// A rank sharing the next title's organization: Phó Tư lệnh,
				// Tham mưu trưởng Bộ đội Biên phòng.
				if nt := s.parseTitle(t.end + 1); !s.is(t.end, ",") || nt == nil || !nt.complete {
					return pos
				}
			}
			if t.nameStart >= 0 {
				return pos // the title introduces the next person
			}
			if ns, _ := s.nameAfter(t.end); ns >= 0 {
				return pos
			}
			chain = append(chain, t)
			a.addRole(s, m, t, t.start, t.end)
			pos = t.end
		case s.is(pos, "("):
			end := a.parenthesis(s, m, pos+1)
			if end < 0 {
				// (SN 1966), (xã Tam Giang, huyện Năm Căn): skip it, noting a
				// place for a title that names none.
				close := s.closing(pos)
				if close < 0 {
					return pos
				}
				if place, level := s.placeIn(pos+1, close); place != "" && len(m.roles) > 0 {
					if r := m.roles[len(m.roles)-1].t; r.place == "" && (r.level == "" || r.levelGuess || r.level == level) {
						r.place, r.placeFrom = place, "text"
						r.level, r.levelGuess = level, false
					}
				}
				end = close + 1
			}
			pos = end
		default:
			return pos
		}
	}
}

// ageAt returns the length of an age written at word k (72 tuổi, sinh năm
// 1952), or 0.
func (s *sentence) ageAt(k int) int {
	if t := s.tokAt(k); t != nil && t.kind == tokNumber && s.is(k+1, "tuổi") {
		return 2
	}
	if s.is(k, "sinh") && s.is(k+1, "năm") {
		return 3
	}
	if s.is(k, "sn") {
		return 2
	}
	return 0
}

// closing returns the ")" that closes the "(" at word k, or -1.
func (s *sentence) closing(k int) int {
	for j := k + 1; j < len(s.vt) && j-k <= 20; j++ {
		switch s.vt[j].w {
		case ")":
			return j
		case "(":
			return -1
		}
	}
	return -1
}

// placeIn returns the first place named with a level word in words [a, b)
// (xã Tam Giang, huyện Năm Căn → Tam Giang, xã).
func (s *sentence) placeIn(a, b int) (string, string) {
	l := getLexicon()
	for k := a; k < b; k++ {
		if !s.may(k, fLevel) {
			continue
		}
		lv, n := l.levels.longest(s.word, k)
		if n == 0 || !s.nameShaped(k+n) {
			continue
		}
		e := s.run(k+n, 4)
		if e > b {
			e = b
		}
		if entries, m := l.places.longest(s.word, k+n); m > 0 && k+n+m <= e {
			if pe, ok := compatiblePlace(entries, lv); ok {
				return pe.name, lv
			}
		}
		return s.placeText(k+n, e), lv
	}
	return "", ""
}

// parenthesis reads "(title)" or "(organization)" after a name and returns
// the word after ")" or -1.
func (a *analyzer) parenthesis(s *sentence, m *mention, k int) int {
	if t := s.parseTitle(k); t != nil && t.complete && s.is(t.end, ")") {
		a.addRole(s, m, t, t.start, t.end)
		return t.end + 1
	}
	if t := s.parseOrganization(k); t != nil && s.is(t.end, ")") {
		m.affs = append(m.affs, affiliationMention{
			org: t.org, level: t.level, place: t.place,
			span: s.b.source(s.span(k, t.end)),
		})
		return t.end + 1
	}
	return -1
}

// completeChain fills in what the titles of one person's chain leave to
// each other: a rank alone takes the next title's organization (Phó Tư lệnh,
// Tham mưu trưởng Bộ đội Biên phòng; Bí thư, Chủ tịch UBND xã → Bí thư Đảng ủy
// xã), an organization without its level word takes the level of the next
// title (Bí thư Đảng ủy, Chủ tịch HĐND phường), and a title without a place
// takes the place of a title at the same level (Trưởng ban Dân vận Huyện ủy,
// Chủ tịch Ủy ban MTTQ huyện Cẩm Xuyên).
func completeChain(chain []*title) {
	for i, t := range chain {
		var next *title
		for _, o := range chain[i+1:] {
			if o.complete {
				next = o
				break
			}
		}
		if next == nil {
			continue
		}
		if !t.complete {
			completeRank(t, next)
		}
		if t.complete && t.needsLevel && t.level == "" && next.level != "" && !next.needsLevel {
			t.level = next.level
			t.canonical += " " + next.level
			t.org += " " + next.level
			t.needsLevel = false
		}
	}
	for _, t := range chain {
		if t.place != "" || t.level == "" || t.level == "trung ương" {
			continue
		}
		for _, o := range chain {
			if o != t && o.place != "" && o.placeFrom == "text" && o.level == t.level {
				t.place, t.placeFrom = o.place, "title"
				break
			}
		}
	}
}

// partyCommittee is the party committee of a level, whose Bí thư a chain
// like "Bí thư, Chủ tịch UBND xã" names.
var partyCommittee = map[string]string{
	"tỉnh": "Tỉnh ủy", "huyện": "Huyện ủy", "thành phố": "Thành ủy", "thị xã": "Thị ủy", "quận": "Quận ủy",
	"xã": "Đảng ủy xã", "phường": "Đảng ủy phường", "thị trấn": "Đảng ủy thị trấn", "đặc khu": "Đảng ủy đặc khu",
}

// completeRank gives a rank alone the organization of the next title of the
// same person.
func completeRank(t, next *title) {
	rank := t.rank.canonical
	if strings.Contains(rank, "Bí thư") {
		// The party committee of the level whose government the next title
		// heads.
		org := strings.ToLower(next.org)
		if !strings.HasPrefix(org, "ủy ban nhân dân") && !strings.HasPrefix(org, "hội đồng nhân dân") &&
			!strings.HasPrefix(org, "ủy ban mặt trận") {
			return
		}
		committee := partyCommittee[next.level]
		if committee == "" {
			return
		}
		t.org, t.canonical = committee, rank+" "+committee
	} else {
		if t.rank.head != "" || next.rank.head != "" {
			return
		}
		t.org, t.canonical = next.org, rank+" "+next.org
	}
	t.level, t.place, t.placeFrom = next.level, next.place, next.placeFrom
	if t.placeFrom == "text" {
		t.placeFrom = "title"
	}
	t.complete = true
}

// addName records a person's name at words [a, b).
func (an *analyzer) addName(s *sentence, a, b int, licensed bool) *mention {
	name := collapseSpaces(s.text(a, b))
	k := s.key(a, b)
	if s.caps {
		if known := s.known[k]; known != "" {
			name = known
		} else {
			name = nameCase(name)
		}
	} else if _, ok := s.known[k]; !ok {
		s.known[k] = name
	}
	m := &mention{kind: mentionName, name: name, key: k, span: s.b.source(s.span(a, b)), pos: s.order(a), w0: a, w1: b}
	an.add(m)
	return m
}

// addRole gives mention m the title t, with evidence over words [a, b)
// joined to the name.
func (an *analyzer) addRole(s *sentence, m *mention, t *title, a, b int) {
	t.block, t.order = s.b.index, s.order(t.start)
	sp := s.b.source(s.span(a, b))
	if m.span[0] < sp[0] {
		sp[0] = m.span[0]
	}
	if m.span[1] > sp[1] {
		sp[1] = m.span[1]
	}
	m.roles = append(m.roles, roleMention{t: t, span: sp})
}

func (an *analyzer) add(m *mention) { an.mentions = append(an.mentions, m) }

// person is a person being assembled from mentions.
type person struct {
	honorific bool // every mention of the name came with an honorific (ông, bà)
	name      string
	key       string
	first     int
	last      int // position of the latest mention seen while resolving
	spans     []Span
	roles     []*roleAcc
	affs      []*affiliationMention
}

type roleAcc struct {
	title, org, level, place, placeFrom string
	named                               string // proper name of a named organization
	former                              bool
	spans                               []Span
	first                               int
	block, order                        int // where the title was first given
}

// weakPlace reports whether a role's place was inferred rather than written
// with the title.
func (r *roleAcc) weakPlace() bool { return r.placeFrom != "text" && r.placeFrom != "title" }

// resolve turns mentions into people: it merges mentions of the same name,
// resolves short names, titles alone and honorifics alone to the person they
// refer to, and settles places.
func (an *analyzer) resolve() []*person {
	sort.SliceStable(an.mentions, func(i, j int) bool { return an.mentions[i].pos < an.mentions[j].pos })
	byKey := map[string]*person{}
	var people []*person
	confirmed := map[string]bool{}
	for _, m := range an.mentions {
		if m.kind == mentionName && !m.tentative {
			confirmed[m.key] = true
		}
	}
	// Full names first, so that later references can find them.
	for _, m := range an.mentions {
		if m.kind != mentionName || m.tentative && !confirmed[m.key] {
			continue
		}
		p := byKey[m.key]
		if p == nil {
			p = &person{name: m.name, key: m.key, first: m.pos, honorific: true}
			byKey[m.key] = p
			people = append(people, p)
		}
		p.honorific = p.honorific && m.honorific
		p.spans = append(p.spans, m.span)
		for _, r := range m.roles {
			p.addRole(r, m.pos)
		}
		for i := range m.affs {
			p.affs = append(p.affs, &m.affs[i])
		}
	}
	people = mergePartialNames(people, byKey, shortMinorityName, func(p, q *person) bool {
		return strings.HasPrefix(q.key, p.key+" ") // Y Wang → Y Wang Mlô
	})
	people = mergePartialNames(people, byKey, givenNameOnly, func(p, q *person) bool {
		return strings.Count(q.key, " ") >= 2 && strings.HasSuffix(q.key, " "+p.key) // Thu Hà → Phạm Thị Thu Hà
	})
	for _, p := range people {
		p.settleRoles(an)
	}
	// References, in reading order.
	var lastNamed *person
	lastPos := -1
	for _, m := range an.mentions {
		var p *person
		switch m.kind {
		case mentionName:
			if m.tentative && !confirmed[m.key] {
				continue
			}
			p = byKey[m.key]
		case mentionShort:
			p = an.byGivenName(people, m)
		case mentionTitle:
			p = an.byTitle(people, m)
		case mentionComrade:
			if lastNamed != nil && m.pos-lastPos < 600 {
				p = lastNamed
			}
		}
		if p == nil {
			continue
		}
		m.person = p
		if m.kind != mentionName {
			p.spans = append(p.spans, m.span)
		}
		if m.kind == mentionTitle {
			for _, r := range p.roles {
				if r.title == m.title.canonical && (m.title.place == "" || m.title.place == r.place) {
					r.spans = append(r.spans, m.span)
					break
				}
			}
		}
		p.last = m.pos
		lastNamed, lastPos = p, m.pos
	}
	return people
}

// mergePartialNames merges each person named only in part (partial) into
// the one other person whose name that part is of (partOf), and leaves the
// person alone when there is no such person or more than one.
func mergePartialNames(people []*person, byKey map[string]*person, partial func(p *person) bool, partOf func(p, full *person) bool) []*person {
	var out []*person
	for _, p := range people {
		var full *person
		n := 0
		if partial(p) {
			for _, q := range people {
				if q != p && partOf(p, q) {
					full, n = q, n+1
				}
			}
		}
		if n != 1 {
			out = append(out, p)
			continue
		}
		full.spans = append(full.spans, p.spans...)
		full.roles = append(full.roles, p.roles...)
		full.affs = append(full.affs, p.affs...)
		full.first = min(full.first, p.first)
		byKey[p.key] = full
	}
	return out
}

// shortMinorityName reports whether a person is named by the two first words
// of an Ê Đê or M'nông name (Y Wang of Y Wang Mlô), which put the family name
// last.
func shortMinorityName(p *person) bool {
	first, rest, ok := strings.Cut(p.key, " ")
	l := getLexicon()
	return ok && !strings.Contains(rest, " ") && l.isFamily(first) && !l.family[first]
}

// givenNameOnly reports whether a person is named only by two words with an
// honorific and has no title (bà Thu Hà, ông Ha Vin).
func givenNameOnly(p *person) bool {
	return p.honorific && len(p.roles) == 0 && strings.Count(p.key, " ") == 1
}

// headRank reports whether a rank alone names a position (Hiệu trưởng,
// Giám đốc) rather than a membership (Đại biểu, Ủy viên).
func headRank(rank string) bool {
	switch strings.ToLower(rank) {
	case "đại biểu", "ủy viên", "ủy viên thường trực", "ủy viên dự khuyết", "thành viên", "chính trị viên":
		return false
	}
	return !strings.HasPrefix(rank, "nguyên ")
}

func (p *person) addRole(r roleMention, pos int) {
	t := r.t
	if !t.complete {
		// A rank alone before the name (Bộ trưởng Phạm Quốc Bảo): evidence for
		// a title of the same rank given elsewhere, settled later.
		p.roles = append(p.roles, &roleAcc{title: t.canonical, spans: []Span{r.span}, first: pos, placeFrom: "rank"})
		return
	}
	for _, x := range p.roles {
		if x.title == t.canonical && x.place == t.place && x.placeFrom != "rank" {
			x.spans = append(x.spans, r.span)
			x.former = x.former && t.former
			return
		}
	}
	p.roles = append(p.roles, &roleAcc{
		title: t.canonical, org: t.org, level: t.level, place: t.place, placeFrom: t.placeFrom,
		named: t.named, former: t.former, spans: []Span{r.span}, first: pos, block: t.block, order: t.order,
	})
}

// settleRoles merges a person's roles: a rank alone into the full title of
// that rank, a title without a place into the same title with one, and gives
// the remaining provincial titles the paper's province.
func (p *person) settleRoles(an *analyzer) {
	var out []*roleAcc
	var ranks []*roleAcc
	for _, r := range p.roles {
		if r.placeFrom == "rank" {
			ranks = append(ranks, r)
			continue
		}
		out = append(out, r)
	}
	for _, rk := range ranks {
		merged := false
		for _, r := range out {
			if strings.HasPrefix(strings.ToLower(r.title), strings.ToLower(rk.title)+" ") {
				r.spans = append(r.spans, rk.spans...)
				merged = true
				break
			}
		}
		if !merged && headRank(rk.title) {
			// Hiệu trưởng Huỳnh Thị Thanh Trúc: a head's rank alone is still
			// the person's title.
			rk.placeFrom = ""
			out = append(out, rk)
		}
	}
	// A title without a written place is the same title written with one
	// elsewhere for the person.
	var kept []*roleAcc
	for _, r := range out {
		if r.place == "" || r.weakPlace() {
			var into *roleAcc
			for _, o := range out {
				if o != r && o.place != "" && !o.weakPlace() && o.title == r.title {
					into = o
					break
				}
			}
			if into != nil {
				into.spans = append(into.spans, r.spans...)
				continue
			}
		}
		kept = append(kept, r)
	}
	// Then, in order: the place of the level last named before the title in
	// its paragraph (UBND xã after "xã Hải Phúc"), the person's other title
	// at that level, the paper's province for a provincial title, the one
	// place of the level the article is about, the place a named
	// organization is named after (Trường THCS Sảng Mộc).
	for _, r := range kept {
		if r.place != "" || r.level == "" || r.level == "trung ương" {
			continue
		}
		if !provincial(r.level) {
			if pl := an.placeBefore(r.level, r.block, r.order); pl != "" {
				r.place, r.placeFrom = pl, "context"
				continue
			}
		}
		for _, o := range kept {
			if o.place != "" && o.level == r.level && !o.weakPlace() {
				r.place, r.placeFrom = o.place, "person"
				break
			}
		}
		if r.place == "" && provincial(r.level) && an.province != "" {
			r.place, r.placeFrom = an.province, an.provinceFrom
		}
		if r.place == "" {
			if pl := an.soleUnit[r.level]; pl != "" {
				r.place, r.placeFrom = pl, "article"
			}
		}
	}
	for _, r := range kept {
		if r.named == "" || r.place != "" {
			continue
		}
		for _, k := range an.placeOrder {
			pl := an.places[k]
			if pl.Level != "quốc gia" && pl.Level != "tỉnh" && strings.HasSuffix(strings.ToLower(r.named), " "+strings.ToLower(pl.Name)) {
				r.place, r.placeFrom, r.level = pl.Name, "title", string(pl.Level)
				break
			}
		}
	}
	// Two mentions may now name the same title and place.
	var merged []*roleAcc
	for _, r := range kept {
		dup := false
		for _, o := range merged {
			if o.title == r.title && o.place == r.place {
				o.spans = append(o.spans, r.spans...)
				dup = true
				break
			}
		}
		if !dup {
			merged = append(merged, r)
		}
	}
	p.roles = merged
}

// byGivenName resolves "ông Dũng" to the person named ... Dũng: the only one,
// or the one last mentioned.
func (an *analyzer) byGivenName(people []*person, m *mention) *person {
	var cands []*person
	for _, p := range people {
		if p.first < m.pos && (strings.HasSuffix(p.key, " "+m.key)) {
			cands = append(cands, p)
		}
	}
	return latest(cands)
}

// byTitle resolves a title alone to the person who holds it in the article:
// the only one, else the one of the paper's province, else the one last
// mentioned.
func (an *analyzer) byTitle(people []*person, m *mention) *person {
	t := m.title
	var cands []*person
	for _, p := range people {
		for _, r := range p.roles {
			if r.title != t.canonical {
				continue
			}
			if t.place != "" && r.place != t.place {
				continue
			}
			cands = append(cands, p)
			break
		}
	}
	if len(cands) > 1 && t.place == "" && an.province != "" && provincial(t.level) {
		var home []*person
		for _, p := range cands {
			for _, r := range p.roles {
				if r.title == t.canonical && r.place == an.province {
					home = append(home, p)
					break
				}
			}
		}
		if len(home) > 0 {
			cands = home
		}
	}
	return latest(cands)
}

// latest returns the candidate mentioned last, or the only one.
func latest(cands []*person) *person {
	var best *person
	for _, p := range cands {
		if best == nil || p.last > best.last || p.last == best.last && p.first > best.first {
			best = p
		}
	}
	return best
}
