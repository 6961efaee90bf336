package search_test

import (
	"context"
	"slices"
	"testing"

	"parc/internal/apitest"
	"parc/internal/record"
	"parc/internal/search"
	"parc/internal/storetest"
)

// TestBoundedRanking checks the windows and bounds of a search (docs/search.md,
// "Bounds") with tiny bounds: 9 tickets match; 5 in organisation B and a
// requester's one in A rank first (the word in their titles), then 3 more of A
// (the word in their descriptions).
func TestBoundedRanking(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		ctx := context.Background()
		orgA, orgB := e.Org("A", e.Root), e.Org("B", e.Root)
		var inA, inB []int64
		for i := range 5 {
			inB = append(inB, e.Create("tickets", record.Input{"title": "Imprimante en panne", "organization_id": orgB,
				"description": "Étage " + string(rune('1'+i))}))
			if i < 3 {
				inA = append(inA, e.Create("tickets", record.Input{"title": "Souci au bureau", "organization_id": orgA,
					"description": "L'imprimante du couloir ne répond plus depuis " + string(rune('1'+i)) + " jours et le papier manque."}))
			}
		}
		techA := e.User("tech-a", "technician", orgA)
		req := e.User("req-a", "self-service", orgA)
		own := req.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "Mon imprimante", "organization_id": orgA}).ID()
		actor := func(c *apitest.Client) *record.Actor {
			a, err := e.App.Auth.Actor(ctx, c.UserID, record.OriginAPI)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		svc := search.NewService(e.App.Records)
		find := func(a *record.Actor, limit int) ([]int64, bool) {
			t.Helper()
			r, err := svc.Find(ctx, a, search.Params{Q: "imprimante", Types: []string{"tickets"}, Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, h := range r.Hits {
				ids = append(ids, h.ID)
			}
			return ids, r.Partial
		}
		allIn := func(who string, got, set []int64) {
			t.Helper()
			for _, id := range got {
				if !slices.Contains(set, id) {
					t.Errorf("%s: ticket %d is not theirs to see (%v)", who, id, got)
				}
			}
		}

		// The technician of A searched like a large scope: windows of 2 over the
		// best 6 candidates, the title matches. Of those A holds one: found, and
		// the answer says it is partial.
		restore := search.SetBounds(1000, 6, 2, 0, 1000)
		got, partial := find(actor(techA), 20)
		allIn("tech-a", got, append(inA, own))
		if len(got) != 1 || !partial {
			t.Errorf("tech-a with 6 candidates: %v partial=%v, want one of A's, partial", got, partial)
		}
		restore()
		// Enough candidates: all of A's, and not partial.
		restore = search.SetBounds(1000, 20, 2, 0, 1000)
		got, partial = find(actor(techA), 20)
		allIn("tech-a", got, append(inA, own))
		if len(got) != 4 || partial {
			t.Errorf("tech-a with 20 candidates: %v partial=%v, want 4", got, partial)
		}
		// A full page from the first windows is exact: the best of everything.
		got, partial = find(e.Sys, 3)
		allIn("system", got, append(inB, own))
		if len(got) != 3 || partial {
			t.Errorf("system, limit 3: %v partial=%v", got, partial)
		}
		restore()

		// More matches than are ranked: only the 2 most recent are (SQLite: the
		// 2 most recent matches; PostgreSQL: its first range of ids, the 2 newest
		// documents, after which 2 matches were read).
		restore = search.SetBounds(2, 20, 2, 0, 2)
		got, partial = find(e.Sys, 20)
		recent := []int64{own, inB[4]} // created last
		allIn("system, recent", got, recent)
		if len(got) != 2 || !partial {
			t.Errorf("system with 4 ranked: %v partial=%v, want %v", got, partial, recent)
		}
		restore()

		// A requester reads few tickets: searched within them, exactly, whatever
		// the bounds.
		restore = search.SetBounds(1, 1, 1, 2000, 1)
		got, partial = find(actor(req), 20)
		if len(got) != 1 || got[0] != own || partial {
			t.Errorf("requester: %v partial=%v", got, partial)
		}
		// So is a technician whose organisations hold few tickets.
		got, partial = find(actor(techA), 20)
		allIn("tech-a, few tickets", got, append(inA, own))
		if len(got) != 4 || partial {
			t.Errorf("tech-a, narrow: %v partial=%v", got, partial)
		}
		restore()
	})
}
