package extract_test

import (
	"fmt"

	"github.com/baotinh/baotinh/extract"
)

// Read a page's text, then list the officials with their titles and the
// words each fact comes from.
func Example() {
	text := "Phó Bí thư Thường trực Tỉnh uỷ Trần Thế Dũng dự hội nghị.\n\n" +
		"Dự có các đồng chí: Lưu Minh Quân, Ủy viên BTV Tỉnh ủy Sơn La, Trưởng Ban Dân vận Tỉnh ủy; " +
		"Phan Xuân Khánh – Phó ban dân vận tỉnh ủy.\n\n" +
		"Phát biểu bế mạc, Phó Bí thư Thường trực Tỉnh ủy đề nghị các địa phương tiếp tục thực hiện tốt quy chế dân chủ.\n\n" +
		"Thu Hà"
	a := extract.ParseText(text)
	a.Site, a.Province = "baohatinh", extract.ProvinceOf("baohatinh")
	an := extract.Analyze(a)
	fmt.Println("authors:", an.Authors)
	for _, p := range an.People {
		fmt.Printf("%s (%d mentions)\n", p.Name, p.Mentions)
		for _, r := range p.Roles {
			ev := r.Spans[0]
			fmt.Printf("  %s | %s | from %q\n", r.Title, r.Place, text[ev[0]:ev[1]])
		}
	}
	// Output:
	// authors: [Thu Hà]
	// Trần Thế Dũng (2 mentions)
	//   Phó Bí thư Thường trực Tỉnh ủy | Hà Tĩnh | from "Phó Bí thư Thường trực Tỉnh uỷ Trần Thế Dũng"
	// Lưu Minh Quân (1 mentions)
	//   Ủy viên Ban Thường vụ Tỉnh ủy | Sơn La | from "Lưu Minh Quân, Ủy viên BTV Tỉnh ủy Sơn La"
	//   Trưởng ban Dân vận Tỉnh ủy | Sơn La | from "Lưu Minh Quân, Ủy viên BTV Tỉnh ủy Sơn La, Trưởng Ban Dân vận Tỉnh ủy"
	// Phan Xuân Khánh (1 mentions)
	//   Phó Trưởng ban Dân vận Tỉnh ủy | Hà Tĩnh | from "Phan Xuân Khánh – Phó ban dân vận tỉnh ủy"
}

func ExampleNormalize() {
	src := "Tỉnh uỷ\u00a0Hà Tĩnh – văn hoá"
	n := extract.Normalize(src)
	fmt.Println(n.String())
	// "Tỉnh ủy" is bytes [0, 10) of the normalized text: which bytes of the
	// source was it?
	sp := n.SourceSpan(extract.Span{0, 10})
	fmt.Printf("%q\n", src[sp[0]:sp[1]])
	// Output:
	// Tỉnh ủy Hà Tĩnh - văn hóa
	// "Tỉnh uỷ"
}

func ExampleSentences() {
	a := extract.ParseText("Ông Nguyễn Văn A, Chủ tịch UBND xã phát biểu. Xã đã làm 12 km đường.")
	for _, s := range extract.Sentences(a) {
		fmt.Println(a.Text[s[0]:s[1]])
	}
	// Output:
	// Ông Nguyễn Văn A, Chủ tịch UBND xã phát biểu.
	// Xã đã làm 12 km đường.
}
