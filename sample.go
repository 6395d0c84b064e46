// Package baotinh embeds the sample that `baotinh demo` crawls: the fixture
// mirrors of Báo Hà Tĩnh and Báo Sơn La in testdata/sites (48 article pages
// in the papers' real templates, with their home, category, tag and numbered
// listing pages, sitemaps, RSS feeds and robots.txt), generated from the
// seed articles by internal/sitegen. The rest of baotinh is in cmd/baotinh,
// crawler, extract, index and server.
package baotinh

import (
	"embed"
	"fmt"
	"io/fs"
)

//go:embed testdata/sites/baohatinh testdata/sites/baosonla
var sample embed.FS

// SampleSites are the sites of the sample, by profile name.
var SampleSites = []string{"baohatinh", "baosonla"}

// Sample returns the embedded mirror of one site of the sample, its files
// named by URL path as sitegen.FileFor names them.
func Sample(site string) (fs.FS, error) {
	sub, err := fs.Sub(sample, "testdata/sites/"+site)
	if err != nil {
		return nil, fmt.Errorf("baotinh: sample of %q: %w", site, err)
	}
	if _, err := fs.Stat(sub, "index.html"); err != nil {
		return nil, fmt.Errorf("baotinh: no sample of %q", site)
	}
	return sub, nil
}
