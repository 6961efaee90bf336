package ui_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"parc/internal/record"
	"parc/internal/storetest"
)

// TestTicketThreadOrder: the ticket page tells the ticket's life in one thread,
// in the order it happened: the description, a private follow-up, a task with its
// time in hours and minutes, a status change, an approval, an escalation and the
// solution; the header labels the status and priority in words and hides the
// fields left empty.
func TestTicketThreadOrder(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		e.app.Records.Now = func() time.Time { return now }
		tick := func() { now = now.Add(10 * time.Minute) }
		root := e.sys.Tree.Root
		tech, err := e.app.Auth.CreateUser(ctx, e.sys, "tech", "tech-password-123", "technician", root)
		if err != nil {
			t.Fatal(err)
		}
		level2 := e.create("groups", record.Input{"name": "Niveau 2", "organization_id": root, "support_level": 2})
		id := e.create("tickets", record.Input{"title": "Écran noir", "description": "Écran noir depuis lundi", "organization_id": root,
			"impact": 4, "urgency": 4})
		href := "/tickets/" + record.Format(id)
		b := e.browser("fr")
		b.login("tech", "tech-password-123")
		post := func(path string, form url.Values) {
			t.Helper()
			form.Set("_csrf", b.csrf())
			if p := b.post(href+path, form); p.Status != http.StatusSeeOther {
				t.Fatalf("%s: %d %s", path, p.Status, p.Body)
			}
		}
		tick()
		post("/followups", url.Values{"content": {"Tester un autre câble"}, "private": {"on"}})
		tick()
		post("/tasks", url.Values{"content": {"Remplacer le câble HDMI"}, "duration_minutes": {"90"}, "done": {"on"}})
		tick()
		post("/status", url.Values{"status": {"pending"}, "pending_reason": {"Attente du câble"}})
		tick()
		post("/approvals", url.Values{"user_id": {record.Format(tech.ID)}, "comment": {"Achat d'un câble"}})
		var approval int64
		if err := e.app.DB.QueryRowContext(ctx, "SELECT id FROM ticket_approvals WHERE ticket_id = ?", id).Scan(&approval); err != nil {
			t.Fatal(err)
		}
		if p := b.post("/portal/approvals/"+record.Format(approval)+"/approve", url.Values{"_csrf": {b.csrf()}, "comment": {"Accord du service achats"}}); p.Status != http.StatusSeeOther {
			t.Fatalf("approve: %d", p.Status)
		}
		tick()
		post("/escalate", url.Values{"group_id": {record.Format(level2)}, "reason": {"Matériel à commander"}})
		tick()
		post("/solution", url.Values{"solution": {"Câble remplacé, écran rallumé"}, "solution_type": {"fixed"}})

		fr := func(key string, args ...any) string { return html.EscapeString(e.cat.T("fr", key, args...)) }
		p := b.get(href).must(t, http.StatusOK, fr("timeline.priority.4"), fr("timeline.level.4"), `id="ticket-status"`)
		order := []string{
			`kind-description`, "Écran noir depuis lundi",
			`kind-followup private`, "Tester un autre câble",
			`kind-task`, fr("timeline.task_spent", fr("ui.duration.hours_minutes", 1, 30)), "Remplacer le câble HDMI",
			`kind-status`, fr("timeline.entry.status", fr("enum.status.new"), fr("enum.status.pending")),
			`kind-approval`, "Accord du service achats", "Achat d&#39;un câble",
			`kind-escalation`, fr("timeline.entry.escalation", "0", "2"), "Matériel à commander",
			`kind-solution`, "Câble remplacé, écran rallumé",
		}
		at := 0
		for _, w := range order {
			i := strings.Index(p.Body[at:], w)
			if i < 0 {
				t.Fatalf("%q missing or out of order after byte %d; body:\n%s", w, at, p.Body)
			}
			at += i + len(w)
		}
		// Empty fields are not shown; neither are bare levels.
		for _, absent := range []string{"<dt>" + fr("field.location_id") + "</dt>", "<dt>" + fr("field.satisfaction") + "</dt>",
			"<dt>" + fr("field.waiting_seconds") + "</dt>", "<dd>4</dd>"} {
			if strings.Contains(p.Body, absent) {
				t.Fatalf("the page shows %q", absent)
			}
		}
	})
}

// TestCannedResponsesOffered: the thread's follow-up and solution forms offer the
// active canned responses of the ticket's category, of its parent and of every
// category, not those of another category nor inactive ones; a technician writes
// them through the record pages, with their history.
func TestCannedResponsesOffered(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		ctx := context.Background()
		root := e.sys.Tree.Root
		if _, err := e.app.Auth.CreateUser(ctx, e.sys, "tech", "tech-password-123", "technician", root); err != nil {
			t.Fatal(err)
		}
		hw := e.create("ticket-categories", record.Input{"name": "Matériel", "organization_id": root})
		printer := e.create("ticket-categories", record.Input{"name": "Imprimante", "parent_id": hw, "organization_id": root})
		mail := e.create("ticket-categories", record.Input{"name": "Messagerie", "organization_id": root})
		b := e.browser("fr")
		b.login("tech", "tech-password-123")
		p := b.post("/canned-responses/new", url.Values{"_csrf": {b.csrf()}, "name": {"Relancer le spouleur"}, "kind": {"followup"},
			"category_id": {record.Format(printer)}, "content": {"Pouvez-vous redémarrer l'imprimante ?"}, "active": {"true"}, "organization_id": {record.Format(root)}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("new canned response: %d %s", p.Status, p.Body)
		}
		e.create("canned-responses", record.Input{"name": "Matériel changé", "kind": "solution", "category_id": hw, "content": "Pièce remplacée.", "organization_id": root})
		e.create("canned-responses", record.Input{"name": "Précisions", "kind": "followup", "content": "Depuis quand ?", "organization_id": root})
		e.create("canned-responses", record.Input{"name": "Boîte pleine", "kind": "solution", "category_id": mail, "content": "Boîte archivée.", "organization_id": root})
		e.create("canned-responses", record.Input{"name": "Ancien texte", "kind": "followup", "content": "Obsolète.", "active": false, "organization_id": root})

		id := e.create("tickets", record.Input{"title": "Imprimante bloquée", "category_id": printer, "organization_id": root})
		page := b.get("/tickets/"+record.Format(id)).must(t, http.StatusOK,
			`<select id="fu-content-canned" class="canned" data-target="fu-content">`,
			`data-text="Pouvez-vous redémarrer l&#39;imprimante ?">Relancer le spouleur</option>`,
			`data-text="Depuis quand ?">Précisions</option>`,
			`<select id="sol-text-canned" class="canned" data-target="sol-text">`,
			`data-text="Pièce remplacée.">Matériel changé</option>`)
		for _, absent := range []string{"Boîte pleine", "Ancien texte"} {
			if strings.Contains(page.Body, absent) {
				t.Fatalf("the thread offers %q", absent)
			}
		}
		// The follow-up form offers follow-up texts only.
		fu := page.Body[strings.Index(page.Body, `id="followup-form"`):strings.Index(page.Body, `id="task-form"`)]
		if strings.Contains(fu, "Matériel changé") {
			t.Fatal("a solution text is offered for a follow-up")
		}
		hist, err := e.app.Records.History(ctx, e.sys, e.app.Reg.MustType("canned-responses"), 1, 10, 0)
		if err != nil || len(hist) == 0 || hist[0].UserName != "tech" {
			t.Fatalf("history of the canned response: %v %+v", err, hist)
		}
	})
}
