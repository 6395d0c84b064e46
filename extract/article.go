package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// BlockKind says what part of an article a block is.
type BlockKind string

// The kinds of blocks an article is made of.
const (
	BlockTitle     BlockKind = "title"
	BlockLead      BlockKind = "lead"
	BlockParagraph BlockKind = "paragraph"
	BlockCaption   BlockKind = "caption"
	BlockByline    BlockKind = "byline"
)

// Block is one part of an article's text: its title, lead, a paragraph, an
// image caption or the byline.
type Block struct {
	Kind BlockKind `json:"kind"`
	Span Span      `json:"span"` // into Article.Text

	norm *Normalized // of Article.Text[Span], when ParseText already made it
}

// Vietnam's time zone. Provincial papers give local times; a fixed zone needs
// no tzdata on the machine.
var Vietnam = time.FixedZone("+07", 7*3600)

// Article is one news article as the extractor reads it. Spans in its
// analysis point into Text, which is either the page text exactly as the user
// gave it (ParseText) or the text the crawler composed from the page's parts
// (Add).
type Article struct {
	Site      string    // site profile, e.g. "baohatinh"; empty if unknown
	SiteID    string    // the article's id on its site
	URL       string    // canonical URL
	Province  string    // the paper's home province, e.g. "Hà Tĩnh"; empty if unknown
	Published time.Time // zero if unknown
	// PublishedDateOnly is set when only the day of publication is known.
	PublishedDateOnly bool
	Modified          time.Time
	Category          string
	Tags              []string
	Authors           []string // byline names as written
	Text              string
	Blocks            []Block // the parts of Text that are the article, in reading order
}

// Add appends a block of the given kind to the article's text.
func (a *Article) Add(kind BlockKind, text string) {
	if a.Text != "" {
		a.Text += "\n\n"
	}
	start := len(a.Text)
	a.Text += text
	a.Blocks = append(a.Blocks, Block{Kind: kind, Span: Span{start, len(a.Text)}})
}

// BlockText returns the text of a block as written.
func (a *Article) BlockText(b Block) string { return a.Text[b.Span[0]:b.Span[1]] }

// Title returns the article's title, normalized, or "".
func (a *Article) Title() string {
	for _, b := range a.Blocks {
		if b.Kind == BlockTitle {
			return collapseSpaces(NormalizeString(a.BlockText(b)))
		}
	}
	return ""
}

// ProvinceOf returns the home province of a site profile name ("baohatinh"),
// a newspaper's domain ("baonghean.vn"), its lead marker ("Baonghean.vn",
// "BNA") or its name ("Báo Nghệ An"), or "" if none is known.
func ProvinceOf(paper string) string {
	l := getLexicon()
	if p, ok := l.papers[strings.ToLower(strings.TrimPrefix(strings.TrimSpace(paper), "www."))]; ok {
		return p
	}
	return l.papers[key(paper)]
}

// line is one line of a page text dump.
type line struct {
	span  Span       // trimmed, in the source
	n     Normalized // of the trimmed line
	norm  string     // normalized, spaces collapsed; only for short lines
	lower string     // norm in lower case
	hash  uint64     // of the lower-case, space-collapsed text, for repeats
	words int
	kind  lineKind
}

// prose reports whether a line reads as running text rather than a title or
// a label: long, with sentence punctuation.
func (ln *line) prose() bool {
	if ln.words >= 35 {
		return true
	}
	if ln.words < 12 {
		return false
	}
	text := strings.TrimSpace(ln.n.String())
	last, _ := utf8.DecodeLastRuneInString(text)
	return strings.ContainsRune(".!?…:;", last) || strings.Contains(text, ". ") || strings.Contains(text, "; ")
}

// shortLine is the longest line that can be chrome, a stamp, a title, a
// caption or a byline.
const shortLine = 300

type lineKind uint8

const (
	lineContent lineKind = iota
	lineEmpty
	lineChrome
	lineEnd // an end marker
	lineStamp
	lineLead
	lineTitle
	lineAlt       // the title repeated as an image's alt text
	lineDuplicate // a repeat of the lead or of an earlier paragraph
	lineByline
	lineCaption
	lineCredit // Ảnh: ..., Theo TTXVN
)

// ParseText reads a plain-text dump of a news page: it drops page chrome and
// the lists of other articles that follow the body, finds the title, lead,
// paragraphs, captions and byline, and the publication time when the text
// shows it. Province is set when the text names its paper (a lead opening
// "(Baohatinh.vn) -"). Spans point into src as given.
func ParseText(src string) *Article {
	a := &Article{Text: src}
	lines := splitLines(src)
	l := getLexicon()

	// Chrome, stamps and the end of the article.
	seenProse := false
	end := len(lines)
	for i := range lines {
		ln := &lines[i]
		switch {
		case ln.words == 0:
			ln.kind = lineEmpty
		case ln.words <= 15 && l.isChrome(ln.lower, true) && seenProse:
			ln.kind = lineEnd
			end = i
		case ln.words <= 15 && (l.isChrome(ln.lower, false) || l.isChrome(ln.lower, true)):
			ln.kind = lineChrome
		default:
			if t, dateOnly, ok := parseStamp(ln.lower); ok {
				ln.kind = lineStamp
				if a.Published.IsZero() {
					a.Published, a.PublishedDateOnly = t, dateOnly
				}
			} else if ln.prose() {
				seenProse = true
			}
		}
		if end < len(lines) {
			break
		}
	}
	lines = lines[:end]

	// Lead: a line that opens with the paper's source tag.
	lead := -1
	for i := range lines {
		ln := &lines[i]
		if ln.kind != lineContent {
			continue
		}
		text := ln.n.String()
		if m := leadMarker.FindStringSubmatchIndex(text); m != nil {
			if p := ProvinceOf(strings.Trim(text[m[2]:m[3]], "()")); p != "" {
				a.Province = p
			}
			ln.kind = lineLead
			lead = i
			// The lead's block starts after the tag.
			ln.span[0] += ln.n.SourceSpan(Span{m[1], len(text)})[0]
			ln.n = Normalize(src[ln.span[0]:ln.span[1]])
			if ln.norm != "" {
				ln.norm = collapseSpaces(ln.n.String())
				ln.lower = lowerSameLength(ln.norm)
			}
			_, ln.hash = wordsAndHash(ln.n.String())
			break
		}
	}

	// Title: the last short line before the first prose, or else a line that
	// the page repeats as image alt text.
	title := -1
	for i := range lines {
		ln := &lines[i]
		if ln.kind == lineLead || ln.kind == lineContent && ln.prose() {
			break
		}
		if ln.kind == lineContent && ln.words >= 3 && !strings.HasSuffix(ln.norm, ":") {
			title = i
		}
	}
	if title < 0 {
		count := map[uint64]int{}
		for _, ln := range lines {
			if ln.kind == lineContent && ln.words >= 3 && ln.words <= 40 && !strings.HasSuffix(ln.norm, ".") {
				count[ln.hash]++
			}
		}
		best := 1
		for i, ln := range lines {
			if ln.kind == lineContent && count[ln.hash] > best {
				best, title = count[ln.hash], i
			}
		}
	}
	if title >= 0 {
		lines[title].kind = lineTitle
		for i := range lines {
			if i != title && lines[i].kind == lineContent && lines[i].hash == lines[title].hash {
				lines[i].kind = lineAlt
			}
		}
		// Lines before the title are the site's header and breadcrumbs; the
		// header may name the paper.
		for i := 0; i < title && a.Province == ""; i++ {
			if strings.HasPrefix(lines[i].lower, "báo ") {
				words := strings.Fields(lines[i].lower)
				for n := min(len(words), 6); n >= 2 && a.Province == ""; n-- {
					a.Province = ProvinceOf(strings.Join(words[:n], " "))
				}
			}
		}
		for i := 0; i < title; i++ {
			if lines[i].kind == lineContent && (lead < 0 || i < lead) {
				lines[i].kind = lineChrome
			}
		}
	}

	// Repeats of the lead or of an earlier paragraph.
	seen := map[uint64]bool{}
	if lead >= 0 {
		seen[lines[lead].hash] = true
	}
	for i := range lines {
		ln := &lines[i]
		if ln.kind != lineContent {
			continue
		}
		if seen[ln.hash] && ln.words >= 8 {
			ln.kind = lineDuplicate
		}
		seen[ln.hash] = true
	}

	// Byline: near the end of the body, a line of names only (repeated in
	// some templates). A box after it (a sidebar of figures) stays part of
	// the article.
	byline := -1
	for i, seen := len(lines)-1, 0; i >= 0 && seen < 25; i-- {
		ln := &lines[i]
		if ln.kind == lineEmpty || ln.kind == lineChrome || ln.kind == lineAlt {
			continue
		}
		if ln.kind != lineContent {
			break
		}
		if _, ok := bylineNames(ln.norm); ok {
			byline = i
			break
		}
		if isCredit(ln.lower) {
			ln.kind = lineCredit
			continue
		}
		seen++
	}
	for i := byline; i >= 0; i-- {
		ln := &lines[i]
		if ln.kind == lineEmpty || ln.kind == lineChrome || ln.kind == lineAlt {
			continue
		}
		names, ok := bylineNames(ln.norm)
		if ln.kind != lineContent || !ok {
			break
		}
		ln.kind = lineByline
		for _, n := range names {
			if !containsString(a.Authors, n) {
				a.Authors = append(a.Authors, n)
			}
		}
	}

	// A page of several short news items has a byline after each: a line of
	// two or three given-name syllables (THÙY DƯƠNG, Văn Kỳ).
	for i := range lines {
		ln := &lines[i]
		if ln.kind != lineContent || ln.words < 2 || ln.words > 3 || !itemByline(ln.norm) {
			continue
		}
		ln.kind = lineByline
		name := nameCase(ln.norm)
		if !containsString(a.Authors, name) {
			a.Authors = append(a.Authors, name)
		}
	}

	// Captions: the line after an image's alt text, or a short one-sentence line.
	prevAlt := false
	firstBody := true
	for i := range lines {
		ln := &lines[i]
		switch ln.kind {
		case lineAlt:
			prevAlt = true
			continue
		case lineEmpty:
			continue
		case lineContent:
			switch {
			case isCredit(ln.lower):
				ln.kind = lineCredit
			case eventOpening.MatchString(ln.lower):
				// "Sáng 27/12, ...": the opening of a report, not a photo's caption.
			case prevAlt || !firstBody && ln.words <= 25 && sentenceCount(ln.norm) <= 1:
				ln.kind = lineCaption
			}
			firstBody = false
		}
		prevAlt = false
	}

	for _, ln := range lines {
		var kind BlockKind
		switch ln.kind {
		case lineTitle:
			kind = BlockTitle
		case lineLead:
			kind = BlockLead
		case lineContent:
			kind = BlockParagraph
		case lineCaption:
			kind = BlockCaption
		case lineByline:
			kind = BlockByline
		default:
			continue
		}
		n := ln.n
		a.Blocks = append(a.Blocks, Block{Kind: kind, Span: ln.span, norm: &n})
	}
	return a
}

// splitLines splits src at line ends and normalizes each line.
func splitLines(src string) []line {
	var lines []line
	for start := 0; start <= len(src); {
		end := strings.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += start
		}
		s, e := trimSpan(src, start, end)
		ln := line{span: Span{s, e}, n: Normalize(src[s:e])}
		text := ln.n.String()
		ln.words, ln.hash = wordsAndHash(text)
		if len(text) <= shortLine {
			ln.norm = collapseSpaces(text)
			ln.lower = lowerSameLength(ln.norm)
		}
		lines = append(lines, ln)
		start = end + 1
	}
	return lines
}

// wordsAndHash counts the words of normalized text and hashes it in lower
// case with runs of spaces as one (FNV-1a, 64 bits), so that repeated lines
// are found without keeping them.
func wordsAndHash(s string) (int, uint64) {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	words := 0
	space := true
	for i := 0; i < len(s); {
		c := s[i]
		if c == ' ' || c == '\n' || c == '\t' {
			space = true
			i++
			continue
		}
		if space {
			if words > 0 {
				h = (h ^ ' ') * prime
			}
			words++
			space = false
		}
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			h = (h ^ uint64(c)) * prime
			i++
			continue
		}
		r, size := decodeRune(s, i)
		for r = toLower(r); r > 0; r >>= 8 {
			h = (h ^ uint64(r&0xff)) * prime
		}
		i += size
	}
	return words, h
}

// trimSpan shrinks src[start:end] past spaces, format characters and CR.
func trimSpan(src string, start, end int) (int, int) {
	for start < end {
		r, size := utf8.DecodeRuneInString(src[start:end])
		if !blank(r) {
			break
		}
		start += size
	}
	for end > start {
		r, size := utf8.DecodeLastRuneInString(src[start:end])
		if !blank(r) {
			break
		}
		end -= size
	}
	return start, end
}

func blank(r rune) bool {
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Zs, r)
}

func collapseSpaces(s string) string {
	if !strings.Contains(s, "  ") && !strings.ContainsAny(s, "\n\t") && strings.TrimSpace(s) == s {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// leadMarker matches the source tag that opens a lead: "(Baohatinh.vn) - ",
// "(BNA) - ", "QTO - ".
var leadMarker = regexp.MustCompile(`^(\([^()]{2,40}\)|[A-ZĐ][A-ZĐ.&]{1,12}(?:\.[Vv][Nn])?)\s*-\s+`)

var stampRE = regexp.MustCompile(`^(?:(?:cập nhật|ngày đăng|đăng ngày|đăng lúc|thời gian đăng|thời gian|xuất bản|đăng|ngày)(?:\s+lúc)?\s*:?\s*)?` +
	`(?:(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật|cn|t[2-7])\s*[,\-|]?\s*)?` +
	`(?:(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:\s*[\-|,]?\s*(?:lúc\s*)?(\d{1,2})[:h](\d{2})(?:[:](\d{2}))?)?` +
	`|(\d{1,2})[:h](\d{2})(?:[:](\d{2}))?\s*[\-|,]?\s*(?:ngày\s*)?(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}))` +
	`\s*(?:\(?\s*gmt\s*\+\s*0?7(?::00)?\s*\)?)?$`)

// parseStamp reads a publication stamp line ("Cập nhật: 11:42 27/12/2022",
// "05/04/2024 - 16:40", "Thứ Ba, 27/12/2022 11:42 (GMT+7)").
func parseStamp(lower string) (t time.Time, dateOnly, ok bool) {
	if len(lower) > 80 || !strings.ContainsAny(lower, "0123456789") {
		return t, false, false
	}
	m := stampRE.FindStringSubmatch(lower)
	if m == nil {
		return t, false, false
	}
	var d, mo, y, h, mi, s string
	if m[1] != "" {
		d, mo, y, h, mi, s = m[1], m[2], m[3], m[4], m[5], m[6]
	} else {
		h, mi, s, d, mo, y = m[7], m[8], m[9], m[10], m[11], m[12]
	}
	return makeTime(y, mo, d, h, mi, s)
}

func makeTime(y, mo, d, h, mi, s string) (time.Time, bool, bool) {
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	Y, M, D := atoi(y), atoi(mo), atoi(d)
	H, Mi, S := atoi(h), atoi(mi), atoi(s)
	if M < 1 || M > 12 || D < 1 || D > daysIn(Y, M) || H > 23 || Mi > 59 || S > 59 || Y < 1900 || Y > 2200 {
		return time.Time{}, false, false
	}
	return time.Date(Y, time.Month(M), D, H, Mi, S, 0, Vietnam), h == "", true
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// eventOpening matches how news paragraphs open with the event's day.
var eventOpening = regexp.MustCompile(`^(?:sáng|trưa|chiều|tối|đêm|ngày|hôm)\s+(?:nay|qua|mai|\d{1,2}\s*/\s*\d{1,2}|\d{1,2}\s+tháng)`)

var creditRE = regexp.MustCompile(`^(?:\(?\s*(?:ảnh|nguồn|theo|video|đồ họa|clip)\s*:?\s+[^.]{1,60}\)?|ảnh minh họa\.?)$`)

// isCredit reports whether a line is a photo credit or a source line
// ("Ảnh: Thu Hà", "Theo TTXVN").
func isCredit(lower string) bool { return len(lower) <= 80 && creditRE.MatchString(lower) }

// bylineSuffix is what may follow the names of a byline: (tổng hợp), (thực
// hiện), (TTXVN), (theo VnExpress).
var bylineSuffix = regexp.MustCompile(`\s*\((?i:tổng hợp|thực hiện|lược dịch|dịch|theo [^()]{1,40}|[A-ZĐ]{2,8})\)\s*$`)

var bylineSeparator = regexp.MustCompile(`\s*(?:-|,|&|/|\svà\s)\s*`)

var bylinePrefix = regexp.MustCompile(`^(?i:(?:bài|tin|bài viết)\s*(?:,|và)?\s*(?:ảnh|video)?\s*:\s*|nhóm (?:phóng viên|pv)\s*:?\s*|thực hiện\s*:\s*)`)

// bylineNames returns the names of a byline line ("Thu Hà", "Thùy Nhung –
// Thanh Đạm", "Bài, ảnh: Minh Đức", "Ảnh: Đình Duy - Bài: Kim Ngân",
// "PHƯƠNG LINH") and whether the line is one.
func bylineNames(norm string) ([]string, bool) {
	if names, ok := creditedNames(norm); ok {
		return names, true
	}
	if names, ok := capsByline(norm); ok {
		return names, true
	}
	if len(norm) > 90 || strings.ContainsAny(norm, ".!?;:\"“”") && !bylinePrefix.MatchString(norm) {
		if !initialsOnly(norm) {
			return nil, false
		}
	}
	s := bylinePrefix.ReplaceAllString(norm, "")
	s = strings.TrimSpace(bylineSuffix.ReplaceAllString(s, ""))
	if s != norm {
		if names, ok := capsByline(s); ok {
			return names, true // Bài, ảnh: THẢO LY
		}
	}
	return plainNames(s)
}

var creditSeparator = regexp.MustCompile(`\s+-\s+|\s*;\s*|\s*\|\s*`)

// creditRole matches the role that opens a part of a byline (Bài:, Ảnh:).
var creditRole = regexp.MustCompile(`^(?i:(?:bài|tin|ảnh|video|clip|đồ họa|thiết kế|thực hiện)(?:\s*(?:,|và)\s*(?:bài|tin|ảnh|video))?)\s*:\s*(.+)$`)

// creditedNames reads a byline of parts that each name a role: "Ảnh: Đình
// Duy - Bài: Kim Ngân".
func creditedNames(norm string) ([]string, bool) {
	if len(norm) > 90 || !strings.Contains(norm, ":") {
		return nil, false
	}
	var names []string
	for _, part := range creditSeparator.Split(norm, -1) {
		m := creditRole.FindStringSubmatch(strings.TrimSpace(part))
		if m == nil {
			return nil, false
		}
		ns, ok := plainNames(m[1])
		if !ok {
			return nil, false
		}
		names = append(names, ns...)
	}
	return names, len(names) > 0
}

// capsByline reads a byline written in capitals (PHƯƠNG LINH): up to three
// words, each a common given-name syllable, written back in title case.
func capsByline(norm string) ([]string, bool) {
	words := strings.Fields(norm)
	if len(words) < 2 || len(words) > 3 {
		return nil, false
	}
	l := getLexicon()
	for _, w := range words {
		if strings.ToUpper(w) != w || !l.given[lowerSameLength(w)] {
			return nil, false
		}
	}
	return []string{nameCase(norm)}, true
}

// itemByline reports whether a line in the middle of a page is the byline of
// a news item: two or three given-name syllables, in capitals or title case,
// and not a place name.
func itemByline(norm string) bool {
	l := getLexicon()
	words := strings.Fields(norm)
	for _, w := range words {
		lw := lowerSameLength(w)
		if !l.given[lw] || !(strings.ToUpper(w) == w || nameCase(w) == w) {
			return false
		}
	}
	_, isPlace := l.places.longestExact(strings.Fields(lowerSameLength(norm)))
	return !isPlace
}

// plainNames splits names separated by dashes, commas or "và".
func plainNames(s string) ([]string, bool) {
	var names []string
	for _, part := range bylineSeparator.Split(strings.TrimSpace(s), -1) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		words := strings.Fields(part)
		if len(words) > 5 {
			return nil, false
		}
		for _, w := range words {
			if !bylineWord(w) {
				return nil, false
			}
		}
		names = append(names, part)
	}
	return names, len(names) > 0
}

// initialsOnly reports whether s is a byline of initials such as "Đ.H" or "P.V".
func initialsOnly(s string) bool {
	for _, w := range strings.Fields(s) {
		if !bylineWord(w) {
			return false
		}
	}
	return len(s) <= 30
}

// bylineWord is one word of a byline: a capitalized syllable, or initials
// such as "Đ.H" or "PV" (not a heading's word in capitals).
func bylineWord(w string) bool {
	r, size := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) {
		return false
	}
	letters, upper := 0, 0
	for i, c := range w {
		switch {
		case unicode.IsLetter(c):
			letters++
			if unicode.IsUpper(c) && i >= size {
				upper++
			}
		case c != '.':
			return false
		}
	}
	return upper == 0 || letters <= 3 || strings.Contains(w, ".")
}

// sentenceCount counts sentence ends in s (a final one included).
func sentenceCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '.' || c == '!' || c == '?' {
			j := i + 1
			for j < len(s) && (s[j] == '.' || s[j] == '"') {
				j++
			}
			if j >= len(s) || s[j] == ' ' {
				n++
			}
			i = j - 1
		}
	}
	if n == 0 {
		return 1
	}
	return n
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
