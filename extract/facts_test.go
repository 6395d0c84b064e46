package extract_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/baotinh/baotinh/extract"
)

// analyzeOn analyzes one paragraph of an article published at pub (zero for
// unknown).
func analyzeOn(text string, pub time.Time) *extract.Analysis {
	a := &extract.Article{Province: "Hà Tĩnh", Published: pub}
	a.Add(extract.BlockParagraph, text)
	return extract.Analyze(a)
}

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 9, 0, 0, 0, extract.Vietnam) }

func dateValues(an *extract.Analysis) []string {
	var out []string
	for _, d := range an.Dates {
		out = append(out, d.Value+" "+d.Granularity)
	}
	return out
}

func TestDates(t *testing.T) {
	pub := day(2022, 12, 27)
	tests := []struct {
		text string
		pub  time.Time
		want []string
	}{
		{"Chiều 8/11, tại Hà Tĩnh, hội nghị diễn ra.", time.Time{}, []string{"XXXX-11-08 day"}},
		{"Chiều 8/11, tại Hà Tĩnh, hội nghị diễn ra.", pub, []string{"2022-11-08 day"}},
		{"Sáng 27/12, Ban Dân vận tổ chức hội nghị.", pub, []string{"2022-12-27 day"}},
		{"Rạng sáng 3/12, mưa lớn gây ngập.", pub, []string{"2022-12-03 day"}},
		{"Chiều tối 3/12, đoàn về đến huyện.", pub, []string{"2022-12-03 day"}},
		{"Ngày 28/3/2019, UBND tỉnh ban hành kế hoạch.", pub, []string{"2019-03-28 day"}},
		{"Ngày 28 tháng 3 năm 2019, tỉnh ban hành kế hoạch.", pub, []string{"2019-03-28 day"}},
		{"Kỳ họp diễn ra ngày 5 tháng 8.", day(2023, 7, 1), []string{"2023-08-05 day"}},
		{"Lúc 11:42, đoàn đến nơi.", pub, nil},
		{"Ngày 22/5, lúc 7h30 sáng, đoàn xuất phát. Đến 14h30, đoàn về.", day(2024, 5, 23),
			[]string{"2024-05-22 day", "2024-05-22T07:30 time", "2024-05-22T14:30 time"}},
		{"Vào lúc 7h30 sáng 22/5, đoàn xuất phát.", day(2024, 5, 23), []string{"2024-05-22T07:30 time", "2024-05-22 day"}},
		{"Khoảng 3 giờ chiều ngày 2/9, mưa lớn.", day(2024, 9, 3), []string{"2024-09-02T15:00 time", "2024-09-02 day"}},
		{"Sau hơn 8 giờ xét xử, tòa tuyên án.", pub, nil},
		// Year rollover: an event on 28/12 in an article of 2/1 is of the year before.
		{"Ngày 28/12, tỉnh tổng kết năm.", day(2023, 1, 2), []string{"2022-12-28 day"}},
		{"Hạn chót là ngày 5/1.", day(2022, 12, 20), []string{"2023-01-05 day"}},
		{"Trong quý I/2019, tỉnh thu ngân sách đạt kế hoạch.", pub, []string{"2019-Q1 quarter"}},
		{"Quý II năm 2024 tăng trưởng khá.", pub, []string{"2024-Q2 quarter"}},
		{"Kết quả quý IV rất khả quan.", pub, []string{"2022-Q4 quarter"}},
		{"Kết quả 6 tháng đầu năm 2023 rất tốt.", pub, []string{"2023-H1 half"}},
		{"Nhiệm vụ 6 tháng cuối năm là rất nặng.", pub, []string{"2022-H2 half"}},
		{"Tháng 3/2019, huyện ra quân.", pub, []string{"2019-03 month"}},
		{"Trong tháng 12 năm 2022, tỉnh đạt kết quả tốt.", pub, []string{"2022-12 month"}},
		{"Năm 2022, công tác dân vận tiếp tục đổi mới.", pub, []string{"2022 year"}},
		{"Giai đoạn 2016 – 2018, tỉnh đầu tư mạnh.", pub, []string{"2016/2018 range"}},
		{"Nhiệm kỳ 2019 - 2024 đã hoàn thành.", pub, []string{"2019/2024 range"}},
		{"Cá nhân có thành tích từ năm 2017 - 2021.", pub, []string{"2017/2021 range"}},
		{"Năm học 2024-2025 bắt đầu.", pub, []string{"2024/2025 range"}},
		{"Kỷ niệm 140 năm khởi nghĩa (1884 - 2024).", pub, []string{"1884/2024 range"}},
		{"Kỷ niệm ngày thành lập (31/3/1975 – 31/3/2025).", pub, []string{"1975-03-31/2025-03-31 range"}},
		{"Hôm nay, hội nghị khai mạc; năm nay tỉnh đạt kế hoạch; tháng trước mưa lớn.", pub,
			[]string{"2022-12-27 day", "2022 year", "2022-11 month"}},
		{"Hằng năm sau 3 tháng an cư, lễ được tổ chức.", pub, nil},
		{"Lễ hội diễn ra ngày 10/3 âm lịch.", pub, nil},
		{"Năm nay tăng hơn năm ngoái.", time.Time{}, nil},
		// Not dates: fractions, document numbers, counts.
		{"Có 8/11 xã đạt chuẩn nông thôn mới.", pub, nil},
		{"Thực hiện Nghị quyết số 02-NQ/TU của Ban Thường vụ.", pub, nil},
		{"Toàn huyện có 2000 hộ tham gia.", pub, nil},
		{"Đường dây nóng hoạt động 24/7.", pub, nil},
		{"Ngày hội Đại đoàn kết toàn dân tộc 18/11 năm nay diễn ra sôi nổi.", pub, []string{"2022-11-18 day", "2022 year"}},
		{"Sáng 21-8, tại Nha Trang, hội nghị khai mạc.", pub, []string{"2022-08-21 day"}},
	}
	for _, tt := range tests {
		got := dateValues(analyzeOn(tt.text, tt.pub))
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q (published %v):\n got %q\nwant %q", tt.text, tt.pub.Format("2006-01-02"), got, tt.want)
		}
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"2.000", 2000, true},
		{"7,54", 7.54, true},
		{"1.234.567,5", 1234567.5, true},
		{"392", 392, true},
		{"2.5", 2.5, true},
		{"3,72", 3.72, true},
		{"999.999.999.999.999", 999999999999999, true},
		{"0,5", 0.5, true},
		{"0", 0, true},
		{"02", 0, false},            // a code
		{"0238.3565.888", 0, false}, // a phone number
		{"1.23.456", 0, false},
		{"1,2,3", 0, false},
		{"12,", 0, false},
		{"", 0, false},
		{"1.0000", 1, true}, // one dot not before three digits: a decimal point
	}
	for _, tt := range tests {
		got, ok := extract.ParseNumber(tt.in)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func figureLines(an *extract.Analysis) []string {
	var out []string
	for _, f := range an.Figures {
		s := fmt.Sprintf("%s %s %s", strconvFloat(f.Value), f.Unit, f.Qualifier)
		if f.Max != nil {
			s += " max " + strconvFloat(*f.Max)
		}
		if len(f.Spans) > 1 {
			s += fmt.Sprintf(" ×%d", len(f.Spans))
		}
		out = append(out, s)
	}
	return out
}

func strconvFloat(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e16 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%g", v)
}

func TestFigures(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Toàn tỉnh đã tổ chức 392 cuộc tiếp xúc, đối thoại.", []string{"392 cuộc tiếp xúc exact"}},
		{"Nhân rộng gần 2.000 mô hình “Dân vận khéo”.", []string{"2000 mô hình approx"}},
		{"Thực hiện theo 7 nhóm nhiệm vụ trọng tâm.", []string{"7 nhóm nhiệm vụ exact"}},
		{"Trao giấy khen cho 6 tập thể và 1 cá nhân.", []string{"6 tập thể exact", "1 cá nhân exact"}},
		{"Vận động được trên 26 tỷ đồng.", []string{"26000000000 đồng over"}},
		{"Tổng vốn 8.742 tỷ đồng.", []string{"8742000000000 đồng exact"}},
		{"Tăng trưởng đạt 7,54%.", []string{"7.54 % exact"}},
		{"Hơn 120 hộ thoát nghèo.", []string{"120 hộ over"}},
		{"Hỗ trợ 1,5 triệu đồng cho mỗi ha.", []string{"1500000 đồng exact"}},
		{"Trên 62 nghìn lượt quà tặng.", []string{"62000 lượt over"}},
		{"Mỗi mô hình cần 2-3 tỷ đồng.", []string{"2000000000 đồng range max 3000000000"}},
		{"Dưới 5% hộ nghèo.", []string{"5 % under"}},
		{"Lãnh đạo hai tỉnh ký kết.", []string{"2 tỉnh exact"}},
		{"Giá 14.000 đồng/kg.", []string{"14000 đồng exact"}},
		{"Năng suất đạt 67,5 tạ/ha.", []string{"67.5 tạ/ha exact"}},
		// Not figures: years, dates, times, documents, ordinals, phones, names.
		{"Năm 2022, công tác dân vận tiếp tục đổi mới.", nil},
		{"Chiều 8/11, lúc 11:42, hội nghị bắt đầu.", nil},
		{"Theo Nghị quyết số 02-NQ/TU và Quyết định 1234/QĐ-UBND.", nil},
		{"Kết quả quý I/2019 và khóa XV, kỳ họp thứ 14.", nil},
		{"Đường dây nóng 0238.3565.888 hoạt động liên tục.", nil},
		{"Bộ Tư lệnh Quân khu 2 và Quốc lộ 6 cùng bản Huồi Giảng 1.", nil},
		{"Phạt bị cáo Phạm Văn Tiến 9 năm tù.", []string{"9 năm exact"}},
		{"Chiến dịch “tour 0 đồng” bị cấm.", nil},
		// One figure per distinct value, unit and qualifier, with a span per mention.
		{"Trao 50 căn nhà cho hộ nghèo. Trong 50 căn nhà có gần 50 căn nhà xây mới.", []string{"50 căn nhà exact ×2", "50 căn nhà approx"}},
		{"GIAO HAI THÁNG CHO XÃ.", []string{"2 tháng exact"}},
	}
	for _, tt := range tests {
		got := figureLines(analyzeOn(tt.text, day(2023, 1, 1)))
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q:\n got %q\nwant %q", tt.text, got, tt.want)
		}
	}
}

func TestDocuments(t *testing.T) {
	text := "Thực hiện Nghị quyết số 02-NQ/TU, Quyết định 1234/QĐ-UBND, Nghị định 168/2024/NĐ-CP, " +
		"Luật số 30/2023/QH15, Thông tư liên tịch số 13/2016/TTLT-BYT-BGDĐT và văn bản 45/KH-UBND; " +
		"nhắc lại Nghị quyết số 02-NQ/TU."
	an := analyzeOn(text, time.Time{})
	var got []string
	for _, d := range an.Documents {
		got = append(got, d.Kind+" "+d.Number+" ("+strings.TrimSpace(d.Text)+")")
	}
	want := []string{
		"Nghị quyết 02-NQ/TU (Nghị quyết số 02-NQ/TU)",
		"Quyết định 1234/QĐ-UBND (Quyết định 1234/QĐ-UBND)",
		"Nghị định 168/2024/NĐ-CP (Nghị định 168/2024/NĐ-CP)",
		"Luật 30/2023/QH15 (Luật số 30/2023/QH15)",
		"Thông tư liên tịch 13/2016/TTLT-BYT-BGDĐT (Thông tư liên tịch số 13/2016/TTLT-BYT-BGDĐT)",
		"Văn bản 45/KH-UBND (văn bản 45/KH-UBND)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("documents:\n got %q\nwant %q", got, want)
	}
	if len(an.Documents[0].Spans) != 2 {
		t.Errorf("a document named twice should have two spans: %v", an.Documents[0].Spans)
	}
	if len(an.Figures) != 0 || len(an.Dates) != 0 {
		t.Errorf("document numbers read as figures %v or dates %v", an.Figures, an.Dates)
	}
}

func TestQuotesAndTerms(t *testing.T) {
	text := "Phó Bí thư Thường trực Tỉnh ủy Trần Thế Dũng đề nghị các địa phương tiếp tục thực hiện tốt quy chế dân chủ. " +
		"Đồng chí nhấn mạnh: “Phải lấy dân làm gốc. Dân biết, dân bàn, dân làm”. " +
		"“Chúng tôi sẽ làm tốt hơn”, ông Nguyễn Văn Hùng, Chủ tịch UBND xã Cẩm Hưng nói. " +
		"Theo bà Lê Thị Mai, năm nay xã có thêm 10 hộ thoát nghèo. " +
		"Phong trào thi đua “Dân vận khéo” và “dân vận khéo” lan tỏa; Ban Thường vụ Tỉnh ủy yêu cầu tăng cường kiểm tra."
	an := analyzeOn(text, time.Time{})
	var got []string
	for _, q := range an.Quotes {
		got = append(got, fmt.Sprintf("%s | %s | %s | %s", q.Speaker, q.Verb, q.Kind, q.Text))
	}
	want := []string{
		"Trần Thế Dũng | đề nghị | indirect | đề nghị các địa phương tiếp tục thực hiện tốt quy chế dân chủ",
		"Trần Thế Dũng | nhấn mạnh | direct | Phải lấy dân làm gốc. Dân biết, dân bàn, dân làm",
		"Nguyễn Văn Hùng | nói | direct | Chúng tôi sẽ làm tốt hơn",
		"Lê Thị Mai | theo | indirect | năm nay xã có thêm 10 hộ thoát nghèo",
	}
	if !slices.Equal(got, want) {
		t.Errorf("quotes:\n got %q\nwant %q", got, want)
	}
	var terms []string
	for _, term := range an.Terms {
		terms = append(terms, term.Text)
	}
	if !slices.Equal(terms, []string{"Dân vận khéo"}) || len(an.Terms[0].Spans) != 2 {
		t.Errorf("terms = %q %v, want one term with two spans", terms, an.Terms)
	}
	for _, q := range an.Quotes {
		if got := text[q.Spans[0][0]:q.Spans[0][1]]; got != q.Text {
			t.Errorf("quote span covers %q, text is %q", got, q.Text)
		}
	}
}

func TestCaptionColonQuote(t *testing.T) {
	a := &extract.Article{Province: "Hà Tĩnh"}
	a.Add(extract.BlockCaption, "Phó Chủ tịch Ủy ban MTTQ tỉnh Phạm Thị Thu Hà: Để làm tốt công tác dân vận cần chú trọng giám sát. Các đoàn thể cần phối hợp.")
	an := extract.Analyze(a)
	if len(an.Quotes) != 1 || an.Quotes[0].Speaker != "Phạm Thị Thu Hà" || an.Quotes[0].Kind != extract.QuoteDirect ||
		!strings.HasSuffix(an.Quotes[0].Text, "Các đoàn thể cần phối hợp.") {
		t.Errorf("quotes = %+v", an.Quotes)
	}
}
