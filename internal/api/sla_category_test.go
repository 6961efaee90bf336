package api_test

import (
	"testing"
	"time"

	"parc/internal/apitest"
	"parc/internal/storetest"
)

// TestSLACoversSubCategories fixes the clock and checks that an SLA set on a
// category covers its sub-categories, the nearest category's SLA winning, while
// the organisation and priority rules stay as they were; and that recategorising
// a ticket moves it to the SLA of its new branch, counted from the opening.
func TestSLACoversSubCategories(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		opened := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
		now := opened
		e.App.Records.Now = func() time.Time { return now }
		org := e.Org("Client A", e.Root)
		sub := e.Org("Client A Lyon", org)
		admin := e.User("admin", "super-admin", e.Root)
		tech := e.User("tech", "technician", e.Root)
		cat := func(name string, parent int64) int64 {
			in := map[string]any{"name": name, "organization_id": org}
			if parent != 0 {
				in["parent_id"] = parent
			}
			return admin.Must(201, "POST", "/api/v1/ticket-categories", in).ID()
		}
		hardware := cat("Matériel", 0)
		desktop := cat("Poste de travail", hardware)
		laptop := cat("Portable", desktop)
		printer := cat("Imprimante", hardware)
		software := cat("Logiciel", 0)
		// 24/7 SLAs, so that a due time is the opening plus the TTR.
		sla := func(in map[string]any) int64 { return admin.Must(201, "POST", "/api/v1/slas", in).ID() }
		generic := sla(map[string]any{"name": "Standard", "organization_id": org, "ttr_minutes": 480})
		hw := sla(map[string]any{"name": "Matériel", "organization_id": org, "category_id": hardware, "ttr_minutes": 240})
		hwUrgent := sla(map[string]any{"name": "Matériel P5", "organization_id": org, "category_id": hardware, "priority": 5, "ttr_minutes": 120})
		pr := sla(map[string]any{"name": "Imprimante", "organization_id": org, "category_id": printer, "ttr_minutes": 60})
		// A sub-organisation's own SLA, without category, still replaces its parent's.
		lyon := sla(map[string]any{"name": "Lyon", "organization_id": sub, "ttr_minutes": 30})
		due := func(min int) string { return opened.Add(time.Duration(min) * time.Minute).Format(time.RFC3339) }

		cases := []struct {
			name string
			in   map[string]any
			sla  int64
			ttr  string
		}{
			{"parent's SLA applies to a child", map[string]any{"organization_id": org, "category_id": desktop}, hw, due(240)},
			{"a grand-child inherits from its grand-parent", map[string]any{"organization_id": org, "category_id": laptop}, hw, due(240)},
			{"a child's own SLA wins over its parent's", map[string]any{"organization_id": org, "category_id": printer}, pr, due(60)},
			{"the parent itself", map[string]any{"organization_id": org, "category_id": hardware}, hw, due(240)},
			{"no SLA on the branch: the one without category", map[string]any{"organization_id": org, "category_id": software}, generic, due(480)},
			{"no category", map[string]any{"organization_id": org}, generic, due(480)},
			{"inherited SLA naming the priority beats the one not naming it", map[string]any{"organization_id": org, "category_id": laptop, "impact": 5, "urgency": 5}, hwUrgent, due(120)},
			{"own category beats an ancestor's naming the priority", map[string]any{"organization_id": org, "category_id": printer, "impact": 5, "urgency": 5}, pr, due(60)},
			{"nearest organisation first", map[string]any{"organization_id": sub, "category_id": laptop}, lyon, due(30)},
		}
		for _, c := range cases {
			c.in["title"] = c.name
			tk := tech.Must(201, "POST", "/api/v1/tickets", c.in).JSON
			if tk["sla_id"] != float64(c.sla) || tk["ttr_due_at"] != c.ttr {
				t.Errorf("%s: sla %v ttr %v, want %d %s", c.name, tk["sla_id"], tk["ttr_due_at"], c.sla, c.ttr)
			}
		}

		// Recategorising recomputes the SLA and the due time, from the opening.
		id := tech.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "recategorised", "organization_id": org, "category_id": software}).ID()
		steps := []struct {
			category any
			sla      int64
			ttr      string
		}{
			{laptop, hw, due(240)},
			{printer, pr, due(60)},
			{desktop, hw, due(240)},
			{nil, generic, due(480)},
		}
		for _, s := range steps {
			now = now.Add(10 * time.Minute)
			tk := tech.Must(200, "PATCH", tpath(id), map[string]any{"category_id": s.category}).JSON
			if tk["sla_id"] != float64(s.sla) || tk["ttr_due_at"] != s.ttr {
				t.Errorf("category %v: sla %v ttr %v, want %d %s", s.category, tk["sla_id"], tk["ttr_due_at"], s.sla, s.ttr)
			}
		}
	})
}
