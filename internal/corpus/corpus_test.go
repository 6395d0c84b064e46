package corpus

import (
	"fmt"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	t.Setenv("BAOTINH_CORPUS_DIR", t.TempDir())
	items, err := Load(20)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 20 {
		t.Fatalf("Load(20) gave %d items", len(items))
	}
	ids, sites := map[string]bool{}, map[string]int{}
	roles := 0
	for _, it := range items {
		a, an := it.Article, it.Analysis
		id := a.Site + ":" + a.SiteID
		if a.Site == "" || a.SiteID == "" || ids[id] {
			t.Errorf("id %q is empty or repeated", id)
		}
		ids[id] = true
		sites[a.Site]++
		if a.Published.IsZero() || a.Title() == "" || len(a.Blocks) < 3 || !strings.HasPrefix(a.URL, "https://") {
			t.Errorf("%s: published %v, title %q, %d blocks, url %q", id, a.Published, a.Title(), len(a.Blocks), a.URL)
		}
		if an == nil || len(an.People) == 0 {
			t.Errorf("%s: analysis names nobody", id)
			continue
		}
		for _, p := range an.People {
			roles += len(p.Roles)
		}
	}
	if sites["baohatinh"] != 10 || sites["baosonla"] != 10 {
		t.Errorf("sites: %v, want 10 of each", sites)
	}
	if roles == 0 {
		t.Error("no roles in 20 articles")
	}

	// The second Load reads the cache and gives the same corpus.
	again, err := Load(20)
	if err != nil {
		t.Fatal(err)
	}
	for i := range items {
		if items[i].Article.Text != again[i].Article.Text || fmt.Sprint(items[i].Analysis.People) != fmt.Sprint(again[i].Analysis.People) {
			t.Fatalf("item %d differs when read from the cache", i)
		}
	}
}

func TestSonlaText(t *testing.T) {
	a := Article(1)
	if a.Site != "baosonla" || a.Province != "Sơn La" || strings.Contains(a.Text, "(Baohatinh.vn)") {
		t.Errorf("article 1: site %q, province %q, text %.80q", a.Site, a.Province, a.Text)
	}
}
