package index

import (
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2/document"

	"github.com/baotinh/baotinh/extract"
)

// articleDoc makes the search document of an article.
func (ix *Index) articleDoc(a *Article) *document.Document {
	d := document.NewDocument(a.ID)
	b := ix.docs
	b.text(d, "title", a.Title)
	lead, _ := a.blockTexts(extract.BlockLead)
	b.list(d, "lead", lead)
	body, _ := a.blockTexts(extract.BlockParagraph)
	b.list(d, "body", body)
	captions, _ := a.blockTexts(extract.BlockCaption)
	b.list(d, "captions", captions)
	b.text(d, "site", a.Site)
	b.text(d, "category", a.Category)
	b.text(d, "tags", a.Tags...)
	b.text(d, "authors", a.Authors...)
	b.text(d, "url", a.URL)
	if t := a.PublishedTime(); !t.IsZero() {
		b.time(d, "published", t)
		y, w := t.ISOWeek()
		b.text(d, "year", t.Format("2006"))
		b.text(d, "month", t.Format("2006-01"))
		b.text(d, "week", strconv.Itoa(y)+"-W"+twoDigits(w))
		b.text(d, "day", t.Format(time.DateOnly))
	}
	if an := a.Analysis; an != nil {
		var people, titles, orgs, places, terms []string
		for _, p := range an.People {
			people = append(people, p.Name)
			for _, r := range p.Roles {
				titles = append(titles, r.Title)
				orgs = append(orgs, string(r.Organization))
			}
			for _, af := range p.Affiliations {
				orgs = append(orgs, af.Organization)
			}
		}
		for _, p := range an.Places {
			places = append(places, p.Name)
		}
		for _, t := range an.Terms {
			terms = append(terms, t.Text)
		}
		people, titles, orgs = sortedUnique(people), sortedUnique(titles), sortedUnique(orgs)
		b.text(d, "people", people...)
		b.text(d, "titles", titles...)
		b.text(d, "organizations", orgs...)
		b.text(d, "places", sortedUnique(places)...)
		b.text(d, "terms", sortedUnique(terms)...)
		b.text(d, "person", people...)
		b.text(d, "official", titles...)
	}
	return d
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
