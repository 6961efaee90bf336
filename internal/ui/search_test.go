package ui_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"parc/internal/record"
	"parc/internal/storetest"
)

// The search page pages one kind's results, groups them by kind, and shows only
// what the technician may read; requesters are sent to their portal.
func TestSearchPagePagesAndScopes(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		ctx := context.Background()
		orgA, orgB := e.org("Client A"), e.org("Client B")
		if _, err := e.app.Auth.CreateUser(ctx, e.sys, "tech-a", "tech-password-1", "technician", orgA); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Auth.CreateUser(ctx, e.sys, "req-a", "req-password-1", "self-service", orgA); err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 13; i++ {
			e.create("tickets", record.Input{"title": fmt.Sprintf("Imprimante en panne n°%02d", i), "organization_id": orgA})
		}
		secret := e.create("tickets", record.Input{"title": "Imprimante secrète de B", "organization_id": orgB})
		// A number is first a ticket's: a ticket of A whose number no text holds.
		numbered := e.create("tickets", record.Input{"title": "Clavier cassé", "organization_id": orgA})
		e.create("computers", record.Input{"name": "PC-IMPRIMANTE", "organization_id": orgA})
		e.create("computers", record.Input{"name": "PC-IMPRIMANTE-B", "organization_id": orgB})
		b := e.browser("fr")
		b.login("tech-a", "tech-password-1")
		count := func(p *page) int { return strings.Count(p.Body, `class="hit-title"`) }

		// The overview: five tickets and a link to the rest; the asset; nothing of B.
		p := b.get("/search?q=imprimante").must(t, 200, `id="search-tickets"`, `id="search-assets"`, "PC-IMPRIMANTE", `value="imprimante"`).
			lacks(t, "secrète", "PC-IMPRIMANTE-B")
		if n := count(p); n != 6 {
			t.Errorf("overview: %d hits, want 5 tickets and 1 computer", n)
		}
		more := "/search?" + url.Values{"kind": {"tickets"}, "q": {"imprimante"}}.Encode()
		p.must(t, 200, `href="`+esc(more)+`"`)

		// Tickets only, ten a page: 13 make two pages, each ticket once.
		// It says how many: only tech-a's 13, never B's.
		p1 := b.get(more).must(t, 200, `rel="next"`, `id="search-count"`, "13 tickets").lacks(t, `rel="prev"`, "PC-IMPRIMANTE", "14 tickets")
		p2 := b.get(more+"&page=2").must(t, 200, `rel="prev"`).lacks(t, `rel="next"`, "secrète")
		if count(p1) != 10 || count(p2) != 3 {
			t.Errorf("pages of %d and %d hits, want 10 and 3", count(p1), count(p2))
		}
		for i := 1; i <= 13; i++ {
			n := fmt.Sprintf("n°%02d", i)
			if strings.Contains(p1.Body, n) == strings.Contains(p2.Body, n) {
				t.Errorf("ticket %s on both pages or on none", n)
			}
		}

		// A ticket's number finds it first, by its number alone ("#" or not); B's
		// number finds nothing of B.
		for _, q := range []string{fmt.Sprint(numbered), fmt.Sprintf("#%d", numbered)} {
			b.get("/search?"+url.Values{"q": {q}}.Encode()).must(t, 200, `id="search-tickets"`, "Clavier cassé", fmt.Sprintf(`href="/tickets/%d"`, numbered))
		}
		b.get(fmt.Sprintf("/search?q=%d", secret)).must(t, 200).lacks(t, "secrète", fmt.Sprintf(`href="/tickets/%d"`, secret))

		// A refused query says why; a requester has no such page.
		b.get("/search?q="+strings.Repeat("x", 201)).must(t, 200, `role="alert"`)
		r := e.browser("fr")
		r.login("req-a", "req-password-1")
		if p := r.get("/search?q=imprimante"); p.Status != 303 || p.Header.Get("Location") != "/portal" {
			t.Errorf("requester: %d %s", p.Status, p.Header.Get("Location"))
		}
	})
}
