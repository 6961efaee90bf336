package ui

import (
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"parc/internal/record"
	"parc/internal/search"
)

// The search page behind the header's box: tickets, follow-ups and articles
// through the full-text search (ranked, stemmed, accents ignored), assets by
// name, serial, inventory number, addresses and user through their lists. Every
// part reads within the caller's rights.

// SearchPage is /search.
type SearchPage struct {
	Base
	Q      string
	Error  string
	Groups []SearchGroup
	// Kind is the one kind shown in full (pages of results), "" for the overview.
	Kind     string
	AllHref  string // back to the overview from one kind
	PrevHref string
	NextHref string
	Capped   string // said when the last page of a kind is reached before the end
	Count    string // one kind: how many results ("12 results", "more than 1,000 results")
	Empty    bool
}

// SearchGroup is the results of one kind.
type SearchGroup struct {
	ID, Title string
	Hits      []SearchHit
	More      []Link // the lists holding more
	MoreHref  string
	MoreLabel string
}

// SearchHit is one result: a link, its kind's note, and an excerpt with the
// matching words marked (HTML escaped by the search package).
type SearchHit struct {
	Href    string
	Title   template.HTML
	Note    string
	Excerpt template.HTML
}

// searchPageSize is the results shown per kind on the overview and per page of
// one kind.
const (
	searchOverview = 5
	searchPageSize = 10
)

// searchAssets are the asset lists searched by free text.
var searchAssets = []string{"computers", "monitors", "network-equipment", "printers", "phones", "peripherals"}

func (u *UI) searchPage(c *req) error {
	v := c.R.URL.Query()
	p := &SearchPage{Base: u.base(c, c.T("ui.search.title"), "/search"), Q: strings.TrimSpace(v.Get("q"))}
	p.SearchQ = p.Q
	if p.Q == "" {
		return u.renderPage(c, 200, "search", p)
	}
	p.Title = c.T("ui.search.title_q", p.Q)
	kind := v.Get("kind")
	if _, ok := u.searchKinds(c)[kind]; !ok {
		kind = ""
	}
	p.Kind = kind
	page, _ := strconv.Atoi(v.Get("page"))
	if page < 1 || kind == "" {
		page = 1
	}
	if kind != "" {
		p.AllHref = withQuery("/search", url.Values{"q": {p.Q}})
	}
	// The asset lists and the full-text search are independent reads: asked at
	// once, the page waits for the longer of the two, not for their sum.
	var assets *SearchGroup
	var assetsErr error
	done := make(chan struct{})
	if kind == "" || kind == "assets" {
		go func() {
			defer close(done)
			assets, assetsErr = u.searchAssetLists(c, p.Q, kind)
		}()
	} else {
		close(done)
	}
	err := u.searchText(c, p, kind, page)
	<-done
	if err != nil {
		return err
	}
	if assetsErr != nil {
		return assetsErr
	}
	if assets != nil {
		p.Groups = append(p.Groups, *assets)
	}
	p.Empty = len(p.Groups) == 0 && p.Error == ""
	return u.renderPage(c, 200, "search", p)
}

// searchKinds are the kinds the actor may search, with their titles.
func (u *UI) searchKinds(c *req) map[string]string {
	out := map[string]string{"assets": c.T("ui.search.assets")}
	for _, k := range search.Kinds {
		if t, ok := u.App.Reg.Type(k); ok && c.Actor.Can(t, record.Read) {
			out[k] = c.T(typeKey(t, true))
		}
	}
	return out
}

// searchText fills the full-text groups: searchOverview hits each on the
// overview, else one kind's page (the search ranks at most search.MaxLimit).
func (u *UI) searchText(c *req, p *SearchPage, kind string, page int) error {
	kinds := search.Kinds
	if kind == "assets" {
		return nil
	}
	if kind != "" {
		kinds = []string{kind}
	}
	titles := u.searchKinds(c)
	var asked []string
	for _, k := range kinds {
		if _, ok := titles[k]; ok {
			asked = append(asked, k)
		}
	}
	if len(asked) == 0 {
		return nil
	}
	// The overview asks for the first few of every kind in one search: one pass
	// over the matches, not one per kind.
	sp := search.Params{Q: p.Q, Types: asked, Limit: searchOverview + 1, PerKind: true}
	if kind != "" {
		sp = search.Params{Q: p.Q, Types: asked, Limit: min(page*searchPageSize+1, search.MaxLimit)}
	}
	res, err := u.Search.Find(c.R.Context(), c.Actor, sp)
	if e, ok := record.AsError(err); ok && e.Code == record.CodeInvalid {
		p.Error = c.T(e.Msg.Key, e.Msg.Args...)
		for _, m := range e.Fields {
			p.Error = c.T(m.Key, m.Args...)
		}
		return nil
	}
	if err != nil {
		return err
	}
	if t, ok := u.App.Reg.Type(kind); ok && res.Count > 0 {
		// As far as the search knows, and only what the caller may read: "more
		// than N" when a common word's matches were not all ranked or checked.
		p.Count = countText(c, t, int64(res.Count), res.CountCapped)
	}
	// A number is first a ticket's: "4521" (or "#4521") opens with ticket n° 4521
	// when the caller may read it, by its primary key.
	var direct *search.Hit
	if kind == "" && slices.Contains(asked, "tickets") {
		direct = u.ticketByNumber(c, p.Q)
	}
	for _, k := range asked {
		var hits []search.Hit
		if k == "tickets" && direct != nil {
			hits = append(hits, *direct)
		}
		for _, h := range res.Hits {
			if h.Type == k && (direct == nil || h.Type != "tickets" || h.ID != direct.ID) {
				hits = append(hits, h)
			}
		}
		g := SearchGroup{ID: "search-" + k, Title: titles[k]}
		if kind == "" {
			if len(hits) > searchOverview {
				hits = hits[:searchOverview]
				g.MoreHref = withQuery("/search", url.Values{"q": {p.Q}, "kind": {k}})
				g.MoreLabel = c.T("ui.search.more", lowerFirst(titles[k]))
			}
		} else {
			from := (page - 1) * searchPageSize
			if from >= len(hits) && page > 1 {
				from = max(0, (len(hits)-1)/searchPageSize*searchPageSize)
			}
			if page > 1 {
				p.PrevHref = withQuery("/search", url.Values{"q": {p.Q}, "kind": {k}, "page": {strconv.Itoa(page - 1)}})
			}
			more := len(hits) > page*searchPageSize || res.Partial
			hits = hits[from:min(len(hits), from+searchPageSize)]
			if more && page*searchPageSize < search.MaxLimit {
				p.NextHref = withQuery("/search", url.Values{"q": {p.Q}, "kind": {k}, "page": {strconv.Itoa(page + 1)}})
			} else if more {
				p.Capped = c.T("ui.search.capped", search.MaxLimit)
			}
		}
		for _, h := range hits {
			g.Hits = append(g.Hits, searchHit(c, h))
		}
		if len(g.Hits) > 0 {
			p.Groups = append(p.Groups, g)
		}
	}
	return nil
}

// ticketByNumber is the ticket whose number the query is, if the caller reads
// it (not trashed); nil otherwise, whether it exists or not.
func (u *UI) ticketByNumber(c *req, q string) *search.Hit {
	q = strings.TrimPrefix(q, "#")
	if q == "" || len(q) > 12 || strings.TrimLeft(q, "0123456789") != "" {
		return nil
	}
	id, err := strconv.ParseInt(q, 10, 64)
	if err != nil || id <= 0 {
		return nil
	}
	t, ok := u.App.Reg.Type("tickets")
	if !ok {
		return nil
	}
	r, err := u.App.Records.Get(c.R.Context(), c.Actor, t, id)
	if err != nil || r.DeletedAt != nil {
		return nil
	}
	title := r.String("title")
	return &search.Hit{Type: "tickets", ID: id, TicketID: id, OrgID: r.OrgID, Title: title, TitleHTML: template.HTMLEscapeString(title),
		URL: "/tickets/" + strconv.FormatInt(id, 10)}
}

func searchHit(c *req, h search.Hit) SearchHit {
	out := SearchHit{Href: h.URL, Title: template.HTML(h.TitleHTML), Excerpt: template.HTML(h.Excerpt)}
	switch h.Type {
	case "tickets":
		out.Note = c.T("ui.search.ticket_no", h.ID)
	case "ticket-followups":
		out.Note = c.T("ui.search.followup_of", h.TicketID)
		out.Href += "#followup-" + strconv.FormatInt(h.ID, 10)
	}
	return out
}

// searchAssetLists fills one group per asset list that has matches (by the
// list's own free text: name, serial, inventory number, addresses, last user),
// and the assets of the users whose name matches.
func (u *UI) searchAssetLists(c *req, q, kind string) (*SearchGroup, error) {
	ctx := c.R.Context()
	limit := searchOverview
	if kind != "" {
		limit = searchPageSize
	}
	g := SearchGroup{ID: "search-assets", Title: c.T("ui.search.assets")}
	var more []Link
	for _, name := range searchAssets {
		t, ok := u.App.Reg.Type(name)
		if !ok || !c.Actor.Can(t, record.Read) {
			continue
		}
		page, err := u.App.Records.List(ctx, c.Actor, t, record.ListQuery{Q: q, Limit: limit, Count: true})
		if err != nil {
			return nil, err
		}
		for _, r := range page.Records {
			g.Hits = append(g.Hits, u.assetHit(c, t, r))
		}
		if page.Total > int64(len(page.Records)) || page.TotalCapped {
			more = append(more, Link{Label: c.T("ui.search.see_list", countText(c, t, page.Total, page.TotalCapped)), Href: withQuery("/"+t.Name, url.Values{"q": {q}})})
		}
	}
	// Assets by their user's name: "Julien Moreau" finds his computers.
	users, ok := u.App.Reg.Type("users")
	if ok && c.Actor.Can(users, record.Read) {
		found, err := u.App.Records.List(ctx, c.Actor, users, record.ListQuery{Q: q, Limit: 3})
		if err != nil {
			return nil, err
		}
		for _, usr := range found.Records {
			for _, name := range searchAssets {
				t, ok := u.App.Reg.Type(name)
				if !ok || !c.Actor.Can(t, record.Read) || !t.HasField("user_id") {
					continue
				}
				f := record.Filter{Field: "user_id", Op: record.OpEq, Value: strconv.FormatInt(usr.ID, 10)}
				page, err := u.App.Records.List(ctx, c.Actor, t, record.ListQuery{Filters: []record.Filter{f}, Limit: 1, Count: true})
				if err != nil {
					return nil, err
				}
				if page.Total > 0 {
					more = append(more, Link{Label: c.T("ui.search.user_assets", countText(c, t, page.Total, page.TotalCapped), usr.Label()),
						Href: withQuery("/"+t.Name, url.Values{"filter": {"user_id:eq:" + strconv.FormatInt(usr.ID, 10)}})})
				}
			}
		}
	}
	if len(g.Hits) == 0 && len(more) == 0 {
		return nil, nil
	}
	g.More = more
	return &g, nil
}

// assetHit is an asset as a result: its name, kind, and the identifiers that
// tell it apart.
func (u *UI) assetHit(c *req, t *record.Type, r *record.Record) SearchHit {
	h := SearchHit{Href: "/" + t.Name + "/" + strconv.FormatInt(r.ID, 10), Title: template.HTML(template.HTMLEscapeString(r.Label())), Note: c.T(typeKey(t, false))}
	var parts []string
	for _, f := range []string{"inventory_number", "serial", "primary_ip", "ip_address", "last_user"} {
		if !t.HasField(f) {
			continue
		}
		if s := r.String(f); s != "" {
			parts = append(parts, u.fieldLabel(c, t, f)+c.T("ui.colon")+" "+s)
		}
	}
	if s := r.Display["user_id"]; s != "" {
		parts = append(parts, u.fieldLabel(c, t, "user_id")+c.T("ui.colon")+" "+s)
	}
	h.Excerpt = template.HTML(template.HTMLEscapeString(strings.Join(parts, " · ")))
	return h
}
