package api_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"parc/internal/apitest"
	"parc/internal/record"
	"parc/internal/storetest"
)

// TestTCOWorkedExample: the total cost of ownership of one computer, on 2 July
// 2025 (fixed clock), worked out by hand.
//
// Purchase: 1,000 € on 15 March 2024 → 2024: 1,000 €.
//
// Contract MAINT-1: 1,200 € a year from 1 July 2024 for 12 months (ends 30 June
// 2025), covering this computer and another one: 100 € a month shared by 2.
// 2024: July–December, 6 months → 600 / 2 = 300 €. 2025: January–June, 6 months
// → 300 €.
// Contract SUB-1: 30 € a month from 16 June 2025 for 12 months, this computer
// alone, counted up to today: 16–30 June is 15/30 of a month, 1–2 July 2/31:
// 0.5 + 0.0645 = 0.5645 months × 30 € = 16.935… → 16.94 €.
//
// Intervention time, 3 h 30 at two rates: Julie (own rate 60 €/h) spends 1 h 30
// on a ticket about it in November 2024 → 90 €; Marc (no rate of his own, member
// of group N2 at 45 €/h) spends 2 h on another ticket in February 2025 → 90 €.
// A task of an unrelated ticket is not counted.
//
// Parts (issued on 2 July 2025): 2 × RAM 8 GB at 35 € issued to the computer →
// 70 €; 1 × keyboard at 25 € issued to the February ticket (which is about this
// computer alone) → 25 €; 95 € in all.
//
// 2024: 1,000 + 300 + 90 = 1,390 €. 2025: 300 + 16.94 + 90 + 95 = 501.94 €.
// Total: 1,891.94 €.
func TestTCOWorkedExample(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		fixClock(e, lifecycleClock)
		org := e.Org("Client", e.Root)
		admin := e.User("admin", "admin", org)
		tech := e.User("julie", "technician", org)
		marc := e.User("marc", "technician", org)
		pc := tech.Must(201, "POST", "/api/v1/computers", map[string]any{"name": "PC-TCO", "organization_id": org,
			"purchase_price": 1000, "purchase_date": "2024-03-15"}).ID()
		other := tech.Must(201, "POST", "/api/v1/computers", map[string]any{"name": "PC-OTHER", "organization_id": org}).ID()

		// Rates are set through the record framework, by an administrator.
		admin.Must(201, "POST", "/api/v1/hourly-rates", map[string]any{"name": "Julie", "user_id": tech.UserID, "rate": 60, "organization_id": org})
		n2 := e.Create("groups", record.Input{"name": "N2", "organization_id": org})
		e.Create("group-members", record.Input{"group_id": n2, "user_id": marc.UserID, "organization_id": org})
		admin.Must(201, "POST", "/api/v1/hourly-rates", map[string]any{"name": "N2", "group_id": n2, "rate": "45,00", "organization_id": org})
		// A technician may not set rates; a rate for both a user and a group is refused.
		tech.Must(403, "POST", "/api/v1/hourly-rates", map[string]any{"name": "Me", "user_id": tech.UserID, "rate": 500, "organization_id": org})
		if r := admin.Do("POST", "/api/v1/hourly-rates", map[string]any{"name": "Both", "user_id": tech.UserID, "group_id": n2, "rate": 1, "organization_id": org}); r.FieldError("group_id") == "" {
			t.Fatalf("a rate for both: %d %s", r.Status, r.Body)
		}

		c1 := tech.Must(201, "POST", "/api/v1/contracts", map[string]any{"number": "MAINT-1", "name": "Maintenance", "kind": "maintenance", "organization_id": org,
			"start_date": "2024-07-01", "duration_months": 12, "cost": 1200, "cost_period": "yearly"}).ID()
		c2 := tech.Must(201, "POST", "/api/v1/contracts", map[string]any{"number": "SUB-1", "name": "Subscription", "kind": "subscription", "organization_id": org,
			"start_date": "2025-06-16", "duration_months": 12, "cost": 30, "cost_period": "monthly"}).ID()
		for _, link := range []map[string]any{{"contract_id": c1, "item_id": pc}, {"contract_id": c1, "item_id": other}, {"contract_id": c2, "item_id": pc}} {
			link["item_type"] = "computers"
			tech.Must(201, "POST", "/api/v1/contract-assets", link)
		}

		ticket := func(title string, items ...int64) int64 {
			id := tech.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": title, "organization_id": org}).ID()
			for _, it := range items {
				tech.Must(201, "POST", "/api/v1/ticket-items", map[string]any{"ticket_id": id, "item_type": "computers", "item_id": it})
			}
			return id
		}
		t1, t2, t3 := ticket("Screen flickers", pc), ticket("Slow", pc), ticket("Other", other)
		task := func(tk int64, user int64, minutes int, at string) {
			tech.Must(201, "POST", "/api/v1/ticket-tasks", map[string]any{"ticket_id": tk, "content": "work", "user_id": user,
				"duration_minutes": minutes, "planned_start": at})
		}
		task(t1, tech.UserID, 90, "2024-11-05T09:00:00Z")
		task(t2, marc.UserID, 120, "2025-02-10T14:00:00Z")
		task(t3, marc.UserID, 600, "2025-02-11T14:00:00Z")

		loc := e.Create("locations", record.Input{"name": "Workshop", "organization_id": org})
		ram := tech.Must(201, "POST", "/api/v1/stock-items", map[string]any{"name": "RAM 8 GB", "category": "memory", "unit_cost": 35, "organization_id": org}).ID()
		kbd := tech.Must(201, "POST", "/api/v1/stock-items", map[string]any{"name": "Keyboard", "category": "keyboard", "unit_cost": 25, "organization_id": org}).ID()
		for _, it := range []int64{ram, kbd} {
			tech.Must(201, "POST", "/api/v1/stock-movements", map[string]any{"stock_item_id": it, "location_id": loc, "kind": "received", "quantity": 5})
		}
		tech.Must(201, "POST", "/api/v1/stock-movements", map[string]any{"stock_item_id": ram, "location_id": loc, "kind": "issued", "quantity": 2,
			"asset_type": "computers", "asset_id": pc})
		tech.Must(201, "POST", "/api/v1/stock-movements", map[string]any{"stock_item_id": kbd, "location_id": loc, "kind": "issued", "quantity": 1, "ticket_id": t2})

		tc := tech.Must(200, "GET", apitest.Path("/api/v1/computers/%d/costs", pc), nil).JSON
		for k, want := range map[string]float64{"purchase": 1000, "contracts": 616.94, "labour": 180, "minutes": 210, "parts": 95, "total": 1891.94} {
			if !near(fnum(tc[k]), want) {
				t.Errorf("%s = %v, want %v", k, tc[k], want)
			}
		}
		if tc["currency"] != "EUR" {
			t.Errorf("currency %v", tc["currency"])
		}
		years := map[float64]map[string]any{}
		for _, y := range tc["years"].([]any) {
			m := y.(map[string]any)
			years[fnum(m["year"])] = m
		}
		if y := years[2024]; y == nil || !near(fnum(y["total"]), 1390) || !near(fnum(y["contracts"]), 300) || !near(fnum(y["labour"]), 90) {
			t.Errorf("2024: %v", y)
		}
		if y := years[2025]; y == nil || !near(fnum(y["total"]), 501.94) || !near(fnum(y["contracts"]), 316.94) || !near(fnum(y["parts"]), 95) {
			t.Errorf("2025: %v", y)
		}
		rates := map[string]float64{}
		for _, l := range tc["lines"].([]any) {
			m := l.(map[string]any)
			if m["kind"] == "labour" {
				rates[m["rate_source"].(string)] = fnum(m["rate"])
			}
		}
		if rates["user"] != 60 || rates["group"] != 45 || len(rates) != 2 {
			t.Errorf("labour rates: %v", rates)
		}

		// An organisation default rate applies to a technician without one.
		admin.Must(201, "POST", "/api/v1/hourly-rates", map[string]any{"name": "Default", "rate": 50, "organization_id": org})
		tc = tech.Must(200, "GET", apitest.Path("/api/v1/computers/%d/costs", other), nil).JSON
		// PC-OTHER: 300 + 300 of MAINT-1, 10 h of Marc's at 45 € (his group's rate beats the default).
		if !near(fnum(tc["contracts"]), 600) || !near(fnum(tc["labour"]), 450) {
			t.Errorf("PC-OTHER: %v", tc)
		}

		// The report per model and per organisation: both computers have no model.
		rep := tech.Must(200, "GET", "/api/v1/costs?by=organization", nil).JSON
		rows := rep["data"].([]any)
		if len(rows) != 1 || !near(fnum(rows[0].(map[string]any)["total"]), 1891.94+1050) || fnum(rows[0].(map[string]any)["assets"]) != 2 {
			t.Errorf("report per organisation: %v", rep)
		}

		// Per model: both computers have none; paged and sorted; a bad sort is refused.
		rep = tech.Must(200, "GET", "/api/v1/costs?by=model&sort=-assets&limit=1&offset=1", nil).JSON
		if fnum(rep["count"]) != 1 || len(rep["data"].([]any)) != 0 || !near(fnum(rep["total"].(map[string]any)["total"]), 1891.94+1050) {
			t.Errorf("report per model, second page: %v", rep)
		}
		tech.Must(422, "GET", "/api/v1/costs?sort=price", nil)
		tech.Must(422, "GET", "/api/v1/costs?asset_type=tickets", nil)

		// Another organisation's technician reads neither the costs nor the report's rows.
		stranger := e.User("stranger", "technician", e.Org("Other", e.Root))
		stranger.Must(404, "GET", apitest.Path("/api/v1/computers/%d/costs", pc), nil)
		if rows := stranger.Must(200, "GET", "/api/v1/costs", nil).JSON["data"].([]any); len(rows) != 0 {
			t.Errorf("a stranger's report: %v", rows)
		}
		stranger.Must(404, "GET", "/api/v1/hourly-rates/1", nil)
	})
}

// upload posts a file as multipart/form-data.
func upload(c *apitest.Client, path, name string, content []byte) *apitest.Response {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(content)
	w.Close()
	return c.Do("POST", path, b.Bytes(), "Content-Type", w.FormDataContentType())
}

// TestDocuments: files attached to a contract and a disposal through the API:
// upload, list, download, removal with history; another organisation's
// technician reads nothing, even by changing the ids; an oversized file is
// refused with a message; a reader who may not change the record may not attach.
func TestDocuments(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		orgA, orgB := e.Org("Alpha", e.Root), e.Org("Beta", e.Root)
		tech := e.User("tech.a", "technician", orgA)
		techB := e.User("tech.b", "technician", orgB)
		observer := e.User("observer.a", "observer", orgA)
		ct := tech.Must(201, "POST", "/api/v1/contracts", map[string]any{"number": "C-1", "name": "Support", "kind": "support", "organization_id": orgA,
			"start_date": "2025-01-01", "duration_months": 12}).ID()
		ctB := techB.Must(201, "POST", "/api/v1/contracts", map[string]any{"number": "C-B", "name": "Beta support", "kind": "support", "organization_id": orgB,
			"start_date": "2025-01-01", "duration_months": 12}).ID()
		pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")

		base := apitest.Path("/api/v1/contracts/%d/documents", ct)
		r := upload(tech, base, `C:\scans\contrat signé.pdf`, pdf)
		if r.Status != 201 {
			t.Fatalf("upload: %d %s", r.Status, r.Body)
		}
		doc := r.ID()
		if r.JSON["name"] != "contrat signé.pdf" || r.JSON["content_type"] != "application/pdf" || fnum(r.JSON["size"]) != float64(len(pdf)) {
			t.Errorf("stored as %v", r.JSON)
		}
		list := tech.Must(200, "GET", base, nil)
		if d := list.Data(); len(d) != 1 || d[0]["name"] != "contrat signé.pdf" || d[0]["user"] != "tech.a" || list.JSON["can_write"] != true {
			t.Errorf("list: %s", list.Body)
		}
		dl := tech.Must(200, "GET", apitest.Path("%s/%d", base, doc), nil)
		if !bytes.Equal(dl.Body, pdf) || dl.Header.Get("Content-Type") != "application/octet-stream" || !strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("download: %v %q", dl.Header, dl.Body)
		}
		// The observer reads but may not attach or remove.
		observer.Must(200, "GET", apitest.Path("%s/%d", base, doc), nil)
		if r := upload(observer, base, "x.pdf", pdf); r.Status != 403 {
			t.Errorf("observer upload: %d", r.Status)
		}
		observer.Must(403, "DELETE", apitest.Path("%s/%d", base, doc), nil)

		// Another organisation: not found, whichever ids are changed.
		techB.Must(404, "GET", base, nil)
		techB.Must(404, "GET", apitest.Path("%s/%d", base, doc), nil)
		techB.Must(404, "GET", apitest.Path("/api/v1/contracts/%d/documents/%d", ctB, doc), nil)
		techB.Must(404, "DELETE", apitest.Path("%s/%d", base, doc), nil)
		if r := upload(techB, base, "x.pdf", pdf); r.Status != 404 {
			t.Errorf("upload to another organisation's contract: %d", r.Status)
		}
		// A document of one record is not reached through another (same type, or another type).
		other := tech.Must(201, "POST", "/api/v1/contracts", map[string]any{"number": "C-2", "name": "Other", "kind": "support", "organization_id": orgA,
			"start_date": "2025-01-01", "duration_months": 12}).ID()
		tech.Must(404, "GET", apitest.Path("/api/v1/contracts/%d/documents/%d", other, doc), nil)
		tech.Must(404, "GET", apitest.Path("/api/v1/budgets/%d/documents/%d", ct, doc), nil)
		// A type that takes no documents has no such route.
		tech.Must(404, "GET", "/api/v1/tickets/1/documents", nil)

		// Oversized: refused with a message, nothing kept.
		big := make([]byte, 5<<20+1)
		r = upload(tech, base, "scan.tiff", big)
		if r.Status != http.StatusRequestEntityTooLarge || !strings.Contains(string(r.Body), "5 MB") {
			t.Errorf("oversized: %d %s", r.Status, r.Body)
		}
		if n := len(tech.Must(200, "GET", base, nil).Data()); n != 1 {
			t.Errorf("%d documents after the refusal", n)
		}
		if r := upload(tech, base, "empty.txt", nil); r.Status != 422 {
			t.Errorf("empty file: %d", r.Status)
		}

		// Removal: gone from the list and the download, kept in the history.
		tech.Must(204, "DELETE", apitest.Path("%s/%d", base, doc), nil)
		tech.Must(404, "GET", apitest.Path("%s/%d", base, doc), nil)
		if n := len(tech.Must(200, "GET", base, nil).Data()); n != 0 {
			t.Errorf("%d documents after removal", n)
		}
		hist := tech.Must(200, "GET", apitest.Path("/api/v1/contracts/%d/history", ct), nil)
		added, removed := false, false
		for _, h := range hist.Data() {
			if h["field"] == "documents" && h["new_value"] == "contrat signé.pdf" {
				added = true
			}
			if h["field"] == "documents" && h["old_value"] == "contrat signé.pdf" && h["user_name"] == "tech.a" {
				removed = true
			}
		}
		if !added || !removed {
			t.Errorf("history: %s", hist.Body)
		}

		// A disposal's collection certificate.
		pc := tech.Must(201, "POST", "/api/v1/computers", map[string]any{"name": "PC-OLD", "organization_id": orgA}).ID()
		disp := tech.Must(201, "POST", "/api/v1/disposals", map[string]any{"asset_type": "computers", "asset_id": pc, "disposed_on": "2025-06-01", "outcome": "recycling"}).ID()
		upload(tech, apitest.Path("/api/v1/disposals/%d/documents", disp), "certificat-DEEE.pdf", pdf)
		if d := tech.Must(200, "GET", apitest.Path("/api/v1/disposals/%d/documents", disp), nil).Data(); len(d) != 1 {
			t.Errorf("disposal documents: %v", d)
		}
		techB.Must(404, "GET", apitest.Path("/api/v1/disposals/%d/documents", disp), nil)
	})
}
