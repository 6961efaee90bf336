package api_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"parc/internal/apitest"
	"parc/internal/record"
	"parc/internal/storetest"
)

// TestExportForAFrenchOfficeReadsBack: asked in the user's style, a French user's
// CSV has French column labels, semicolons, decimal commas and dd/mm/yyyy dates,
// enum options by their labels, and still no formula; imported into another
// organisation it gives the same records. The API's default stays the machine format.
func TestExportForAFrenchOfficeReadsBack(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		src := e.Org("Source", e.Root)
		dst := e.Org("Destination", e.Root)
		c := e.User("bureau-paris", "admin", e.Root)
		c.Lang = "fr"
		dell := e.Create("manufacturers", record.Input{"name": "Dell"})
		c.Must(201, "POST", "/api/v1/computers", map[string]any{"name": "PC-1", "organization_id": src, "serial": "=SUM(A1)",
			"manufacturer_id": dell, "purchase_date": "2024-01-15", "purchase_price": 1234.5, "comment": "ligne un\nligne deux"})
		c.Must(201, "POST", "/api/v1/computers", map[string]any{"name": "PC-2; avec point-virgule", "organization_id": src, "purchase_price": 0.5})
		c.Must(201, "POST", "/api/v1/locations", map[string]any{"name": "Bureau 101", "organization_id": src, "kind": "room"})

		// The machine format unless asked: field names, commas, decimal points, ISO dates.
		m := c.Must(200, "GET", apitest.Path("/api/v1/computers/export?filter=organization_id:eq:%d&sort=name", src), nil)
		if body := string(m.Body); !strings.HasPrefix(body, "\ufeffid,organization,name,") || !strings.Contains(body, "2024-01-15") || !strings.Contains(body, ",1234.5,") {
			t.Fatalf("machine export: %q", body)
		}
		if d := c.Must(200, "GET", apitest.Path("/api/v1/computers/export?delimiter=%%3B&filter=organization_id:eq:%d", src), nil); !strings.HasPrefix(string(d.Body), "\ufeffid;organization;name;") {
			t.Fatalf("delimiter: %q", d.Body)
		}
		c.Must(422, "GET", "/api/v1/computers/export?format=ods", nil)
		c.Must(422, "GET", "/api/v1/computers/export?delimiter=x", nil)

		u := c.Must(200, "GET", apitest.Path("/api/v1/computers/export?style=user&filter=organization_id:eq:%d&sort=name", src), nil)
		body := string(u.Body)
		for _, want := range []string{"\ufeffID;Organisation;Nom;", ";15/01/2024;", ";1234,50;", ";0,50;", "'=SUM(A1)", `"PC-2; avec point-virgule"`} {
			if !strings.Contains(body, want) {
				t.Errorf("French export lacks %q:\n%s", want, body)
			}
		}
		if !strings.Contains(u.Header.Get("Content-Type"), "text/csv") {
			t.Errorf("content type %q", u.Header.Get("Content-Type"))
		}
		c.Must(201, "POST", apitest.Path("/api/v1/computers/import?organization_id=%d", dst), body)
		a := c.Must(200, "GET", apitest.Path("/api/v1/computers?sort=name&filter=organization_id:eq:%d", src), nil).Data()
		b := c.Must(200, "GET", apitest.Path("/api/v1/computers?sort=name&filter=organization_id:eq:%d", dst), nil).Data()
		if len(a) != 2 || len(b) != 2 {
			t.Fatalf("%d source, %d imported", len(a), len(b))
		}
		for i := range a {
			for _, f := range e.App.Reg.MustType("computers").VisibleFields() {
				if !record.Equal(a[i][f.Name], b[i][f.Name]) {
					t.Errorf("%s: %s is %v, imported %v", a[i]["name"], f.Name, a[i][f.Name], b[i][f.Name])
				}
			}
		}

		// Enum options are written and read by their labels.
		l := string(c.Must(200, "GET", apitest.Path("/api/v1/locations/export?style=user&filter=organization_id:eq:%d", src), nil).Body)
		if !strings.Contains(l, ";Salle") || strings.Contains(l, "room") {
			t.Errorf("enum option not written by its label: %s", l)
		}
		c.Must(201, "POST", apitest.Path("/api/v1/locations/import?organization_id=%d", dst), l)
		loc := c.Must(200, "GET", apitest.Path("/api/v1/locations?filter=organization_id:eq:%d", dst), nil).Data()
		if len(loc) != 1 || loc[0]["kind"] != "room" {
			t.Fatalf("imported locations %v", loc)
		}

		// The user's kept format wins over their language: English separators, French labels.
		users := e.App.Reg.MustType("users")
		if _, err := e.App.Records.Update(context.Background(), e.Sys, users, c.UserID, record.Input{"export_format": "en"}); err != nil {
			t.Fatal(err)
		}
		en := string(c.Must(200, "GET", apitest.Path("/api/v1/computers/export?style=user&filter=organization_id:eq:%d&sort=name", src), nil).Body)
		for _, want := range []string{"\ufeffID,Organisation,Nom,", ",2024-01-15,", ",1234.50,"} {
			if !strings.Contains(en, want) {
				t.Errorf("English-format export lacks %q:\n%s", want, en)
			}
		}
	})
}

// TestXLSXExportHasTypedCells opens the API's workbook with excelize: numbers are
// numbers, dates are dates with a date format, text is text, and the list's
// filter and order are those of the list.
func TestXLSXExportHasTypedCells(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		org := e.Org("Client", e.Root)
		c := e.User("tableur", "admin", e.Root)
		c.Lang = "fr"
		for _, n := range []string{"PC-B", "PC-A", "=cmd|calc"} {
			c.Must(201, "POST", "/api/v1/computers", map[string]any{"name": n, "organization_id": org, "purchase_date": "2024-03-31", "purchase_price": 999.99})
		}
		c.Must(201, "POST", "/api/v1/computers", map[string]any{"name": "elsewhere", "organization_id": e.Root})
		r := c.Must(200, "GET", apitest.Path("/api/v1/computers/export?format=xlsx&style=user&sort=name&filter=organization_id:eq:%d", org), nil)
		if r.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" || !strings.Contains(r.Header.Get("Content-Disposition"), ".xlsx") {
			t.Fatalf("headers %v", r.Header)
		}
		f, err := excelize.OpenReader(bytes.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sheet := f.GetSheetName(0)
		if sheet != "Ordinateurs" {
			t.Errorf("sheet %q", sheet)
		}
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 4 {
			t.Fatalf("%d rows: %v", len(rows), rows)
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		for _, h := range []string{"ID", "Organisation", "Nom", "Date d'achat", "Prix d'achat"} {
			if _, ok := col[h]; !ok {
				t.Fatalf("no column %q in %v", h, rows[0])
			}
		}
		cell := func(row int, head string) string {
			n, _ := excelize.CoordinatesToCellName(col[head]+1, row)
			return n
		}
		if got := []string{rows[1][col["Nom"]], rows[2][col["Nom"]], rows[3][col["Nom"]]}; got[0] != "=cmd|calc" || got[1] != "PC-A" || got[2] != "PC-B" {
			t.Errorf("names in order %v", got)
		}
		for row := 2; row <= 4; row++ {
			// A text that looks like a formula stays a text: no formula in the workbook.
			if fm, _ := f.GetCellFormula(sheet, cell(row, "Nom")); fm != "" {
				t.Errorf("row %d: formula %q", row, fm)
			}
			if ty, _ := f.GetCellType(sheet, cell(row, "Nom")); ty != excelize.CellTypeInlineString && ty != excelize.CellTypeSharedString {
				t.Errorf("row %d: name cell type %v", row, ty)
			}
			for _, h := range []string{"ID", "Prix d'achat", "Date d'achat"} {
				if ty, _ := f.GetCellType(sheet, cell(row, h)); ty != excelize.CellTypeUnset && ty != excelize.CellTypeNumber {
					t.Errorf("row %d: %s cell type %v, want a number", row, h, ty)
				}
			}
			raw, _ := f.GetCellValue(sheet, cell(row, "Prix d'achat"), excelize.Options{RawCellValue: true})
			if raw != "999.99" {
				t.Errorf("row %d: price %q", row, raw)
			}
			// The date is a serial day number shown with a date format.
			raw, _ = f.GetCellValue(sheet, cell(row, "Date d'achat"), excelize.Options{RawCellValue: true})
			want, _ := excelize.ExcelDateToTime(45382, false)
			if raw != "45382" || !want.Equal(time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("row %d: date serial %q", row, raw)
			}
			if shown := rows[row-1][col["Date d'achat"]]; shown != "31/03/2024" {
				t.Errorf("row %d: date shown as %q", row, shown)
			}
		}
		// Without a filter the user gets every computer they may read, no more.
		all := c.Must(200, "GET", "/api/v1/computers/export?format=xlsx", nil)
		g, err := excelize.OpenReader(bytes.NewReader(all.Body))
		if err != nil {
			t.Fatal(err)
		}
		defer g.Close()
		if rows, _ := g.GetRows(g.GetSheetName(0)); len(rows) != 5 || rows[0][0] != "id" {
			t.Errorf("machine workbook: %d rows, head %v", len(rows), rows[0])
		}
		// A technician of another client reads none of them.
		other := e.Org("Autre", e.Root)
		o := e.User("autre-tech", "technician", other)
		ow := o.Must(200, "GET", "/api/v1/computers/export?format=xlsx", nil)
		h, err := excelize.OpenReader(bytes.NewReader(ow.Body))
		if err != nil {
			t.Fatal(err)
		}
		defer h.Close()
		if rows, _ := h.GetRows(h.GetSheetName(0)); len(rows) != 1 {
			t.Errorf("another client's technician exports %d rows", len(rows)-1)
		}
	})
}
