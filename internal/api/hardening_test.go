package api_test

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"parc/internal/apitest"
	"parc/internal/record"
	"parc/internal/storetest"
)

// TestCSVFormulasAreNeutralisedAndReadBack: text a spreadsheet would run as a
// formula is exported behind a quote, numbers are not, and importing the file gives
// back the values typed.
func TestCSVFormulasAreNeutralisedAndReadBack(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		src := e.Org("+Clients", e.Root)
		dst := e.Org("Destination", e.Root)
		c := e.User("csv-admin", "admin", e.Root)
		maker := e.Create("manufacturers", record.Input{"name": "@Acme"})
		typed := []map[string]any{
			{"name": `=HYPERLINK("http://evil.example/","click")`, "serial": "+33 1 23 45", "inventory_number": "-1+1",
				"comment": "\t=1+1", "manufacturer_id": maker, "purchase_price": 12.5},
			{"name": "'=already quoted", "serial": "@SUM(A1)", "inventory_number": "''+2", "comment": "\r=2", "purchase_price": 0.5},
			{"name": "plain name", "serial": "S-1", "comment": "no formula = here"},
		}
		for _, in := range typed {
			in["organization_id"] = src
			c.Must(201, "POST", "/api/v1/computers", in)
		}
		exp := c.Must(200, "GET", apitest.Path("/api/v1/computers/export.csv?sort=name&columns=name,serial,inventory_number,comment,manufacturer_id,purchase_price&filter=organization_id:eq:%d", src), nil)
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(exp.Body), "\ufeff"))).ReadAll()
		if err != nil || len(rows) != 4 {
			t.Fatalf("export: %v %q", err, exp.Body)
		}
		want := [][]string{
			{"organization", "name", "serial", "inventory_number", "comment", "manufacturer_id", "purchase_price"},
			{"'+Clients", `''=already quoted`, "'@SUM(A1)", "'''+2", "'\r=2", "", "0.5"},
			{"'+Clients", `'=HYPERLINK("http://evil.example/","click")`, "'+33 1 23 45", "'-1+1", "'\t=1+1", "'@Acme", "12.5"},
			{"'+Clients", "plain name", "S-1", "", "no formula = here", "", ""},
		}
		for i, w := range want {
			if got := rows[i][1:]; strings.Join(got, "|") != strings.Join(w, "|") {
				t.Errorf("row %d:\n got %q\nwant %q", i, got, w)
			}
		}
		// The quotes come off on import, organisation and references included.
		byOrg := c.Must(200, "GET", apitest.Path("/api/v1/computers/export.csv?columns=name,manufacturer_id&filter=organization_id:eq:%d", src), nil)
		dry := c.Must(200, "POST", "/api/v1/computers/import?dry_run=1", string(byOrg.Body))
		if dry.JSON["rows"] != 3.0 || dry.JSON["created"] != 3.0 {
			t.Fatalf("dry run with the organisation column: %s", dry.Body)
		}
		c.Must(201, "POST", apitest.Path("/api/v1/computers/import?organization_id=%d", dst), string(exp.Body))
		a := c.Must(200, "GET", apitest.Path("/api/v1/computers?sort=name&filter=organization_id:eq:%d", src), nil).Data()
		b := c.Must(200, "GET", apitest.Path("/api/v1/computers?sort=name&filter=organization_id:eq:%d", dst), nil).Data()
		if len(a) != 3 || len(b) != 3 {
			t.Fatalf("%d source, %d imported", len(a), len(b))
		}
		for i := range a {
			for _, f := range []string{"name", "serial", "inventory_number", "comment", "manufacturer_id", "purchase_price"} {
				if !record.Equal(a[i][f], b[i][f]) {
					t.Errorf("%s: %s is %q, imported %q", a[i]["name"], f, a[i][f], b[i][f])
				}
			}
		}
	})
}

// TestJSONBodiesAreStrict: a member the route does not know is refused as a record
// route refuses an unknown field, and so is text that is not UTF-8; nothing is
// written.
func TestJSONBodiesAreStrict(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		c := e.User("strict-admin", "admin", e.Root)
		matrix := c.Must(200, "GET", "/api/v1/tickets/priority-matrix", nil).JSON["matrix"]
		for _, tc := range []struct {
			method, path string
			body         map[string]any
			member       string
		}{
			{"POST", "/api/v1/tokens", map[string]any{"name": "ci", "expires": "2030-01-01"}, "expires"},
			{"POST", "/api/v1/computers/saved-searches", map[string]any{"name": "mine", "filters": "name:eq:PC"}, "filters"},
			{"PUT", "/api/v1/computers/naming-plan", map[string]any{"template": "PC-{####}", "templates": "x"}, "templates"},
			{"PUT", "/api/v1/tickets/priority-matrix", map[string]any{"matrix": matrix, "default": 3}, "default"},
		} {
			r := c.Do(tc.method, tc.path, tc.body)
			if r.Status != 422 || r.FieldError(tc.member) != "Unknown field." {
				t.Errorf("%s %s with %q: %d %s", tc.method, tc.path, tc.member, r.Status, r.Body)
			}
		}
		if n := len(c.Must(200, "GET", "/api/v1/tokens", nil).Data()); n != 1 {
			t.Errorf("%d tokens, want only the test's own", n)
		}
		if n := len(c.Must(200, "GET", "/api/v1/computers/saved-searches", nil).Data()); n != 0 {
			t.Errorf("%d saved searches were saved", n)
		}
		if p := c.Must(200, "GET", "/api/v1/computers/naming-plan", nil).JSON["template"]; p != "" {
			t.Errorf("naming plan %q was saved", p)
		}
		// Raw bytes that are not UTF-8, which the JSON decoder would turn into U+FFFD.
		for _, tc := range []struct{ method, path, body string }{
			{"POST", "/api/v1/computers", `{"name":"PC-` + "\xe9t\xe9" + `"}`},
			{"POST", "/api/v1/tokens", `{"name":"` + "\xff" + `"}`},
			{"POST", "/api/v1/computers/saved-searches", `{"name":"caf` + "\xe9" + `","query":"sort=name"}`},
			// Half a surrogate pair: valid JSON, no character, also stored as U+FFFD.
			{"POST", "/api/v1/computers", `{"name":"PC-\ud800"}`},
		} {
			r := c.Do(tc.method, tc.path, tc.body)
			if r.Status != 422 || !strings.Contains(string(r.Body), "UTF-8") {
				t.Errorf("%s %s: %d %s", tc.method, tc.path, r.Status, r.Body)
			}
		}
		if n := c.Must(200, "GET", "/api/v1/computers?count=1", nil).JSON["total"]; n != 0.0 {
			t.Errorf("%v computers stored", n)
		}
		// Escaped non-ASCII text is fine.
		r := c.Must(201, "POST", "/api/v1/computers", `{"name":"PC-\u00e9t\u00e9"}`)
		if r.JSON["name"] != "PC-été" {
			t.Errorf("name %q", r.JSON["name"])
		}
	})
}

// TestSingleLineFieldsRefuseControlAndBidiCharacters: names, titles and serials
// refuse what would hide or reorder text; multi-line text keeps tabs and breaks.
func TestSingleLineFieldsRefuseControlAndBidiCharacters(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		c := e.User("tech", "technician", e.Root)
		bad := map[string]string{"BEL": "a\x07b", "ESC": "red \x1b[31malert", "NEL": "a\u0085b", "LS": "a\u2028b",
			"RLO": "abc\u202egnp.exe", "LRI": "a\u2066b", "tab": "a\tb", "DEL": "a\x7fb"}
		for name, v := range bad {
			for _, tc := range []struct {
				path, field string
				body        map[string]any
			}{
				{"/api/v1/computers", "name", map[string]any{}},
				{"/api/v1/computers", "serial", map[string]any{"name": "PC"}},
				{"/api/v1/tickets", "title", map[string]any{}},
			} {
				tc.body[tc.field] = v
				r := c.Do("POST", tc.path, tc.body)
				if r.Status != 422 || !strings.Contains(r.FieldError(tc.field), "control characters") {
					t.Errorf("%s in %s %s: %d %s", name, tc.path, tc.field, r.Status, r.Body)
				}
			}
		}
		if n := c.Must(200, "GET", "/api/v1/computers?count=1", nil).JSON["total"]; n != 0.0 {
			t.Errorf("%v computers stored", n)
		}
		r := c.Must(201, "POST", "/api/v1/computers", map[string]any{"name": "PC-ok", "comment": "line one\n\tline two\r\nשלום"})
		if r.JSON["comment"] != "line one\n\tline two\r\nשלום" {
			t.Errorf("comment %q", r.JSON["comment"])
		}
	})
}

// TestNamingPlansAreBounded: a plan is no longer than a name and has a counter of a
// sensible width; a plan stored before the bounds cannot make a name past the
// field's limit.
func TestNamingPlansAreBounded(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		c := e.User("naming-admin", "admin", e.Root)
		for name, plan := range map[string]string{
			"10,000 #":      "PC-{" + strings.Repeat("#", 10000) + "}",
			"19-digit":      "PC-{" + strings.Repeat("#", 19) + "}",
			"256 chars":     strings.Repeat("P", 250) + "{####}",
			"line break":    "PC-\n{####}",
			"bidi override": "PC-\u202e{####}",
		} {
			r := c.Do("PUT", "/api/v1/computers/naming-plan", map[string]any{"template": plan})
			if r.Status != 422 || r.FieldError("template") == "" {
				t.Errorf("%s: %d %.200s", name, r.Status, r.Body)
			}
		}
		c.Must(200, "PUT", "/api/v1/computers/naming-plan", map[string]any{"template": "PC-{" + strings.Repeat("#", 18) + "}"})
		if got := c.Must(201, "POST", "/api/v1/computers", map[string]any{}).JSON["name"]; got != "PC-"+strings.Repeat("0", 17)+"1" {
			t.Errorf("name %q", got)
		}
		// A plan stored before plans were bounded.
		if err := e.App.Records.SetSetting(context.Background(), "naming.computers", "PC-{"+strings.Repeat("#", 10000)+"}"); err != nil {
			t.Fatal(err)
		}
		r := c.Do("POST", "/api/v1/computers", map[string]any{})
		if r.Status != 422 || !strings.Contains(r.FieldError("name"), "255") {
			t.Errorf("old plan: %d %.300s", r.Status, r.Body)
		}
	})
}

// TestHistoryPageParametersAreValidated: as list parameters are.
func TestHistoryPageParametersAreValidated(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		c := e.User("tech", "technician", e.Root)
		id := c.Must(201, "POST", "/api/v1/computers", map[string]any{"name": "PC-1"}).ID()
		c.Must(200, "PATCH", apitest.Path("/api/v1/computers/%d", id), map[string]any{"serial": "S1"})
		for _, q := range []string{"limit=-5", "limit=0", "limit=501", "limit=ten", "before=-1", "before=x", "before=99999999999999999999"} {
			r := c.Do("GET", apitest.Path("/api/v1/computers/%d/history?%s", id, q), nil)
			if r.Status != 422 || r.ErrorCode() != "invalid" {
				t.Errorf("%s: %d %s", q, r.Status, r.Body)
			}
		}
		page := c.Must(200, "GET", apitest.Path("/api/v1/computers/%d/history?limit=1", id), nil).Data()
		if len(page) != 1 || page[0]["action"] != "update" {
			t.Fatalf("limit=1: %v", page)
		}
		older := c.Must(200, "GET", apitest.Path("/api/v1/computers/%d/history?before=%d", id, int64(page[0]["id"].(float64))), nil).Data()
		if len(older) != 1 || older[0]["action"] != "create" {
			t.Fatalf("before: %v", older)
		}
	})
}

// TestAuthorizationsGoToTheTrash: deleting an authorization can be undone, with its
// history; a trashed one grants nothing, and a restore may not grant more than the
// restorer holds.
func TestAuthorizationsGoToTheTrash(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		client := e.Org("Client", e.Root)
		super := e.User("super", "super-admin", e.Root)
		admin := e.User("client-admin", "admin", client)
		bob := e.User("bob", "technician", client)
		grants := admin.Must(200, "GET", apitest.Path("/api/v1/authorizations?filter=user_id:eq:%d", bob.UserID), nil).Data()
		if len(grants) != 1 {
			t.Fatalf("bob's authorizations: %v", grants)
		}
		id := int64(grants[0]["id"].(float64))
		bob.Must(200, "GET", "/api/v1/computers", nil)

		admin.Must(204, "DELETE", apitest.Path("/api/v1/authorizations/%d", id), nil)
		bob.Must(403, "GET", "/api/v1/computers", nil)
		trashed := admin.Must(200, "GET", "/api/v1/authorizations?trash=1", nil).Data()
		if len(trashed) != 1 || trashed[0]["id"] != float64(id) {
			t.Fatalf("trash: %v", trashed)
		}
		admin.Must(200, "POST", apitest.Path("/api/v1/authorizations/%d/restore", id), nil)
		bob.Must(200, "GET", "/api/v1/computers", nil)
		var actions []string
		for _, h := range admin.Must(200, "GET", apitest.Path("/api/v1/authorizations/%d/history", id), nil).Data() {
			if h["user_name"] == "client-admin" {
				actions = append(actions, h["action"].(string))
			}
		}
		if strings.Join(actions, ",") != "restore,trash" {
			t.Errorf("history actions by the admin: %v", actions)
		}

		// The super-admin makes bob super-admin of the client, then trashes that; the
		// client's admin may not bring it back, as they could not have granted it.
		profiles := super.Must(200, "GET", "/api/v1/profiles?filter=name:eq:super-admin", nil).Data()
		if len(profiles) != 1 {
			t.Fatalf("profiles %v", profiles)
		}
		high := super.Must(201, "POST", "/api/v1/authorizations", map[string]any{"user_id": bob.UserID, "profile_id": profiles[0]["id"], "organization_id": client}).ID()
		super.Must(204, "DELETE", apitest.Path("/api/v1/authorizations/%d", high), nil)
		r := admin.Do("POST", apitest.Path("/api/v1/authorizations/%d/restore", high), nil)
		if r.Status != 422 || r.FieldError("profile_id") == "" {
			t.Fatalf("restore of a higher grant: %d %s", r.Status, r.Body)
		}
		if got := super.Must(200, "GET", "/api/v1/authorizations?trash=1", nil).Data(); len(got) != 1 || got[0]["id"] != float64(high) {
			t.Fatalf("trash after the refused restore: %v", got)
		}
		super.Must(200, "POST", apitest.Path("/api/v1/authorizations/%d/restore", high), nil)
		// Purging from the trash is for good.
		super.Must(204, "DELETE", apitest.Path("/api/v1/authorizations/%d", high), nil)
		super.Must(204, "DELETE", apitest.Path("/api/v1/authorizations/%d?purge=1", high), nil)
		super.Must(404, "GET", apitest.Path("/api/v1/authorizations/%d", high), nil)
	})
}
