package e2e_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"parc/internal/record"
	"parc/internal/storetest"
)

const (
	parisLogin    = "tech.paris"
	parisPassword = "tech-paris-password-1"
)

// TestBrowserTicketThread drives the ticket thread as a technician: a canned
// response fills the follow-up, which joins the thread; a task with its time, then
// a solution from a canned text; the thread tells it all in order and the status
// label reads solved.
func TestBrowserTicketThread(t *testing.T) {
	exe := chromium(t)
	storetest.EachStore(t, func(t *testing.T, kind string) {
		ctx := context.Background()
		a, sys, org := clientA(t, kind)
		if _, err := a.Auth.CreateUser(ctx, sys, parisLogin, parisPassword, "technician", org.ID); err != nil {
			t.Fatal(err)
		}
		create := func(typeName string, in record.Input) int64 {
			r, err := a.Records.Create(ctx, sys, a.Reg.MustType(typeName), in)
			if err != nil {
				t.Fatalf("create %s: %v", typeName, err)
			}
			return r.ID
		}
		cat := create("ticket-categories", record.Input{"name": "Impression", "organization_id": org.ID})
		create("canned-responses", record.Input{"name": "Premiers gestes", "kind": "followup", "category_id": cat, "organization_id": org.ID,
			"content": "Pouvez-vous éteindre puis rallumer l'imprimante ?"})
		create("canned-responses", record.Input{"name": "Bourrage retiré", "kind": "solution", "organization_id": org.ID,
			"content": "Le papier coincé a été retiré et les rouleaux nettoyés."})
		id := create("tickets", record.Input{"title": "Imprimante du 2e étage bloquée", "description": "Le voyant clignote en orange.",
			"category_id": cat, "urgency": 4, "organization_id": org.ID})
		srv, c := serve(t, a)
		fr := func(key string, args ...any) string { return c.T("fr", key, args...) }
		b := newBrowser(t, exe, srv.URL, kind+"-thread")
		b.open("/login")
		b.typeIn("#login", parisLogin)
		b.typeIn("#password", parisPassword)
		b.clickTo(`form[action="/login"] button[type="submit"]`, http.StatusOK)

		item := "/tickets/" + strconv.FormatInt(id, 10)
		b.open(item)
		b.wantContains("#ticket-status", fr("enum.status.new"))
		b.wantContains("#thread .kind-description", "Le voyant clignote en orange.")

		// A canned response fills the follow-up; the technician completes it.
		pick := func(sel, value string) {
			b.t.Helper()
			// As a choice with the keyboard or mouse does: the value, then the change event.
			b.wantVisible(sel)
			js := `(function(){var s=document.querySelector(` + strconv.Quote(sel) + `); s.value=` + strconv.Quote(value) +
				`; return s.dispatchEvent(new Event("change", {bubbles: true}));})()`
			get(b, "pick "+value+" in "+sel, chromedp.Evaluate[bool](js))
		}
		pick("#fu-content-canned", "1")
		b.wantValue("#fu-content", "Pouvez-vous éteindre puis rallumer l'imprimante ?")
		b.typeIn("#fu-content", " Merci.")
		b.clickTo(`#followup-form button[type="submit"]`, http.StatusOK)
		b.wantPath(item + "?done=followup#thread")
		b.wantContains("#thread .kind-followup", "Pouvez-vous éteindre puis rallumer l'imprimante ? Merci.", fr("timeline.public"))

		// A task with the time it took.
		b.click("#add-task summary")
		b.typeIn("#task-content", "Bourrage retiré du bac 2")
		b.clear("#task-minutes")
		b.typeIn("#task-minutes", "45")
		b.click("#task-done")
		b.clickTo(`#task-form button[type="submit"]`, http.StatusOK)
		b.wantPath(item + "?done=task#thread")
		b.wantContains("#thread .kind-task", "Bourrage retiré du bac 2", fr("timeline.task_spent", "45 min"), fr("timeline.task_done"))

		// The solution from a canned text.
		b.click("#add-solution summary")
		pick("#sol-text-canned", "2")
		b.wantValue("#sol-text", "Le papier coincé a été retiré et les rouleaux nettoyés.")
		b.choose("#sol-type", "fixed")
		b.clickTo(`#solution-form button[type="submit"]`, http.StatusOK)
		b.wantPath(item + "?done=solved#thread")
		b.wantContains("#ticket-status", fr("enum.status.solved"))
		b.wantContains("#thread .kind-solution", "Le papier coincé a été retiré", fr("enum.solution_type.fixed"))
		b.shots("thread")
		b.noPageErrors()
	})
}
