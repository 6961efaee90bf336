package ui_test

import (
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"parc/internal/record"
	"parc/internal/storetest"
)

// TestPortalOpensTicketWithAssetAndFiles: the portal's form opens a ticket with
// the requester's own computer and two files; the ticket page then shows both. A
// computer that is not theirs, or too many files, send the form back with the
// field's message and the typed title, and leave no ticket behind.
func TestPortalOpensTicketWithAssetAndFiles(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		ctx := context.Background()
		org := e.org("Client A")
		alice, err := e.app.Auth.CreateUser(ctx, e.sys, "alice", "alice-password-1", "self-service", org)
		if err != nil {
			t.Fatal(err)
		}
		own := e.create("computers", record.Input{"name": "PC-ALICE", "user_id": alice.ID, "organization_id": org})
		other := e.create("computers", record.Input{"name": "PC-OTHER", "organization_id": org})
		b := e.browser("fr")
		b.login("alice", "alice-password-1")
		b.get("/portal/new?type=incident").must(t, http.StatusOK, `value="computers:`+itoa(own)+`"`).lacks(t, "PC-OTHER")

		send := func(title string, asset int64, files map[string]string) *page {
			t.Helper()
			var buf strings.Builder
			w := multipart.NewWriter(&buf)
			for k, v := range map[string]string{"_csrf": b.csrf(), "type": "incident", "title": title,
				"description": "Plus rien ne s'affiche.", "urgency": "4", "asset": "computers:" + itoa(asset)} {
				w.WriteField(k, v)
			}
			for name, content := range files {
				fw, _ := w.CreateFormFile("files", name)
				io.WriteString(fw, content)
			}
			w.Close()
			return b.do("POST", "/portal/new", strings.NewReader(buf.String()), w.FormDataContentType())
		}
		tickets := func() int64 {
			page, err := e.app.Records.List(ctx, e.sys, e.app.Reg.MustType("tickets"), record.ListQuery{Count: true})
			if err != nil {
				t.Fatal(err)
			}
			return page.Total
		}

		p := send("Écran noir", own, map[string]string{"ecran.png": "\x89PNG fake", "journal.txt": "erreur 42"})
		m := regexp.MustCompile(`^/portal/tickets/(\d+)\?done=ticket_created$`).FindStringSubmatch(p.Header.Get("Location"))
		if p.Status != http.StatusSeeOther || m == nil {
			t.Fatalf("sending: %d %s %s", p.Status, p.Header.Get("Location"), p.Body)
		}
		b.follow(p).must(t, http.StatusOK, "Écran noir", "PC-ALICE", "ecran.png", "journal.txt")

		before := tickets()
		bad := send("Écran qui clignote", other, map[string]string{"photo.png": "x"})
		bad.must(t, http.StatusUnprocessableEntity, esc(e.cat.T("fr", "err.bad_reference")), `value="Écran qui clignote"`)
		many := map[string]string{}
		for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
			many[n+".txt"] = n
		}
		send("Six fichiers", own, many).must(t, http.StatusUnprocessableEntity, esc(e.cat.T("fr", "err.too_many_files", 5)))
		if n := tickets(); n != before {
			t.Errorf("refused forms left %d tickets behind", n-before)
		}
	})
}
