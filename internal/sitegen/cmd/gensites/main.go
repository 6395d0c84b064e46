// Command gensites writes the crawler's fixture sites (testdata/sites) from
// the seed articles (testdata/seeds). Run it from the repository root:
//
//	go run ./internal/sitegen/cmd/gensites [-seeds testdata/seeds] [-out testdata/sites] [-corpus internal/sitegen/corpus.txt]
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/baotinh/baotinh/internal/sitegen"
)

func main() {
	seeds := flag.String("seeds", "testdata/seeds", "directory of seed dumps")
	out := flag.String("out", "testdata/sites", "directory to write the fixture tree to")
	corpus := flag.String("corpus", sitegen.CorpusFile, "file to write the sentence corpus of Synthetic to")
	flag.Parse()
	if err := sitegen.Build(*seeds, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gensites:", err)
		os.Exit(1)
	}
	ss, err := sitegen.LoadSeeds(*seeds)
	if err == nil {
		err = os.WriteFile(*corpus, sitegen.Corpus(ss), 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gensites:", err)
		os.Exit(1)
	}
}
