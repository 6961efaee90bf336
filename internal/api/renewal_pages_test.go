package api_test

import (
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"parc/internal/apitest"
	"parc/internal/record"
	"parc/internal/storetest"
)

// TestRenewalPages: the renewal list is read in pages (keyset on score, name,
// type, id): every asset due comes once, in the order of the whole list, ties
// included; the total and the forecast are the whole plan's on every page; a
// bad cursor is refused; the CSV export has the whole list.
func TestRenewalPages(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		fixClock(e, lifecycleClock)
		a := e.Org("A", e.Root)
		tech := e.User("tech-a", "technician", a)
		// 11 computers and 2 monitors due (ties on score: same purchase day), 3 young.
		for i := 0; i < 11; i++ {
			e.Create("computers", record.Input{"name": fmt.Sprintf("PC-%02d", i%6), "organization_id": a, "purchase_date": fmt.Sprintf("20%02d-01-15", 15+i%4), "purchase_price": 500})
		}
		for i := 0; i < 2; i++ {
			e.Create("monitors", record.Input{"name": "PC-03", "organization_id": a, "purchase_date": "2016-01-15"})
		}
		for i := 0; i < 3; i++ {
			e.Create("computers", record.Input{"name": fmt.Sprintf("NEW-%d", i), "organization_id": a, "purchase_date": "2024-05-01", "purchase_price": 900})
		}
		whole := tech.Must(200, "GET", "/api/v1/renewal?limit=5000", nil).JSON
		if fnum(whole["total"]) != 13 || fnum(whole["fleet"]) != 16 || whole["next_cursor"] != nil {
			t.Fatalf("whole plan: total %v, fleet %v, next %v", whole["total"], whole["fleet"], whole["next_cursor"])
		}
		var want []string
		prev := 1000.0
		for _, x := range whole["data"].([]any) {
			m := x.(map[string]any)
			if s := fnum(m["score"]); s > prev {
				t.Errorf("score %v after %v", s, prev)
			} else {
				prev = s
			}
			want = append(want, fmt.Sprint(m["asset_type"], m["asset_id"]))
		}
		var got []string
		path := "/api/v1/renewal?limit=4"
		for pages := 0; path != ""; pages++ {
			if pages > 5 {
				t.Fatal("pages never end")
			}
			p := tech.Must(200, "GET", path, nil).JSON
			if fnum(p["total"]) != 13 || fmt.Sprint(p["forecast"]) != fmt.Sprint(whole["forecast"]) {
				t.Errorf("page %d: total %v, forecast %v", pages, p["total"], p["forecast"])
			}
			for _, x := range p["data"].([]any) {
				m := x.(map[string]any)
				got = append(got, fmt.Sprint(m["asset_type"], m["asset_id"]))
			}
			path = ""
			if c, ok := p["next_cursor"].(string); ok {
				path = "/api/v1/renewal?limit=4&cursor=" + c
			}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("pages gave %v\nwant %v", got, want)
		}
		tech.Must(422, "GET", "/api/v1/renewal?cursor=nonsense", nil)

		// The page: 100 a page by default; with 25 a page and 13 due, one page.
		web := e.Pages(t, "tech-a")
		status, body := web("/renewal?limit=25")
		if status != 200 || !strings.Contains(body, "Assets 1–13 of 13") || strings.Contains(body, `rel="next"`) {
			t.Errorf("renewal page: %d %s", status, body)
		}
		// The export: every asset due, whatever the page.
		status, body = web("/renewal/export.csv")
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
		if status != 200 || err != nil || len(rows) != 14 {
			t.Errorf("export: %d %v, %d rows", status, err, len(rows))
		}
	})
}
