package extract

import (
	"strings"
)

// Qualifiers of a figure, as researchers need them.
const (
	QualExact  = "exact"
	QualApprox = "approx" // gần, khoảng, hàng
	QualOver   = "over"   // trên, hơn
	QualUnder  = "under"  // dưới, chưa đến
	QualRange  = "range"  // 2-3 tỷ: Value is the low end, Max the high end
)

// qualifiers maps the words before a number to a qualifier.
var qualifiers = map[string]string{
	"gần": QualApprox, "khoảng": QualApprox, "xấp xỉ": QualApprox, "chừng": QualApprox, "ước": QualApprox,
	"ước tính": QualApprox, "ước khoảng": QualApprox, "hàng": QualApprox, "gần như": QualApprox,
	"hơn": QualOver, "trên": QualOver, "ngoài": QualOver, "ít nhất": QualOver, "tối thiểu": QualOver,
	"dưới": QualUnder, "chưa đến": QualUnder, "chưa tới": QualUnder, "không quá": QualUnder, "tối đa": QualUnder,
}

// scaleWords are the words that multiply a number.
var scaleWords = map[string]float64{
	"nghìn": 1e3, "ngàn": 1e3, "vạn": 1e4, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9,
	"nghìn tỷ": 1e12, "ngàn tỷ": 1e12, "nghìn tỉ": 1e12, "triệu tỷ": 1e15,
}

// labels are words after which a number names something rather than counts
// it: Quốc lộ 6, kỳ họp thứ 14, Điều 353. A weak label (lớp 8, tổ 5, giai
// đoạn 2) stops being one when a unit follows the number (mỗi đội 50 triệu
// đồng, trong số 18 huyện).
var labels = map[string]bool{
	"thứ": true, "lần thứ": true, "quốc lộ": true, "tỉnh lộ": true, "huyện lộ": true, "khóa": true,
	"kỳ": true, "điều": true, "khoản": true, "mục": true, "phụ lục": true, "sn": true, "hotline": true,
	"điện thoại": true, "đt": true, "fax": true, "lúc": true, "biển số": true, "số hiệu": true,
	"model": true, "version": true, "top": true,
}

var weakLabels = map[string]bool{
	"số": true, "đường": true, "km": true, "khu": true, "tổ": true, "lớp": true, "giai đoạn": true,
	"chương": true, "trang": true, "chương trình": true, "quân khu": true, "phòng": true, "đội": true,
	"tiểu đoàn": true, "trung đoàn": true, "sư đoàn": true, "hạng": true, "cấp": true, "bão": true,
	"tổ dân phố": true, "bản": true, "thôn": true, "xóm": true, "tuyến": true, "lô": true, "ô": true,
	"đợt": true, "vòng": true, "bảng": true, "tập": true, "phiên": true, "mã": true, "quận": true,
	"phường": true, "chi bộ": true, "hội": true, "khối": true, "dãy": true, "căn": true, "tầng": true,
	"kiốt": true, "ki-ốt": true, "xe": true, "tàu": true, "mẫu": true,
}

// scanFigures finds the figures of a sentence: numbers with what they count,
// scaled (26 tỷ đồng), qualified (gần 2.000 mô hình), percentages (7,54%),
// ranges (2-3 tỷ đồng), and common written numbers (hai tỉnh).
func (an *analyzer) scanFigures(s *sentence) {
	for k := 0; k < len(s.vt); k++ {
		if s.usedWord(k) || s.vt[k].expanded || s.placeWord(k) {
			continue
		}
		if f, end, ok := s.figureAt(k); ok {
			an.figures = append(an.figures, f)
			s.markUsed(k, end)
			k = end - 1
		}
	}
}

// figureAt reads a figure whose number is at word k; it returns the figure
// and the word after it.
func (s *sentence) figureAt(k int) (Figure, int, bool) {
	t := s.tok(k)
	var lo, hi float64
	isRange := false
	written := false
	j := k + 1
	switch {
	case t.kind == tokNumber && !t.letter:
		text := s.text(k, k+1)
		if a, b, ok := strings.Cut(text, "-"); ok {
			// 2-3 (tỷ): a range; 2016-2018 is a period, left to dates.
			x, ok1 := ParseNumber(a)
			y, ok2 := ParseNumber(b)
			if !ok1 || !ok2 || y <= x {
				return Figure{}, 0, false
			}
			lo, hi, isRange = x, y, true
		} else {
			v, ok := ParseNumber(text)
			if !ok {
				return Figure{}, 0, false
			}
			lo = v
		}
	case writtenNumbers[s.vt[k].w] > 0:
		lo, written = writtenNumbers[s.vt[k].w], true
		if k+1 < len(s.vt) {
			if v, ok := writtenNumbers[s.vt[k].w+" "+s.vt[k+1].w]; ok {
				lo, j = v, k+2 // mười lăm
			}
		}
	default:
		return Figure{}, 0, false
	}
	_, un := getLexicon().units.longest(s.word, j)
	_, sn := s.scaleAt(j)
	unitNext := un > 0 || sn > 0 || s.is(j, "%")
	if s.labelBefore(k, unitNext) || !s.caps && k > 1 && s.nameShaped(k-1) && !unitNext {
		// Quân khu 2, bản Huồi Giảng 1; but Phạm Văn Tiến 9 năm tù counts.
		return Figure{}, 0, false
	}
	start := k
	qual := QualExact
	if q, n := s.qualifierBefore(k); n > 0 {
		qual, start = q, k-n
	}
	// 2 - 3 tỷ, 2 đến 3 tỷ
	if !isRange && !written && (s.is(j, "-") || s.is(j, "đến") || s.is(j, "tới")) && j+1 < len(s.vt) {
		if nt := s.tok(j + 1); nt.kind == tokNumber && !nt.letter {
			if y, ok := ParseNumber(s.text(j+1, j+2)); ok && y > lo {
				hi, isRange, j = y, true, j+2
			}
		}
	}
	if f, n := s.scaleAt(j); n > 0 && !written {
		lo, hi = scale(lo, f), scale(hi, f)
		j += n
	}
	var unit string
	switch {
	case s.is(j, "%"):
		unit, j = "%", j+1
	case s.is(j, "phần") && s.is(j+1, "trăm"):
		unit, j = "%", j+2
	default:
		u, n, known := s.unitAt(j, written)
		if n == 0 || !known && isYear(lo) && !isRange && !strings.Contains(s.text(k, k+1), ".") {
			// No unit; or 2024 before a word that is not a known unit: more
			// likely a year than a count.
			return Figure{}, 0, false
		}
		unit, j = u, j+n
	}
	f := Figure{
		Text:      s.sourceText(start, j),
		Value:     lo,
		Unit:      unit,
		Qualifier: qual,
		Spans:     []Span{s.b.source(s.span(start, j))},
	}
	if isRange {
		f.Qualifier = QualRange
		m := hi
		f.Max = &m
	}
	return f, j, true
}

func isYear(v float64) bool { return v >= 1900 && v <= 2100 && v == float64(int(v)) }

// phraseSet holds phrases of one or two words, looked up without building
// strings.
type phraseSet[V any] struct {
	one map[string]V
	two map[[2]string]V
}

func newPhraseSet[V any](m map[string]V) phraseSet[V] {
	ps := phraseSet[V]{one: map[string]V{}, two: map[[2]string]V{}}
	for k, v := range m {
		if a, b, ok := strings.Cut(k, " "); ok {
			ps.two[[2]string{a, b}] = v
		} else {
			ps.one[k] = v
		}
	}
	return ps
}

// at looks up the phrase of n words (1 or 2) at word k.
func (ps phraseSet[V]) at(s *sentence, k, n int) (V, bool) {
	var zero V
	if k < 0 || k+n > len(s.vt) {
		return zero, false
	}
	if n == 1 {
		v, ok := ps.one[s.vt[k].w]
		return v, ok
	}
	v, ok := ps.two[[2]string{s.vt[k].w, s.vt[k+1].w}]
	return v, ok
}

var (
	labelSet     = newPhraseSet(labels)
	weakLabelSet = newPhraseSet(weakLabels)
	qualifierSet = newPhraseSet(qualifiers)
	scaleSet     = newPhraseSet(scaleWords)
)

// labelBefore reports whether word k is a number that names rather than
// counts, after a label word: Quốc lộ 6, kỳ họp thứ 14, Điều 353.
func (s *sentence) labelBefore(k int, unitNext bool) bool {
	for n := 1; n <= 2 && k-n >= 0; n++ {
		if _, ok := labelSet.at(s, k-n, n); ok {
			return true
		}
		if _, ok := weakLabelSet.at(s, k-n, n); ok && !unitNext {
			return true
		}
	}
	return false
}

// qualifierBefore returns the qualifier written before word k and its
// length in words.
func (s *sentence) qualifierBefore(k int) (string, int) {
	for n := 2; n >= 1; n-- {
		if q, ok := qualifierSet.at(s, k-n, n); ok {
			return q, n
		}
	}
	return "", 0
}

// scaleAt returns the factor of a scale word at word j and its length.
func (s *sentence) scaleAt(j int) (float64, int) {
	for n := 2; n >= 1; n-- {
		if f, ok := scaleSet.at(s, j, n); ok {
			return f, n
		}
	}
	return 0, 0
}

// unitAt returns the unit written at word j, its length in words and
// whether the units lexicon knows it: a known unit (longest), or else the
// next word when it reads as a noun. Money per something (đồng/người/tháng)
// is money.
func (s *sentence) unitAt(j int, written bool) (string, int, bool) {
	if j >= len(s.vt) {
		return "", 0, false
	}
	if s.vt[j].expanded {
		// 9 HTX: the abbreviation as written, all its words taken.
		e := j
		for e < len(s.vt) && s.vt[e].expanded && s.vt[e].tok0 == s.vt[j].tok0 {
			e++
		}
		return s.text(j, e), e - j, true
	}
	if cur, _, ok := strings.Cut(s.vt[j].w, "/"); ok && s.tok(j).kind == tokWord {
		// đồng/người/tháng is money; tạ/ha and tấn/ha are yields.
		if cur == "đồng" || cur == "usd" {
			return s.text(j, j+1)[:len(cur)], 1, true
		}
		if written {
			return "", 0, false
		}
		return s.text(j, j+1), 1, false
	}
	t := s.tok(j)
	if written && !t.lower && !s.caps {
		return "", 0, false // thị xã Ba Đồn: a name, not three of something
	}
	if e, n := getLexicon().units.longest(s.word, j); n > 0 {
		return e, n, true
	}
	w := s.vt[j].w
	if written || t.kind != tokWord || t.digit || !t.lower || stopWords[w] || scaleWords[w] > 0 ||
		qualifiers[w] != "" || writtenNumbers[w] > 0 {
		return "", 0, false
	}
	return s.text(j, j+1), 1, false
}

// sourceText returns the source text of words [a, b) as written.
func (s *sentence) sourceText(a, b int) string {
	sp := s.b.n.SourceSpan(s.span(a, b))
	return s.b.n.src[sp[0]:sp[1]]
}
