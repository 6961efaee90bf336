package e2e_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"parc/internal/record"
	"parc/internal/storetest"
)

// TestBrowserPickers types in reference pickers and picks with the keyboard (a
// computer's location, shown with its path), then opens a ticket from a
// computer's page: its asset and its user come filled in, the assignee is
// picked among technicians, and another organisation's computers are never offered.
func TestBrowserPickers(t *testing.T) {
	t.Parallel()
	exe := chromium(t)
	storetest.EachStore(t, func(t *testing.T, kind string) {
		ctx := context.Background()
		a, sys, org := clientA(t, kind)
		create := func(typeName string, in record.Input) int64 {
			r, err := a.Records.Create(ctx, sys, a.Reg.MustType(typeName), in)
			if err != nil {
				t.Fatalf("create %s: %v", typeName, err)
			}
			return r.ID
		}
		alice, err := a.Auth.CreateUser(ctx, sys, reqLogin, reqPassword, "self-service", org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Records.Update(ctx, sys, a.Reg.MustType("users"), alice.ID, record.Input{"firstname": "Alice", "lastname": "Martin", "version": alice.Version}); err != nil {
			t.Fatal(err)
		}
		site := create("locations", record.Input{"name": "Nantes", "kind": "site", "organization_id": org.ID})
		bldg := create("locations", record.Input{"name": "Bâtiment A", "kind": "building", "parent_id": site, "organization_id": org.ID})
		room := create("locations", record.Input{"name": "Bureau 101", "parent_id": bldg, "organization_id": org.ID})
		pc := create("computers", record.Input{"name": "PC-NTE-0002", "serial": "SN-NTE-2", "user_id": alice.ID, "organization_id": org.ID})
		other := create("organizations", record.Input{"name": "Client B", "parent_id": sys.Tree.Root})
		if sys, err = a.System(ctx, record.OriginCLI); err != nil {
			t.Fatal(err)
		}
		create("computers", record.Input{"name": "PC-NTE-0099", "serial": "SN-NTE-99", "organization_id": other})
		srv, cat := serve(t, a)
		_ = cat
		b := newBrowser(t, exe, srv.URL, kind+"-pickers")

		b.open("/login")
		b.clickTo(langButton, http.StatusOK)
		b.typeIn("#login", techLogin)
		b.typeIn("#password", techPassword)
		b.clickTo(`form[action="/login"] button[type="submit"]`, http.StatusOK)

		// A location by typing part of its name; the list shows its path and the
		// arrow keys and Enter pick it.
		id := strconv.FormatInt(pc, 10)
		b.open("/computers/" + id + "/edit")
		b.wantAttr("#f-location_id", "role", "combobox")
		b.typeIn("#f-location_id", "bureau")
		b.waitTrue(`!document.getElementById("f-location_id-list").hidden`)
		b.wantAttr("#f-location_id", "aria-expanded", "true")
		b.wantContains("#f-location_id-list", "Nantes › Bâtiment A › Bureau 101")
		b.press("ArrowDown")
		b.wantAttr("#f-location_id", "aria-activedescendant", "f-location_id-list-0")
		b.press("Enter")
		b.wantValue("#f-location_id", "Nantes › Bâtiment A › Bureau 101")
		b.wantValue(`input[name="location_id"]`, strconv.FormatInt(room, 10))
		b.wantAttr("#f-location_id", "aria-expanded", "false")
		b.wantPath("/computers/" + id + "/edit") // Enter picked, it did not submit
		b.shots("picker")
		b.clickTo(saveButton, http.StatusOK)
		b.waitTrue(`location.pathname === "/computers/` + id + `"`)
		b.wantContains("main", "Bureau 101")

		// "New ticket" from the computer's page: asset and requester filled in.
		b.clickTo("#new-ticket", http.StatusOK)
		b.waitTrue(`location.pathname === "/tickets/new"`)
		b.wantValue("#f-asset", "PC-NTE-0002")
		b.wantValue("#f-user_id", "Alice Martin")
		b.wantValue("#f-location_id", "Nantes › Bâtiment A › Bureau 101")
		b.wantAbsent("#f-solution")
		b.wantAbsent("#f-status")
		// The asset picker offers this organisation's computers only.
		b.clear("#f-asset")
		b.typeIn("#f-asset", "PC-NTE")
		b.waitTrue(`!document.getElementById("f-asset-list").hidden`)
		b.wantContains("#f-asset-list", "PC-NTE-0002", "SN-NTE-2", "Alice Martin")
		b.wantLacks("#f-asset-list", "PC-NTE-0099")
		b.press("ArrowDown")
		b.press("Enter")
		b.wantValue("#f-asset", "PC-NTE-0002")
		// The assignee among technicians: the requester is not offered.
		b.typeIn("#f-assigned_user_id", "e2e")
		b.waitTrue(`!document.getElementById("f-assigned_user_id-list").hidden`)
		b.wantContains("#f-assigned_user_id-list", techLogin)
		b.wantLacks("#f-assigned_user_id-list", "Alice")
		b.press("ArrowDown")
		b.press("Enter")
		b.typeIn("#f-title", "Écran noir au démarrage")
		b.shots("new-ticket")
		b.clickTo(saveButton, http.StatusOK)
		b.waitTrue(`location.pathname.startsWith("/tickets/") && location.search.includes("done=created")`)
		b.wantContains("main", "Écran noir au démarrage", "Alice Martin", techLogin)
		// The ticket is linked to the computer.
		items, err := a.Records.List(ctx, sys, a.Reg.MustType("ticket-items"), record.ListQuery{Filters: []record.Filter{{Field: "item_id", Op: record.OpEq, Value: id}}})
		if err != nil || len(items.Records) != 1 || items.Records[0].String("item_type") != "computers" {
			t.Fatalf("ticket's asset: %v %+v", err, items)
		}
		b.noPageErrors()
	})
}

// press sends one key to the focused element as a person's key press: a key
// down and up. (chromedp's SendKeys also sends the character as its own event,
// which a page's preventDefault on keydown cannot stop, unlike a real key.)
func (b *browser) press(key string) {
	b.t.Helper()
	codes := map[string]int64{"ArrowDown": 40, "ArrowUp": 38, "Enter": 13, "Escape": 27}
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
		p := input.DispatchKeyEventParams{Type: typ, Key: key, Code: key, WindowsVirtualKeyCode: codes[key]}
		if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, p); err != nil {
			b.fatalf("press %s: %v", key, err)
		}
	}
}
