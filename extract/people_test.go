package extract_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/baotinh/baotinh/extract"
)

// roleLines renders an analysis's people as "Name | title | place" lines
// (one per role; "Name | - | place" for a person without a title), sorted.
func roleLines(an *extract.Analysis) []string {
	var out []string
	for _, p := range an.People {
		if len(p.Roles) == 0 {
			out = append(out, fmt.Sprintf("%s | - | %s", p.Name, dashIfEmpty(string(p.Place))))
		}
		for _, r := range p.Roles {
			out = append(out, fmt.Sprintf("%s | %s | %s", p.Name, r.Title, dashIfEmpty(string(r.Place))))
		}
	}
	slices.Sort(out)
	return out
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// analyzeBody analyzes text given as an article body from a paper whose
// province is province.
func analyzeBody(text, province string) *extract.Analysis {
	a := &extract.Article{Province: province}
	a.Add(extract.BlockParagraph, text)
	return extract.Analyze(a)
}

func TestMentionPatterns(t *testing.T) {
	tests := []struct {
		name, province, text string
		want                 []string
	}{
		{
			"title then name, place after the organization",
			"Hà Tĩnh",
			"Trưởng ban Dân vận Tỉnh ủy Sơn La Lưu Minh Quân phát biểu.",
			[]string{"Lưu Minh Quân | Trưởng ban Dân vận Tỉnh ủy | Sơn La"},
		},
		{
			"title then name, province implied by the paper",
			"Hà Tĩnh",
			"Phó Bí thư Thường trực Tỉnh ủy Trần Thế Dũng dự hội nghị.",
			[]string{"Trần Thế Dũng | Phó Bí thư Thường trực Tỉnh ủy | Hà Tĩnh"},
		},
		{
			"name then titles separated by commas, closed by semicolons",
			"Sơn La",
			"Dự có các đồng chí: Lưu Minh Quân, Ủy viên Ban Thường vụ Tỉnh ủy, Trưởng Ban Dân vận Tỉnh ủy; " +
				"Nguyễn Thành Công, Phó Chủ tịch UBND tỉnh.",
			[]string{
				"Lưu Minh Quân | Trưởng ban Dân vận Tỉnh ủy | Sơn La",
				"Lưu Minh Quân | Ủy viên Ban Thường vụ Tỉnh ủy | Sơn La",
				"Nguyễn Thành Công | Phó Chủ tịch Ủy ban nhân dân tỉnh | Sơn La",
			},
		},
		{
			"several titles then the name share the place",
			"Hà Tĩnh",
			"Trưởng ban Dân vận Huyện ủy, Chủ tịch Ủy ban MTTQ huyện Cẩm Xuyên Nguyễn Thanh Long chia sẻ kinh nghiệm.",
			[]string{
				"Nguyễn Thanh Long | Chủ tịch Ủy ban Mặt trận Tổ quốc huyện | Cẩm Xuyên",
				"Nguyễn Thanh Long | Trưởng ban Dân vận Huyện ủy | Cẩm Xuyên",
			},
		},
		{
			"name, dash, lower-case title with Phó ban",
			"Hà Tĩnh",
			"Ông Phan Xuân Khánh – Phó Ban dân vận tỉnh ủy cho biết như vậy.",
			[]string{"Phan Xuân Khánh | Phó Trưởng ban Dân vận Tỉnh ủy | Hà Tĩnh"},
		},
		{
			"name, dash, abbreviated title",
			"Hà Tĩnh",
			"Đồng chí Trần Hữu Chức – PBTTTHU Cẩm Xuyên phát biểu.",
			[]string{"Trần Hữu Chức | Phó Bí thư Thường trực Huyện ủy | Cẩm Xuyên"},
		},
		{
			"affiliation in parentheses is not a title",
			"Hà Tĩnh",
			"Trao bằng khen cho đồng chí Hồ Đức Tiến (Ban Dân vận Tỉnh ủy Hà Tĩnh).",
			[]string{"Hồ Đức Tiến | - | Hà Tĩnh"},
		},
		{
			"an organization whose name is written in lower case",
			"Hà Tĩnh",
			"Bà Lê Thị Hoa, Chủ tịch Hội phụ nữ xã Cẩm Hưng, đề nghị các hội viên tham gia.",
			[]string{"Lê Thị Hoa | Chủ tịch Hội phụ nữ xã | Cẩm Hưng"},
		},
		{
			"a rank before the name is not a title",
			"Quảng Bình",
			"Đại tá Phạm Hồng Quân, Chính ủy Bộ Chỉ huy Bộ đội Biên phòng tỉnh kiểm tra đơn vị.",
			[]string{"Phạm Hồng Quân | Chính ủy Bộ Chỉ huy Bộ đội Biên phòng tỉnh | Quảng Bình"},
		},
		{
			"title, comma, military rank, name",
			"Nghệ An",
			"Giám đốc Công an tỉnh, Thiếu tướng Nguyễn Văn Hưng yêu cầu tăng cường tuần tra.",
			[]string{"Nguyễn Văn Hưng | Giám đốc Công an tỉnh | Nghệ An"},
		},
		{
			"commune title with place, then name",
			"Hà Tĩnh",
			"Chủ tịch UBND xã Thạch Lạc Võ Văn Hải thông tin về tiến độ.",
			[]string{"Võ Văn Hải | Chủ tịch Ủy ban nhân dân xã | Thạch Lạc"},
		},
		{
			"ward named after a person, then the official",
			"Hà Tĩnh",
			"Bí thư Đảng ủy, Chủ tịch HĐND phường Trần Phú Võ Thị Hải Yến báo cáo.",
			[]string{
				"Võ Thị Hải Yến | Bí thư Đảng ủy phường | Trần Phú",
				"Võ Thị Hải Yến | Chủ tịch Hội đồng nhân dân phường | Trần Phú",
			},
		},
		{
			"streets and schools named after people are not people",
			"Hà Tĩnh",
			"Đoàn đến thăm Trường THPT Phan Đình Phùng trên đường Hà Huy Tập, phường Nguyễn Du.",
			nil,
		},
		{
			"places are not people",
			"Sơn La",
			"Hà Tĩnh và Sơn La ký kết hợp tác; huyện Mai Sơn và Vũ Quang cùng tham gia.",
			nil,
		},
		{
			"a person named like a place (Vũ Quang Huy) is a person",
			"Lai Châu",
			"Ông Vũ Quang Huy cho biết năm nay huyện trồng mới 200 ha chè.",
			[]string{"Vũ Quang Huy | - | -"},
		},
		{
			"Ê Đê names open with Y and H'",
			"Đắk Lắk",
			"Dự có Phó Chủ tịch UBND tỉnh Y Thuật Kbuôr; bà H'Lim Kđoh, Phó Giám đốc Sở Văn hóa, Thể thao và Du lịch.",
			[]string{
				"H'Lim Kđoh | Phó Giám đốc Sở Văn hóa, Thể thao và Du lịch | Đắk Lắk",
				"Y Thuật Kbuôr | Phó Chủ tịch Ủy ban nhân dân tỉnh | Đắk Lắk",
			},
		},
		{
			"Thai and Mông family names",
			"Lào Cai",
			"Bí thư Huyện ủy Si Ma Cai Giàng Seo Chư và ông Lò Văn Mạnh, Trưởng thôn Sín Chải.",
			[]string{
				"Giàng Seo Chư | Bí thư Huyện ủy | Si Ma Cai",
				"Lò Văn Mạnh | Trưởng thôn | Sín Chải",
			},
		},
		{
			"former titles keep nguyên",
			"Nam Định",
			"Bị cáo Phạm Văn Tiến (SN 1966), nguyên Bí thư Đảng ủy, nguyên Chủ tịch UBND xã Hải Phúc bị truy tố.",
			[]string{
				"Phạm Văn Tiến | nguyên Bí thư Đảng ủy xã | Hải Phúc",
				"Phạm Văn Tiến | nguyên Chủ tịch Ủy ban nhân dân xã | Hải Phúc",
			},
		},
		{
			"a plural title with two names",
			"Hà Tĩnh",
			"Chủ trì có các Phó Chủ tịch HĐND tỉnh Trần Thị Minh Châu, Nguyễn Văn Hưng.",
			[]string{
				"Nguyễn Văn Hưng | Phó Chủ tịch Hội đồng nhân dân tỉnh | Hà Tĩnh",
				"Trần Thị Minh Châu | Phó Chủ tịch Hội đồng nhân dân tỉnh | Hà Tĩnh",
			},
		},
		{
			"company and cooperative names with lower-case words",
			"Cà Mau",
			"Giám đốc Công ty TNHH Chế biến thủy sản Hòa Thành Lâm Quốc Thái cho biết; ông Tô Văn Nhã, " +
				"Chủ nhiệm HTX Nuôi tôm sinh thái Tam Giang (xã Tam Giang, huyện Năm Căn) chia sẻ.",
			[]string{
				"Lâm Quốc Thái | Giám đốc Công ty TNHH Chế biến thủy sản Hòa Thành | Cà Mau",
				"Tô Văn Nhã | Chủ nhiệm Hợp tác xã Nuôi tôm sinh thái Tam Giang | Tam Giang",
			},
		},
		{
			"a rank alone shares the next title's organization",
			"Quảng Bình",
			"Thiếu tướng Nguyễn Đình Phương, Phó Tư lệnh, Tham mưu trưởng Bộ đội Biên phòng dự.",
			[]string{
				"Nguyễn Đình Phương | Phó Tư lệnh Bộ đội Biên phòng | -",
				"Nguyễn Đình Phương | Tham mưu trưởng Bộ đội Biên phòng | -",
			},
		},
		{
			"national titles have no place",
			"Quảng Trị",
			"Ủy viên Bộ Chính trị, Phó Thủ tướng Chính phủ Lê Minh Khang làm việc với tỉnh.",
			[]string{
				"Lê Minh Khang | Phó Thủ tướng | -",
				"Lê Minh Khang | Ủy viên Bộ Chính trị | -",
			},
		},
		{
			"an unknown province stays unknown",
			"",
			"Phó Chủ tịch UBND tỉnh Nguyễn Văn Bình phát biểu.",
			[]string{"Nguyễn Văn Bình | Phó Chủ tịch Ủy ban nhân dân tỉnh | -"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := roleLines(analyzeBody(tt.text, tt.province))
			if !slices.Equal(got, tt.want) {
				t.Errorf("text: %s\ngot:\n  %s\nwant:\n  %s", tt.text, strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

func TestReferences(t *testing.T) {
	text := "Phó Bí thư Thường trực Tỉnh ủy Trần Thế Dũng dự hội nghị. " +
		"Phát biểu tại hội nghị, Phó Bí thư Thường trực Tỉnh ủy đề nghị các địa phương tiếp tục thực hiện. " +
		"Đồng chí cũng yêu cầu tăng cường đối thoại. Ông Dũng nhấn mạnh vai trò của cơ sở. " +
		"Các đồng chí lãnh đạo tỉnh trao bằng khen; bà con phấn khởi."
	an := analyzeBody(text, "Hà Tĩnh")
	if len(an.People) != 1 {
		t.Fatalf("got %d people, want 1: %v", len(an.People), roleLines(an))
	}
	p := an.People[0]
	var got []string
	for _, sp := range p.Spans {
		got = append(got, text[sp[0]:sp[1]])
	}
	want := []string{"Trần Thế Dũng", "Phó Bí thư Thường trực Tỉnh ủy", "Đồng chí", "Dũng"}
	if !slices.Equal(got, want) || p.Mentions != len(want) {
		t.Errorf("mentions = %d %q, want %q", p.Mentions, got, want)
	}
	if len(p.Roles) != 1 || len(p.Roles[0].Spans) != 2 {
		t.Errorf("roles = %+v, want one role with two pieces of evidence", p.Roles)
	}
}

func TestTitleOnlyReferenceChoosesHomeProvince(t *testing.T) {
	text := "Trưởng ban Dân vận Tỉnh ủy Hà Tĩnh Trương Thanh Huyền, Trưởng ban Dân vận Tỉnh ủy Sơn La Lưu Minh Quân " +
		"chủ trì. Trưởng ban Dân vận Tỉnh ủy nhấn mạnh yêu cầu phối hợp."
	an := analyzeBody(text, "Hà Tĩnh")
	for _, p := range an.People {
		want := 1
		if p.Name == "Trương Thanh Huyền" {
			want = 2
		}
		if p.Mentions != want {
			t.Errorf("%s: %d mentions, want %d", p.Name, p.Mentions, want)
		}
	}
}

func TestEvidenceSpans(t *testing.T) {
	text := "Phó Chủ tịch UBND tỉnh\u00a0Nguyễn Thành Công dự."
	an := analyzeBody(text, "Sơn La")
	if len(an.People) != 1 {
		t.Fatalf("people = %v", roleLines(an))
	}
	p := an.People[0]
	if got := text[p.Spans[0][0]:p.Spans[0][1]]; got != "Nguyễn Thành Công" {
		t.Errorf("name span covers %q", got)
	}
	r := p.Roles[0]
	if got := text[r.Spans[0][0]:r.Spans[0][1]]; got != "Phó Chủ tịch UBND tỉnh\u00a0Nguyễn Thành Công" {
		t.Errorf("role span covers %q", got)
	}
	if r.Organization != "Ủy ban nhân dân tỉnh" || r.Level != "tỉnh" || r.Place != "Sơn La" || r.PlaceFrom != "paper" {
		t.Errorf("role = %+v", r)
	}
}
