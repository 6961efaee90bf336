package record_test

import (
	"context"
	"testing"

	"parc/internal/app"
	"parc/internal/record"
	"parc/internal/storetest"
)

func newApp(t testing.TB, kind string) (*app.App, *record.Actor) {
	t.Helper()
	a := app.New(storetest.OpenTest(t, kind), nil)
	ctx := context.Background()
	if _, err := a.Bootstrap(ctx, "en"); err != nil {
		t.Fatal(err)
	}
	sys, err := a.System(ctx, record.OriginAPI)
	if err != nil {
		t.Fatal(err)
	}
	return a, sys
}

func TestCreateUpdateHistoryTrash(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, sys := newApp(t, kind)
		ctx := context.Background()
		comp := a.Reg.MustType("computers")
		r, err := a.Records.Create(ctx, sys, comp, record.Input{"name": "PC-1", "organization_id": sys.Tree.Root,
			"serial": "SN1", "purchase_price": "1 234,50", "purchase_date": "2025-03-01", "inventory_number": "INV-1"})
		if err != nil {
			t.Fatal(err)
		}
		if r.ID == 0 || r.Version != 1 || r.Get("purchase_price") != 1234.5 {
			t.Fatalf("created %+v", r.Values)
		}
		got, err := a.Records.Get(ctx, sys, comp, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Get("purchase_date") != "2025-03-01" || got.Get("purchase_price") != 1234.5 || got.Get("serial") != "SN1" {
			t.Fatalf("read back %+v", got.Values)
		}
		up, err := a.Records.Update(ctx, sys, comp, r.ID, record.Input{"serial": "SN2", "name": "PC-1", "version": float64(1)})
		if err != nil {
			t.Fatal(err)
		}
		if up.Version != 2 {
			t.Fatalf("version %d", up.Version)
		}
		if _, err := a.Records.Update(ctx, sys, comp, r.ID, record.Input{"serial": "SN3", "version": float64(1)}); err == nil {
			t.Fatal("stale version accepted")
		} else if e, _ := record.AsError(err); e == nil || e.Code != record.CodeConflict {
			t.Fatalf("want conflict, got %v", err)
		}
		h, err := a.Records.History(ctx, sys, comp, r.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != 2 || h[0].Field != "serial" || h[0].OldValue != "SN1" || h[0].NewValue != "SN2" || h[1].Action != "create" {
			t.Fatalf("history %+v", h)
		}
		// A second computer may not reuse the inventory number in the same organisation.
		_, err = a.Records.Create(ctx, sys, comp, record.Input{"name": "PC-2", "organization_id": sys.Tree.Root, "inventory_number": "INV-1"})
		if e, _ := record.AsError(err); e == nil || e.Fields["inventory_number"].Key != "err.duplicate" {
			t.Fatalf("want duplicate error, got %v", err)
		}
		if err := a.Records.Trash(ctx, sys, comp, r.ID); err != nil {
			t.Fatal(err)
		}
		p, err := a.Records.List(ctx, sys, comp, record.ListQuery{Count: true})
		if err != nil || p.Total != 0 {
			t.Fatalf("live list after trash: %v %v", p, err)
		}
		p, _ = a.Records.List(ctx, sys, comp, record.ListQuery{Trash: true, Count: true})
		if p.Total != 1 {
			t.Fatalf("trash list %d", p.Total)
		}
		if err := a.Records.Restore(ctx, sys, comp, r.ID); err != nil {
			t.Fatal(err)
		}
		p, _ = a.Records.List(ctx, sys, comp, record.ListQuery{Count: true})
		if p.Total != 1 {
			t.Fatalf("after restore %d", p.Total)
		}
	})
}

func TestKeysetPagination(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, sys := newApp(t, kind)
		ctx := context.Background()
		mon := a.Reg.MustType("monitors")
		for i := 0; i < 23; i++ {
			in := record.Input{"name": "M" + string(rune('A'+i%5)), "organization_id": sys.Tree.Root}
			if i%3 == 0 {
				in["size_inches"] = float64(20 + i)
			}
			if _, err := a.Records.Create(ctx, sys, mon, in); err != nil {
				t.Fatal(err)
			}
		}
		for _, sort := range []string{"name", "-name", "size_inches", "-size_inches", "-id", "updated_at"} {
			seen := map[int64]bool{}
			q := record.ListQuery{Sort: sort, Limit: 4}
			for pages := 0; ; pages++ {
				p, err := a.Records.List(ctx, sys, mon, q)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range p.Records {
					if seen[r.ID] {
						t.Fatalf("sort %s: %d seen twice", sort, r.ID)
					}
					seen[r.ID] = true
				}
				if p.NextCursor == "" {
					break
				}
				q.Cursor = p.NextCursor
			}
			if len(seen) != 23 {
				t.Fatalf("sort %s: saw %d of 23", sort, len(seen))
			}
		}
	})
}

// TestCountStopsAtTheCap: past CountCap a list says "more than" instead of scanning on.
func TestCountStopsAtTheCap(t *testing.T) {
	a, sys := newApp(t, "sqlite")
	ctx := context.Background()
	// Rows are inserted directly: the cap is what is measured, not creation.
	tx, err := a.DB.W.Begin()
	if err != nil {
		t.Fatal(err)
	}
	now := a.Records.Now()
	for i := 0; i < record.CountCap+5; i++ {
		if _, err := tx.Exec("INSERT INTO states (name, version, created_at, updated_at) VALUES (?, 1, ?, ?)", "state-"+record.Format(int64(i)), now, now); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	p, err := a.Records.List(ctx, sys, a.Reg.MustType("states"), record.ListQuery{Count: true, Limit: 1})
	if err != nil || p.Total != record.CountCap || !p.TotalCapped {
		t.Fatalf("total %d capped %v (%v)", p.Total, p.TotalCapped, err)
	}
	p, _ = a.Records.List(ctx, sys, a.Reg.MustType("states"), record.ListQuery{Count: true, Limit: 1, Filters: []record.Filter{{Field: "name", Op: record.OpStarts, Value: "state-1000"}}})
	if p.Total != 6 || p.TotalCapped {
		t.Fatalf("filtered total %d capped %v", p.Total, p.TotalCapped)
	}
}
