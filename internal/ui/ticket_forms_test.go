package ui_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"parc/internal/record"
	"parc/internal/storetest"
)

// ticketState is what a refused form must leave untouched: the ticket's version,
// status and parts used, its follow-ups, tasks and history lines.
type ticketState struct {
	version                  int64
	status, parts            string
	followups, tasks, events int
}

func (e *env) ticketState(id int64) ticketState {
	e.t.Helper()
	ctx := context.Background()
	db := e.app.DB
	var s ticketState
	var parts *string
	err := db.QueryRowContext(ctx, `SELECT version, status, parts_used,
		(SELECT COUNT(*) FROM ticket_followups WHERE ticket_id = t.id),
		(SELECT COUNT(*) FROM ticket_tasks WHERE ticket_id = t.id),
		(SELECT COUNT(*) FROM history WHERE record_type = 'tickets' AND record_id = t.id)
		FROM tickets t WHERE id = ?`, id).Scan(&s.version, &s.status, &parts, &s.followups, &s.tasks, &s.events)
	if err != nil {
		e.t.Fatal(err)
	}
	if parts != nil {
		s.parts = *parts
	}
	return s
}

// TestTicketFormsShowTheirErrors posts refused forms on the technician's ticket
// page: each answers the ticket page again (422, or 409 after a version conflict)
// with the message by the form and what was typed, and writes nothing.
func TestTicketFormsShowTheirErrors(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		ctx := context.Background()
		root := e.sys.Tree.Root
		if _, err := e.app.Auth.CreateUser(ctx, e.sys, "tech", "tech-password-123", "technician", root); err != nil {
			t.Fatal(err)
		}
		level2 := e.create("groups", record.Input{"name": "Niveau 2", "organization_id": root, "support_level": 2})
		id := e.create("tickets", record.Input{"title": "Écran qui clignote", "organization_id": root})
		href := "/tickets/" + record.Format(id)
		fr := func(key string, args ...any) string { return html.EscapeString(e.cat.T("fr", key, args...)) }
		en := func(key string, args ...any) string { return html.EscapeString(e.cat.T("en", key, args...)) }
		esc := html.EscapeString

		cases := []struct {
			name   string
			lang   string
			path   string
			form   url.Values
			status int
			want   []string // in the page: the messages, and what was typed
		}{
			{"empty follow-up", "fr", "/followups", url.Values{"content": {""}, "private": {"on"}}, http.StatusUnprocessableEntity,
				[]string{fr("err.invalid"), `<p class="field-error" id="followups-content-err">` + fr("err.required") + `</p>`, `id="fu-private" checked`,
					`aria-invalid="true" aria-describedby="followups-content-err"`}},
			{"task ending before its start", "fr", "/tasks", url.Values{"content": {"Remplacer l'écran du poste"}, "planned_start": {"2026-12-01T10:00"},
				"planned_end": {"2026-12-01T09:00"}, "duration_minutes": {"45"}, "done": {"on"}}, http.StatusUnprocessableEntity,
				[]string{`<p class="field-error" id="tasks-planned-end-err">` + fr("err.task_end_before_start") + `</p>`, `aria-invalid="true" aria-describedby="tasks-planned-end-err"`, ">" + esc("Remplacer l'écran du poste") + "</textarea>",
					`value="2026-12-01T10:00"`, `value="2026-12-01T09:00"`, `value="45"`, `id="task-done" checked`}},
			{"closing an unsolved ticket", "fr", "/status", url.Values{"status": {"closed"}, "version": {"1"}}, http.StatusUnprocessableEntity,
				[]string{fr("err.ticket_close_unsolved"), `id="status-form"`}},
			{"pending without a reason", "en", "/status", url.Values{"status": {"pending"}, "pending_reason": {""}, "version": {"1"}}, http.StatusUnprocessableEntity,
				[]string{en("err.invalid"), `<p class="field-error" id="status-pending-reason-err">` + en("err.ticket_pending_reason") + `</p>`, `aria-describedby="st-reason-hint status-pending-reason-err" aria-invalid="true"`, `<option value="pending" selected>`}},
			{"stale version", "fr", "/status", url.Values{"status": {"pending"}, "pending_reason": {"Attente du fournisseur"}, "version": {"0"}}, http.StatusConflict,
				[]string{fr("err.version_conflict", 1), fr("ui.form.reload"), `value="Attente du fournisseur"`, `name="version" value="0"`}},
			{"solution without text", "fr", "/solution", url.Values{"solution": {""}, "solution_type": {"workaround"}, "parts_used": {"Câble HDMI 2 m"}}, http.StatusUnprocessableEntity,
				[]string{`<p class="field-error" id="solution-solution-err">` + fr("err.required") + `</p>`, `aria-invalid="true" aria-describedby="solution-solution-err"`, ">" + esc("Câble HDMI 2 m") + "</textarea>", `<option value="workaround" selected>`}},
			{"escalation without a reason", "en", "/escalate", url.Values{"group_id": {record.Format(level2)}, "group_id__text": {"Niveau 2"}, "group_id__was": {"Niveau 2"}, "reason": {"  "}}, http.StatusUnprocessableEntity,
				[]string{`<p class="field-error" id="escalate-reason-err">` + en("err.required") + `</p>`, `aria-invalid="true" aria-describedby="escalate-reason-err"`,
					`name="group_id" value="` + record.Format(level2) + `"`, `name="group_id__text" type="text" value="Niveau 2"`}},
		}
		before := e.ticketState(id)
		for _, c := range cases {
			b := e.browser(c.lang)
			b.login("tech", "tech-password-123")
			c.form.Set("_csrf", b.csrf())
			p := b.post(href+c.path, c.form)
			if p.Status != c.status {
				t.Fatalf("%s: status %d, want %d; body:\n%s", c.name, p.Status, c.status, p.Body)
			}
			p.must(t, c.status, append(c.want, `<h1>`+esc("#"+record.Format(id)+" Écran qui clignote")+`</h1>`)...)
			if strings.Contains(p.Body, `class="error-page"`) {
				t.Fatalf("%s: the error page instead of the ticket", c.name)
			}
			if after := e.ticketState(id); after != before {
				t.Fatalf("%s wrote something: %+v, was %+v", c.name, after, before)
			}
		}

		// The same form, filled in, goes through and comes back to the ticket.
		b := e.browser("fr")
		b.login("tech", "tech-password-123")
		p := b.post(href+"/status", url.Values{"_csrf": {b.csrf()}, "status": {"pending"}, "pending_reason": {"Attente du fournisseur"}, "version": {"1"}})
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != href+"?done=status" {
			t.Fatalf("status form: %d %s", p.Status, p.Header.Get("Location"))
		}
		b.follow(p).must(t, http.StatusOK, fr("ui.done.status"), `value="Attente du fournisseur"`)
		if s := e.ticketState(id); s.status != "pending" || s.version != 2 {
			t.Fatalf("after the status form: %+v", s)
		}

		// The time spent counts the live tasks; the solution form writes the parts
		// with the solution, and the report shows both.
		tasks := e.app.Reg.MustType("ticket-tasks")
		for _, minutes := range []int{45, 30, 100} {
			e.create("ticket-tasks", record.Input{"ticket_id": id, "organization_id": root, "content": "Intervention", "duration_minutes": minutes})
		}
		page, err := e.app.Records.List(ctx, e.sys, tasks, record.ListQuery{Sort: "-duration_minutes", Limit: 1})
		if err != nil || len(page.Records) != 1 {
			t.Fatal(err)
		}
		if err := e.app.Records.Trash(ctx, e.sys, tasks, page.Records[0].ID); err != nil {
			t.Fatal(err)
		}
		b.get(href).must(t, http.StatusOK, fr("ui.ticket.total_time", fr("ui.duration.hours_minutes", 1, 15)))
		p = b.post(href+"/solution", url.Values{"_csrf": {b.csrf()}, "solution": {"Câble remplacé"}, "solution_type": {"fixed"}, "parts_used": {"Câble HDMI 2 m"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("solution form: %d %s", p.Status, p.Body)
		}
		if s := e.ticketState(id); s.status != "solved" || s.parts != "Câble HDMI 2 m" {
			t.Fatalf("after the solution form: %+v", s)
		}
		b.get(href+"/report").must(t, http.StatusOK, esc("Câble HDMI 2 m"), `id="report-total">`+fr("ui.duration.hours_minutes", 1, 15)+`<`)
	})
}

// TestSolveFromArticle: the solution form with an article and no text takes the
// article's text, writes the parts used, and links the article to the ticket; an
// article in the trash is refused by the field and writes nothing.
func TestSolveFromArticle(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		ctx := context.Background()
		root := e.sys.Tree.Root
		art := e.create("kb-articles", record.Input{"title": "Imprimante bloquée", "body": "Ouvrir le bac 2 et retirer le papier.",
			"published": true, "organization_id": root})
		old := e.create("kb-articles", record.Input{"title": "Ancienne procédure", "body": "Redémarrer.", "published": true, "organization_id": root})
		if err := e.app.Records.Trash(ctx, e.sys, e.app.Reg.MustType("kb-articles"), old); err != nil {
			t.Fatal(err)
		}
		id := e.create("tickets", record.Input{"title": "Bourrage papier", "organization_id": root})
		href := "/tickets/" + record.Format(id)
		b := e.browser("fr")
		b.login("admin", adminPassword)

		before := e.ticketState(id)
		p := b.post(href+"/solution", url.Values{"_csrf": {b.csrf()}, "kb_article_id": {record.Format(old)}, "parts_used": {"Rouleau"}})
		p.must(t, http.StatusUnprocessableEntity, html.EscapeString(e.cat.T("fr", "err.bad_reference")))
		if after := e.ticketState(id); after != before {
			t.Fatalf("a refused article wrote something: %+v, was %+v", after, before)
		}

		p = b.post(href+"/solution", url.Values{"_csrf": {b.csrf()}, "kb_article_id": {record.Format(art)}, "solution_type": {"fixed"}, "parts_used": {"Rouleau"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("solution from an article: %d %s", p.Status, p.Body)
		}
		tk, err := e.app.Records.Get(ctx, e.sys, e.app.Reg.MustType("tickets"), id)
		if err != nil {
			t.Fatal(err)
		}
		if tk.String("status") != "solved" || tk.String("solution") != "Ouvrir le bac 2 et retirer le papier." || tk.String("parts_used") != "Rouleau" {
			t.Fatalf("ticket after the form: %s %q %q", tk.String("status"), tk.String("solution"), tk.String("parts_used"))
		}
		links, err := e.app.Records.List(ctx, e.sys, e.app.Reg.MustType("kb-article-tickets"), record.ListQuery{
			Filters: []record.Filter{{Field: "ticket_id", Op: record.OpEq, Value: record.Format(id)}}})
		if err != nil || len(links.Records) != 1 || links.Records[0].Int("article_id") != art {
			t.Fatalf("article links: %v %+v", err, links)
		}
	})
}
