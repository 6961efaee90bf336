package e2e_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"parc/internal/record"
	"parc/internal/storetest"
)

// TestBrowserLifecycle: a technician opens a computer's finance tab (book value
// and depreciation table), records its disposal from there, no longer finds it
// in the computers' list but under the disposed ones, and reads the renewal
// plan with its forecast chart and table; every page is checked with axe-core.
func TestBrowserLifecycle(t *testing.T) {
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
		// Bought a year ago today for 1,200 €, linear over 3 years: the second
		// year starts today, at 800 €.
		now := a.Records.Now()
		year := now.Year()
		bought := now.AddDate(-1, 0, 0).Format("2006-01-02")
		pc := create("computers", record.Input{"name": "PC-FINANCE", "organization_id": org.ID, "purchase_price": 1200,
			"purchase_date": bought, "depreciation_method": "linear", "depreciation_years": 3})
		// Bought seven years ago: due for renewal now.
		create("computers", record.Input{"name": "PC-ANCIEN", "organization_id": org.ID, "purchase_price": 900,
			"purchase_date": now.AddDate(-7, 0, 0).Format("2006-01-02")})
		// Thirty bought eight years ago, ahead of it in the plan: two pages of 25.
		for i := 1; i <= 30; i++ {
			create("computers", record.Input{"name": fmt.Sprintf("PC-VIEUX-%02d", i), "organization_id": org.ID, "purchase_price": 1000,
				"purchase_date": now.AddDate(-8, 0, 0).Format("2006-01-02")})
		}
		create("suppliers", record.Input{"name": "Recycleur DEEE"})
		srv, cat := serve(t, a)
		fr := func(key string, args ...any) string { return cat.T("fr", key, args...) }
		b := newBrowser(t, exe, srv.URL, kind+"-lifecycle")

		b.open("/login")
		b.typeIn("#login", techLogin)
		b.typeIn("#password", techPassword)
		b.clickTo(`form[action="/login"] button[type="submit"]`, http.StatusOK)

		href := "/computers/" + strconv.FormatInt(pc, 10)
		b.open(href)
		b.clickTo(`nav.tabs a[href="`+href+`?tab=finance"]`, http.StatusOK)
		b.wantText("#book-value", "800,00 €")
		b.wantContains("#depreciation-table tbody tr:nth-child(1)", "1 200,00 €", "400,00 €", "800,00 €")
		b.wantContains("#depreciation-table tbody tr:nth-child(2)", fr("lifecycle.current_year"), "800,00 €", "400,00 €")
		b.wantContains("#depreciation-table tbody tr:nth-child(3)", "0,00 €")
		b.wantContains(".tab-panel", fr("lifecycle.method_linear", 3), fr("lifecycle.none_disposals"))
		b.shots("finance")

		// Record its disposal from the tab: the form knows the asset.
		b.clickTo(`a[href^="/disposals/new?"]`, http.StatusOK)
		b.wantValue("#f-asset_type", "computers")
		b.wantValue("#f-asset_id", "PC-FINANCE") // the asset by its name, never its number
		b.wantValue(`input[name="asset_id"]`, strconv.FormatInt(pc, 10))
		b.typeIn("#f-disposed_on", "06152025") // mm dd yyyy: the browser runs in en-US
		b.typeIn("#f-weight_kg", "7,5")
		b.typeIn("#f-certificate_number", "CERT-E2E-1")
		b.clickTo(saveButton, http.StatusOK)
		b.wantText("h1", "PC-FINANCE")
		b.wantContains(".tab-panel", "CERT-E2E-1", fr("enum.outcome.recycling"), "15/06/2025")

		// It has left the fleet's list, and is kept under the disposed ones.
		b.open("/computers")
		b.wantContains("table.list tbody", "PC-ANCIEN")
		b.wantLacks("table.list tbody", "PC-FINANCE")
		b.clickTo(`.page-head a[href="/computers?disposed=1"]`, http.StatusOK)
		b.wantContains("table.list tbody", "PC-FINANCE")
		b.open(href + "?tab=finance")
		b.wantContains("#disposed-notice", "15/06/2025")

		// The renewal plan: the old computer, its reason in words, the forecast.
		b.clickTo(`#nav a[href="/renewal"]`, http.StatusOK)
		b.wantText("h1", fr("lifecycle.renewal_title"))
		b.wantContains("#renewal-table tbody", "PC-ANCIEN", fr("renewal.reason.age_bought", 7, fmtDay(now.AddDate(-7, 0, 0))))
		b.wantLacks("#renewal-table tbody", "PC-FINANCE")
		b.wantContains("#forecast-table tbody tr:nth-child(1)", strconv.Itoa(year), "31", "900,00 €")
		b.wantAttr("svg.forecast-chart", "role", "img")
		b.waitTrue(`document.querySelector("svg.forecast-chart .bar-label").textContent === ` + jsString(fr("lifecycle.chart_bar", "31")))
		b.wantText("#renewal-showing", fr("lifecycle.renewal_showing", "1", "31", "31"))
		b.wantAbsent(`#renewal-list a[rel="next"]`)
		// 25 a page: the first page has the eight-year-old ones, the next the rest.
		b.choose("#renewal-limit", "25")
		b.clickTo(`#renewal-list form button[type="submit"]`, http.StatusOK)
		b.wantText("#renewal-showing", fr("lifecycle.renewal_showing", "1", "25", "31"))
		b.wantContains("#renewal-table tbody tr:nth-child(1)", "PC-VIEUX-01")
		b.wantLacks("#renewal-table tbody", "PC-ANCIEN")
		b.clickTo(`#renewal-list a[rel="next"]`, http.StatusOK)
		b.wantText("#renewal-showing", fr("lifecycle.renewal_showing", "26", "31", "31"))
		b.wantContains("#renewal-table tbody", "PC-VIEUX-30", "PC-ANCIEN")
		b.wantAbsent(`#renewal-list a[rel="next"]`)
		b.wantContains(`#forecast-table tbody tr:nth-child(1)`, "31")
		b.clickTo(`#renewal-list nav.pager a:not([rel])`, http.StatusOK)
		b.wantText("#renewal-showing", fr("lifecycle.renewal_showing", "1", "25", "31"))
		// A technician does not change the thresholds.
		b.wantAbsent("#renewal-settings")
		b.shots("renewal")

		// A wipe recorded from its own list: the asset is chosen by typing its
		// name, as in every picker.
		b.open("/reconditionings/new")
		b.wantValue("#f-asset_type", "computers")
		b.typeIn("#f-asset_id", "ANCIEN")
		b.waitTrue(`!document.getElementById("f-asset_id-list").hidden`)
		b.wantContains("#f-asset_id-list", "PC-ANCIEN")
		b.wantLacks("#f-asset_id-list", "PC-FINANCE") // disposed: no longer offered
		b.press("ArrowDown")
		b.press("Enter")
		b.wantValue("#f-asset_id", "PC-ANCIEN")
		b.typeIn("#f-wiped_on", "06202025")
		b.clickTo(saveButton, http.StatusOK)
		b.wantContains("main", "PC-ANCIEN", "20/06/2025")
		b.noPageErrors()
	})
}

func fmtDay(t time.Time) string { return t.Format("02/01/2006") }
