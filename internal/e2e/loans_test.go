package e2e_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"parc/internal/app"
	"parc/internal/storetest"
)

// TestBrowserHandoverAcknowledgedOnPortal: on the demo, tech.paris's loans page
// lists the overdue laptop and the projector waiting for marie.dupont's
// acknowledgement; marie.dupont finds it on her portal home, reads what she
// receives and acknowledges receipt, once; tech.paris then sees who acknowledged
// and when on the hand-over and in the projector's hand-over history, and records
// its return, which gives the projector back (no user).
func TestBrowserHandoverAcknowledgedOnPortal(t *testing.T) {
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
		var hid, proj int64
		if err := a.DB.QueryRowContext(ctx, `SELECT h.id, h.asset_id FROM handovers h JOIN users u ON u.id = h.user_id
WHERE u.login = 'marie.dupont' AND h.acknowledged_at IS NULL AND h.returned_at IS NULL`).Scan(&hid, &proj); err != nil {
			t.Fatal(err)
		}
		srv, cat := serve(t, a)
		fr := func(key string, args ...any) string { return cat.T("fr", key, args...) }
		b := newBrowser(t, exe, srv.URL, kind+"-loans")
		login := func(user string) {
			b.open("/login")
			b.typeIn("#login", user)
			b.typeIn("#password", demoPassword)
			b.clickTo(`form[action="/login"] button[type="submit"]`, http.StatusOK)
		}
		handover := "/handovers/" + strconv.FormatInt(hid, 10)
		asset := "/peripherals/" + strconv.FormatInt(proj, 10)

		login("tech.paris")
		b.clickTo(`#nav a[href="/loans"]`, http.StatusOK)
		b.wantText("h1", fr("ui.loans.title"))
		b.wantContains("#overdue-list", "PC-ANG-0005", fr("ui.loans.days_late", 3))
		b.wantContains("#waiting-list", "PROJ-NTE-02", "Marie Dupont")
		b.wantContains("table.loan-cal", "PC-ANG-0005", "PC-ANG-0016")
		b.shots("loans")
		// A loan laptop's tab: its month of reservations, its hand-overs.
		var lap int64
		if err := a.DB.QueryRowContext(ctx, "SELECT id FROM computers WHERE name = 'PC-ANG-0016'").Scan(&lap); err != nil {
			t.Fatal(err)
		}
		b.open("/computers/" + strconv.FormatInt(lap, 10) + "?tab=handovers")
		b.wantVisible("table.loan-cal")
		b.wantContains("table.reservations", "Marie Dupont") // next week: maybe next month
		b.wantVisible("#reserve")
		b.clickTo(logoutButton, http.StatusOK)

		login("marie.dupont")
		b.wantPath("/portal")
		b.wantContains("#handovers-to-acknowledge", "PROJ-NTE-02")
		b.wantContains("#my-loans", "PROJ-NTE-02", "PC-ANG-0016")
		b.clickTo(`#handovers-to-acknowledge a[href="/portal`+handover+`"]`, http.StatusOK)
		b.wantText("h1", fr("ui.loans.portal_title", "PROJ-NTE-02"))
		b.wantContains("ul.accessories", "housse", "télécommande", "câble HDMI neuf")
		b.shots("portal-handover")
		b.clickTo("#acknowledge", http.StatusOK)
		b.wantPath("/portal" + handover + "?done=acknowledged")
		b.wantContains(".flash", fr("ui.done.acknowledged"))
		b.wantAbsent("#acknowledge")
		b.wantVisible("#ack-state")
		var at, from string
		var by int64
		if err := a.DB.QueryRowContext(ctx, "SELECT acknowledged_by_id, acknowledged_from, CAST(acknowledged_at AS TEXT) FROM handovers WHERE id = ?", hid).Scan(&by, &from, &at); err != nil {
			t.Fatal(err)
		}
		var marie int64
		a.DB.QueryRowContext(ctx, "SELECT id FROM users WHERE login = 'marie.dupont'").Scan(&marie)
		if by != marie || from != "127.0.0.1" || at == "" {
			t.Errorf("the acknowledgement recorded: by %d from %q at %q", by, from, at)
		}
		b.open("/portal")
		b.wantAbsent("#handovers-to-acknowledge")
		b.clickTo(logoutButton, http.StatusOK)

		login("tech.paris")
		b.open(handover)
		b.wantContains("#ack-state", "Marie Dupont", "127.0.0.1")
		b.open(asset + "?tab=handovers")
		b.wantContains("#handover-history", "Marie Dupont", "Confirmée le")
		b.open(handover)
		b.typeIn("#ci-acc", "housse, télécommande, câble HDMI")
		b.clickTo("#check-in-submit", http.StatusOK)
		b.wantContains(".flash", fr("ui.done.checked_in"))
		b.wantAbsent("#check-in")
		var user any
		if err := a.DB.QueryRowContext(ctx, "SELECT user_id FROM peripherals WHERE id = ?", proj).Scan(&user); err != nil || user != nil {
			t.Errorf("the projector's user after check-in: %v %v", user, err)
		}
		b.shots("handover-returned")
	})
}
