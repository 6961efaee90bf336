package e2e_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"
	"time"

	"parc/internal/i18n"
	"parc/internal/record"
	"parc/internal/storetest"
)

const (
	reqLogin    = "alice.e2e"
	reqPassword = "alice-password-e2e-1"
)

// TestBrowserHelpdesk is the helpdesk scenario in a real browser: a requester
// opens a ticket from the portal (with a knowledge-base suggestion on the way and
// their own computer as the asset), the technician takes it, adds a task and a
// solution, and the requester accepts it: the ticket closes.
func TestBrowserHelpdesk(t *testing.T) {
	t.Parallel()
	exe := chromium(t)
	storetest.EachStore(t, func(t *testing.T, kind string) {
		start := time.Now()
		srv, cat, pc := startHelpdesk(t, kind)
		fr := func(key string, args ...any) string { return cat.T("fr", key, args...) }
		b := newBrowser(t, exe, srv.URL, kind+"-helpdesk")
		login := func(user, password string) {
			b.open("/login")
			b.typeIn("#login", user)
			b.typeIn("#password", password)
			b.clickTo(`form[action="/login"] button[type="submit"]`, http.StatusOK)
		}

		// The requester lands in the portal and cannot reach technician pages.
		login(reqLogin, reqPassword)
		b.wantPath("/portal")
		b.wantText("h1", fr("portal.title"))
		b.open("/computers")
		b.wantPath("/portal")
		b.wantAbsent(`#nav a[href="/computers"]`)

		// Report an incident: the title brings a FAQ article; their computer is offered.
		b.clickTo("#new-incident", http.StatusOK)
		b.wantPath("/portal/new?type=incident")
		b.wantText("h1", fr("portal.new_incident"))
		b.typeIn("#p-title", "Imprimante du coul")
		b.wantVisible("#kb-suggest li a")
		b.wantContains("#kb-suggest", "Débloquer l'imprimante du couloir")
		b.typeIn("#p-title", "oir bloquée")
		b.typeIn("#p-description", "Le voyant clignote en orange.")
		b.choose("#p-urgency", "4")
		b.choose("#p-asset", "computers:"+strconv.FormatInt(pc, 10))
		b.shots("portal-new")
		b.clickTo("#p-submit", http.StatusOK)
		m := regexp.MustCompile(`^/portal/tickets/(\d+)\?done=ticket_created$`).FindStringSubmatch(b.path())
		if m == nil {
			b.fatalf("after sending: at %s", b.path())
		}
		id := m[1]
		b.wantText(".flash.ok", fr("ui.done.ticket_created"))
		b.wantText("#ticket-status", fr("enum.status.new"))
		b.wantContains("dl.meta", "PC-ALICE")
		b.clickTo(logoutButton, http.StatusOK)

		// The technician takes it, adds a done task and solves it.
		login(techLogin, techPassword)
		b.wantPath("/")
		item := "/tickets/" + id
		b.open(item)
		b.wantText("h1", "#"+id+" Imprimante du couloir bloquée")
		b.clickTo("#take", http.StatusOK)
		b.wantPath(item + "?done=taken")
		b.wantText(".flash.ok", fr("ui.done.taken"))
		b.click("#add-task summary")
		b.typeIn("#task-content", "Bourrage retiré du bac 2")
		b.clear("#task-minutes")
		b.typeIn("#task-minutes", "30")
		b.click("#task-done")
		b.clickTo(`#task-form button[type="submit"]`, http.StatusOK)
		b.wantPath(item + "?done=task#thread")
		b.wantContains("#thread", "Bourrage retiré du bac 2", "30 min")
		b.click("#add-solution summary")
		b.typeIn("#sol-text", "Papier coincé retiré, rouleaux nettoyés.")
		b.choose("#sol-type", "fixed")
		b.clickTo(`#solution-form button[type="submit"]`, http.StatusOK)
		b.wantPath(item + "?done=solved#thread")
		b.wantText(".flash.ok", fr("ui.done.solved"))

		// The intervention report lists the task, the time and the solution.
		b.open(item + "/report")
		b.wantText("h1", fr("ui.report.title", mustInt(t, id)))
		b.wantContains("#report-tasks", "Bourrage retiré du bac 2")
		b.wantText("#report-total", "30 min")
		b.wantContains("#report-solution", "Papier coincé retiré")
		b.shots("report")
		b.clickTo(logoutButton, http.StatusOK)

		// The requester accepts the solution with a rating: the ticket closes.
		login(reqLogin, reqPassword)
		b.open("/portal/tickets/" + id)
		b.wantText("#ticket-status", fr("enum.status.solved"))
		b.wantContains("#solution", "Papier coincé retiré")
		b.click("#star-5")
		b.typeIn("#accept-comment", "Merci !")
		b.clickTo("#accept", http.StatusOK)
		b.wantPath("/portal/tickets/" + id + "?done=accepted")
		b.wantText(".flash.ok", fr("ui.done.accepted"))
		b.wantText("#ticket-status", fr("enum.status.closed"))
		b.wantContains("#satisfaction", fr("portal.your_rating", 5))
		b.wantAbsent("#reply-form")
		b.shots("portal-closed")

		b.noPageErrors()
		t.Logf("%s: helpdesk scenario ran in %s", kind, time.Since(start).Round(time.Millisecond))
	})
}

func mustInt(t *testing.T, s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// startHelpdesk serves parc with an organisation, its technician, a requester
// who owns a computer, and a published FAQ article; it returns the computer's id.
func startHelpdesk(t *testing.T, kind string) (*httptest.Server, *i18n.Catalog, int64) {
	t.Helper()
	ctx := context.Background()
	a, sys, org := clientA(t, kind)
	alice, err := a.Auth.CreateUser(ctx, sys, reqLogin, reqPassword, "self-service", org.ID)
	if err != nil {
		t.Fatal(err)
	}
	create := func(typeName string, in record.Input) int64 {
		r, err := a.Records.Create(ctx, sys, a.Reg.MustType(typeName), in)
		if err != nil {
			t.Fatalf("create %s: %v", typeName, err)
		}
		return r.ID
	}
	pc := create("computers", record.Input{"name": "PC-ALICE", "serial": "SN-A1", "user_id": alice.ID, "organization_id": org.ID})
	create("computers", record.Input{"name": "PC-OTHER", "organization_id": org.ID})
	create("kb-articles", record.Input{"title": "Débloquer l'imprimante du couloir", "body": "Ouvrez le bac 2.", "visibility": "public",
		"published": true, "organization_id": org.ID})
	create("ticket-categories", record.Input{"name": "Impression", "organization_id": org.ID})
	srv, cat := serve(t, a)
	return srv, cat, pc
}
