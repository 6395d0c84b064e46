package extract

import (
	"regexp"
	"strings"
)

// documentKinds are the kinds of official documents, by the words that name
// them before their number.
var documentKinds = map[string]string{
	"nghị quyết": "Nghị quyết", "nghị quyết liên tịch": "Nghị quyết liên tịch", "chỉ thị": "Chỉ thị",
	"kết luận": "Kết luận", "quyết định": "Quyết định", "kế hoạch": "Kế hoạch", "công văn": "Công văn",
	"thông báo": "Thông báo", "luật": "Luật", "bộ luật": "Bộ luật", "nghị định": "Nghị định",
	"thông tư": "Thông tư", "thông tư liên tịch": "Thông tư liên tịch", "hướng dẫn": "Hướng dẫn",
	"quy định": "Quy định", "quy chế": "Quy chế", "chương trình": "Chương trình", "đề án": "Đề án",
	"tờ trình": "Tờ trình", "báo cáo": "Báo cáo", "cáo trạng": "Cáo trạng", "công điện": "Công điện",
	"pháp lệnh": "Pháp lệnh", "chỉ thị liên tịch": "Chỉ thị liên tịch", "văn bản": "Văn bản",
	"kế hoạch liên tịch": "Kế hoạch liên tịch", "bản án": "Bản án", "thông tri": "Thông tri",
	"lệnh": "Lệnh", "quy định liên tịch": "Quy định liên tịch",
}

// documentCodes names a document's kind from the code in its number
// (02-NQ/TU is a Nghị quyết) when no word does.
var documentCodes = map[string]string{
	"NQ": "Nghị quyết", "CT": "Chỉ thị", "KL": "Kết luận", "QĐ": "Quyết định", "KH": "Kế hoạch",
	"CV": "Công văn", "TB": "Thông báo", "NĐ": "Nghị định", "TT": "Thông tư", "HD": "Hướng dẫn",
	"QĐi": "Quy định", "TTr": "Tờ trình", "BC": "Báo cáo", "CĐ": "Công điện", "TTLT": "Thông tư liên tịch",
	"NQLT": "Nghị quyết liên tịch", "QH": "Luật", "CTr": "Chương trình", "ĐA": "Đề án", "QC": "Quy chế",
}

// documentNumber matches a document's number: 02-NQ/TU, 1234/QĐ-UBND,
// 168/2024/NĐ-CP, 30/2023/QH15, 13/2016/TTLT-BYT-BGDĐT.
var documentNumber = regexp.MustCompile(`^\d{1,5}(?:/\d{4})?[/-](?:[A-ZĐ][A-Za-zĐđ&]*\d*)(?:[/-][A-Za-zĐđ0-9&.]+)*$`)

// scanDocuments finds references to official documents: Nghị quyết số
// 02-NQ/TU, Quyết định 1234/QĐ-UBND.
func (an *analyzer) scanDocuments(s *sentence) {
	for k := 0; k < len(s.vt); k++ {
		t := s.tokAt(k)
		if t == nil || t.kind != tokNumber || !t.letter || s.usedWord(k) {
			continue
		}
		number := s.text(k, k+1)
		if !documentNumber.MatchString(number) {
			continue
		}
		start, kind := k, ""
		// The kind before it: Nghị quyết (số), Thông tư liên tịch số.
		j := k
		if s.is(j-1, "số") {
			j--
		}
		for n := 4; n >= 1; n-- {
			if j-n >= 0 {
				if kd, ok := documentKinds[s.key(j-n, j)]; ok {
					kind, start = kd, j-n
					break
				}
			}
		}
		if kind == "" {
			kind = kindFromCode(number)
		}
		if kind == "" {
			continue
		}
		an.addDocument(Document{
			Text:   s.sourceText(start, k+1),
			Kind:   kind,
			Number: number,
			Spans:  []Span{s.b.source(s.span(start, k+1))},
		})
		s.markUsed(start, k+1)
	}
}

// kindFromCode reads a document's kind from the letters of its number.
func kindFromCode(number string) string {
	for _, part := range strings.FieldsFunc(number, func(r rune) bool { return r == '/' || r == '-' }) {
		code := strings.TrimRight(part, "0123456789")
		if kd, ok := documentCodes[code]; ok {
			return kd
		}
	}
	return ""
}

// addDocument records a document, once per number.
func (an *analyzer) addDocument(d Document) {
	for i := range an.documents {
		if an.documents[i].Number == d.Number {
			an.documents[i].Spans = append(an.documents[i].Spans, d.Spans...)
			return
		}
	}
	an.documents = append(an.documents, d)
}
