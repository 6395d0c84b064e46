package extract

import (
	"strings"
)

// title is a title as found in a sentence: rank + organization + level +
// place, e.g. Phó Chủ tịch | Ủy ban nhân dân | tỉnh | Sơn La.
type title struct {
	start, end int // words [start, end), the place included
	rank       *rankEntry
	former     bool   // written after "nguyên" (former holder)
	canonical  string // the title without its place, abbreviations expanded
	org        string // the organization, with its level word
	level      string // tỉnh, huyện, xã, trung ương, ...
	place      string
	placeFrom  string // text, title, person, article, paper
	complete   bool   // has an organization, or is a complete title by itself
	needsLevel bool   // its organization takes a level word the text left out (Bí thư Đảng ủy, Chủ tịch HĐND phường)
	// A name the place resolution found right after the place, or -1.
	nameStart, nameEnd int
}

// Levels whose place is the paper's province when the text names none.
func provincial(level string) bool { return level == "tỉnh" }

// parseTitle reads a title starting at word k.
func (s *sentence) parseTitle(k int) *title {
	t := &title{start: k, nameStart: -1, nameEnd: -1}
	if s.is(k, "nguyên") {
		t.former = true
		k++
	}
	rank, n := getLexicon().ranks.longest(s.word, k)
	if rank == nil {
		return nil
	}
	return s.finishTitle(t, rank, k+n)
}

// parseOrganization reads an organization without a rank (Ban Dân vận Tỉnh
// ủy Hà Tĩnh), as a title with an empty rank.
func (s *sentence) parseOrganization(k int) *title {
	t := s.finishTitle(&title{start: k, nameStart: -1, nameEnd: -1}, &rankEntry{}, k)
	if !t.complete {
		return nil
	}
	return t
}

// finishTitle reads what follows a title's rank: organizations, level and
// place.
func (s *sentence) finishTitle(t *title, rank *rankEntry, pos int) *title {
	l := getLexicon()
	t.rank = rank
	var orgWords []string // canonical organization, word by word
	var titleWords []string
	if rank.canonical != "" {
		titleWords = append(titleWords, rank.canonical)
	}
	var orgLevel, deflt string
	national := false
	first := true
	for {
		var e *orgEntry
		var m int
		headStripped := false
		if first && rank.head != "" {
			// The rank holds the organization's head word: Trưởng ban | Dân vận.
			node := l.orgs.walk(strings.Fields(rank.head))
			if node != nil {
				e, m = node.longestFrom(s.word, pos)
				headStripped = e != nil
			}
		}
		if e == nil {
			e, m = l.orgs.longest(s.word, pos)
		}
		if e == nil && !first && s.is(pos, "và") {
			// Văn phòng Đoàn ĐBQH và HĐND tỉnh
			if e2, m2 := l.orgs.longest(s.word, pos+1); e2 != nil {
				orgWords = append(orgWords, "và")
				titleWords = append(titleWords, "và")
				e, m = e2, m2
				pos++
			}
		}
		if e == nil {
			break
		}
		first = false
		pos += m
		name := e.canonical
		orgWords = append(orgWords, name)
		if headStripped {
			name = strings.Join(strings.Fields(name)[len(strings.Fields(rank.head)):], " ")
		}
		if name != "" {
			titleWords = append(titleWords, name)
		}
		if e.named {
			if end := s.properName(pos); end > pos {
				proper := s.text(pos, end)
				orgWords = append(orgWords, proper)
				titleWords = append(titleWords, proper)
				pos = end
			}
		}
		if e.national {
			national = true
		}
		if e.deflt != "" {
			deflt = e.deflt
		}
		if e.level != "" {
			orgLevel = e.level
			break
		}
		if e.described {
			// Ban Chỉ đạo diễn tập tỉnh: lower-case words up to a level word.
			for j := pos; j < len(s.vt) && j-pos < 6; j++ {
				if _, m := l.levels.longest(s.word, j); m > 0 && j > pos {
					desc := s.text(pos, j)
					orgWords = append(orgWords, desc)
					titleWords = append(titleWords, desc)
					pos = j
					break
				}
				if t := s.tok(j); t.kind != tokWord || !t.lower || s.vt[j].expanded && j > pos {
					break
				}
			}
		}
		needsLevel := e.needLevel || e.described
		if needsLevel {
			if lv, m := l.levels.longest(s.word, pos); m > 0 {
				t.level = lv
				orgWords = append(orgWords, lv)
				titleWords = append(titleWords, lv)
				pos += m
				break
			}
		}
		t.needsLevel = needsLevel
		if !e.sub {
			break
		}
	}
	if len(orgWords) == 0 {
		if !rank.standalone {
			// A rank alone (Chủ tịch, Bộ trưởng): it only refers to a title the
			// person is given elsewhere.
			t.end = pos
			t.canonical = rank.canonical
			return t
		}
		t.org = rank.org
		t.level = rank.level
		t.complete = true
		t.canonical = rank.canonical
		t.end = pos
		if rank.place {
			if end := s.properName(pos); end > pos && !s.nameAt(pos) {
				t.place = s.placeText(pos, end)
				t.placeFrom = "text"
				pos = end
				t.end = pos
			}
		}
		return t
	}
	t.needsLevel = t.needsLevel && t.level == ""
	t.complete = true
	t.org = strings.Join(orgWords, " ")
	t.canonical = strings.Join(titleWords, " ")
	switch {
	case t.level != "":
	case orgLevel != "":
		t.level = orgLevel
	case national:
		t.level = "trung ương"
	case deflt != "":
		t.level = deflt
	}
	t.end = pos
	if t.level != "" && t.level != "trung ương" {
		s.resolvePlace(t, pos)
	}
	return t
}

// properName returns the end of a proper name at word k: capitalized words,
// numbers and acronyms (Báo Hà Tĩnh, Quân khu 4, THPT Phan Đình Phùng),
// stopping before a person's name.
func (s *sentence) properName(k int) int {
	e := k
	for e < len(s.vt) && e-k < 8 {
		vw := s.vt[e]
		if vw.expanded {
			break
		}
		t := s.tok(e)
		if t.kind == tokNumber || t.kind == tokWord && (t.cap || t.upper) {
			if e > k && s.nameAt(e) && s.nameTailAt(k, e) {
				break
			}
			e++
			continue
		}
		break
	}
	return e
}

// nameTailAt reports whether, in the capitalized run starting at k, the best
// place for a person's name to start is e.
func (s *sentence) nameTailAt(k, e int) bool {
	runEnd := s.run(k, 12)
	return s.splitName(k, runEnd) == e
}

// resolvePlace reads the place after a title's level and, when a person's
// name follows the place, notes where it is.
func (s *sentence) resolvePlace(t *title, pos int) {
	if !s.nameShaped(pos) {
		return
	}
	l := getLexicon()
	runEnd := s.run(pos, 12)
	if entries, n := l.places.longest(s.word, pos); n > 0 && pos+n <= runEnd {
		if e, ok := compatiblePlace(entries, t.level); ok {
			t.place = e.name
			t.placeFrom = "text"
			t.end = pos + n
			if ns := pos + n; ns < runEnd {
				if j := s.splitName(ns, runEnd); j == ns {
					t.nameStart, t.nameEnd = ns, runEnd
				}
			}
			return
		}
	}
	if s.caps {
		// A heading in capitals: no unknown places, the rest is a name.
		if s.nameAt(pos) {
			t.nameStart, t.nameEnd = pos, s.capsNameEnd(pos)
		}
		return
	}
	j := s.splitName(pos, runEnd)
	switch {
	case j < 0:
		// No name in the run: all of it (up to four words) is the place,
		// unless the level is a province, whose names are all known.
		if provincial(t.level) || t.level == "thành phố" {
			return
		}
		end := runEnd
		if end-pos > 4 {
			end = pos + 4
		}
		t.place = s.placeText(pos, end)
		t.placeFrom = "text"
		t.end = end
	case j > pos:
		t.place = s.placeText(pos, j)
		t.placeFrom = "text"
		t.end = j
		t.nameStart, t.nameEnd = j, runEnd
	default:
		// The whole run is a name. Below the district level a two-word run
		// is more likely a commune or village (xã Lê Lợi) than a person.
		if smallUnit(t.level) && runEnd-pos == 2 {
			t.place = s.placeText(pos, runEnd)
			t.placeFrom = "text"
			t.end = runEnd
			return
		}
		t.nameStart, t.nameEnd = pos, runEnd
	}
}

func smallUnit(level string) bool {
	switch level {
	case "xã", "phường", "thị trấn", "thôn", "bản", "xóm", "ấp", "tổ dân phố", "khu phố", "đặc khu":
		return true
	}
	return false
}

// compatiblePlace picks the gazetteer entry that fits a level.
func compatiblePlace(entries []placeEntry, level string) (placeEntry, bool) {
	want := map[string][]string{
		"tỉnh":      {"tỉnh", "thành phố trung ương"},
		"thành phố": {"thành phố", "thành phố trung ương", "tỉnh"},
		"huyện":     {"huyện"},
		"thị xã":    {"thị xã"},
		"quận":      {"quận"},
	}[level]
	if want == nil {
		// Communes and villages share names with districts; any known
		// place name but a country will do.
		for _, e := range entries {
			if e.typ != "quốc gia" {
				return e, true
			}
		}
		return placeEntry{}, false
	}
	for _, w := range want {
		for _, e := range entries {
			if e.typ == w {
				return e, true
			}
		}
	}
	return placeEntry{}, false
}

// placeText returns the place name written at words [a, b), as the gazetteer
// spells it when it knows it.
func (s *sentence) placeText(a, b int) string {
	l := getLexicon()
	if entries, n := l.places.longest(s.word, a); n == b-a && len(entries) > 0 {
		return entries[0].name
	}
	text := collapseSpaces(s.text(a, b))
	if s.caps {
		return nameCase(text)
	}
	return text
}

// walk returns the node reached by a sequence of words.
func (t *trie[V]) walk(words []string) *trie[V] {
	n := t
	for _, w := range words {
		if n = n.child(w); n == nil {
			return nil
		}
	}
	return n
}

// longestFrom is longest starting at an inner node: the node's own value
// counts as a match of no words.
func (t *trie[V]) longestFrom(word func(int) (string, bool), i int) (v V, n int) {
	if t.ok {
		v = t.val
	}
	m := 0
	node := t
	for k := i; ; k++ {
		w, ok := word(k)
		if !ok {
			break
		}
		if node = node.child(w); node == nil {
			break
		}
		if node.ok {
			v, m = node.val, k-i+1
		}
	}
	return v, m
}
