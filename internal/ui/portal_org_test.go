package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"parc/internal/record"
	"parc/internal/storetest"
)

// TestPortalOrganisationAndCategories: a requester of a company (with its
// subsidiary) opens a ticket without ever seeing an organisation; it goes to her
// user's organisation, and she chooses among her company's categories and the
// provider's shared ones, not the provider's own. One who belongs to two
// companies picks one by name; without a choice the field says what is missing.
func TestPortalOrganisationAndCategories(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		ctx := context.Background()
		esn := e.org("ESN")
		client := e.create("organizations", record.Input{"name": "Boulangerie", "parent_id": esn})
		sub := e.create("organizations", record.Input{"name": "Traiteur", "parent_id": client})
		other := e.create("organizations", record.Input{"name": "Cabinet", "parent_id": esn})
		var err error
		if e.sys, err = e.app.System(ctx, record.OriginCLI); err != nil {
			t.Fatal(err)
		}
		shared := e.create("ticket-categories", record.Input{"name": "Réseau partagé", "organization_id": esn, "recursive": true})
		e.create("ticket-categories", record.Input{"name": "Interne ESN", "organization_id": esn})
		own := e.create("ticket-categories", record.Input{"name": "Caisse", "organization_id": client})
		e.create("ticket-categories", record.Input{"name": "Four du traiteur", "organization_id": sub})
		marie, err := e.app.Auth.CreateUser(ctx, e.sys, "marie", "marie-password-1", "self-service", client)
		if err != nil {
			t.Fatal(err)
		}

		// A requester lands on the portal's home straight from the sign-in form,
		// also when it was opened for another page.
		for _, next := range []string{"", "/computers"} {
			signIn := e.browser("fr").post("/login", url.Values{"login": {"marie"}, "password": {"marie-password-1"}, "next": {next}})
			if signIn.Status != http.StatusSeeOther || signIn.Header.Get("Location") != "/portal" {
				t.Fatalf("requester's sign-in (next %q): %d to %q", next, signIn.Status, signIn.Header.Get("Location"))
			}
		}
		if signIn := e.browser("fr").post("/login", url.Values{"login": {"admin"}, "password": {adminPassword}}); signIn.Header.Get("Location") != "/" {
			t.Fatalf("administrator's sign-in: to %q", signIn.Header.Get("Location"))
		}

		who := marie.ID
		b := e.browser("fr")
		b.login("marie", "marie-password-1")
		b.get("/portal/new?type=incident").must(t, http.StatusOK, "Réseau partagé", "Caisse").lacks(t, "Interne ESN", "Four du traiteur", `name="organization_id"`)
		send := func(form url.Values) *page {
			form.Set("_csrf", b.csrf())
			form.Set("type", "incident")
			form.Set("urgency", "3")
			if form.Get("title") == "" {
				form.Set("title", "Caisse bloquée")
			}
			return b.post("/portal/new", form)
		}
		ticketOrg := func(p *page) int64 {
			t.Helper()
			m := regexp.MustCompile(`^/portal/tickets/(\d+)\?done=ticket_created$`).FindStringSubmatch(p.Header.Get("Location"))
			if p.Status != http.StatusSeeOther || m == nil {
				t.Fatalf("sending: %d %s %s", p.Status, p.Header.Get("Location"), p.Body)
			}
			tk, err := e.app.Records.Get(ctx, e.sys, e.app.Reg.MustType("tickets"), mustID(t, m[1]))
			if err != nil {
				t.Fatal(err)
			}
			if tk.Int("user_id") != who {
				t.Errorf("requester %d, want %d", tk.Int("user_id"), who)
			}
			return tk.OrgID
		}
		if org := ticketOrg(send(url.Values{"category_id": {itoa(shared)}})); org != client {
			t.Errorf("ticket in organisation %d, want her company %d", org, client)
		}
		if org := ticketOrg(send(url.Values{"category_id": {itoa(own)}})); org != client {
			t.Errorf("ticket in organisation %d, want her company %d", org, client)
		}
		// A refused title is marked on its input, with its label's message.
		bad := send(url.Values{"title": {" "}})
		bad.must(t, http.StatusUnprocessableEntity, `id="p-title" name="title" value=" " required maxlength="250" autocomplete="off" aria-invalid="true" aria-describedby="p-title-err"`,
			`<p class="field-error" id="p-title-err">`+esc(e.cat.T("fr", "err.required")))

		// Someone who belongs to two companies, her own record at the provider's,
		// chooses by name; without a choice, the field says it is needed.
		paul, err := e.app.Auth.CreateUser(ctx, e.sys, "paul", "paul-password-1", "self-service", client)
		if err != nil {
			t.Fatal(err)
		}
		var prof int64
		if err := e.app.DB.QueryRowContext(ctx, "SELECT id FROM profiles WHERE name = 'self-service'").Scan(&prof); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Records.Update(ctx, e.sys, e.app.Reg.MustType("users"), paul.ID, record.Input{"organization_id": esn}); err != nil {
			t.Fatal(err)
		}
		e.create("authorizations", record.Input{"user_id": paul.ID, "profile_id": prof, "organization_id": other, "recursive": true})
		who = paul.ID
		b = e.browser("fr")
		b.login("paul", "paul-password-1")
		b.get("/portal/new?type=request").must(t, http.StatusOK, `<select id="p-org" name="organization_id" required>`,
			`>Boulangerie</option>`, `>Cabinet</option>`, esc(e.cat.T("fr", "portal.org_choose")))
		refused := send(url.Values{})
		refused.must(t, http.StatusUnprocessableEntity, `aria-invalid="true" aria-describedby="p-org-err"`,
			`<p class="field-error" id="p-org-err">`+esc(e.cat.T("fr", "err.required")), `value="Caisse bloquée"`)
		if org := ticketOrg(send(url.Values{"organization_id": {itoa(other)}})); org != other {
			t.Errorf("ticket in organisation %d, want the chosen %d", org, other)
		}
	})
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
