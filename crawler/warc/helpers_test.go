package warc

import (
	"bytes"
	"crypto/sha1"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// readRec is a record read back whole.
type readRec struct {
	Version string
	Header  Header
	Block   []byte
	Offset  int64
}

func (r readRec) get(name string) string { return r.Header.Get(name) }

// readFile reads every record of a WARC file, failing the test on any error.
func readFile(t testing.TB, path string) []readRec {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := readAllRecords(f)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	return recs
}

// readAllRecords reads records until the end or the first error, returning
// those read whole before it.
func readAllRecords(in io.Reader) ([]readRec, error) {
	r, err := NewReader(in)
	if err != nil {
		return nil, err
	}
	var recs []readRec
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return recs, nil
		}
		if err != nil {
			return recs, err
		}
		block, err := io.ReadAll(rec.Body)
		if err != nil {
			return recs, err
		}
		recs = append(recs, readRec{rec.Version, rec.Header, block, rec.Offset})
	}
}

// sha1b32 is the test's own digest computation, independent of SHA1Digest.
func sha1b32(b []byte) string {
	sum := sha1.Sum(b)
	return "sha1:" + base32.StdEncoding.EncodeToString(sum[:])
}

// httpResponse builds a raw HTTP/1.1 response with a Content-Length.
func httpResponse(status string, contentType string, body []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %s\r\n", status)
	fmt.Fprintf(&b, "Date: Mon, 02 Mar 2026 01:02:03 GMT\r\n")
	if contentType != "" {
		fmt.Fprintf(&b, "Content-Type: %s\r\n", contentType)
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(body))
	b.Write(body)
	return b.Bytes()
}

// httpRequest builds a raw HTTP/1.1 GET request head for rawURL's path and host.
func httpRequest(host, path string) []byte {
	return []byte("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: baotinh/test\r\nAccept-Encoding: gzip\r\n\r\n")
}

// randomBytes returns n reproducible pseudo-random bytes.
func randomBytes(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// vietnameseHTML returns a news-like HTML page of about n bytes: navigation,
// article paragraphs drawn from a few dozen Vietnamese sentences, lists of
// related links with varying ids. gzip -6 shrinks it about 6 times, at about
// the speed it compresses a real provincial news page (which shrinks 4-5 times).
func vietnameseHTML(n int) []byte {
	sentences := []string{
		"Sáng 5/1, UBND tỉnh Hà Tĩnh tổ chức hội nghị tổng kết công tác năm 2025, triển khai nhiệm vụ năm 2026.",
		"Đồng chí Chủ tịch UBND tỉnh nhấn mạnh yêu cầu tăng tốc, bứt phá trong phát triển kinh tế - xã hội.",
		"Tốc độ tăng trưởng GRDP ước đạt 7,5%, thu ngân sách vượt 12% so với dự toán được giao.",
		"Các huyện Kỳ Anh, Cẩm Xuyên, Nghi Xuân chủ động triển khai phương án phòng chống thiên tai.",
		"Ngành nông nghiệp đã hoàn thành thu hoạch lúa xuân trên diện tích hơn 50.000 ha.",
		"Người dân phấn khởi khi tuyến đường liên xã được đầu tư nâng cấp, rút ngắn thời gian đi lại.",
		"Hội nghị đã thảo luận, thống nhất nhiều giải pháp tháo gỡ khó khăn cho doanh nghiệp.",
		"Tỉnh tiếp tục đẩy mạnh cải cách thủ tục hành chính, chuyển đổi số trong các cơ quan nhà nước.",
		"Công tác chăm lo đời sống cho người có công, hộ nghèo được thực hiện kịp thời, đúng đối tượng.",
		"Lực lượng công an đã điều tra, làm rõ nhiều vụ việc, góp phần giữ vững an ninh trật tự.",
		"Dự án khu công nghiệp Vũng Áng thu hút thêm nhiều nhà đầu tư trong và ngoài nước.",
		"Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy quán triệt, tổ chức thực hiện nghiêm túc nghị quyết.",
		"Mùa hè năm nay, lượng du khách đến các bãi biển Thiên Cầm, Xuân Thành tăng mạnh.",
		"Thời tiết nắng nóng gay gắt, nhiệt độ cao nhất phổ biến từ 37 đến 39 độ C.",
		"Ngành giáo dục tổ chức kỳ thi tốt nghiệp THPT an toàn, nghiêm túc, đúng quy chế.",
		"Bệnh viện đa khoa tỉnh đưa vào sử dụng hệ thống máy chụp cộng hưởng từ hiện đại.",
		"Chương trình xây dựng nông thôn mới nâng cao, kiểu mẫu tiếp tục được quan tâm chỉ đạo.",
		"Mặt trận Tổ quốc các cấp vận động nhân dân tham gia phong trào toàn dân đoàn kết.",
		"Các đại biểu HĐND tỉnh tiếp xúc cử tri, ghi nhận nhiều ý kiến, kiến nghị chính đáng.",
		"Giá trị sản xuất công nghiệp tăng khá, xuất khẩu hàng hóa đạt hơn 2,8 tỷ USD.",
	}
	sections := strings.Fields("thoi-su kinh-te xa-hoi phap-luat giao-duc van-hoa the-thao du-lich quoc-phong doi-song")
	rng := rand.New(rand.NewPCG(7, 11))
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Tin tức Hà Tĩnh</title>\n")
	b.WriteString("<link rel=\"stylesheet\" href=\"/static/css/main.min.css?v=20260105\"></head><body>\n<nav class=\"menu\"><ul>\n")
	for _, s := range sections {
		fmt.Fprintf(&b, "<li class=\"menu-item\"><a href=\"https://baohatinh.vn/%s/\" title=\"%s\">%s</a></li>\n", s, s, s)
	}
	b.WriteString("</ul></nav>\n<article class=\"detail\">\n")
	for b.Len() < n-400 {
		switch rng.IntN(4) {
		case 0:
			s := sections[rng.IntN(len(sections))]
			id := 200000 + rng.IntN(120000)
			fmt.Fprintf(&b, "<div class=\"related-item\"><a href=\"https://baohatinh.vn/%s/bai-viet-post%d.html\"><img src=\"https://img.baohatinh.vn/%d/%02d/%d.jpg\" alt=\"\" loading=\"lazy\"></a>\n<h3><a href=\"https://baohatinh.vn/%s/bai-viet-post%d.html\">%s</a></h3></div>\n",
				s, id, 2024+rng.IntN(3), 1+rng.IntN(12), rng.Int64N(1e12), s, id, strings.TrimSuffix(sentences[rng.IntN(len(sentences))], "."))
		default:
			// Sentences cut at their commas and put back together in new orders,
			// with figures that differ, so that the prose does not simply repeat.
			b.WriteString("<p>")
			for i := 0; i < 2+rng.IntN(3); i++ {
				for j := 0; j < 2+rng.IntN(3); j++ {
					parts := strings.Split(strings.TrimSuffix(sentences[rng.IntN(len(sentences))], "."), ", ")
					words := strings.Fields(parts[rng.IntN(len(parts))])
					k := rng.IntN(len(words))
					b.WriteString(strings.Join(words[k:], " "))
					fmt.Fprintf(&b, " %d,%d%%, ", rng.IntN(1000), rng.IntN(10))
					b.WriteString(strings.Join(words[:k], " "))
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "ngày %d/%d/%d. ", 1+rng.IntN(28), 1+rng.IntN(12), 2020+rng.IntN(7))
			}
			b.WriteString("</p>\n")
		}
	}
	b.WriteString("</article>\n</body></html>\n")
	return b.Bytes()
}

// errPrefixed reports whether err's message starts with "warc: ".
func errPrefixed(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "warc: ")
}

var _ = errors.Is

func readBytes(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
