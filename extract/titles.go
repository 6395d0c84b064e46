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
	named      string // the proper name of a named organization (THCS Sảng Mộc)
	levelGuess bool   // the level is the organization's usual one, not written
	block      int    // where the title is: block index and reading order
	order      int
	needsLevel bool // its organization takes a level word the text left out (Bí thư Đảng ủy, Chủ tịch HĐND phường)
	// A name the place resolution found right after the place, or -1.
	nameStart, nameEnd int
}

// Levels whose place is the paper's province when the text names none.
func provincial(level string) bool { return level == "tỉnh" }

// parseTitle reads a title starting at word k.
func (s *sentence) parseTitle(k int) *title {
	start, former := k, false
	if s.is(k, "nguyên") {
		former = true
		k++
	}
	if !s.may(k, fRank) {
		return nil
	}
	rank, n := getLexicon().ranks.longest(s.word, k)
	if rank == nil {
		return nil
	}
	return s.finishTitle(&title{start: start, former: former, nameStart: -1, nameEnd: -1}, rank, k+n)
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
	t.rank = rank
	var orgWords, titleWords []string
	if t.former {
		titleWords = append(titleWords, "nguyên")
	}
	if rank.canonical != "" {
		titleWords = append(titleWords, rank.canonical)
	}
	add := func(org, inTitle string) {
		orgWords = append(orgWords, org)
		if inTitle != "" {
			titleWords = append(titleWords, inTitle)
		}
	}
	var orgLevel, deflt string
	national := false
	for first := true; ; first = false {
		e, m, stripped := s.matchOrg(pos, rank, first)
		if e == nil && !first && s.is(pos, "và") {
			// Văn phòng Đoàn ĐBQH và HĐND tỉnh
			if e2, m2, _ := s.matchOrg(pos+1, rank, false); e2 != nil {
				add("và", "và")
				e, m = e2, m2
				pos++
			}
		}
		if e == nil {
			break
		}
		start := pos
		pos += m
		inTitle := e.canonical
		if rank.standalone && rank.org == e.canonical {
			inTitle = "" // Phó Thủ tướng Chính phủ: the rank says it already
		}
		if stripped {
			inTitle = strings.Join(strings.Fields(inTitle)[len(strings.Fields(rank.head)):], " ")
		}
		if e.named && e.needName {
			end := s.namePhrase(pos)
			if end == pos && (m == 0 || !first || !anaphoric[e.canonical] || !s.bareOrgEnd(pos)) {
				pos = start
				break // Công ty, Phòng, Hội with no name: not an organization
			}
			if end == pos {
				// Giám đốc HTX cho biết: "the cooperative" named before.
				add(e.canonical, strings.TrimSpace(inTitle))
				deflt = e.deflt
				t.needsLevel = false
				break
			}
			proper := collapseSpaces(s.text(pos, end))
			add(e.canonical+" "+proper, strings.TrimSpace(inTitle+" "+proper))
			t.named = proper
			pos = end
		} else {
			add(e.canonical, inTitle)
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
			for j := pos; j < len(s.vt) && j-pos < 12; j++ {
				if j > pos && s.may(j, fLevel) {
					if _, m := s.levelWord(j); m > 0 {
						desc := s.text(pos, j)
						add(desc, desc)
						pos = j
						break
					}
				}
				if t := s.tok(j); t.kind != tokWord || !t.lower || s.vt[j].expanded {
					break
				}
			}
		}
		if e.sub {
			if p, _, _ := s.matchOrg(pos, rank, false); p != nil {
				continue // a parent organization follows (Ban Dân vận Tỉnh ủy)
			}
		}
		if e.needLevel || e.described {
			if lv, m := s.levelWord(pos); m > 0 {
				t.level = lv
				add(lv, lv)
				pos += m
				break
			}
		}
		if e.named && !e.needName && t.named == "" {
			if end := s.namePhrase(pos); end > pos {
				proper := collapseSpaces(s.text(pos, end))
				add(proper, proper)
				t.named = proper
				pos = end
			}
		}
		t.needsLevel = e.needLevel
		if !e.sub {
			break
		}
		if p, _, _ := s.matchOrg(pos, rank, false); p == nil && !s.is(pos, "và") {
			break
		}
	}
	if len(orgWords) == 0 && rank.canonical != "" {
		// Hiệu trưởng nhà trường, Giám đốc công ty: "the school", "the
		// company" named before.
		for _, the := range []string{"nhà trường", "công ty", "đơn vị", "bệnh viện", "hợp tác xã", "ngân hàng", "trung tâm", "nhà máy", "doanh nghiệp"} {
			if n := len(strings.Fields(the)); s.key(pos, min(pos+n, len(s.vt))) == the && s.tok(pos).lower {
				add(the, the)
				pos += n
				break
			}
		}
	}
	if len(orgWords) == 0 {
		t.end = pos
		t.canonical = strings.Join(titleWords, " ")
		if !rank.standalone {
			// A rank alone (Chủ tịch, Bộ trưởng): it only refers to a title the
			// person is given elsewhere.
			return t
		}
		t.org = rank.org
		t.level = rank.level
		t.complete = true
		if rank.place {
			if end := s.properName(pos); end > pos && !s.nameAt(pos) {
				t.place = s.placeText(pos, end)
				t.placeFrom = "text"
				t.end = end
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
		t.level, t.levelGuess = deflt, true
	}
	t.end = pos
	if t.level != "" && t.level != "trung ương" {
		s.resolvePlace(t, pos)
	}
	return t
}

// matchOrg matches an organization at word pos. For the first organization
// after a rank that holds the organization's head word (Trưởng ban | Dân
// vận), the head is implied; stripped says so.
func (s *sentence) matchOrg(pos int, rank *rankEntry, first bool) (e *orgEntry, m int, stripped bool) {
	l := getLexicon()
	var implied *orgEntry // the rank's head alone (Trưởng ban + a name)
	if first && rank.head != "" {
		if node := l.orgs.walk(strings.Fields(rank.head)); node != nil {
			if e, m = node.longestFrom(s.word, pos); e != nil && m > 0 {
				return e, m, true
			}
			implied = e
		}
	}
	if s.may(pos, fOrg) {
		if e, m = l.orgs.longest(s.word, pos); e != nil {
			return e, m, false
		}
	}
	if implied != nil {
		return implied, 0, true
	}
	return nil, 0, false
}

// stopWords end the proper name of an organization: verbs and function words
// that follow names in running text; stopPairs are two-word verbs, whose
// first syllable alone may be part of a name (Hội Đoàn kết sư sãi yêu nước
// but not "... yêu cầu").
var (
	stopWords = map[string]bool{}
	stopPairs = map[string][]string{}
)

// stopAt reports whether a stop word or two-word verb starts at word k.
func (s *sentence) stopAt(k int) bool {
	w := s.vt[k].w
	if stopWords[w] {
		return true
	}
	for _, second := range stopPairs[w] {
		if s.is(k+1, second) {
			return true
		}
	}
	return false
}

func init() {
	for _, w := range strings.Fields(`nói cũng đã đang sẽ vẫn được bị là với của tại trong về cùng đến từ như thì mà
		nên để có không các những này đó theo trao tặng dự tham làm thăm tiếp kiêm nhằm vì do ở khi sau trước năm ngày
		tháng vừa luôn rất đều cả trên dưới qua bằng hay hoặc lại ra vào lên xuống đây ấy gồm nêu`) {
		stopWords[w] = true
	}
	for _, p := range []string{"cho biết", "cho rằng", "cho hay", "cho thấy", "chia sẻ", "khẳng định", "nhấn mạnh",
		"đề nghị", "đề xuất", "yêu cầu", "ghi nhận", "đánh giá", "phát biểu", "chủ trì", "chỉ đạo", "thông tin",
		"báo cáo", "kiểm tra", "làm việc"} {
		first, second, _ := strings.Cut(p, " ")
		stopPairs[first] = append(stopPairs[first], second)
	}
}

// namePhrase returns the end of the proper name of an organization that
// starts at word k (Chi cục Thủy sản, Công ty TNHH Chế biến thủy sản Hòa
// Thành, Lễ hội Đền Hùng, PC03, Quân khu 4, and names written in lower case:
// Hội phụ nữ xã), or k if there is none. It stops before a level word,
// punctuation, a verb or function word, and before a person's name that
// follows the organization's name.
func (s *sentence) namePhrase(k int) int {
	e := k
	hasWord := false // a capitalized word that is not an acronym
	for e < len(s.vt) && e-k < 12 {
		vw := s.vt[e]
		if vw.expanded || e > k && s.may(e, fLevel) && s.levelAt(e) {
			break
		}
		t := s.tok(e)
		switch {
		case t.kind == tokPunct:
			if (vw.w == "-" || vw.w == "&") && e > k && e+1 < len(s.vt) && (s.tok(e+1).cap || s.tok(e+1).kind == tokNumber) {
				e++
				continue
			}
			return e
		case t.kind == tokNumber:
			e++
		case t.cap || t.upper:
			if e > k && !s.caps && s.nameShaped(e) {
				runEnd := s.run(e, 8)
				if j := s.splitName(e, runEnd); j > e || j == e && hasWord {
					return j // the organization's name, then a person's
				}
			}
			if t.title && !t.upper {
				hasWord = true
			}
			e++
		default:
			if s.stopAt(e) || vw.w == "và" && (e+1 >= len(s.vt) || !s.tok(e+1).cap) {
				return e
			}
			e++
		}
	}
	return e
}

// anaphoric are the institutions a title may name without their name, when
// the article named them before (Giám đốc HTX, Hiệu trưởng Trường).
var anaphoric = map[string]bool{
	"Hợp tác xã": true, "Công ty": true, "Trường": true, "Bệnh viện": true, "Ngân hàng": true,
	"Trung tâm": true, "Nhà máy": true, "Doanh nghiệp": true, "Tập đoàn": true,
}

// bareOrgEnd reports whether an organization written without its name can
// end at word k: before punctuation or a lower-case word.
func (s *sentence) bareOrgEnd(k int) bool {
	if k >= len(s.vt) {
		return true
	}
	t := s.tok(k)
	return t.kind == tokPunct || t.kind == tokWord && t.lower
}

// levelAt reports whether a level word starts at word k.
func (s *sentence) levelAt(k int) bool {
	_, m := s.levelWord(k)
	return m > 0
}

// levelWord returns the level a level word at word k names and its length,
// unless the word is part of a common noun (nông thôn, văn bản, bản đồ).
func (s *sentence) levelWord(k int) (string, int) {
	lv, m := getLexicon().levels.longest(s.word, k)
	if m == 0 {
		return "", 0
	}
	if s.is(k-1, "nông", "văn", "cơ", "phiên", "nguyên", "kịch", "bài", "ấn", "xuất", "dự") ||
		s.is(k+m, "đồ", "sắc", "thân", "lĩnh", "chất", "tin", "án", "báo") {
		return "", 0
	}
	return lv, m
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
			if smallUnit(t.level) {
				t.place = s.placeText(pos, pos+n)
			}
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
		if e := s.capsNameEnd(pos); s.nameAt(pos) && e > pos {
			t.nameStart, t.nameEnd = pos, e
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
	case j > pos && runEnd-j == 2:
		// xã Xoan Kim Đới: a two-word "name" after an unknown place is more
		// likely the rest of the place.
		end := min(runEnd, pos+4)
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

// placeText returns the place name written at words [a, b), in the
// gazetteer's spelling when it knows the name (not an alias: a ward named
// Phan Rang is not the city Phan Rang - Tháp Chàm).
func (s *sentence) placeText(a, b int) string {
	l := getLexicon()
	if entries, n := l.places.longest(s.word, a); n == b-a {
		for _, e := range entries {
			if key(e.name) == s.key(a, b) {
				return e.name
			}
		}
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
