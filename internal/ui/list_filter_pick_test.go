package ui_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"parc/internal/record"
	"parc/internal/storetest"
)

// TestFilterNamesIgnoreCase: a filter on a reference or on the tickets' linked
// asset takes the record's name as people type it, in any case;
// a name that two records share in any case stays as typed.
func TestFilterNamesIgnoreCase(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		root := e.sys.Tree.Root
		dell := e.create("manufacturers", record.Input{"name": "Dell"})
		eco := e.create("manufacturers", record.Input{"name": "Écoplus"})
		e.create("manufacturers", record.Input{"name": "Dellano"})
		pc := e.create("computers", record.Input{"name": "PC-NTE-0002", "organization_id": root, "manufacturer_id": dell})
		e.create("computers", record.Input{"name": "PC-NTE-0003", "organization_id": root, "manufacturer_id": eco})
		linked := e.create("tickets", record.Input{"title": "Poste lent", "organization_id": root})
		e.create("ticket-items", record.Input{"ticket_id": linked, "item_type": "computers", "item_id": pc, "organization_id": root})
		b := e.browser("fr")
		b.login("admin", adminPassword)
		redirect := func(path string, v url.Values, want string) {
			t.Helper()
			p := b.get(path + "?" + v.Encode())
			if p.Status != http.StatusSeeOther || p.Header.Get("Location") != want {
				t.Fatalf("%v: %d to %q, want %q", v, p.Status, p.Header.Get("Location"), want)
			}
		}
		for typed, id := range map[string]int64{"dell": dell, "DELL ": dell, "ÉCOPLUS": eco} {
			redirect("/computers", url.Values{"ff": {"manufacturer_id"}, "fo": {"eq"}, "fv": {typed}},
				"/computers?filter="+url.QueryEscape("manufacturer_id:eq:"+record.Format(id)))
		}
		redirect("/tickets", url.Values{"ff": {"asset"}, "fo": {"eq"}, "fv": {"pc-nte-0002"}},
			"/tickets?filter="+url.QueryEscape("asset:eq:computers:"+record.Format(pc)))
		// Two names equal but for case: neither is guessed.
		e.create("manufacturers", record.Input{"name": "HP"})
		e.create("manufacturers", record.Input{"name": "hp"})
		redirect("/computers", url.Values{"ff": {"manufacturer_id"}, "fo": {"eq"}, "fv": {"Hp"}}, "/computers?filter="+url.QueryEscape("manufacturer_id:eq:Hp"))
	})
}

// TestFilterPickedRecord: a reference filter's value box suggests the records
// the field names (technicians for the assigned technician), and a record
// picked among several of the same name filters on that one: the row posts its
// id beside the name, and shows the name again with the id kept.
func TestFilterPickedRecord(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		root := e.sys.Tree.Root
		tech := e.person("julien", "Julien", "Moreau", "technician", root)
		e.person("marie", "Marie", "Moreau", "self-service", root)
		siteA := e.create("locations", record.Input{"name": "Site A", "organization_id": root})
		siteB := e.create("locations", record.Input{"name": "Site B", "organization_id": root})
		spaceA := e.create("locations", record.Input{"name": "Open space", "parent_id": siteA, "organization_id": root})
		spaceB := e.create("locations", record.Input{"name": "Open space", "parent_id": siteB, "organization_id": root})
		e.create("computers", record.Input{"name": "PC-A", "organization_id": root, "location_id": spaceA})
		e.create("computers", record.Input{"name": "PC-B", "organization_id": root, "location_id": spaceB})
		b := e.browser("fr")
		b.login("admin", adminPassword)

		// The form names where each reference field's box finds suggestions.
		b.get("/tickets").must(t, http.StatusOK, `value="assigned_user_id" data-suggest="/ui/suggest/tickets/assigned_user_id?for=filter"`,
			`data-suggest-from="ff-0"`, `name="fi"`, `name="fw"`)
		got := labels(b.suggestions(t, "/ui/suggest/tickets/assigned_user_id?for=filter&q=moreau"))
		if !strings.Contains(got, "Julien Moreau") || strings.Contains(got, "Marie Moreau") {
			t.Fatalf("assignee suggestions: %s", got)
		}
		got = labels(b.suggestions(t, "/ui/suggest/computers/location_id?for=filter&q=open"))
		if !strings.Contains(got, "Site A › Open space") && !strings.Contains(got, "Open space (Site A") {
			t.Fatalf("location suggestions: %s", got)
		}
		_ = tech

		// Picked: the id travels while the box still shows the name picked.
		v := url.Values{"ff": {"location_id"}, "fo": {"eq"}, "fv": {"Site B › Open space"}, "fi": {record.Format(spaceB)}, "fw": {"Site B › Open space"}}
		p := b.get("/computers?" + v.Encode())
		want := "/computers?filter=" + url.QueryEscape("location_id:eq:"+record.Format(spaceB))
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != want {
			t.Fatalf("picked: %d to %q, want %q", p.Status, p.Header.Get("Location"), want)
		}
		l := b.follow(p).must(t, http.StatusOK, "PC-B", `name="fv" value="Open space"`, `name="fi" value="location_id:`+record.Format(spaceB)+`"`,
			`name="fw" value="Open space"`)
		if strings.Contains(l.Body, ">PC-A<") {
			t.Fatal("the filter on the picked location shows the other one's computer")
		}
		// The row as shown submits to the same filter.
		v = url.Values{"ff": {"location_id"}, "fo": {"eq"}, "fv": {"Open space"}, "fi": {"location_id:" + record.Format(spaceB)}, "fw": {"Open space"}}
		if p := b.get("/computers?" + v.Encode()); p.Header.Get("Location") != want {
			t.Fatalf("resubmitted: %q", p.Header.Get("Location"))
		}
		// Its field changed (without the script that clears the id): the id of a
		// location is not taken for another field.
		v = url.Values{"ff": {"name"}, "fo": {"eq"}, "fv": {"Open space"}, "fi": {"location_id:" + record.Format(spaceB)}, "fw": {"Open space"}}
		if p := b.get("/computers?" + v.Encode()); p.Header.Get("Location") != "/computers?filter="+url.QueryEscape("name:eq:Open space") {
			t.Fatalf("field changed: %q", p.Header.Get("Location"))
		}
		// Typed over: the text counts, not the id picked before.
		v = url.Values{"ff": {"location_id"}, "fo": {"eq"}, "fv": {"Site A"}, "fi": {record.Format(spaceB)}, "fw": {"Open space"}}
		if p := b.get("/computers?" + v.Encode()); p.Header.Get("Location") != "/computers?filter="+url.QueryEscape("location_id:eq:"+record.Format(siteA)) {
			t.Fatalf("typed over: %q", p.Header.Get("Location"))
		}
		_ = html.EscapeString
	})
}
