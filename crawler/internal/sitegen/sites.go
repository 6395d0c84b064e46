package sitegen

func newSite(name string) *Site {
	return &Site{Name: name, Routes: map[string][]string{}, AltURLs: map[string][]string{}, Files: Tree{}}
}

// pageFor chooses the boxes of other articles shown on a's page: the newest
// articles of the site (Tin mới), others of its category (Đọc thêm) and older
// ones of its category (the related box).
func pageFor(s *Site, a *Article) *Page {
	p := &Page{Comments: int(hash64("c", a.ID) % 4)}
	for _, o := range s.Articles {
		if o != a && len(p.Latest) < 5 {
			p.Latest = append(p.Latest, o)
		}
	}
	for _, o := range s.Articles {
		if o != a && o.Category == a.Category && len(p.ReadMore) < 3 && !inList(p.Latest, o) {
			p.ReadMore = append(p.ReadMore, o)
		}
	}
	for _, o := range s.Articles {
		if o != a && o.Published.Before(a.Published) && len(p.Related) < 2 && !inList(p.ReadMore, o) {
			p.Related = append(p.Related, o)
		}
	}
	return p
}

func inList(l []*Article, a *Article) bool {
	for _, x := range l {
		if x == a {
			return true
		}
	}
	return false
}

func buildHatinh(seeds []*Seed) *Site {
	s := newSite(SiteHatinh)
	for _, sd := range seeds {
		a := newArticle(SiteHatinh, sd)
		a.Template = TemplateHatinhCurrent
		if sd.Num == "003" {
			a.Template = TemplateHatinhLegacy
		}
		s.Articles = append(s.Articles, a)
	}
	sortNewest(s.Articles)
	for _, a := range s.Articles {
		if a.Seed[:3] == "000" || a.Seed[:3] == "003" {
			s.Files[a.File()] = Render(a, pageFor(s, a))
		}
	}
	return s
}

func buildSonla(seeds []*Seed) *Site {
	s := newSite(SiteSonla)
	for _, sd := range seeds {
		a := newArticle(SiteSonla, sd)
		a.Template = TemplateSonla
		s.Articles = append(s.Articles, a)
	}
	sortNewest(s.Articles)
	for _, a := range s.Articles {
		if a.Seed[:3] == "004" {
			s.Files[a.File()] = Render(a, pageFor(s, a))
		}
	}
	return s
}

func buildGeneric(seeds []*Seed) *Site {
	s := newSite(SiteGeneric)
	for _, sd := range seeds {
		s.Articles = append(s.Articles, newArticle(SiteGeneric, sd))
	}
	sortNewest(s.Articles)
	s.Files[s.Articles[0].File()] = Render(s.Articles[0], pageFor(s, s.Articles[0]))
	return s
}

const readme = "# Fixture sites\n\nRegenerate with `go run ./crawler/internal/sitegen/cmd/gensites`.\n"
