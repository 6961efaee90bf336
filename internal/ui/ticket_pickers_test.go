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

// TestTicketPickersStayInTheTicketsOrganisation posts the ticket page's assign
// and link forms as a browser does (the picker's id, text and former text) and
// as a forged post would: another organisation's technician and computer are
// neither found by their name nor taken by their id, the refusal shows by the
// field, and nothing is written; the ticket's own organisation's are.
func TestTicketPickersStayInTheTicketsOrganisation(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		ctx := context.Background()
		orgA, orgB := e.org("Client A"), e.org("Client B")
		if _, err := e.app.Auth.CreateUser(ctx, e.sys, "tech", "tech-password-123", "technician", e.sys.Tree.Root); err != nil {
			t.Fatal(err)
		}
		tech := func(login, first, last string, org int64) int64 {
			u, err := e.app.Auth.CreateUser(ctx, e.sys, login, login+"-password-1", "technician", org)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.app.Records.Update(ctx, e.sys, e.app.Reg.MustType("users"), u.ID, record.Input{"firstname": first, "lastname": last, "version": u.Version}); err != nil {
				t.Fatal(err)
			}
			return u.ID
		}
		julien := tech("julien.moreau", "Julien", "Moreau", orgA)
		bob := tech("bob.autre", "Bob", "Autre", orgB)
		pcA := e.create("computers", record.Input{"name": "PC-A-0001", "organization_id": orgA})
		pcB := e.create("computers", record.Input{"name": "PC-B-0001", "organization_id": orgB})
		id := e.create("tickets", record.Input{"title": "Poste lent", "organization_id": orgA})
		href := "/tickets/" + record.Format(id)
		b := e.browser("fr")
		b.login("tech", "tech-password-123")
		fr := func(key string, args ...any) string { return html.EscapeString(e.cat.T("fr", key, args...)) }

		ticket := func() *record.Record {
			r, err := e.app.Records.Get(ctx, e.sys, e.app.Reg.MustType("tickets"), id)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		links := func() int {
			p, err := e.app.Records.List(ctx, e.sys, e.app.Reg.MustType("ticket-items"), record.ListQuery{
				Filters: []record.Filter{{Field: "ticket_id", Op: record.OpEq, Value: record.Format(id)}}})
			if err != nil {
				t.Fatal(err)
			}
			return len(p.Records)
		}
		refused := []struct {
			name, path string
			form       url.Values
			want       []string
		}{
			{"another organisation's technician by name", "/assign", url.Values{"assigned_user_id": {""}, "assigned_user_id__text": {"Bob Autre"}, "assigned_user_id__was": {""}},
				[]string{`<p class="field-error" id="as-user-err">` + fr("ui.picker.no_match", "Bob Autre") + `</p>`, `name="assigned_user_id__text" type="text" value="Bob Autre"`}},
			{"another organisation's technician by id", "/assign", url.Values{"assigned_user_id": {record.Format(bob)}, "assigned_user_id__text": {"Bob Autre"}, "assigned_user_id__was": {"Bob Autre"}},
				[]string{`id="as-user-err"`}},
			{"another organisation's computer by name", "/items", url.Values{"item_type": {"computers"}, "item_id": {""}, "item_id__text": {"PC-B-0001"}, "item_id__was": {""}},
				[]string{`<p class="field-error" id="it-id-err">` + fr("ui.picker.no_match", "PC-B-0001") + `</p>`}},
			{"another organisation's computer by id", "/items", url.Values{"item_type": {"computers"}, "item_id": {record.Format(pcB)}, "item_id__text": {"PC-B-0001"}, "item_id__was": {"PC-B-0001"}},
				[]string{`id="it-id-err"`}},
			{"another organisation's computer, id alone", "/items", url.Values{"item_type": {"computers"}, "item_id": {record.Format(pcB)}},
				[]string{`id="it-id-err"`}},
		}
		before := ticket().Version
		for _, c := range refused {
			c.form.Set("_csrf", b.csrf())
			p := b.post(href+c.path, c.form)
			p.must(t, http.StatusUnprocessableEntity, c.want...)
			if r := ticket(); r.Version != before || r.Int("assigned_user_id") != 0 || links() != 0 {
				t.Fatalf("%s wrote something: version %d, assignee %d, %d links", c.name, r.Version, r.Int("assigned_user_id"), links())
			}
		}

		// The ticket's own organisation's, typed without choosing in a list.
		p := b.post(href+"/assign", url.Values{"_csrf": {b.csrf()}, "assigned_user_id__text": {"julien"}, "assigned_group_id__text": {""}})
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != href+"?done=assigned#thread" {
			t.Fatalf("assign: %d %s", p.Status, p.Body)
		}
		if got := ticket().Int("assigned_user_id"); got != julien {
			t.Fatalf("assignee %d, want %d", got, julien)
		}
		b.follow(p).must(t, http.StatusOK, fr("ui.done.assigned"), `name="assigned_user_id__text" type="text" value="Julien Moreau"`)
		p = b.post(href+"/items", url.Values{"_csrf": {b.csrf()}, "item_type": {"computers"}, "item_id__text": {"PC-A-0001"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("link: %d %s", p.Status, p.Body)
		}
		if links() != 1 {
			t.Fatalf("%d links after linking %d", links(), pcA)
		}
	})
}

// TestAssetFilterByName: the tickets list's linked-asset filter is typed as the
// asset's name, alone or after its kind as the chip reads; the list then shows
// the tickets linked to it, the chip and the filter row the name, never TYPE:ID.
func TestAssetFilterByName(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		root := e.sys.Tree.Root
		pc := e.create("computers", record.Input{"name": "PC-NTE-0002", "organization_id": root})
		printer := e.create("printers", record.Input{"name": "IMP-NTE-01", "organization_id": root})
		linked := e.create("tickets", record.Input{"title": "Poste lent", "organization_id": root})
		e.create("tickets", record.Input{"title": "Bourrage papier", "organization_id": root})
		e.create("ticket-items", record.Input{"ticket_id": linked, "item_type": "computers", "item_id": pc, "organization_id": root})
		b := e.browser("fr")
		b.login("admin", adminPassword)
		want := "/tickets?filter=" + url.QueryEscape("asset:eq:computers:"+record.Format(pc))
		shown := e.cat.T("fr", "type.computer") + " PC-NTE-0002"
		for _, typed := range []string{"PC-NTE-0002", shown} {
			p := b.get("/tickets?" + url.Values{"ff": {"asset"}, "fo": {"eq"}, "fv": {typed}}.Encode())
			if p.Status != http.StatusSeeOther || p.Header.Get("Location") != want {
				t.Fatalf("%q: %d to %q, want %q", typed, p.Status, p.Header.Get("Location"), want)
			}
			l := b.follow(p).must(t, http.StatusOK, "Poste lent", html.EscapeString(e.cat.T("fr", "ui.filter.virtual.asset")+" "+e.cat.T("fr", "op.eq")+" "+shown),
				`name="fv" value="`+html.EscapeString(shown)+`"`)
			// The filter travels in hidden inputs; no text or input shows it.
			body := strings.ReplaceAll(l.Body, `type="hidden" name="filter" value="asset:eq:computers:`+record.Format(pc)+`"`, "")
			if strings.Contains(body, "Bourrage papier") || strings.Contains(body, "computers:") {
				t.Fatalf("%q: the list shows another ticket or the filter's id", typed)
			}
		}
		// A printer's name alone finds the printer; a name no asset has stays as typed.
		p := b.get("/tickets?" + url.Values{"ff": {"asset"}, "fo": {"eq"}, "fv": {"IMP-NTE-01"}}.Encode())
		if loc := p.Header.Get("Location"); loc != "/tickets?filter="+url.QueryEscape("asset:eq:printers:"+record.Format(printer)) {
			t.Fatalf("printer by name: %d to %q", p.Status, loc)
		}
		p = b.get("/tickets?" + url.Values{"ff": {"asset"}, "fo": {"eq"}, "fv": {"PC-INCONNU"}}.Encode())
		b.follow(p).must(t, http.StatusOK, `name="fv" value="PC-INCONNU"`)

		// An asset the reader may not see is neither named nor numbered by the chip.
		orgA, orgB := e.org("Client A"), e.org("Client B")
		hidden := e.create("computers", record.Input{"name": "PC-B-0001", "organization_id": orgB})
		if _, err := e.app.Auth.CreateUser(context.Background(), e.sys, "tech", "tech-password-123", "technician", orgA); err != nil {
			t.Fatal(err)
		}
		tb := e.browser("fr")
		tb.login("tech", "tech-password-123")
		l := tb.get("/tickets?filter=" + url.QueryEscape("asset:eq:computers:"+record.Format(hidden)))
		l.must(t, http.StatusOK, html.EscapeString(e.cat.T("fr", "type.computer")+" "+e.cat.T("fr", "ui.picker.unreadable")))
		if strings.Contains(l.Body, "PC-B-0001") || strings.Contains(l.Body, e.cat.T("fr", "type.computer")+" "+record.Format(hidden)+"<") {
			t.Fatal("the chip names or numbers an asset the reader may not see")
		}
	})
}
