package extract_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baotinh/baotinh/extract"
)

func readSeed(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile("../testdata/seeds/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// blockTexts returns the text of an article's blocks of one kind.
func blockTexts(a *extract.Article, kind extract.BlockKind) []string {
	var out []string
	for _, b := range a.Blocks {
		if b.Kind == kind {
			out = append(out, a.BlockText(b))
		}
	}
	return out
}

func TestParseTextSeeds(t *testing.T) {
	tests := []struct {
		file, title, firstLead string
		authors                []string
		published              string // RFC 3339, "" for none
		captions, paragraphs   int
		notInArticle           []string // chrome that must not be in any block
	}{
		{
			file:      "000_407ce489949a9cbd.txt",
			title:     "Trao đổi kinh nghiệm công tác dân vận giữa Hà Tĩnh - Sơn La - Lào Cai",
			firstLead: "Hội nghị là dịp để Ban Dân vận Tỉnh ủy 3 tỉnh",
			captions:  5, paragraphs: 9,
			notInArticle: []string{"Chủ đề Hà Tĩnh 24h", "Đọc thêm", "Tin mới Emagazine"},
		},
		{
			file:      "003_2500473cc3374f31.txt",
			title:     "Tiếp tục đẩy mạnh thực hiện quy chế dân chủ ở cơ sở trên địa bàn Hà Tĩnh",
			firstLead: "Phó Bí thư Thường trực Tỉnh ủy Trần Thế Dũng đề nghị",
			authors:   []string{"Thu Hà"},
			published: "2022-12-27T11:42:00+07:00",
			captions:  12, paragraphs: 16,
			notInArticle: []string{"{name}", "Trả lời", "bình luận", "Các tin đã đưa", "Tắt [X]"},
		},
		{
			file:     "004_6cf404bf1a333344.txt",
			title:    "Phối hợp, nâng cao hiệu quả công tác dân vận trong tình hình mới",
			authors:  []string{"Việt Anh"},
			captions: 2, paragraphs: 3,
			notInArticle: []string{"Báo Sơn La điện tử", "Trang chủ", "BÌNH LUẬN", "500/500", "Dự báo thời tiết", "2/1/2026", "Tà Xùa"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			a := extract.ParseText(readSeed(t, tt.file))
			if got := a.Title(); got != tt.title {
				t.Errorf("title = %q, want %q", got, tt.title)
			}
			leads := blockTexts(a, extract.BlockLead)
			if tt.firstLead == "" && len(leads) > 0 || tt.firstLead != "" && (len(leads) != 1 || !strings.HasPrefix(leads[0], tt.firstLead)) {
				t.Errorf("leads = %q, want one starting %q", leads, tt.firstLead)
			}
			if strings.Join(a.Authors, "|") != strings.Join(tt.authors, "|") {
				t.Errorf("authors = %q, want %q", a.Authors, tt.authors)
			}
			got := ""
			if !a.Published.IsZero() {
				got = a.Published.Format(time.RFC3339)
			}
			if got != tt.published {
				t.Errorf("published = %q, want %q", got, tt.published)
			}
			if n := len(blockTexts(a, extract.BlockCaption)); n != tt.captions {
				t.Errorf("%d captions, want %d: %q", n, tt.captions, blockTexts(a, extract.BlockCaption))
			}
			if n := len(blockTexts(a, extract.BlockParagraph)); n != tt.paragraphs {
				t.Errorf("%d paragraphs, want %d", n, tt.paragraphs)
			}
			for _, b := range a.Blocks {
				text := a.BlockText(b)
				for _, bad := range tt.notInArticle {
					if strings.Contains(text, bad) {
						t.Errorf("%s block holds page chrome %q: %q", b.Kind, bad, text)
					}
				}
			}
		})
	}
}

func TestParseTextShapes(t *testing.T) {
	t.Run("no chrome, no title", func(t *testing.T) {
		text := "Sáng 12/3, UBND tỉnh tổ chức hội nghị tổng kết công tác năm 2023 và triển khai nhiệm vụ năm 2024 với sự tham gia của các sở, ngành."
		a := extract.ParseText(text)
		if a.Title() != "" || len(a.Blocks) != 1 || a.Blocks[0].Kind != extract.BlockParagraph {
			t.Errorf("blocks = %+v, title %q", a.Blocks, a.Title())
		}
	})
	t.Run("stamp forms", func(t *testing.T) {
		for _, stamp := range []string{
			"Cập nhật: 11:42 27/12/2022", "27/12/2022 - 11:42", "Thứ Ba, 27/12/2022 11:42 (GMT+7)",
			"27/12/2022 | 11:42", "Ngày đăng: 27/12/2022 11:42", "11:42 | 27/12/2022",
		} {
			a := extract.ParseText("Tiêu đề bài viết về hội nghị\n" + stamp + "\nNội dung bài viết dài hơn mười lăm chữ để được xem là phần thân của bài báo này nhé.")
			if got := a.Published.Format(time.RFC3339); got != "2022-12-27T11:42:00+07:00" {
				t.Errorf("%q: published %s", stamp, got)
			}
		}
		a := extract.ParseText("Tiêu đề\nCập nhật: 99:99 31/02/2022\nNội dung")
		if !a.Published.IsZero() {
			t.Errorf("an impossible stamp gave %v", a.Published)
		}
	})
	t.Run("byline forms", func(t *testing.T) {
		body := "Tiêu đề bài viết về hội nghị\n\nNgày 12/3, hội nghị đã diễn ra với sự tham gia của đông đảo đại biểu các sở, ban, ngành và địa phương trong tỉnh.\n\n"
		for byline, want := range map[string]string{
			"Thùy Nhung – Thanh Đạm": "Thùy Nhung|Thanh Đạm",
			"Bài, ảnh: Minh Đức":     "Minh Đức",
			"Thanh Nga (thực hiện)":  "Thanh Nga",
			"Nhóm PV":                "",
			"KHÓ KHĂN CHỒNG CHẤT":    "",
		} {
			a := extract.ParseText(body + byline)
			if got := strings.Join(a.Authors, "|"); got != want {
				t.Errorf("%q: authors %q, want %q", byline, got, want)
			}
		}
	})
	t.Run("province from the lead tag and the header", func(t *testing.T) {
		for text, want := range map[string]string{
			"Tiêu đề bài viết\n(Baonghean.vn) - Sáng nay, tỉnh tổ chức hội nghị với sự tham gia của nhiều đại biểu các sở ngành.": "Nghệ An",
			"BÁO BẮC GIANG ĐIỆN TỬ\nTiêu đề bài viết mới\n(BGĐT) - Sáng nay, tỉnh tổ chức hội nghị với nhiều đại biểu tham dự.":   "Bắc Giang",
			"Tiêu đề bài viết\nSáng nay, tỉnh tổ chức hội nghị với sự tham gia của nhiều đại biểu các sở ngành trong tỉnh.":       "",
		} {
			if got := extract.ParseText(text).Province; got != want {
				t.Errorf("province = %q, want %q for %q", got, want, text)
			}
		}
	})
}

func TestProvinceOf(t *testing.T) {
	for in, want := range map[string]string{
		"baohatinh": "Hà Tĩnh", "baosonla": "Sơn La", "baosonla.org.vn": "Sơn La", "www.baonghean.vn": "Nghệ An",
		"Baohatinh.vn": "Hà Tĩnh", "Báo Sơn La": "Sơn La", "BNA": "Nghệ An", "nowhere": "",
	} {
		if got := extract.ProvinceOf(in); got != want {
			t.Errorf("ProvinceOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFactsOnlyFromArticle checks, on every seed and gold article, that each
// fact of every field (people, roles, places, dates, figures, documents,
// quotes, terms) points into the article's title, lead, paragraphs or
// captions: nothing comes from page chrome, the lists of other articles that
// follow the body (seed 004's "Tin mới"), or the byline.
func TestFactsOnlyFromArticle(t *testing.T) {
	files, err := filepath.Glob("../testdata/seeds/*.txt")
	if err != nil || len(files) < 3 {
		t.Fatalf("seeds: %v (%d files)", err, len(files))
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		a := extract.ParseText(string(data))
		an := extract.Analyze(a)
		inBody := func(s extract.Span) bool {
			for _, b := range a.Blocks {
				if b.Kind != extract.BlockByline && b.Span[0] <= s[0] && s[1] <= b.Span[1] {
					return true
				}
			}
			return false
		}
		for _, s := range factSpans(an) {
			if !inBody(s) {
				t.Errorf("%s: fact %q at %v is outside the article's body", filepath.Base(file), a.Text[s[0]:s[1]], s)
			}
		}
	}
}
