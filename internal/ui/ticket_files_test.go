package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"parc/internal/helpdesk"
	"parc/internal/record"
	"parc/internal/store"
	"parc/internal/storetest"
)

// TestTechnicianSeesTicketAttachments: files a requester or a mail attached are
// shown inline in the ticket's thread (those of the opening with its description)
// and download as attachments.
func TestTechnicianSeesTicketAttachments(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		ctx := context.Background()
		id := e.create("tickets", record.Input{"title": "Écran noir", "organization_id": e.sys.Tree.Root})
		tk, err := e.app.Records.Get(ctx, e.sys, e.app.Reg.MustType("tickets"), id)
		if err != nil {
			t.Fatal(err)
		}
		hd := helpdesk.NewService(e.app.Records)
		err = e.app.DB.Tx(ctx, func(tx *store.Tx) error {
			return hd.AddFilesTx(ctx, tx, tk, 0, []helpdesk.File{{Name: "photo-ecran.png", Type: "image/png", Content: []byte("\x89PNG fake")}})
		})
		if err != nil {
			t.Fatal(err)
		}
		b := e.browser("fr")
		b.login("admin", adminPassword)
		href := "/tickets/" + record.Format(id)
		files, _ := hd.Files(ctx, e.sys, id)
		if len(files) != 1 {
			t.Fatalf("%d files", len(files))
		}
		b.get(href).must(t, http.StatusOK, `<li class="tentry kind-description">`,
			`<a href="`+href+`/attachments/`+record.Format(files[0].ID)+`" download>photo-ecran.png</a>`)
		dl := b.get(href + "/attachments/" + record.Format(files[0].ID))
		if dl.Status != http.StatusOK || dl.Body != "\x89PNG fake" || dl.Header.Get("Content-Disposition") == "" {
			t.Fatalf("download: %d %q %v", dl.Status, dl.Body, dl.Header)
		}
	})
}

// TestTaskFormAssignsAndPlans: the technician's task form gives the task to another
// technician, typed by name, and plans it; an end before the start is refused with its message.
func TestTaskFormAssignsAndPlans(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		ctx := context.Background()
		bob, err := e.app.Auth.CreateUser(ctx, e.sys, "bob", "bob-password-123", "technician", e.sys.Tree.Root)
		if err != nil {
			t.Fatal(err)
		}
		id := e.create("tickets", record.Input{"title": "Déménagement du poste", "organization_id": e.sys.Tree.Root})
		b := e.browser("fr")
		b.login("admin", adminPassword)
		href := "/tickets/" + record.Format(id)
		b.get(href).must(t, http.StatusOK, `id="task-assignee"`, `data-suggest="/ui/suggest/ticket-tasks/user_id"`)
		// The assignee typed, as a browser without JavaScript posts it.
		p := b.post(href+"/tasks", url.Values{"_csrf": {b.csrf()}, "content": {"Brancher le poste"}, "user_id": {""}, "user_id__text": {"bob"}, "user_id__was": {""},
			"planned_start": {"2026-12-01T09:00"}, "planned_end": {"2026-12-01T10:30"}, "duration_minutes": {"0"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("task form: %d %s", p.Status, p.Body)
		}
		var who int64
		var start any
		if err := e.app.DB.QueryRowContext(ctx, "SELECT user_id, planned_start FROM ticket_tasks WHERE ticket_id = ?", id).Scan(&who, &start); err != nil {
			t.Fatal(err)
		}
		if who != bob.ID || start == nil {
			t.Fatalf("task given to %d, planned %v", who, start)
		}
		bad := b.post(href+"/tasks", url.Values{"_csrf": {b.csrf()}, "content": {"À l'envers"},
			"planned_start": {"2026-12-01T10:00"}, "planned_end": {"2026-12-01T09:00"}})
		if bad.Status == http.StatusSeeOther || !strings.Contains(bad.Body, e.cat.T("fr", "err.task_end_before_start")) {
			t.Fatalf("end before start: %d", bad.Status)
		}
	})
}
