package ui_test

import (
	"context"
	"database/sql"
	"net/http"
	"testing"

	"parc/internal/helpdesk"
	"parc/internal/record"
	"parc/internal/storetest"
)

// TestTechnicianSeesTicketAttachments: files a requester or a mail attached are
// listed with the ticket's follow-ups and download as attachments.
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
		err = e.app.DB.Tx(ctx, func(tx *sql.Tx) error {
			return hd.AddFilesTx(ctx, tx, tk, 0, []helpdesk.File{{Name: "photo-ecran.png", Type: "image/png", Content: []byte("\x89PNG fake")}})
		})
		if err != nil {
			t.Fatal(err)
		}
		b := e.browser("fr")
		b.login("admin", adminPassword)
		href := "/tickets/" + record.Format(id)
		b.get(href+"?tab=followups").must(t, http.StatusOK, "photo-ecran.png", `id="ticket-files"`)
		files, _ := hd.Files(ctx, e.sys, id)
		if len(files) != 1 {
			t.Fatalf("%d files", len(files))
		}
		dl := b.get(href + "/attachments/" + record.Format(files[0].ID))
		if dl.Status != http.StatusOK || dl.Body != "\x89PNG fake" || dl.Header.Get("Content-Disposition") == "" {
			t.Fatalf("download: %d %q %v", dl.Status, dl.Body, dl.Header)
		}
	})
}
