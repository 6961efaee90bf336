package ui_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"parc/internal/record"
	"parc/internal/storetest"
)

// TestListExportsAsTheUserReads: the list's export links carry its filters; a
// French technician's CSV is French (labels, ;, decimal comma, dd/mm/yyyy) until
// they keep another format in their account settings; the XLSX has the same rows,
// typed; a requester keeps a format too, and nobody may keep an unknown one.
func TestListExportsAsTheUserReads(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		root := e.sys.Tree.Root
		e.create("computers", record.Input{"name": "PC-A", "organization_id": root, "purchase_date": "2025-02-28", "purchase_price": 899.9})
		e.create("computers", record.Input{"name": "PC-B", "organization_id": root})
		e.user("tech", "correct horse battery", "technician")
		b := e.browser("fr")
		b.login("tech", "correct horse battery")

		list := b.get("/computers?filter=name:eq:PC-A").must(t, 200, "Exporter en CSV", "Exporter en Excel")
		for _, href := range []string{`href="/computers/export.csv?filter=name%3Aeq%3APC-A"`, `href="/computers/export.xlsx?filter=name%3Aeq%3APC-A"`} {
			if !strings.Contains(list.Body, href) {
				t.Fatalf("list lacks %s", href)
			}
		}
		csv := b.get("/computers/export.csv?filter=name:eq:PC-A").must(t, 200, "\ufeffID;Organisation;Nom;", ";28/02/2025;", ";899,90;").lacks(t, "PC-B")
		if !strings.HasPrefix(csv.Header.Get("Content-Disposition"), `attachment; filename="computers-`) {
			t.Fatalf("disposition %q", csv.Header.Get("Content-Disposition"))
		}

		x := b.get("/computers/export.xlsx?sort=name")
		if x.Status != 200 || !strings.HasSuffix(x.Header.Get("Content-Disposition"), `.xlsx"`) {
			t.Fatalf("xlsx: %d %v", x.Status, x.Header)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(x.Body)))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(f.GetSheetName(0))
		f.Close()
		if len(rows) != 3 || rows[0][2] != "Nom" || rows[1][2] != "PC-A" || rows[2][2] != "PC-B" {
			t.Fatalf("workbook rows %v", rows)
		}

		// The account page keeps the format; the next export follows it.
		tok := b.csrf()
		b.get("/account").must(t, 200, `<label for="export-format">Format des exports</label>`, `<option value="" selected>`)
		p := b.post("/account/export-format", url.Values{"_csrf": {tok}, "export_format": {"en"}})
		b.follow(p).must(t, 200, "Format des exports enregistré.", `<option value="en" selected>`)
		b.get("/computers/export.csv?filter=name:eq:PC-A").must(t, 200, "\ufeffID,Organisation,Nom,", ",2025-02-28,", ",899.90,")
		b.post("/account/export-format", url.Values{"_csrf": {tok}, "export_format": {""}})
		b.get("/computers/export.csv?filter=name:eq:PC-A").must(t, 200, "\ufeffID;Organisation;Nom;")
		// An English user reads English heads and ISO dates by default.
		en := e.browser("en")
		en.login("admin", adminPassword)
		en.get("/computers/export.csv?filter=name:eq:PC-A").must(t, 200, "\ufeffID,Organisation,Name,", ",2025-02-28,")

		// A requester may not edit user records, and keeps their own format all the same.
		e.user("requester", "correct horse battery", "self-service")
		r := e.browser("fr")
		r.login("requester", "correct horse battery")
		rt := r.csrf()
		p = r.post("/account/export-format", url.Values{"_csrf": {rt}, "export_format": {"fr"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("requester's format: %d %s", p.Status, p.Body)
		}
		r.follow(p).must(t, 200, `<option value="fr" selected>`)
		r.post("/account/export-format", url.Values{"_csrf": {rt}, "export_format": {"xls"}})
		r.get("/account").must(t, 200, `<option value="fr" selected>`)
	})
}
