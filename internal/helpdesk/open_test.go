package helpdesk_test

import (
	"bytes"
	"context"
	"testing"

	"parc/internal/apitest"
	"parc/internal/helpdesk"
	"parc/internal/record"
	"parc/internal/storetest"
)

// TestOpenWithAssetAndFiles: a requester opens a ticket about their own computer
// with files: one transaction writes the ticket, the asset link (on their behalf,
// in their name) and the files. Someone else's computer, a type a ticket cannot
// be about or a file over the limit refuse the whole ticket and write nothing.
func TestOpenWithAssetAndFiles(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		ctx := context.Background()
		org := e.Org("Client A", e.Root)
		alice := e.User("alice", "self-service", org)
		own := e.Create("computers", record.Input{"name": "PC-ALICE", "user_id": alice.UserID, "organization_id": org})
		other := e.Create("computers", record.Input{"name": "PC-OTHER", "organization_id": org})
		a, err := e.App.Auth.Actor(ctx, alice.UserID, record.OriginWeb)
		if err != nil {
			t.Fatal(err)
		}
		hd := e.App.Helpdesk
		photo := helpdesk.File{Name: "ecran.png", Type: "image/png", Content: []byte("\x89PNG fake")}
		log := helpdesk.File{Name: "journal.txt", Type: "text/plain", Content: []byte("erreur 42")}
		tk, err := hd.Open(ctx, a, helpdesk.Opening{Ticket: record.Input{"title": "Écran noir", "type": "incident"},
			Asset: &helpdesk.Item{Type: "computers", ID: own}, Files: []helpdesk.File{photo, log}})
		if err != nil {
			t.Fatal(err)
		}
		if tk.Int("user_id") != alice.UserID || tk.OrgID != org {
			t.Fatalf("ticket of user %d in org %d", tk.Int("user_id"), tk.OrgID)
		}
		items, err := e.App.Records.List(ctx, e.Sys, e.App.Reg.MustType("ticket-items"), record.ListQuery{
			Filters: []record.Filter{{Field: "ticket_id", Op: record.OpEq, Value: record.Format(tk.ID)}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(items.Records) != 1 || items.Records[0].Int("item_id") != own || items.Records[0].String("item_type") != "computers" {
			t.Fatalf("asset links: %+v", items.Records)
		}
		hist, err := e.App.Records.History(ctx, e.Sys, e.App.Reg.MustType("ticket-items"), items.Records[0].ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) == 0 || hist[0].UserID != alice.UserID {
			t.Fatalf("the link's history does not name the requester: %+v", hist)
		}
		files, err := hd.Files(ctx, a, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != 2 || files[0].Name != "ecran.png" || files[1].Size != int64(len(log.Content)) {
			t.Fatalf("files: %+v", files)
		}
		f, err := hd.File(ctx, a, tk.ID, files[0].ID)
		if err != nil || !bytes.Equal(f.Content, photo.Content) {
			t.Fatalf("file content: %v %+v", err, f)
		}

		tickets := func() int64 {
			page, err := e.App.Records.List(ctx, e.Sys, e.App.Reg.MustType("tickets"), record.ListQuery{Count: true})
			if err != nil {
				t.Fatal(err)
			}
			return page.Total
		}
		before := tickets()
		big := helpdesk.File{Name: "enorme.bin", Type: "application/octet-stream", Content: make([]byte, helpdesk.MaxAttachment+1)}
		for _, c := range []struct {
			name  string
			o     helpdesk.Opening
			code  record.Code
			field string
		}{
			{"someone else's computer", helpdesk.Opening{Asset: &helpdesk.Item{Type: "computers", ID: other}, Files: []helpdesk.File{photo}}, record.CodeInvalid, "asset"},
			{"no such computer", helpdesk.Opening{Asset: &helpdesk.Item{Type: "computers", ID: other + 1000}}, record.CodeInvalid, "asset"},
			{"not an asset type", helpdesk.Opening{Asset: &helpdesk.Item{Type: "users", ID: alice.UserID}}, record.CodeInvalid, "asset"},
			{"file too large", helpdesk.Opening{Asset: &helpdesk.Item{Type: "computers", ID: own}, Files: []helpdesk.File{photo, big}}, record.CodeTooLarge, ""},
		} {
			c.o.Ticket = record.Input{"title": "Refusé : " + c.name, "type": "incident"}
			_, err := hd.Open(ctx, a, c.o)
			rerr, ok := record.AsError(err)
			if !ok || rerr.Code != c.code || c.field != "" && rerr.Fields[c.field].Key != "err.bad_reference" {
				t.Errorf("%s: %v", c.name, err)
			}
		}
		if n := tickets(); n != before {
			t.Errorf("refused openings left %d tickets behind", n-before)
		}
		if all, err := hd.Files(ctx, e.Sys, tk.ID); err != nil || len(all) != 2 {
			t.Errorf("files after the refusals: %d %v", len(all), err)
		}
	})
}
