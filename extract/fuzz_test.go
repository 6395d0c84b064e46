package extract_test

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/baotinh/baotinh/extract"
)

// allSpans collects every span an analysis gives as evidence.
func allSpans(an *extract.Analysis) []extract.Span {
	return append(slices.Clone(an.Bylines), factSpans(an)...)
}

// factSpans collects the evidence of every fact except the bylines.
func factSpans(an *extract.Analysis) []extract.Span {
	var out []extract.Span
	for _, p := range an.People {
		out = append(out, p.Spans...)
		for _, r := range p.Roles {
			out = append(out, r.Spans...)
		}
		for _, a := range p.Affiliations {
			out = append(out, a.Spans...)
		}
	}
	for _, p := range an.Places {
		out = append(out, p.Spans...)
	}
	for _, d := range an.Dates {
		out = append(out, d.Spans...)
	}
	for _, f := range an.Figures {
		out = append(out, f.Spans...)
	}
	for _, q := range an.Quotes {
		out = append(out, q.Spans...)
		out = append(out, q.Attribution...)
	}
	for _, t := range an.Terms {
		out = append(out, t.Spans...)
	}
	for _, d := range an.Documents {
		out = append(out, d.Spans...)
	}
	return out
}

// checkSpans fails unless every span is a non-empty range inside text that
// starts and ends on UTF-8 boundaries.
func checkSpans(t testing.TB, text string, an *extract.Analysis) {
	t.Helper()
	for _, s := range allSpans(an) {
		if s[0] < 0 || s[1] > len(text) || s[0] >= s[1] {
			t.Fatalf("span %v outside the input (%d bytes) or empty", s, len(text))
		}
		if !utf8.RuneStart(text[s[0]]) || s[1] < len(text) && !utf8.RuneStart(text[s[1]]) {
			t.Fatalf("span %v not on UTF-8 boundaries of the input", s)
		}
	}
}

// addSeeds adds the openings of the seed articles (whole articles make the
// fuzzer's mutation and minimization crawl) and known hard cases.
func addSeeds(f *testing.F) {
	files, _ := filepath.Glob("../testdata/seeds/*.txt")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, part := range [][]byte{data[:min(len(data), 600)], data[max(0, len(data)-600):]} {
			f.Add(string(part))
		}
	}
	for _, s := range []string{
		"", "\n", "Tỉnh uỷ", "e\u0301\u0302", "o\u200b\u0300", "a\xffb", "Đ/c Nguyễn Văn A – PBTTTHU",
		"(Baohatinh.vn) - ", "Cập nhật: 99:99 31/02/2022", "H'", "Y", "((((", "Trưởng ban Ban",
		"Phó Chủ tịch UBND tỉnh Nguyễn Văn A, ", "\u0300\u0301Ủy", "ÀÁẢÃẠ\r\n\r\n",
	} {
		f.Add(s)
	}
}

// FuzzNormalize checks that Normalize is idempotent, that its output is
// valid UTF-8 and that every offset maps back onto a rune boundary of the
// input, in order.
func FuzzNormalize(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		n := extract.Normalize(s)
		out := n.String()
		if !utf8.ValidString(out) {
			t.Fatalf("output not UTF-8: %q", out)
		}
		if again := extract.NormalizeString(out); again != out {
			t.Fatalf("not idempotent:\n%q\n%q", out, again)
		}
		prev := 0
		for i := 0; i <= len(out); i++ {
			if i < len(out) && !utf8.RuneStart(out[i]) {
				continue
			}
			sp := n.SourceSpan(extract.Span{i, i})
			for _, p := range sp {
				if p < 0 || p > len(s) || p < len(s) && !utf8.RuneStart(s[p]) && utf8.ValidString(s) {
					t.Fatalf("offset %d maps to %d in %q", i, p, s)
				}
			}
			if sp[0] < prev {
				t.Fatalf("offset %d maps to %d, before %d", i, sp[0], prev)
			}
			prev = sp[0]
		}
	})
}

// FuzzExtract checks that the extractor never panics and that its evidence
// always points inside the input, on rune boundaries.
func FuzzExtract(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // the CLI rejects such input; the library still must not panic
		}
		a := extract.ParseText(s)
		a.Province = "Hà Tĩnh"
		an := extract.Analyze(a)
		checkSpans(t, s, an)
		for _, b := range a.Blocks {
			if b.Span[0] < 0 || b.Span[1] > len(s) || b.Span[0] > b.Span[1] {
				t.Fatalf("block %v outside the input", b)
			}
		}
	})
}

// TestExtractInvalidUTF8 runs the extractor on invalid UTF-8: no panic, and
// spans still inside the input.
func TestExtractInvalidUTF8(t *testing.T) {
	s := "Phó Chủ tịch UBND tỉnh \xff\xfe Nguyễn Văn An\xc3 phát biểu.\n\xe1\x80"
	an := extract.Analyze(extract.ParseText(s))
	for _, sp := range allSpans(an) {
		if sp[0] < 0 || sp[1] > len(s) || sp[0] >= sp[1] {
			t.Fatalf("span %v outside the input", sp)
		}
	}
}

// dateGrammar is what each granularity's values look like.
var dateGrammar = map[string]*regexp.Regexp{
	extract.GranTime:    regexp.MustCompile(`^(\d{4}|XXXX)-\d{2}-\d{2}T\d{2}:\d{2}$`),
	extract.GranDay:     regexp.MustCompile(`^(\d{4}|XXXX)-\d{2}-\d{2}$`),
	extract.GranMonth:   regexp.MustCompile(`^(\d{4}|XXXX)-\d{2}$`),
	extract.GranQuarter: regexp.MustCompile(`^(\d{4}|XXXX)-Q[1-4]$`),
	extract.GranHalf:    regexp.MustCompile(`^(\d{4}|XXXX)-H[12]$`),
	extract.GranYear:    regexp.MustCompile(`^\d{4}$`),
	extract.GranRange:   regexp.MustCompile(`^\d{4}(-\d{2}-\d{2})?/\d{4}(-\d{2}-\d{2})?$`),
}

// FuzzDates checks the date parser on any text: values follow the grammar of
// their granularity, days are calendar days, spans are inside the text.
func FuzzDates(f *testing.F) {
	for _, s := range []string{
		"Chiều 8/11, tại Hà Tĩnh", "ngày 28 tháng 3 năm 2019", "lúc 11:42 ngày 27/12/2022", "quý I/2019",
		"6 tháng đầu năm 2023", "giai đoạn 2016 – 2018", "(31/3/1975 – 31/3/2025)", "hôm nay và năm nay",
		"ngày 31/2", "29/2/2023", "tháng 13/2020", "quý V", "25:61", "99h99", "ngày 0/0", "từ ngày 16/9 đến 15/10 âm lịch",
	} {
		f.Add(s, uint16(0))
		f.Add(s, uint16(9000))
	}
	f.Fuzz(func(t *testing.T, s string, days uint16) {
		if !utf8.ValidString(s) || len(s) > 2000 {
			return
		}
		a := &extract.Article{}
		if days > 0 {
			a.Published = time.Date(2000, 1, 1, 0, 0, 0, 0, extract.Vietnam).AddDate(0, 0, int(days))
		}
		a.Add(extract.BlockParagraph, s)
		an := extract.Analyze(a)
		checkSpans(t, a.Text, an)
		for _, d := range an.Dates {
			re, ok := dateGrammar[d.Granularity]
			if !ok || !re.MatchString(d.Value) {
				t.Fatalf("date %q has granularity %q", d.Value, d.Granularity)
			}
			if d.Granularity == extract.GranDay && !strings.HasPrefix(d.Value, "X") {
				if _, err := time.Parse("2006-01-02", d.Value); err != nil {
					t.Fatalf("date %q is not a calendar day", d.Value)
				}
			}
		}
	})
}

// FuzzFigures checks the number and figure parsers on any text.
func FuzzFigures(f *testing.F) {
	for _, s := range []string{
		"392 cuộc tiếp xúc", "gần 2.000 mô hình", "7,54%", "trên 26 tỷ đồng", "2-3 tỷ đồng", "1.234.567,5 đồng",
		"0238.3565.888", "999.999.999.999.999.999 tỷ", "hai tỉnh", "9,99999999999 nghìn tỷ đồng", "5-3 tỷ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, ok := extract.ParseNumber(s); ok && (math.IsNaN(v) || math.IsInf(v, 0) || v < 0) {
			t.Fatalf("ParseNumber(%q) = %v", s, v)
		}
		if !utf8.ValidString(s) || len(s) > 2000 {
			return
		}
		a := &extract.Article{}
		a.Add(extract.BlockParagraph, s)
		an := extract.Analyze(a)
		checkSpans(t, a.Text, an)
		for _, fig := range an.Figures {
			if math.IsNaN(fig.Value) || math.IsInf(fig.Value, 0) || fig.Value < 0 || fig.Unit == "" {
				t.Fatalf("figure %+v", fig)
			}
			if fig.Max != nil && *fig.Max <= fig.Value {
				t.Fatalf("range %v..%v", fig.Value, *fig.Max)
			}
		}
	})
}
