package extract

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Granularities of dates.
const (
	GranTime    = "time"
	GranDay     = "day"
	GranMonth   = "month"
	GranQuarter = "quarter"
	GranHalf    = "half"
	GranYear    = "year"
	GranRange   = "range"
)

// dayParts are words that open an event's day: Sáng 27/12, Chiều 8/11 (dayAt
// reads the two-word ones: rạng sáng, sáng sớm, chiều tối, tối muộn).
var dayParts = map[string]bool{
	"sáng": true, "trưa": true, "chiều": true, "tối": true, "đêm": true, "khuya": true, "ngày": true,
	"hôm": true, "mùng": true, "mồng": true,
}

// dateOpeners are words after which a bare day/month is a date: từ 8/11,
// trước 30/9, (3/3).
var dateOpeners = map[string]bool{
	"từ": true, "đến": true, "tới": true, "trước": true, "sau": true, "vào": true, "(": true, "-": true,
	"và": true, ",": true, "đầu": true, "cuối": true, "giữa": true, "hết": true, "trong": true, "qua": true,
}

// yearOpeners are words after which a bare 4-digit number is a year.
var yearOpeners = map[string]bool{
	"từ": true, "đến": true, "tới": true, "trước": true, "sau": true, "vào": true, "(": true, "cuối": true,
	"đầu": true, "giữa": true, "hết": true, "trong": true, "sn": true, "sinh": true,
}

// relative words: offsets in days, months or years from the publication date.
var relativeDays = map[string]int{
	"hôm nay": 0, "sáng nay": 0, "trưa nay": 0, "chiều nay": 0, "tối nay": 0, "đêm nay": 0,
	"hôm qua": -1, "sáng qua": -1, "chiều qua": -1, "tối qua": -1, "đêm qua": -1, "hôm kia": -2,
	"ngày mai": 1, "sáng mai": 1, "chiều mai": 1, "tối mai": 1,
}

// relativeFirst are the first words of relative dates.
var relativeFirst = map[string]bool{"hôm": true, "sáng": true, "trưa": true, "chiều": true, "tối": true,
	"đêm": true, "ngày": true, "tháng": true, "năm": true, "sang": true}

var relativeMonths = map[string]int{"tháng này": 0, "tháng trước": -1, "tháng tới": 1, "tháng sau": 1}
var relativeYears = map[string]int{
	"năm nay": 0, "năm ngoái": -1, "năm trước": -1, "năm tới": 1, "năm sau": 1, "sang năm": 1,
}

// dateFact is a date found in a sentence, before grouping by value.
type dateFact struct {
	value, gran string
	span        Span // in Article.Text
	text        string
	day         time.Time // the day, for times given without one
}

// dateWords are the words a date may start with, besides a number.
var dateWords = map[string]bool{}

func init() {
	for w := range dayParts {
		dateWords[w] = true
	}
	for _, m := range []map[string]int{relativeDays, relativeMonths, relativeYears} {
		for w := range m {
			first, _, _ := strings.Cut(w, " ")
			dateWords[first] = true
		}
	}
	for _, w := range []string{"tháng", "quý", "giai", "nhiệm", "niên", "năm", "từ", "mùa", "nửa", "rạng"} {
		dateWords[w] = true
	}
}

// scanDates finds the dates of a sentence and marks their words used.
func (an *analyzer) scanDates(s *sentence) {
	for k := 0; k < len(s.vt); k++ {
		if s.usedWord(k) {
			continue
		}
		if t := s.tokAt(k); (t == nil || t.kind != tokNumber) && !dateWords[s.vt[k].w] {
			continue
		}
		facts, end := an.dateAt(s, k)
		if end <= k {
			continue
		}
		for _, f := range facts {
			an.addDate(f)
		}
		s.markUsed(k, end)
		k = end - 1
	}
}

func (an *analyzer) addDate(f dateFact) {
	d := an.dates[f.value]
	if d == nil {
		d = &Date{Text: f.text, Value: f.value, Granularity: f.gran}
		an.dates[f.value] = d
		an.dateOrder = append(an.dateOrder, f.value)
	}
	d.Spans = append(d.Spans, f.span)
}

// fact makes a date fact over words [a, b).
func (an *analyzer) fact(s *sentence, a, b int, value, gran string) dateFact {
	return dateFact{value: value, gran: gran, span: s.b.source(s.span(a, b)), text: s.sourceText(a, b)}
}

// dateAt reads a date at word k. It returns the facts (a time phrase gives
// its time and its day) and the word after the date, or k if there is none.
func (an *analyzer) dateAt(s *sentence, k int) ([]dateFact, int) {
	w := s.vt[k].w
	t := s.tok(k)

	// Times: 11:42, 14h30, 14 giờ 30 (phút), then maybe the day.
	if h, mi, end, ok := s.timeAt(k); ok {
		j := end
		pm := false
		if s.is(j, "sáng", "trưa", "chiều", "tối", "đêm") {
			pm = s.is(j, "chiều", "tối") || s.is(j, "đêm") && h >= 6
		}
		if pm && h < 12 {
			h += 12
		}
		for look := j; look < len(s.vt) && look <= j+2; look++ {
			if day, dend, ok := an.dayAt(s, look); ok {
				at := fmt.Sprintf("%sT%02d:%02d", day.value, h, mi)
				return []dateFact{an.fact(s, k, dend, at, GranTime), day}, dend
			}
			if !s.is(look, "sáng", "trưa", "chiều", "tối", "đêm", "ngày", ",", "hôm") {
				break
			}
		}
		if !an.lastDay.IsZero() && an.lastDayBlock == s.b.index {
			at := fmt.Sprintf("%sT%02d:%02d", an.lastDay.Format("2006-01-02"), h, mi)
			return []dateFact{an.fact(s, k, end, at, GranTime)}, end
		}
		return nil, end
	}

	// Relative words: hôm nay, năm nay, tháng trước.
	if n := 2; k+n <= len(s.vt) && relativeFirst[w] && !s.is(k-1, "hằng", "hàng", "mỗi", "từng", "các", "những", "nhiều", "một", "mấy") {
		key := s.key(k, k+n)
		if off, ok := relativeDays[key]; ok && !an.pub.IsZero() {
			d := an.pub.AddDate(0, 0, off)
			an.noteDay(d, s)
			return []dateFact{an.fact(s, k, k+n, d.Format("2006-01-02"), GranDay)}, k + n
		}
		if off, ok := relativeMonths[key]; ok && !an.pub.IsZero() {
			d := time.Date(an.pub.Year(), an.pub.Month()+time.Month(off), 1, 0, 0, 0, 0, Vietnam)
			return []dateFact{an.fact(s, k, k+n, d.Format("2006-01"), GranMonth)}, k + n
		}
		if off, ok := relativeYears[key]; ok && !an.pub.IsZero() {
			return []dateFact{an.fact(s, k, k+n, strconv.Itoa(an.pub.Year()+off), GranYear)}, k + n
		}
	}

	// Days: Sáng 27/12, ngày 28/3/2019, 27/12/2022, ngày 28 tháng 3 năm 2019.
	if f, end, ok := an.dayAt(s, k); ok {
		// A range of days: (31/3/1975 - 31/3/2025)
		if s.is(end, "-") {
			if f2, end2, ok := an.dayAt(s, end+1); ok && strings.Count(f.value, "-") == 2 && strings.Count(f2.value, "-") == 2 &&
				!strings.HasPrefix(f.value, "X") && !strings.HasPrefix(f2.value, "X") && f2.value > f.value {
				return []dateFact{an.fact(s, k, end2, f.value+"/"+f2.value, GranRange)}, end2
			}
		}
		return []dateFact{f}, end
	}

	switch w {
	case "tháng":
		return an.monthAt(s, k)
	case "quý":
		return an.quarterAt(s, k)
	case "giai", "nhiệm", "niên", "năm", "từ", "mùa":
		if f, end, ok := an.periodAt(s, k); ok {
			return []dateFact{f}, end
		}
	}
	if t.kind == tokNumber && !t.letter {
		// 6 tháng đầu năm: the first half of the year.
		if s.is(k+1, "tháng") && s.text(k, k+1) == "6" && s.is(k+2, "đầu", "cuối") && s.is(k+3, "năm") {
			half := "H1"
			if s.is(k+2, "cuối") {
				half = "H2"
			}
			y, end, ok := an.yearAfter(s, k+4)
			if !ok {
				return []dateFact{an.fact(s, k, k+4, "XXXX-"+half, GranHalf)}, k + 4
			}
			return []dateFact{an.fact(s, k, end, fmt.Sprintf("%d-%s", y, half), GranHalf)}, end
		}
		// A range of years (2024 - 2025), or a bare year after an opener
		// (từ 2020).
		if f, end, ok := an.periodAt(s, k); ok && (f.gran == GranRange || k > 0 && (yearOpeners[s.vt[k-1].w] || s.is(k-1, "năm"))) {
			return []dateFact{f}, end
		}
		if y, ok := yearOf(s.text(k, k+1)); ok && k > 0 && yearOpeners[s.vt[k-1].w] && !s.unitFollows(k+1) {
			return []dateFact{an.fact(s, k, k+1, strconv.Itoa(y), GranYear)}, k + 1
		}
	}
	if w == "nửa" && s.is(k+1, "đầu", "cuối") && s.is(k+2, "năm") {
		half := "H1"
		if s.is(k+1, "cuối") {
			half = "H2"
		}
		if y, end, ok := an.yearAfter(s, k+3); ok {
			return []dateFact{an.fact(s, k, end, fmt.Sprintf("%d-%s", y, half), GranHalf)}, end
		}
	}
	return nil, k
}

// unitFollows reports whether a known unit starts at word j (2000 hộ is a
// count, not a year).
func (s *sentence) unitFollows(j int) bool {
	if s.is(j, "%") {
		return true
	}
	_, n := getLexicon().units.longest(s.word, j)
	return n > 0 && !s.is(j, "năm")
}

// timeAt reads a time at word k: 11:42, 14h30, 14h, 14 giờ 30 (phút).
func (s *sentence) timeAt(k int) (h, m, end int, ok bool) {
	t := s.tok(k)
	if t.kind != tokNumber {
		return 0, 0, k, false
	}
	text := s.b.lower[t.start:t.end]
	var hs, ms string
	switch {
	case strings.Contains(text, ":"):
		hs, ms, _ = strings.Cut(text, ":")
	case strings.Contains(text, "h"):
		hs, ms, _ = strings.Cut(text, "h")
		if ms == "" {
			ms = "00"
		}
	case s.is(k+1, "giờ") && allDigits(text):
		hs, ms, end = text, "00", k+2
		if nt := s.tokAt(k + 2); nt != nil && nt.kind == tokNumber && allDigits(s.text(k+2, k+3)) {
			ms, end = s.text(k+2, k+3), k+3
			if s.is(end, "phút") {
				end++
			}
		} else if !s.is(end, "sáng", "trưa", "chiều", "tối", "đêm", "ngày") && !s.is(k-1, "lúc", "vào", "từ", "đến") {
			return 0, 0, k, false // hơn 8 giờ xét xử: a duration
		}
	default:
		return 0, 0, k, false
	}
	if !allDigits(hs) || !allDigits(ms) || len(hs) > 2 || len(ms) != 2 {
		return 0, 0, k, false
	}
	h, _ = strconv.Atoi(hs)
	m, _ = strconv.Atoi(ms)
	if h > 23 || m > 59 {
		return 0, 0, k, false
	}
	if end == 0 {
		end = k + 1
	}
	return h, m, end, true
}

// tokAt returns the token under word k, or nil.
func (s *sentence) tokAt(k int) *token {
	if k < 0 || k >= len(s.vt) || s.vt[k].expanded {
		return nil
	}
	return &s.toks[s.vt[k].tok0]
}

// dayAt reads a day at word k, with the words that open it: Sáng 27/12,
// ngày 28/3/2019, 27/12/2022, ngày 28 tháng 3 (năm 2019), (3/3).
func (an *analyzer) dayAt(s *sentence, k int) (dateFact, int, bool) {
	start := k
	opened := k == 0 || dateOpeners[s.vt[k-1].w]
	// Up to two day-part words: Sáng 27/12, chiều ngày 8/11, rạng sáng 3/2.
	for i := 0; i < 2 && k < len(s.vt); i++ {
		if s.is(k, "rạng", "sáng", "chiều", "tối") && s.is(k+1, "sáng", "sớm", "tối", "muộn") {
			k += 2
		} else if dayParts[s.vt[k].w] {
			k++
		} else {
			break
		}
		opened = true
	}
	t := s.tokAt(k)
	if t == nil || t.kind != tokNumber || t.letter {
		return dateFact{}, start, false
	}
	text := s.text(k, k+1)
	// ngày 28 tháng 3 (năm 2019)
	if allDigits(text) && s.is(k+1, "tháng") && opened {
		d, _ := strconv.Atoi(text)
		mt := s.tokAt(k + 2)
		if mt == nil || mt.kind != tokNumber {
			return dateFact{}, start, false
		}
		mtext := s.text(k+2, k+3)
		m, y := 0, 0
		if mm, yy, ok := strings.Cut(mtext, "/"); ok {
			m, _ = strconv.Atoi(mm)
			y, _ = strconv.Atoi(yy)
		} else {
			m, _ = strconv.Atoi(mtext)
		}
		end := k + 3
		if y == 0 && s.is(end, "năm") {
			if yy, ok := yearOf(safeText(s, end+1)); ok {
				y, end = yy, end+2
			}
		}
		value, ok := an.dayValue(y, m, d)
		if !ok || s.lunarAfter(end) {
			return dateFact{}, start, false
		}
		f := an.fact(s, start, end, value, GranDay)
		an.noteDayValue(value, s)
		return f, end, true
	}
	d, m, y, ok := dayMonthYear(text)
	if !ok {
		return dateFact{}, start, false
	}
	if !opened && (s.is(k+1, "năm") || k > 0 && s.nameShaped(k-1)) {
		opened = true // 18/11 năm nay; Ngày Nhà giáo Việt Nam 20/11
	}
	if y == 0 && !opened {
		// 8/11 alone may be a fraction (8/11 xã): a date only where dates
		// are written, and not before something counted.
		return dateFact{}, start, false
	}
	if y == 0 && (s.unitFollows(k+1) || s.is(k+1, "xã", "hộ", "huyện")) {
		return dateFact{}, start, false
	}
	value, ok := an.dayValue(y, m, d)
	if !ok || s.lunarAfter(k+1) {
		return dateFact{}, start, false
	}
	an.noteDayValue(value, s)
	return an.fact(s, start, k+1, value, GranDay), k + 1, true
}

func safeText(s *sentence, k int) string {
	if k < len(s.vt) && !s.vt[k].expanded {
		return s.text(k, k+1)
	}
	return ""
}

// lunarAfter reports whether "âm lịch" follows word k: a lunar date is not a
// calendar date.
func (s *sentence) lunarAfter(k int) bool {
	// từ ngày 16/9 đến ngày 15/10 âm lịch: both ends are lunar.
	if s.is(k, "đến", "tới", "-") {
		j := k + 1
		if s.is(j, "ngày") {
			j++
		}
		if t := s.tokAt(j); t != nil && t.kind == tokNumber {
			k = j + 1
		}
	}
	if s.is(k, "(") || s.is(k, ",") {
		k++
	}
	return s.is(k, "âm") && s.is(k+1, "lịch") || s.is(k, "al")
}

// dayMonthYear reads 27/12, 27/12/2022, 21-8, 21-8-2024.
func dayMonthYear(text string) (d, m, y int, ok bool) {
	sep := "/"
	if !strings.Contains(text, "/") {
		sep = "-"
	}
	parts := strings.Split(text, sep)
	if len(parts) < 2 || len(parts) > 3 {
		return 0, 0, 0, false
	}
	for _, p := range parts {
		if !allDigits(p) {
			return 0, 0, 0, false
		}
	}
	if len(parts[0]) > 2 || len(parts[1]) > 2 {
		return 0, 0, 0, false
	}
	d, _ = strconv.Atoi(parts[0])
	m, _ = strconv.Atoi(parts[1])
	if len(parts) == 3 {
		if len(parts[2]) != 4 {
			return 0, 0, 0, false
		}
		y, _ = strconv.Atoi(parts[2])
	}
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, 0, 0, false
	}
	return d, m, y, true
}

// yearOf reads a year from 1000 to 2100.
func yearOf(text string) (int, bool) {
	if len(text) != 4 || !allDigits(text) {
		return 0, false
	}
	y, _ := strconv.Atoi(text)
	return y, y >= 1000 && y <= 2100
}

// dayValue writes a day as YYYY-MM-DD, resolving a missing year from the
// publication date: the year that puts the day within six months of it (an
// event on 28/12 in an article of 2/1 is of the year before). Without a
// publication date the year stays unknown: XXXX-MM-DD.
func (an *analyzer) dayValue(y, m, d int) (string, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return "", false
	}
	if y == 0 {
		if an.pub.IsZero() {
			if d > daysIn(2024, m) { // a leap year: 29/2 may be
				return "", false
			}
			return fmt.Sprintf("XXXX-%02d-%02d", m, d), true
		}
		y = an.pub.Year()
		if t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, Vietnam); t.Sub(an.pub) > 183*24*time.Hour {
			y--
		} else if an.pub.Sub(t) > 183*24*time.Hour {
			y++
		}
	}
	if y < 1900 || y > 2100 || d > daysIn(y, m) {
		return "", false
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d), true
}

// noteDayValue remembers the last full day named, for times given alone.
func (an *analyzer) noteDayValue(value string, s *sentence) {
	if t, err := time.ParseInLocation("2006-01-02", value, Vietnam); err == nil {
		an.noteDay(t, s)
	}
}

func (an *analyzer) noteDay(t time.Time, s *sentence) {
	an.lastDay, an.lastDayBlock = t, s.b.index
}

// yearAfter reads the year a period names after word j: năm 2023, năm nay,
// /2023, or, with none, the publication year.
func (an *analyzer) yearAfter(s *sentence, j int) (int, int, bool) {
	if y, ok := yearOf(safeText(s, j)); ok {
		return y, j + 1, true
	}
	if s.is(j, "nay") && !an.pub.IsZero() {
		return an.pub.Year(), j + 1, true
	}
	if s.is(j, "năm") {
		if y, ok := yearOf(safeText(s, j+1)); ok {
			return y, j + 2, true
		}
		if s.is(j+1, "nay") && !an.pub.IsZero() {
			return an.pub.Year(), j + 2, true
		}
	}
	if !an.pub.IsZero() {
		return an.pub.Year(), j, true
	}
	return 0, j, false
}

// monthAt reads tháng 3/2019, tháng 3 năm 2019, tháng 12 (this year's).
func (an *analyzer) monthAt(s *sentence, k int) ([]dateFact, int) {
	t := s.tokAt(k + 1)
	if t == nil || t.kind != tokNumber || t.letter {
		return nil, k
	}
	text := s.text(k+1, k+2)
	m, y := 0, 0
	end := k + 2
	if mm, yy, ok := strings.Cut(text, "/"); ok {
		m, _ = strconv.Atoi(mm)
		if yv, ok := yearOf(yy); ok {
			y = yv
		} else {
			return nil, k
		}
	} else if allDigits(text) {
		m, _ = strconv.Atoi(text)
		if s.is(end, "năm") {
			if yv, ok := yearOf(safeText(s, end+1)); ok {
				y, end = yv, end+2
			} else if s.is(end+1, "nay") && !an.pub.IsZero() {
				y, end = an.pub.Year(), end+2
			}
		}
	}
	if m < 1 || m > 12 || s.lunarAfter(end) {
		return nil, k
	}
	if y == 0 {
		if an.pub.IsZero() {
			return []dateFact{an.fact(s, k, end, fmt.Sprintf("XXXX-%02d", m), GranMonth)}, end
		}
		y = an.pub.Year()
		if diff := m - int(an.pub.Month()); diff > 6 {
			y--
		} else if diff < -6 {
			y++
		}
	}
	return []dateFact{an.fact(s, k, end, fmt.Sprintf("%04d-%02d", y, m), GranMonth)}, end
}

// quarterAt reads quý I/2019, quý II năm 2024, quý III (this year's).
func (an *analyzer) quarterAt(s *sentence, k int) ([]dateFact, int) {
	if k+1 >= len(s.vt) || s.vt[k+1].expanded {
		return nil, k
	}
	text := s.text(k+1, k+2)
	qs, ys, hasYear := strings.Cut(text, "/")
	q, ok := romanValue(qs)
	if !ok {
		if n, err := strconv.Atoi(qs); err == nil && n >= 1 && n <= 4 {
			q = n
		} else {
			return nil, k
		}
	}
	end := k + 2
	y := 0
	if hasYear {
		yv, ok := yearOf(ys)
		if !ok {
			return nil, k
		}
		y = yv
	} else if yv, e, ok := an.yearAfter(s, end); ok {
		y, end = yv, e
	}
	if y == 0 {
		return []dateFact{an.fact(s, k, end, fmt.Sprintf("XXXX-Q%d", q), GranQuarter)}, end
	}
	return []dateFact{an.fact(s, k, end, fmt.Sprintf("%d-Q%d", y, q), GranQuarter)}, end
}

// periodAt reads periods and years: giai đoạn 2016 - 2018, nhiệm kỳ
// 2020-2025, năm học 2024-2025, từ năm 2017 - 2021, năm 2022, 2016 - 2018.
func (an *analyzer) periodAt(s *sentence, k int) (dateFact, int, bool) {
	start, j := k, k
	// Openers: giai đoạn, nhiệm kỳ, năm học, niên khóa, từ (năm), năm.
	switch {
	case s.is(j, "giai") && s.is(j+1, "đoạn"), s.is(j, "nhiệm") && s.is(j+1, "kỳ"),
		s.is(j, "niên") && s.is(j+1, "khóa", "vụ", "độ"), s.is(j, "năm") && s.is(j+1, "học", "tài"),
		s.is(j, "mùa") && s.is(j+1, "vụ"):
		j += 2
	case s.is(j, "từ") && s.is(j+1, "năm"):
		j += 2
	case s.is(j, "năm"), s.is(j, "từ"):
		j++
	}
	text := safeText(s, j)
	y1, ok := yearOf(text)
	if !ok {
		// 2016-2018 as one token
		a, b, cut := strings.Cut(text, "-")
		ya, oka := yearOf(a)
		yb, okb := yearOf(b)
		if !cut || !oka || !okb || yb < ya {
			return dateFact{}, k, false
		}
		return an.fact(s, start, j+1, fmt.Sprintf("%d/%d", ya, yb), GranRange), j + 1, true
	}
	end := j + 1
	if s.is(end, "-") || s.is(end, "đến") || s.is(end, "tới") {
		next := end + 1
		if s.is(next, "năm") {
			next++
		}
		if y2, ok := yearOf(safeText(s, next)); ok && y2 > y1 && y2-y1 <= 500 {
			return an.fact(s, start, next+1, fmt.Sprintf("%d/%d", y1, y2), GranRange), next + 1, true
		}
	}
	if j == k && !(k > 0 && yearOpeners[s.vt[k-1].w]) {
		return dateFact{}, k, false // a bare number with no opener
	}
	if j == k && s.unitFollows(end) {
		return dateFact{}, k, false // từ 2000 hộ: a count
	}
	return an.fact(s, start, end, strconv.Itoa(y1), GranYear), end, true
}
