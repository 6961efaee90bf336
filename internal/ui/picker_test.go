package ui_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"parc/internal/record"
	"parc/internal/storetest"
)

// suggestions asks a picker's endpoint and returns the labels it offers, with
// their details.
func (b *browser) suggestions(t *testing.T, path string) []record.Suggestion {
	t.Helper()
	p := b.get(path)
	if p.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, p.Status, p.Body)
	}
	var out []record.Suggestion
	if err := json.Unmarshal([]byte(p.Body), &out); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, p.Body)
	}
	return out
}

func labels(s []record.Suggestion) string {
	var out []string
	for _, x := range s {
		out = append(out, x.Label+" ("+x.Detail+")")
	}
	return strings.Join(out, "; ")
}

// person creates a user with a profile on an organisation and gives them a name.
func (e *env) person(login, first, last, profile string, org int64) int64 {
	e.t.Helper()
	ctx := context.Background()
	u, err := e.app.Auth.CreateUser(ctx, e.sys, login, login+"-password-1", profile, org)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.app.Records.Update(ctx, e.sys, e.app.Reg.MustType("users"), u.ID, record.Input{"firstname": first, "lastname": last, "version": u.Version}); err != nil {
		e.t.Fatal(err)
	}
	return u.ID
}

func TestPickersOfferOnlyTheOrganisationsRecords(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		orgA, orgB := e.org("Client A"), e.org("Client B")
		subA := e.create("organizations", record.Input{"name": "Client A Lyon", "parent_id": orgA})
		e.org("refresh") // reloads the system actor's tree with the sub-organisation
		tech := e.person("tech-a", "Julien", "Moreau", "technician", orgA)
		marie := e.person("marie", "Marie", "Dupont", "self-service", orgA)
		e.person("bruno", "Bruno", "Dupont", "self-service", orgB)
		e.create("computers", record.Input{"name": "PC-A-0001", "serial": "SNA-77", "inventory_number": "INV-A-1", "organization_id": orgA, "user_id": marie})
		e.create("computers", record.Input{"name": "PC-A-0002", "organization_id": subA})
		e.create("computers", record.Input{"name": "PC-B-0001", "serial": "SNB-77", "organization_id": orgB})
		site := e.create("locations", record.Input{"name": "Nantes", "kind": "site", "organization_id": orgA})
		bldg := e.create("locations", record.Input{"name": "Bâtiment A", "kind": "building", "parent_id": site, "organization_id": orgA})
		room := e.create("locations", record.Input{"name": "Bureau 101", "parent_id": bldg, "organization_id": orgA})
		e.create("locations", record.Input{"name": "Bureau 101", "organization_id": orgB})

		b := e.browser("fr")
		if p := b.get("/ui/suggest/computers?q=PC"); p.Status != http.StatusUnauthorized {
			t.Fatalf("anonymous suggestions: %d", p.Status)
		}
		b.login("tech-a", "tech-a-password-1")
		A := "&org=" + itoa(orgA)

		// Assets by name, serial, inventory number or user; never another client's.
		got := labels(b.suggestions(t, "/ui/suggest/computers?q=PC"))
		if !strings.Contains(got, "PC-A-0001") || !strings.Contains(got, "PC-A-0002") || strings.Contains(got, "PC-B") {
			t.Fatalf("tech's computers: %s", got)
		}
		for _, q := range []string{"SNA-77", "INV-A-1", "Dupont", "pc-a-0001"} {
			got := b.suggestions(t, "/ui/suggest/computers?q="+url.QueryEscape(q)+A)
			if len(got) != 1 || got[0].Label != "PC-A-0001" || got[0].Detail != "INV-A-1 · SNA-77 · Marie Dupont" {
				t.Fatalf("%q: %s", q, labels(got))
			}
		}
		// Within Client A, a record of its sub-organisation may not be referenced.
		if got := labels(b.suggestions(t, "/ui/suggest/tickets/location_id?q=&org="+itoa(orgB))); got != "" {
			t.Fatalf("another organisation's locations offered: %s", got)
		}
		if got := labels(b.suggestions(t, "/ui/suggest/computers?q=PC"+A)); strings.Contains(got, "PC-A-0002") {
			t.Fatalf("sub-organisation's computer offered for Client A: %s", got)
		}
		if got := labels(b.suggestions(t, "/ui/suggest/computers?q=SNB"+"&org="+itoa(orgB))); got != "" {
			t.Fatalf("another organisation's computer offered: %s", got)
		}
		// Users by name; the assignee among technicians only.
		if got := labels(b.suggestions(t, "/ui/suggest/tickets/user_id?q=dupont")); !strings.HasPrefix(got, "Marie Dupont") || strings.Contains(got, "Bruno") {
			t.Fatalf("requesters: %s", got)
		}
		got = labels(b.suggestions(t, "/ui/suggest/tickets/assigned_user_id?q="+A))
		if !strings.HasPrefix(got, "Julien Moreau") || strings.Contains(got, "Marie") {
			t.Fatalf("assignees: %s", got)
		}
		// Locations with their path.
		if got := b.suggestions(t, "/ui/suggest/computers/location_id?q=bureau"+A); len(got) != 1 || got[0].Label != "Nantes › Bâtiment A › Bureau 101" || got[0].ID != room {
			t.Fatalf("locations: %s", labels(got))
		}
		// Catalogue records: shared ones, and an ancestor's only when visible in its
		// sub-organisations (what the save accepts).
		e.create("suppliers", record.Input{"name": "Fournisseur commun"})
		e.create("suppliers", record.Input{"name": "Fournisseur de A seul", "organization_id": orgA})
		e.create("suppliers", record.Input{"name": "Fournisseur de A et filiales", "organization_id": orgA, "recursive": true})
		e.create("suppliers", record.Input{"name": "Fournisseur de B", "organization_id": orgB, "recursive": true})
		got = labels(b.suggestions(t, "/ui/suggest/computers/supplier_id?q=Fournisseur&org="+itoa(subA)))
		if !strings.Contains(got, "Fournisseur commun") || !strings.Contains(got, "Fournisseur de A et filiales") ||
			strings.Contains(got, "A seul") || strings.Contains(got, "de B") {
			t.Fatalf("suppliers offered for Client A's sub-organisation: %s", got)
		}
		got = labels(b.suggestions(t, "/ui/suggest/computers/supplier_id?q=Fournisseur"+A))
		if !strings.Contains(got, "A seul") || strings.Contains(got, "de B") {
			t.Fatalf("suppliers offered for Client A: %s", got)
		}
		// A field that is not a reference, or a type the user may not write, answers no list.
		b.get("/ui/suggest/computers/name?q=PC").must(t, http.StatusNotFound)
		b.get("/ui/suggest/profiles/rights?q=a").must(t, http.StatusNotFound)
		b.get("/ui/suggest/organizations/parent_id?q=a").must(t, http.StatusForbidden)

		// A client's administrator sees his client's records only, whatever org he asks for.
		e.person("resp-b", "Paul", "Martin", "admin", orgB)
		r := e.browser("fr")
		r.login("resp-b", "resp-b-password-1")
		if got := labels(r.suggestions(t, "/ui/suggest/computers?q=77"+A)); got != "" {
			t.Fatalf("admin of B given A's computers: %s", got)
		}
		if got := labels(r.suggestions(t, "/ui/suggest/tickets/user_id?q=dupont")); !strings.HasPrefix(got, "Bruno Dupont") || strings.Contains(got, "Marie") {
			t.Fatalf("admin of B: %s", got)
		}

		// Without JavaScript the typed text is resolved on the server.
		tok := b.csrf()
		p := b.post("/computers/new", url.Values{"_csrf": {tok}, "name": {"PC-A-0009"}, "organization_id": {itoa(orgA)},
			"location_id": {""}, "location_id__text": {"Bureau 101"}, "location_id__was": {""},
			"user_id": {""}, "user_id__text": {"Marie"}, "user_id__was": {""}})
		b.follow(p).must(t, 200, "PC-A-0009", "Marie Dupont", `href="/locations/`+itoa(room)+`"`)
		// A text naming nobody in the organisation is refused on its field, kept as typed.
		p = b.post("/computers/new", url.Values{"_csrf": {tok}, "name": {"PC-A-0010"}, "organization_id": {itoa(orgA)},
			"user_id": {""}, "user_id__text": {"Bruno"}, "user_id__was": {""}})
		p.must(t, http.StatusUnprocessableEntity, esc(e.cat.T("fr", "ui.picker.no_match", "Bruno")), `value="Bruno"`)
		// The form shows the chosen record by name, never by id.
		b.get("/computers/new?user_id="+itoa(tech)).must(t, 200, `value="Julien Moreau"`, `data-suggest="/ui/suggest/computers/user_id"`)
	})
}
