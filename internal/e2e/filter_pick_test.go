package e2e_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"parc/internal/record"
	"parc/internal/storetest"
)

// TestBrowserFilterValueSuggests: in a list's filter builder, the value box of a
// reference field suggests as the technician types: the assigned technician
// picked from "mor" filters the tickets; of two locations named "Open space",
// the one picked in Site B filters the computers (its name alone would not);
// a condition added with "add a condition" suggests too.
func TestBrowserFilterValueSuggests(t *testing.T) {
	t.Parallel()
	exe := chromium(t)
	storetest.EachStore(t, func(t *testing.T, kind string) {
		ctx := context.Background()
		a, sys, org := clientA(t, kind)
		create := func(typeName string, in record.Input) int64 {
			t.Helper()
			r, err := a.Records.Create(ctx, sys, a.Reg.MustType(typeName), in)
			if err != nil {
				t.Fatalf("create %s: %v", typeName, err)
			}
			return r.ID
		}
		julien, err := a.Auth.CreateUser(ctx, sys, "julien.moreau", "julien-moreau-password-1", "technician", org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Records.Update(ctx, sys, a.Reg.MustType("users"), julien.ID, record.Input{"firstname": "Julien", "lastname": "Moreau", "version": julien.Version}); err != nil {
			t.Fatal(err)
		}
		create("tickets", record.Input{"title": "Imprimante bloquée", "organization_id": org.ID, "assigned_user_id": julien.ID})
		create("tickets", record.Input{"title": "Écran noir", "organization_id": org.ID})
		siteA := create("locations", record.Input{"name": "Site A", "organization_id": org.ID})
		siteB := create("locations", record.Input{"name": "Site B", "organization_id": org.ID})
		spaceA := create("locations", record.Input{"name": "Open space", "parent_id": siteA, "organization_id": org.ID})
		spaceB := create("locations", record.Input{"name": "Open space", "parent_id": siteB, "organization_id": org.ID})
		dell := create("manufacturers", record.Input{"name": "Dell"})
		create("computers", record.Input{"name": "PC-A-01", "organization_id": org.ID, "location_id": spaceA})
		create("computers", record.Input{"name": "PC-B-01", "organization_id": org.ID, "location_id": spaceB, "manufacturer_id": dell})
		create("computers", record.Input{"name": "PC-B-02", "organization_id": org.ID, "location_id": spaceB})
		srv, cat := serve(t, a)
		fr := func(key string, args ...any) string { return cat.T("fr", key, args...) }
		b := newBrowser(t, exe, srv.URL, kind+"-filterpick")
		b.open("/login")
		b.typeIn("#login", techLogin)
		b.typeIn("#password", techPassword)
		b.clickTo(`form[action="/login"] button[type="submit"]`, http.StatusOK)

		// The assigned technician, from three letters of his name.
		b.open("/tickets")
		b.click("details.filters summary")
		b.choose("#ff-0", "assigned_user_id")
		b.wantAttr("#fv-0", "role", "combobox")
		b.typeIn("#fv-0", "mor")
		b.waitTrue(`!document.getElementById("fvl-0").hidden`)
		b.wantContains("#fvl-0", "Julien Moreau")
		b.shots("suggest")
		b.press("ArrowDown")
		b.press("Enter")
		b.wantValue("#fv-0", "Julien Moreau")
		b.wantValue(`#search input[name="fi"]`, strconv.FormatInt(julien.ID, 10))
		b.clickTo(`details.filters button[type="submit"].primary`, http.StatusOK)
		b.wantContains("ul.chips", fr("field.assigned_user_id")+" "+fr("op.eq")+" Julien Moreau")
		b.wantContains("table.list tbody", "Imprimante bloquée")
		b.wantLacks("table.list tbody", "Écran noir")

		// A field that names no record keeps a plain box: nothing is suggested.
		b.choose("#ff-1", "title")
		b.typeIn("#fv-1", "ecr")
		b.press("ArrowDown")
		b.waitTrue(`document.getElementById("fvl-1").hidden`)

		// Of two "Open space", the one of Site B, by its path.
		b.open("/computers")
		b.click("details.filters summary")
		b.choose("#ff-0", "location_id")
		b.typeIn("#fv-0", "open")
		b.waitTrue(`document.querySelectorAll("#fvl-0 li").length === 2`)
		b.wantContains("#fvl-0", "Site A", "Site B")
		b.waitTrue(`(function(){var l=document.querySelectorAll("#fvl-0 li"); for (var i=0;i<l.length;i++){ if (l[i].textContent.indexOf("Site B")>=0){ l[i].dispatchEvent(new MouseEvent("mousedown",{bubbles:true})); return true; } } return false;})()`)
		b.wantValue(`#search input[name="fi"]`, strconv.FormatInt(spaceB, 10))
		b.clickTo(`details.filters button[type="submit"].primary`, http.StatusOK)
		b.wantContains("table.list tbody", "PC-B-01", "PC-B-02")
		b.wantLacks("table.list tbody", "PC-A-01")

		// A condition added to the form suggests as the first rows do.
		b.click("[data-add-filter]")
		b.choose("#ff-3", "manufacturer_id")
		b.typeIn("#fv-3", "de")
		b.waitTrue(`!document.getElementById("fvl-3").hidden`)
		b.wantContains("#fvl-3", "Dell")
		b.press("ArrowDown")
		b.press("Enter")
		b.wantValue("#fv-3", "Dell")
		b.clickTo(`details.filters button[type="submit"].primary`, http.StatusOK)
		b.wantContains("table.list tbody", "PC-B-01")
		b.wantLacks("table.list tbody", "PC-B-02", "PC-A-01")
		b.wantContains("ul.chips", fr("field.manufacturer_id")+" "+fr("op.eq")+" Dell")
		b.shots("filtered")
		b.noPageErrors()
	})
}
