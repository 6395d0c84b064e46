package extract_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baotinh/baotinh/extract"
)

// BenchmarkExtract measures ParseText + Analyze per core over the three real
// seed pages. Bar: ≥ 10 MB/s.
func BenchmarkExtract(b *testing.B) { benchmarkFiles(b, "../testdata/seeds/00*.txt") }

// BenchmarkExtractGold does the same over every gold article, which have far
// more decomposed (NFD) and old-tone text than real pages.
func BenchmarkExtractGold(b *testing.B) { benchmarkFiles(b, "../testdata/seeds/*.txt") }

func benchmarkFiles(b *testing.B, pattern string) {
	files, _ := filepath.Glob(pattern)
	if len(files) == 0 {
		b.Fatal("no seeds")
	}
	var texts []string
	total := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, string(data))
		total += len(data)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range texts {
			a := extract.ParseText(t)
			a.Province = "Hà Tĩnh"
			extract.Analyze(a)
		}
	}
}

// BenchmarkExtractLongLine feeds one line of about 10 MB (seed text with its
// line breaks removed, repeated): the work must stay linear and the memory
// bounded. Compare its MB/s with BenchmarkExtract's.
func BenchmarkExtractLongLine(b *testing.B) {
	data, err := os.ReadFile("../testdata/seeds/003_2500473cc3374f31.txt")
	if err != nil {
		b.Fatal(err)
	}
	one := strings.ReplaceAll(string(data), "\n", " ")
	text := strings.Repeat(one+" ", 10<<20/len(one)+1)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		extract.Analyze(extract.ParseText(text))
	}
}
