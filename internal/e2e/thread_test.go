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
// the ticket assigned to a technician and a computer linked, both chosen by
// typing part of their name; a solution from a canned text; the thread tells it
// all in order and the status label reads solved.
func TestBrowserTicketThread(t *testing.T) {
	t.Parallel()
	exe := chromium(t)
	storetest.EachStore(t, func(t *testing.T, kind string) {
		ctx := context.Background()
		a, sys, org := clientA(t, kind)
		if _, err := a.Auth.CreateUser(ctx, sys, parisLogin, parisPassword, "technician", org.ID); err != nil {
			t.Fatal(err)
		}
		julien, err := a.Auth.CreateUser(ctx, sys, "julien.moreau", "julien-moreau-password-1", "technician", org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Records.Update(ctx, sys, a.Reg.MustType("users"), julien.ID, record.Input{"firstname": "Julien", "lastname": "Moreau", "version": julien.Version}); err != nil {
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
		pc := create("computers", record.Input{"name": "PC-NTE-0002", "serial": "SN-NTE-2", "organization_id": org.ID})
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
		b.wantContains("#thread .kind-task .entry-head", parisLogin) // who wrote it, as a follow-up says

		// Assigned to a technician typed by part of his name, picked with the keyboard.
		b.click("#add-assign summary")
		b.wantAttr("#as-user", "role", "combobox")
		b.typeIn("#as-user", "moreau")
		b.waitTrue(`!document.getElementById("as-user-list").hidden`)
		b.wantContains("#as-user-list", "Julien Moreau")
		b.shots("assign")
		b.press("ArrowDown")
		b.press("Enter")
		b.wantValue("#as-user", "Julien Moreau")
		b.wantValue(`#assign-form input[name="assigned_user_id"]`, strconv.FormatInt(julien.ID, 10))
		b.clickTo(`#assign-form button[type="submit"]`, http.StatusOK)
		b.wantPath(item + "?done=assigned#thread")
		b.wantContains(".ticket-head .facts", "Julien Moreau")
		b.wantContains("#thread", fr("timeline.entry.assigned", "Julien Moreau"))

		// A computer linked by typing its name, on the assets tab.
		b.open(item + "?tab=assets")
		b.typeIn("#it-id", "nte-0002")
		b.waitTrue(`!document.getElementById("it-id-list").hidden`)
		b.wantContains("#it-id-list", "PC-NTE-0002")
		b.press("ArrowDown")
		b.press("Enter")
		b.wantValue(`#link-form input[name="item_id"]`, strconv.FormatInt(pc, 10))
		b.shots("link")
		b.clickTo(`#link-form button[type="submit"]`, http.StatusOK)
		b.wantPath(item + "?tab=assets&done=linked")
		b.wantContains("main .links h3", "PC-NTE-0002")
		b.open(item)

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
