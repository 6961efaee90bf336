package e2e_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"parc/internal/record"
	"parc/internal/storetest"
)

// TestBrowserContracts opens a contract's page (its state, notice deadline,
// yearly cost), covers a computer from it with the asset picker, sees the
// coverage on the computer's page and on a ticket about it, then removes it from
// the computer's page; every page passes axe-core.
func TestBrowserContracts(t *testing.T) {
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
		sup := create("suppliers", record.Input{"name": "Maintenix"})
		pc := create("computers", record.Input{"name": "PC-NTE-0002", "serial": "SN-NTE-2", "organization_id": org.ID})
		// Notice is due in about three weeks.
		today := time.Now()
		start := time.Date(today.Year(), today.Month()-9, today.Day()+21, 0, 0, 0, 0, time.UTC)
		ct := create("contracts", record.Input{"organization_id": org.ID, "number": "MNT-42", "name": "Workstation maintenance", "kind": "maintenance",
			"supplier_id": sup, "start_date": start.Format("2006-01-02"), "duration_months": 12, "notice_months": 3, "renewal": "tacit",
			"cost": 250, "cost_period": "quarterly", "response_hours": 4, "repair_hours": 24})
		tk := create("tickets", record.Input{"title": "Blue screen", "organization_id": org.ID})
		create("ticket-items", record.Input{"ticket_id": tk, "item_type": "computers", "item_id": pc})
		srv, _ := serve(t, a)
		b := newBrowser(t, exe, srv.URL, kind+"-contracts")

		b.open("/login")
		b.clickTo(langButton, http.StatusOK) // English
		b.typeIn("#login", techLogin)
		b.typeIn("#password", techPassword)
		b.clickTo(`form[action="/login"] button[type="submit"]`, http.StatusOK)

		b.open("/contracts")
		b.wantContains("main", "MNT-42", "Workstation maintenance", "Maintenix")
		cid := strconv.FormatInt(ct, 10)
		b.open("/contracts/" + cid)
		b.wantText("#contract-status", "In force")
		b.wantContains("#contract-notice", "Give notice by")
		b.wantContains(".contract-summary", "€1,000.00", "€250.00 per quarter", "response within 4 h", "repair within 24 h")
		b.wantContains("#covered", "This contract covers no asset yet.")
		b.wantAbsent("#coverage-now")

		// Cover the computer: its name typed in the picker, the list's entry picked.
		b.typeIn("#cv-item", "PC-NTE")
		b.waitTrue(`!document.getElementById("cv-item-list").hidden`)
		b.wantContains("#cv-item-list", "PC-NTE-0002")
		b.press("ArrowDown")
		b.press("Enter")
		b.wantValue("#cv-item", "PC-NTE-0002")
		b.clickTo(`#cover-form button[type="submit"]`, http.StatusOK)
		b.waitTrue(`location.pathname === "/contracts/` + cid + `"`)
		b.wantContains("#covered", "PC-NTE-0002", "Computer")
		b.shots("contract")

		// The computer's page: covered now, with the commitments.
		b.open("/computers/" + strconv.FormatInt(pc, 10))
		b.wantText("#coverage-now", "Covered now")
		b.wantContains("#coverage", "MNT-42 – Workstation maintenance", "in force", "response within 4 h")
		b.shots("asset-coverage")
		// The ticket about it says so.
		b.open("/tickets/" + strconv.FormatInt(tk, 10))
		b.wantContains("#ticket-coverage", "PC-NTE-0002", "MNT-42 – Workstation maintenance", "response within 4 h · repair within 24 h")

		// Removed from the computer's page: no longer covered, nor the ticket.
		b.open("/computers/" + strconv.FormatInt(pc, 10))
		b.clickTo(`#coverage form[action$="/remove"] button`, http.StatusOK)
		b.waitTrue(`location.pathname === "/computers/` + strconv.FormatInt(pc, 10) + `"`)
		b.wantText("#coverage-now", "No contract covers this asset.")
		// And added back from it, with the contract chosen in the list.
		b.choose("#cov-contract", cid)
		b.clickTo(`#coverage-form button[type="submit"]`, http.StatusOK)
		b.wantText("#coverage-now", "Covered now")

		// A contract that ended does not cover: the ticket shows nothing.
		if _, err := a.Records.Update(ctx, sys, a.Reg.MustType("contracts"), ct, record.Input{"start_date": "2020-01-01", "renewal": "explicit"}); err != nil {
			t.Fatal(err)
		}
		b.open("/tickets/" + strconv.FormatInt(tk, 10))
		b.wantAbsent("#ticket-coverage")
		b.open("/computers/" + strconv.FormatInt(pc, 10))
		b.wantText("#coverage-now", "Not covered now")
		b.open("/contracts/" + cid)
		b.wantText("#contract-status", "Ended")
		b.noPageErrors()
	})
}
