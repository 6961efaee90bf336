package ui_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"parc/internal/record"
	"parc/internal/storetest"
)

// TestCatalogueFormsOfAnOrganisation: a client's administrator makes a state of
// their own through the form (organisation, "visible in sub-organisations"), cannot
// make a shared one, lists the shared states and their own but not another
// client's; a computer's state list offers only what its organisation may use.
func TestCatalogueFormsOfAnOrganisation(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		ctx := context.Background()
		clientA, clientB := e.org("Client A"), e.org("Client B")
		if _, err := e.app.Auth.CreateUser(ctx, e.sys, "admin-a", "admin-a-password", "admin", clientA); err != nil {
			t.Fatal(err)
		}
		e.create("states", record.Input{"name": "Commun"})
		e.create("states", record.Input{"name": "Prêté client B", "organization_id": clientB})
		fr := func(key string, args ...any) string { return html.EscapeString(e.cat.T("fr", key, args...)) }

		b := e.browser("fr")
		b.login("admin-a", "admin-a-password")
		form := b.get("/states/new").must(t, http.StatusOK, fr("field.visible_below"), fr("ui.catalog.owner_hint"),
			`<option value="`+record.Format(clientA)+`" selected>`)
		if strings.Contains(form.Body, `value="`+record.Format(clientB)+`"`) || strings.Contains(form.Body, fr("ui.catalog.shared")) {
			t.Errorf("client A's administrator is offered client B or shared:\n%s", form.Body)
		}

		// Shared: refused on the organisation, with what was typed kept.
		p := b.post("/states/new", url.Values{"_csrf": {b.csrf()}, "organization_id": {""}, "name": {"Prêté client A"}, "recursive": {"false"}})
		p.must(t, http.StatusUnprocessableEntity, `value="Prêté client A"`, fr("err.org_not_allowed"))
		p = b.post("/states/new", url.Values{"_csrf": {b.csrf()}, "organization_id": {record.Format(clientA)}, "name": {"Prêté client A"}, "recursive": {"false", "on"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("new state: %d\n%s", p.Status, p.Body)
		}
		page, err := e.app.Records.List(ctx, e.sys, e.app.Reg.MustType("states"), record.ListQuery{Filters: []record.Filter{{Field: "name", Op: record.OpEq, Value: "Prêté client A"}}})
		if err != nil || len(page.Records) != 1 || page.Records[0].OrgID != clientA || !page.Records[0].Bool("recursive") {
			t.Fatalf("client A's state: %v %v", page, err)
		}

		list := b.get("/states").must(t, http.StatusOK, "Commun", "Prêté client A", fr("ui.catalog.shared"), fr("ui.catalog.with_below", "Client A"))
		if strings.Contains(list.Body, "Prêté client B") {
			t.Error("client A's administrator lists client B's state")
		}
		// A computer of client A is offered the shared state and client A's; one of
		// client B (as the super-administrator) the shared one and client B's.
		comp := b.get("/computers/new").must(t, http.StatusOK, ">Commun</option>", ">Prêté client A</option>")
		if strings.Contains(comp.Body, "Prêté client B") {
			t.Error("client B's state offered for a computer of client A")
		}
		admin := e.browser("fr")
		admin.login("admin", adminPassword)
		comp = admin.get("/computers/new?organization_id="+record.Format(clientB)).must(t, http.StatusOK, ">Commun</option>", ">Prêté client B</option>")
		if strings.Contains(comp.Body, ">Prêté client A</option>") {
			t.Error("client A's state offered for a computer of client B")
		}
	})
}
