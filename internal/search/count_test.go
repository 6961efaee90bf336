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

// TestOverviewCountAndRecentWindow checks, on small data and lowered bounds
// (Service.Bounds), what the search page relies on: the first few of each kind
// in one search (PerKind), a count of what the caller may read only, capped, and
// a common word ranked among its most recent matches only.
func TestOverviewCountAndRecentWindow(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		ctx := context.Background()
		orgA, orgB := e.Org("A", e.Root), e.Org("B", e.Root)
		// The oldest ticket of A says the word most (its title): the best match.
		best := e.Create("tickets", record.Input{"title": "Quasar quasar quasar", "organization_id": orgA})
		var inA, inB, fus []int64
		for i := range 5 {
			id := e.Create("tickets", record.Input{"title": "Poste " + string(rune('1'+i)), "organization_id": orgA,
				"description": "Le quasar ne démarre plus depuis ce matin, merci de passer."})
			inA = append(inA, id)
			fus = append(fus, e.Create("ticket-followups", record.Input{"ticket_id": id, "content": "Quasar redémarré, à surveiller."}))
			inB = append(inB, e.Create("tickets", record.Input{"title": "Quasar de B " + string(rune('1'+i)), "organization_id": orgB}))
		}
		inA = append(inA, best)
		techA := e.User("tech-a", "technician", orgA)
		techB := e.User("tech-b", "technician", orgB)
		actor := func(c *apitest.Client) *record.Actor {
			a, err := e.App.Auth.Actor(ctx, c.UserID, record.OriginAPI)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		svc := search.NewService(e.App.Records)
		find := func(a *record.Actor, p search.Params) search.Result {
			t.Helper()
			p.Q = "quasar"
			r, err := svc.Find(ctx, a, p)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		ids := func(r search.Result, typ string) []int64 {
			var out []int64
			for _, h := range r.Hits {
				if h.Type == typ {
					out = append(out, h.ID)
				}
			}
			return out
		}
		within := func(who string, got, set []int64) {
			t.Helper()
			for _, id := range got {
				if !slices.Contains(set, id) {
					t.Errorf("%s: %d is not theirs to see (%v)", who, id, got)
				}
			}
		}
		both := []string{"tickets", "ticket-followups"}
		// Technicians searched as large scopes (the bounded path): NarrowTickets < 0.
		for _, narrow := range []int{-1, 0} {
			svc.Bounds = search.Bounds{NarrowTickets: narrow}
			// The overview: two of each kind in one search, the best ticket first.
			r := find(actor(techA), search.Params{Types: both, Limit: 2, PerKind: true})
			tk, fu := ids(r, "tickets"), ids(r, "ticket-followups")
			within("tech-a tickets", tk, inA)
			within("tech-a follow-ups", fu, fus)
			if len(tk) != 2 || tk[0] != best || len(fu) != 2 {
				t.Errorf("narrow=%d: per kind: tickets %v follow-ups %v, want 2 of each, %d first", narrow, tk, fu, best)
			}
			// One kind: every readable match counted, B's none.
			r = find(actor(techA), search.Params{Types: []string{"tickets"}, Limit: 50})
			within("tech-a", ids(r, "tickets"), inA)
			if r.Count != 6 || r.CountCapped || len(r.Hits) != 6 {
				t.Errorf("narrow=%d: tech-a count %d capped=%v hits %d, want 6 exact", narrow, r.Count, r.CountCapped, len(r.Hits))
			}
			r = find(actor(techB), search.Params{Types: both, Limit: 50})
			within("tech-b", ids(r, "tickets"), inB)
			if r.Count != 5 || r.CountCapped || len(ids(r, "ticket-followups")) != 0 {
				t.Errorf("narrow=%d: tech-b count %d capped=%v, want 5 exact, no follow-up of A", narrow, r.Count, r.CountCapped)
			}
			// A lowered cap: "more than 3".
			svc.Bounds.CountCap = 3
			r = find(actor(techA), search.Params{Types: []string{"tickets"}, Limit: 50})
			if r.Count != 3 || !r.CountCapped || len(r.Hits) != 6 {
				t.Errorf("narrow=%d: cap 3: count %d capped=%v hits %d", narrow, r.Count, r.CountCapped, len(r.Hits))
			}
		}

		// A word in more documents than are ranked: only the most recent matches
		// (here 4: the last tickets and follow-ups) are, so the oldest, best
		// ticket is not found, and neither the answer nor the count is whole.
		svc.Bounds = search.Bounds{NarrowTickets: -1, RecentMatches: 4, RecentDocs: 2}
		r := find(e.Sys, search.Params{Types: []string{"tickets"}, Limit: 50})
		got := ids(r, "tickets")
		if slices.Contains(got, best) || len(got) == 0 || !r.Partial || !r.CountCapped {
			t.Errorf("recent window: %v partial=%v capped=%v, want newer ones only, partial", got, r.Partial, r.CountCapped)
		}
		within("recent window", got, slices.Concat(inA[3:5], inB[2:]))
		// PostgreSQL ranks a common word among the kind's newest documents when
		// they fill the page: here the 3 newest tickets, 2 matches being common;
		// tech-a reads one of them, a page of one. SQLite has no such step.
		svc.Bounds = search.Bounds{NarrowTickets: -1, NewestDocs: 3, CommonMatches: 2}
		r = find(actor(techA), search.Params{Types: []string{"tickets"}, Limit: 1})
		got = ids(r, "tickets")
		if kind == "postgres" && (len(got) != 1 || got[0] != inA[4] || !r.Partial) {
			t.Errorf("newest documents: %v partial=%v, want [%d], partial", got, r.Partial, inA[4])
		}
		if kind != "postgres" && (len(got) != 1 || got[0] != best) {
			t.Errorf("sqlite: %v, want [%d]", got, best)
		}
		// Not enough for a page of tech-a there: the ranges, the best first.
		r = find(actor(techA), search.Params{Types: []string{"tickets"}, Limit: 3})
		if got = ids(r, "tickets"); len(got) != 3 || got[0] != best {
			t.Errorf("newest documents short of a page: %v, want %d first", got, best)
		}
		within("tech-a", ids(r, "tickets"), inA)

		// The same store ranked whole finds it first.
		svc.Bounds = search.Bounds{NarrowTickets: -1}
		r = find(e.Sys, search.Params{Types: []string{"tickets"}, Limit: 50})
		if got := ids(r, "tickets"); len(got) != 11 || got[0] != best || r.Partial || r.CountCapped || r.Count != 11 {
			t.Errorf("whole: %v partial=%v count %d capped=%v", got, r.Partial, r.Count, r.CountCapped)
		}
	})
}
