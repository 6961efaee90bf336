package e2e_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"parc/internal/app"
	"parc/internal/record"
	"parc/internal/storetest"
)

// TestBrowserLicencePage: on the demo, the client's administrator (resp.martin)
// opens the licences list, then the over-deployed licence: the verdict and the
// figures are those the API gives, the key is masked until "Show the key", the
// computers counted and the assignments are listed; every page passes axe-core.
// The technician (tech.paris), who may not read keys, sees it masked with no way
// to show it; a computer's page lists its licences.
func TestBrowserLicencePage(t *testing.T) {
	t.Parallel()
	exe := chromium(t)
	storetest.EachStore(t, func(t *testing.T, kind string) {
		ctx := context.Background()
		a := app.New(storetest.OpenTest(t, kind), nil)
		if _, err := a.Bootstrap(ctx, "fr"); err != nil {
			t.Fatal(err)
		}
		if err := a.LoadDemo(ctx); err != nil {
			t.Fatal(err)
		}
		srv, cat := serve(t, a)
		fr := func(key string, args ...any) string { return cat.T("fr", key, args...) }
		sys, err := a.System(ctx, record.OriginCLI)
		if err != nil {
			t.Fatal(err)
		}
		var sage int64
		if err := a.DB.QueryRowContext(ctx, "SELECT id FROM licenses WHERE name LIKE ?", "Sage 100cloud%").Scan(&sage); err != nil {
			t.Fatal(err)
		}
		comp, err := a.Licenses.Compliance(ctx, sys, sage)
		if err != nil {
			t.Fatal(err)
		}
		if comp.Status != "over" || comp.Over < 1 {
			t.Fatalf("the demo's Sage licence should be over-deployed: %+v", comp)
		}
		page := "/licenses/" + strconv.FormatInt(sage, 10)

		b := newBrowser(t, exe, srv.URL, kind+"-licenses")
		login := func(user string) {
			b.open("/login")
			b.typeIn("#login", user)
			b.typeIn("#password", demoPassword)
			b.clickTo(`form[action="/login"] button[type="submit"]`, http.StatusOK)
		}
		login("resp.martin")
		b.open("/licenses")
		b.wantContains("main", "Sage 100cloud Comptabilité — 2 postes", "Microsoft 365 Apps for business")
		b.wantLacks("main", "S100C-7Q4M2")
		b.shots("licenses-list")
		b.clickTo(`a[href="`+page+`"]`, http.StatusOK)
		b.wantText("#license-verdict", fr("ui.license.verdict_over", strconv.FormatInt(comp.Over, 10), fr("ui.license.unit_devices")))
		b.wantContains("#lic-seats", "2")
		b.wantContains("#lic-counted", strconv.FormatInt(comp.Counted, 10))
		b.wantContains("#lic-over", strconv.FormatInt(comp.Over, 10))
		b.wantContains("#lic-assigned", "2")
		b.wantContains("#license-expiry", fr("ui.license.expires", ""))
		b.wantContains("#counted", "PC-")
		b.wantContains("#assigned", "Poste comptabilité")
		b.wantLacks("main", "S100C-7Q4M2")
		b.shots("licence-over")
		b.clickTo("#show-key", http.StatusOK)
		b.wantText("#license-key-value", "S100C-7Q4M2-XK9PL-3HT8R")
		b.shots("licence-key")

		// The licence expiring soon says so.
		var m365 int64
		if err := a.DB.QueryRowContext(ctx, "SELECT id FROM licenses WHERE name LIKE ?", "Microsoft 365%").Scan(&m365); err != nil {
			t.Fatal(err)
		}
		b.open("/licenses/" + strconv.FormatInt(m365, 10))
		b.wantAttr("#license-expiry", "class", "expiry-warn")

		// A computer's page lists its licences.
		var pc int64
		if err := a.DB.QueryRowContext(ctx, "SELECT computer_id FROM license_assignments WHERE license_id = ? ORDER BY id LIMIT 1", sage).Scan(&pc); err != nil {
			t.Fatal(err)
		}
		b.open("/computers/" + strconv.FormatInt(pc, 10))
		b.wantContains("#licenses", "Sage 100cloud Comptabilité — 2 postes")

		// The technician reads the licence, not its key.
		b.clickTo(logoutButton, http.StatusOK)
		login("tech.paris")
		b.open(page)
		b.wantContains("#license-key", fr("ui.license.key_hidden"))
		b.wantAbsent("#show-key")
		b.wantAbsent("#license-key-value")
		b.wantLacks("main", "S100C-7Q4M2")
		b.shots("licence-technician")
		// Asking for the key by the address does not show it either.
		b.open(page + "?show_key=1")
		b.wantAbsent("#license-key-value")
		b.wantLacks("main", "S100C-7Q4M2")
		b.noPageErrors()
	})
}
