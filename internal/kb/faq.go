package kb

import (
	"context"
	"sort"
	"strings"

	"parc/internal/record"
)

// FAQSection is one category of the requesters' FAQ and its articles, by title.
type FAQSection struct {
	Category string // "" for articles without a category
	Articles []FAQEntry
}

// FAQEntry is an article of the FAQ.
type FAQEntry struct {
	ID    int64
	Title string
}

// FAQ lists the articles published for requesters (public and published) that
// the actor's audience includes, grouped by category; categories by name, those
// without one last.
func (s *Service) FAQ(ctx context.Context, a *record.Actor) ([]FAQSection, error) {
	q := record.ListQuery{Limit: record.MaxLimit, Sort: "title", Filters: []record.Filter{
		{Field: "published", Op: record.OpEq, Value: "true"},
		{Field: "visibility", Op: record.OpEq, Value: Public}}}
	byCat := map[string]*FAQSection{}
	for {
		page, err := s.Rec.List(ctx, a, s.articles(), q)
		if err != nil {
			return nil, err
		}
		for _, r := range page.Records {
			name := ""
			if r.Int("category_id") != 0 {
				name = r.Display["category_id"]
			}
			sec := byCat[name]
			if sec == nil {
				sec = &FAQSection{Category: name}
				byCat[name] = sec
			}
			sec.Articles = append(sec.Articles, FAQEntry{ID: r.ID, Title: r.String("title")})
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	out := make([]FAQSection, 0, len(byCat))
	for _, sec := range byCat {
		out = append(out, *sec)
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i].Category == "") != (out[j].Category == "") {
			return out[j].Category == ""
		}
		return strings.ToLower(out[i].Category) < strings.ToLower(out[j].Category)
	})
	return out, nil
}
