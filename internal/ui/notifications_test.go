package ui_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"parc/internal/record"
	"parc/internal/storetest"
)

var bellCountRe = regexp.MustCompile(`<span class="badge count" id="bell-count">([^<]+)</span>`)

// bellCount is the unread count the header's bell shows on the home page ("" for none).
func bellCount(t *testing.T, b *browser) string {
	t.Helper()
	p := b.get("/").must(t, http.StatusOK, `id="bell"`)
	if m := bellCountRe.FindStringSubmatch(p.Body); m != nil {
		return m[1]
	}
	return ""
}

// TestNotificationsFromEventToRead follows helpdesk events into a technician's
// bell: a ticket for their group and a follow-up on it are two unread
// notifications; the notifications page shows them as new and marks them read;
// an assignment is one more, read by opening it; a notification on a ticket of an
// organisation they do not read is never shown; another user's notification
// cannot be opened; the page is paginated.
func TestNotificationsFromEventToRead(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		ctx := context.Background()
		client := e.org("Client A")
		other := e.org("Client B")
		tech, err := e.app.Auth.CreateUser(ctx, e.sys, "tech", "tech-password-123", "technician", client)
		if err != nil {
			t.Fatal(err)
		}
		group := e.create("groups", record.Input{"name": "Support", "organization_id": client})
		e.create("group-members", record.Input{"group_id": group, "user_id": tech.ID, "organization_id": client})
		b := e.browser("fr")
		b.login("tech", "tech-password-123")
		if n := bellCount(t, b); n != "" {
			t.Fatalf("bell shows %q before any event", n)
		}

		ticket := e.create("tickets", record.Input{"title": "Imprimante en panne", "organization_id": client, "assigned_group_id": group})
		e.create("ticket-followups", record.Input{"ticket_id": ticket, "organization_id": client, "content": "Le bac 2 est vide."})
		// A ticket for the group, then moved to Client B, which tech does not read.
		moved := e.create("tickets", record.Input{"title": "Ticket d'un autre client", "organization_id": client, "assigned_group_id": group})
		if _, err := e.app.DB.Exec(ctx, "UPDATE tickets SET organization_id = ?, assigned_group_id = NULL WHERE id = ?", other, moved); err != nil {
			t.Fatal(err)
		}
		if n := bellCount(t, b); n != "2" {
			t.Fatalf("bell shows %q after a new ticket and a follow-up, want 2", n)
		}
		p := b.get("/notifications").must(t, http.StatusOK, "Imprimante en panne", e.cat.T("fr", "notif.event.created"), e.cat.T("fr", "notif.event.followup"))
		p.lacks(t, "Ticket d'un autre client")
		if got := strings.Count(p.Body, `<li class="unread">`); got != 2 {
			t.Errorf("%d notifications shown as new, want 2", got)
		}
		if n := bellCount(t, b); n != "" {
			t.Fatalf("bell shows %q once the notifications were seen", n)
		}
		p = b.get("/notifications").must(t, http.StatusOK, "Imprimante en panne")
		p.lacks(t, `<li class="unread">`)

		// Assigned to tech: one more, read by opening it.
		if _, err := e.app.Records.Update(ctx, e.sys, e.app.Reg.MustType("tickets"), ticket, record.Input{"assigned_user_id": tech.ID}); err != nil {
			t.Fatal(err)
		}
		if n := bellCount(t, b); n != "1" {
			t.Fatalf("bell shows %q after an assignment, want 1", n)
		}
		var id int64
		if err := e.app.DB.QueryRowContext(ctx, "SELECT MAX(id) FROM notifications WHERE user_id = ? AND event = 'assigned'", tech.ID).Scan(&id); err != nil {
			t.Fatal(err)
		}
		p = b.get("/notifications/" + strconv.FormatInt(id, 10))
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/tickets/"+strconv.FormatInt(ticket, 10) {
			t.Fatalf("opening a notification: %d %s", p.Status, p.Header.Get("Location"))
		}
		if n := bellCount(t, b); n != "" {
			t.Fatalf("bell shows %q after opening the notification", n)
		}
		// A new follow-up, seen by opening the ticket's page directly.
		e.create("ticket-followups", record.Input{"ticket_id": ticket, "organization_id": client, "content": "Le voyant clignote encore."})
		if n := bellCount(t, b); n != "1" {
			t.Fatalf("bell shows %q after a follow-up, want 1", n)
		}
		b.get("/tickets/"+strconv.FormatInt(ticket, 10)).must(t, http.StatusOK, "Le voyant clignote encore.")
		if n := bellCount(t, b); n != "" {
			t.Fatalf("bell shows %q after opening the ticket's page", n)
		}

		// Another user's notification, and one on a ticket tech does not read.
		var foreign int64
		if err := e.app.DB.QueryRowContext(ctx, "SELECT n.id FROM notifications n JOIN tickets t ON t.id = n.ticket_id WHERE t.organization_id = ?", other).Scan(&foreign); err != nil {
			t.Fatal(err)
		}
		b.get("/notifications/"+strconv.FormatInt(foreign, 10)).must(t, http.StatusNotFound)
		a := e.browser("fr")
		a.login("admin", adminPassword)
		a.get("/notifications/"+strconv.FormatInt(id, 10)).must(t, http.StatusNotFound)

		// Pagination: 35 follow-ups make 35 more notifications, 30 on the first page.
		for i := range 35 {
			e.create("ticket-followups", record.Input{"ticket_id": ticket, "organization_id": client, "content": "Relance " + strconv.Itoa(i)})
		}
		if n := bellCount(t, b); n != "35" {
			t.Fatalf("bell shows %q after 35 follow-ups", n)
		}
		p = b.get("/notifications").must(t, http.StatusOK, `rel="next"`)
		if got := strings.Count(p.Body, `<li class="unread">`); got != 30 {
			t.Errorf("first page shows %d new notifications, want 30", got)
		}
		next := regexp.MustCompile(`<a href="([^"]+)" rel="next">`).FindStringSubmatch(p.Body)
		p = b.get(strings.ReplaceAll(next[1], "&amp;", "&")).must(t, http.StatusOK)
		if got := strings.Count(p.Body, `<li class="unread">`); got != 5 {
			t.Errorf("second page shows %d new notifications, want 5", got)
		}
		p.lacks(t, `rel="next"`)
		if n := bellCount(t, b); n != "" {
			t.Fatalf("bell shows %q after both pages were seen", n)
		}
	})
}
