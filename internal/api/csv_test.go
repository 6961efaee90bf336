package api_test

import (
	"strings"
	"testing"

	"parc/internal/apitest"
	"parc/internal/record"
	"parc/internal/storetest"
)

func TestCSVExportThenImportIntoAFreshOrganisation(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		src := e.Org("Source", e.Root)
		dst := e.Org("Destination", e.Root)
		c := e.User("csv-admin", "admin", e.Root)
		dell := e.Create("manufacturers", record.Input{"name": "Dell"})
		for i, name := range []string{"PC-1", "PC-2, with comma", `PC-3 "quoted"`} {
			c.Must(201, "POST", "/api/v1/computers", map[string]any{"name": name, "organization_id": src, "serial": "S" + name[:4],
				"manufacturer_id": dell, "purchase_date": "2024-0" + string(rune('1'+i)) + "-15", "purchase_price": 1000.5 + float64(i),
				"inventory_number": "INV-" + name[:4], "comment": "line one\nline two"})
		}
		exp := c.Must(200, "GET", apitest.Path("/api/v1/computers/export.csv?filter=organization_id:eq:%d", src), nil)
		if !strings.HasPrefix(string(exp.Body), "\ufeffid,organization,name,") || !strings.Contains(exp.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("export: %q", exp.Body[:80])
		}
		// A dry run reports what would happen and writes nothing.
		dry := c.Must(200, "POST", apitest.Path("/api/v1/computers/import?organization_id=%d&dry_run=1", dst), string(exp.Body))
		if dry.JSON["rows"] != 3.0 || dry.JSON["created"] != 3.0 {
			t.Fatalf("dry run %s", dry.Body)
		}
		if n := c.Must(200, "GET", apitest.Path("/api/v1/computers?count=1&filter=organization_id:eq:%d", dst), nil).JSON["total"]; n != 0.0 {
			t.Fatalf("dry run wrote %v records", n)
		}
		c.Must(201, "POST", apitest.Path("/api/v1/computers/import?organization_id=%d", dst), string(exp.Body))
		a := c.Must(200, "GET", apitest.Path("/api/v1/computers?sort=name&filter=organization_id:eq:%d", src), nil).Data()
		b := c.Must(200, "GET", apitest.Path("/api/v1/computers?sort=name&filter=organization_id:eq:%d", dst), nil).Data()
		if len(a) != 3 || len(b) != 3 {
			t.Fatalf("%d source, %d imported", len(a), len(b))
		}
		for i := range a {
			for _, f := range e.App.Reg.MustType("computers").VisibleFields() {
				if !record.Equal(a[i][f.Name], b[i][f.Name]) {
					t.Errorf("%s: %s is %v, imported %v", a[i]["name"], f.Name, a[i][f.Name], b[i][f.Name])
				}
			}
		}
		// The imported records say where they came from.
		h := c.Must(200, "GET", apitest.Path("/api/v1/computers/%d/history", int64(b[0]["id"].(float64))), nil).Data()
		if h[0]["origin"] != "import" {
			t.Fatalf("origin %v", h[0]["origin"])
		}
	})
}

func TestCSVImportReportsEveryBadLineAndWritesNothing(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		c := e.User("importer", "technician", e.Root)
		c.Must(201, "POST", "/api/v1/computers", map[string]any{"name": "existing", "inventory_number": "DUP"})
		file := "name;serial;purchase_date;inventory_number;manufacturer_id\n" +
			"good-1;S1;2024-01-01;A1;\n" +
			";S2;2024-01-01;A2;\n" + // line 3: no name
			"bad-date;S3;31/02/2024;A3;\n" + // line 4
			"dup;S4;;DUP;\n" + // line 5
			"nomaker;S5;;A5;Acme\n" + // line 6
			"short;S6\n" + // line 7
			"good-2;S7;15/03/2024;A7;\n"
		r := c.Must(422, "POST", "/api/v1/computers/import?dry_run=1", file)
		lines := map[float64]string{}
		for _, x := range r.JSON["errors"].([]any) {
			m := x.(map[string]any)
			f, _ := m["field"].(string)
			lines[m["line"].(float64)] = f
		}
		want := map[float64]string{3: "name", 4: "purchase_date", 5: "inventory_number", 6: "manufacturer_id", 7: ""}
		for l, f := range want {
			if got, ok := lines[l]; !ok || got != f {
				t.Errorf("line %v: field %q reported (%v), want %q", l, got, ok, f)
			}
		}
		if len(lines) != len(want) {
			t.Errorf("errors on lines %v", lines)
		}
		// Without dry run, a file with errors writes nothing either.
		c.Must(422, "POST", "/api/v1/computers/import", file)
		if n := c.Must(200, "GET", "/api/v1/computers?count=1", nil).JSON["total"]; n != 1.0 {
			t.Fatalf("a refused import wrote records: %v", n)
		}
		broken := map[string]struct{ body, want string }{
			"latin-1":        {"name;serial\nPC-\xe9t\xe9;S1\n", "UTF-8"},
			"missing column": {"serial\nS1\n", `"name"`},
			"unknown column": {"name,colour\nPC,red\n", `"colour"`},
			"bad quotes":     {"name,serial\n\"PC-1,S1\nPC-2,\"S\"2\"\n", "malformed"},
			"empty":          {"", "empty"},
			"blank":          {"\ufeff \r\n\t\n", "empty"},
		}
		for name, tc := range broken {
			r := c.Do("POST", "/api/v1/computers/import", tc.body)
			if r.Status != 422 || !strings.Contains(string(r.Body), tc.want) {
				t.Errorf("%s: %d %s", name, r.Status, r.Body)
			}
		}
		// The first byte that is not UTF-8 is reported on its line, past a
		// byte-order mark and lines of accented text.
		r = c.Must(422, "POST", "/api/v1/computers/import", "\ufeffname;serial\nPC-été;S1\nPC-2;S2\nPC-\xe9;S3\n")
		if errs := r.JSON["errors"].([]any); len(errs) != 1 || errs[0].(map[string]any)["line"] != 4.0 {
			t.Errorf("not UTF-8: %s", r.Body)
		}
		// A byte-order mark and semicolons, as a spreadsheet saves them.
		bom := c.Must(201, "POST", "/api/v1/computers/import", "\ufeffname;serial\r\nPC-BOM;S10\r\n")
		if bom.JSON["created"] != 1.0 {
			t.Fatalf("import with a byte-order mark %s", bom.Body)
		}
		ok := c.Must(201, "POST", "/api/v1/computers/import", "name,serial,purchase_price\nPC-OK,S9,\"1 234,50\"\n")
		if ok.JSON["created"] != 1.0 {
			t.Fatalf("good import %s", ok.Body)
		}
	})
}
