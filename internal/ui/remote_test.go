package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"parc/internal/ingest"
	"parc/internal/inventory/glpi"
	"parc/internal/inventory/inventorytest"
	"parc/internal/record"
	"parc/internal/storetest"
)

// remoteHistory lists the remote-control lines of a record's history.
func (e *env) remoteHistory(typ string, id int64) []string {
	e.t.Helper()
	rows, err := e.app.DB.QueryContext(context.Background(), "SELECT new_value FROM history WHERE record_type = ? AND record_id = ? AND field = 'remote' ORDER BY id", typ, id)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// TestRemoteLaunchRecorded: a computer inventoried by GLPI Agent with TeamViewer
// offers RDP, SSH and VNC to its address and TeamViewer to its id; a launch is a
// POST that writes the computer's history (and the ticket's, from a ticket it is
// linked to) and sends the browser to the tool; who may not work on the computer,
// a ticket it is not linked to, or an unknown tool record nothing.
func TestRemoteLaunchRecorded(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		ctx := context.Background()
		root := e.sys.Tree.Root
		inv, err := glpi.ParseInventory(inventorytest.Read(t, "glpi-inventory-format/computer_1.json"))
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.app.Inventory.Ingest(ctx, inv, ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		pc := res.ComputerID
		var ip string
		if err := e.app.DB.QueryRowContext(ctx, "SELECT COALESCE(primary_ip, '') FROM computers WHERE id = ?", pc).Scan(&ip); err != nil || ip == "" {
			t.Fatalf("primary IP %q: %v", ip, err)
		}
		for _, u := range []struct{ login, profile string }{{"tech", "technician"}, {"watcher", "observer"}} {
			if _, err := e.app.Auth.CreateUser(ctx, e.sys, u.login, u.login+"-password-123", u.profile, root); err != nil {
				t.Fatal(err)
			}
		}
		tk := e.create("tickets", record.Input{"title": "Poste lent", "organization_id": root})
		e.create("ticket-items", record.Input{"ticket_id": tk, "item_type": "computers", "item_id": pc, "organization_id": root})
		other := e.create("tickets", record.Input{"title": "Autre", "organization_id": root})
		pcHref := "/computers/" + record.Format(pc)
		tkHref := "/tickets/" + record.Format(tk)

		b := e.browser("fr")
		b.login("tech", "tech-password-123")
		b.get(pcHref).must(t, http.StatusOK, `id="remote"`, `action="`+pcHref+`/remote"`, `name="tool" value="rdp"`, `name="tool" value="ssh"`,
			`name="tool" value="vnc"`, `name="tool" value="teamviewer"`, e.cat.T("fr", "timeline.remote.teamviewer"))
		// Sent through the transport: Go's client refuses to read an rdp:// Location,
		// which a browser hands to the desktop.
		launch := func(b *browser, tool string, form url.Values) *page {
			form.Set("_csrf", b.csrf())
			form.Set("tool", tool)
			req, err := http.NewRequest("POST", b.base+pcHref+"/remote", strings.NewReader(form.Encode()))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for _, ck := range b.client.Jar.Cookies(req.URL) {
				req.AddCookie(ck)
			}
			resp, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return &page{Status: resp.StatusCode, Header: resp.Header}
		}
		p := launch(b, "teamviewer", url.Values{})
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "https://start.teamviewer.com/123456789" {
			t.Fatalf("teamviewer: %d %q", p.Status, p.Header.Get("Location"))
		}
		if h := e.remoteHistory("computers", pc); len(h) != 1 || h[0] != "teamviewer: 123456789" {
			t.Fatalf("computer history: %q", h)
		}

		// From the ticket: the linked computer's launches carry the ticket.
		b.get(tkHref).must(t, http.StatusOK, `action="`+pcHref+`/remote"`, `name="ticket_id" value="`+record.Format(tk)+`"`)
		p = launch(b, "rdp", url.Values{"ticket_id": {record.Format(tk)}})
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "rdp://full%20address=s:"+ip {
			t.Fatalf("rdp: %d %q", p.Status, p.Header.Get("Location"))
		}
		if h := e.remoteHistory("tickets", tk); len(h) != 1 || !strings.HasPrefix(h[0], "rdp: ") {
			t.Fatalf("ticket history: %q", h)
		}
		b.get(tkHref).must(t, http.StatusOK, `kind-remote`,
			esc(e.cat.T("fr", "timeline.entry.remote", e.cat.T("fr", "timeline.remote.rdp"))))
		b.get(pcHref+"?tab=history").must(t, http.StatusOK, esc(e.cat.T("fr", "timeline.remote.rdp"))+" · "+ip)

		// Refused: a ticket the computer is not linked to, an unknown tool, a user
		// who only reads the computer. Nothing more is recorded.
		if p := launch(b, "ssh", url.Values{"ticket_id": {record.Format(other)}}); p.Status != http.StatusNotFound {
			t.Fatalf("unlinked ticket: %d", p.Status)
		}
		if p := launch(b, "telnet", url.Values{}); p.Status != http.StatusNotFound {
			t.Fatalf("unknown tool: %d", p.Status)
		}
		w := e.browser("fr")
		w.login("watcher", "watcher-password-123")
		w.get(pcHref).must(t, http.StatusOK).lacks(t, `id="remote"`)
		if p := launch(w, "ssh", url.Values{}); p.Status != http.StatusForbidden {
			t.Fatalf("observer: %d", p.Status)
		}
		if h := e.remoteHistory("computers", pc); len(h) != 2 {
			t.Fatalf("computer history after refusals: %q", h)
		}
		if h := e.remoteHistory("tickets", other); len(h) != 0 {
			t.Fatalf("unlinked ticket's history: %q", h)
		}
	})
}
