package record_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"parc/internal/app"
	"parc/internal/record"
	"parc/internal/store"
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
		var all []*record.Record
		for i := 0; i < 23; i++ {
			in := record.Input{"name": "M" + string(rune('A'+i%5)), "organization_id": sys.Tree.Root}
			if i%3 == 0 {
				in["size_inches"] = float64(20 + i%4)
			}
			if i%4 != 0 {
				in["purchase_date"] = "2024-0" + string(rune('1'+i%3)) + "-15"
			}
			r, err := a.Records.Create(ctx, sys, mon, in)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, r)
		}
		for _, sort := range []string{"name", "-name", "size_inches", "-size_inches", "purchase_date", "-purchase_date", "-id", "updated_at"} {
			want := expectedOrder(all, sort)
			var got []int64
			q := record.ListQuery{Sort: sort, Limit: 4}
			for pages := 0; pages < 20; pages++ {
				p, err := a.Records.List(ctx, sys, mon, q)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range p.Records {
					got = append(got, r.ID)
				}
				if p.NextCursor == "" {
					break
				}
				q.Cursor = p.NextCursor
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("sort %s:\n got %v\nwant %v", sort, got, want)
			}
		}
	})
}

// expectedOrder is the list order: by the field with NULLs last both ways, ties by id
// in the same direction.
func expectedOrder(recs []*record.Record, sort string) []int64 {
	desc := strings.HasPrefix(sort, "-")
	f := strings.TrimPrefix(sort, "-")
	key := func(r *record.Record) string {
		switch f {
		case "id":
			return ""
		case "updated_at":
			// Fixed width: RFC3339Nano drops trailing zeros, and ".12Z" would sort
			// after ".123Z".
			return r.UpdatedAt.UTC().Format("2006-01-02T15:04:05.000000000")
		}
		if v := r.Values[f]; v != nil {
			return record.Format(v)
		}
		return "\xff"
	}
	rs := append([]*record.Record{}, recs...)
	slices.SortFunc(rs, func(x, y *record.Record) int {
		kx, ky := key(x), key(y)
		if f == "size_inches" && kx != "\xff" && ky != "\xff" {
			fx, _ := strconv.ParseFloat(kx, 64)
			fy, _ := strconv.ParseFloat(ky, 64)
			kx, ky = fmt.Sprintf("%020.4f", fx), fmt.Sprintf("%020.4f", fy)
		}
		if (kx == "\xff") != (ky == "\xff") {
			if kx == "\xff" {
				return 1
			}
			return -1
		}
		c := strings.Compare(kx, ky)
		if c == 0 {
			c = int(x.ID - y.ID)
		}
		if desc {
			return -c
		}
		return c
	})
	ids := make([]int64, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	return ids
}

// TestFreeTextAndPrefix: free text finds a piece of any searchable column, whatever
// its case, through the substring index; a prefix filter takes LIKE's wildcards
// literally; trashed records are not found.
func TestFreeTextAndPrefix(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, sys := newApp(t, kind)
		ctx := context.Background()
		comp := a.Reg.MustType("computers")
		mk := func(name, serial, os string) int64 {
			r, err := a.Records.Create(ctx, sys, comp, record.Input{"name": name, "serial": serial, "os_name": os, "organization_id": sys.Tree.Root})
			if err != nil {
				t.Fatal(err)
			}
			return r.ID
		}
		a1 := mk("PC-LYO-0001", "5CG38N35NX", "Windows 11")
		a2 := mk("pc-lyo-0002", "ZZ1", "Debian GNU/Linux")
		a3 := mk("PC_PAR-0003", "ZZ2", "Windows 10")
		a4 := mk("Poste comptabilité", "ÉCRAN-42", "")
		a5 := mk("SW-1", "10.3.1.20", "")
		a6 := mk("SW-2", "10.3.200.1", "")
		a7 := mk("SW-3", "10_3_1", "")
		gone := mk("PC-LYO-0099", "38N35NGONE", "")
		if err := a.Records.Trash(ctx, sys, comp, gone); err != nil {
			t.Fatal(err)
		}
		ids := func(q record.ListQuery) []int64 {
			q.Sort, q.Count = "id", true
			p, err := a.Records.List(ctx, sys, comp, q)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, r := range p.Records {
				out = append(out, r.ID)
			}
			if int(p.Total) != len(out) {
				t.Errorf("%+v: total %d for %d records", q, p.Total, len(out))
			}
			return out
		}
		for _, c := range []struct {
			q    record.ListQuery
			want []int64
		}{
			{record.ListQuery{Q: "38n35n"}, []int64{a1}},
			{record.ListQuery{Q: "WINDOWS"}, []int64{a1, a3}},
			{record.ListQuery{Q: "lyo"}, []int64{a1, a2}},
			{record.ListQuery{Q: "zz"}, []int64{a2, a3}},
			{record.ListQuery{Q: "comptabilité"}, []int64{a4}},
			{record.ListQuery{Q: `"x`}, nil},
			{record.ListQuery{Q: "Windows", Filters: []record.Filter{{Field: "name", Op: record.OpStarts, Value: "pc-"}}}, []int64{a1}},
			{record.ListQuery{Filters: []record.Filter{{Field: "name", Op: record.OpStarts, Value: "PC-LYO"}}}, []int64{a1, a2}},
			{record.ListQuery{Filters: []record.Filter{{Field: "name", Op: record.OpStarts, Value: "PC_"}}}, []int64{a3}},
			{record.ListQuery{Filters: []record.Filter{{Field: "name", Op: record.OpStarts, Value: "PC%"}}}, nil},
			// Prefixes without letters (addresses, numbers) go through a case-sensitive match.
			{record.ListQuery{Filters: []record.Filter{{Field: "serial", Op: record.OpStarts, Value: "10.3."}}}, []int64{a5, a6}},
			{record.ListQuery{Filters: []record.Filter{{Field: "serial", Op: record.OpStarts, Value: "10.3.1"}}}, []int64{a5}},
			{record.ListQuery{Filters: []record.Filter{{Field: "serial", Op: record.OpStarts, Value: "10.3*"}}}, nil},
			{record.ListQuery{Filters: []record.Filter{{Field: "serial", Op: record.OpStarts, Value: "10_3"}}}, []int64{a7}}, // "_" is no wildcard
		} {
			if got := ids(c.q); fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("%+v: got %v want %v", c.q, got, c.want)
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
	p, _ = a.Records.List(ctx, sys, a.Reg.MustType("states"), record.ListQuery{Count: true, Limit: 1, Filters: []record.Filter{{Field: "name", Op: record.OpStarts, Value: "state-10"}}})
	if p.Total != 16 || p.TotalCapped { // state-10, state-100…109, state-1000…1004
		t.Fatalf("filtered total %d capped %v", p.Total, p.TotalCapped)
	}
}

// TestReferencesAreChecked: a reference must name a live record of the record's
// organisation or an ancestor's; every bad one of a write is reported by field.
func TestReferencesAreChecked(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, sys := newApp(t, kind)
		ctx := context.Background()
		locs := a.Reg.MustType("locations")
		mk := func(tn string, in record.Input) int64 {
			r, err := a.Records.Create(ctx, sys, a.Reg.MustType(tn), in)
			if err != nil {
				t.Fatalf("%s: %v", tn, err)
			}
			return r.ID
		}
		child := mk("organizations", record.Input{"name": "Child", "parent_id": sys.Tree.Root})
		other := mk("organizations", record.Input{"name": "Other", "parent_id": sys.Tree.Root})
		sys, _ = a.System(ctx, record.OriginAPI) // the tree now holds the new organisations
		rootRoom := mk("locations", record.Input{"name": "Root room", "organization_id": sys.Tree.Root})
		otherRoom := mk("locations", record.Input{"name": "Other room", "organization_id": other})
		goneRoom := mk("locations", record.Input{"name": "Gone room", "organization_id": child})
		if err := a.Records.Trash(ctx, sys, locs, goneRoom); err != nil {
			t.Fatal(err)
		}
		maker := mk("manufacturers", record.Input{"name": "Maker"})
		goneState := mk("states", record.Input{"name": "Gone state"})
		if err := a.Records.Trash(ctx, sys, a.Reg.MustType("states"), goneState); err != nil {
			t.Fatal(err)
		}
		comp := a.Reg.MustType("computers")
		fields := func(in record.Input) map[string]string {
			_, err := a.Records.Create(ctx, sys, comp, in)
			if err == nil {
				return nil
			}
			e, ok := record.AsError(err)
			if !ok {
				t.Fatal(err)
			}
			out := map[string]string{}
			for f, m := range e.Fields {
				out[f] = m.Key
			}
			return out
		}
		if got := fields(record.Input{"name": "ok", "organization_id": child, "location_id": rootRoom, "manufacturer_id": maker}); got != nil {
			t.Errorf("ancestor's room and a global maker refused: %v", got)
		}
		got := fields(record.Input{"name": "bad", "organization_id": child, "location_id": otherRoom, "manufacturer_id": int64(999999), "state_id": goneState})
		want := map[string]string{"location_id": "err.reference_other_org", "manufacturer_id": "err.bad_reference", "state_id": "err.bad_reference"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("got %v want %v", got, want)
		}
		if got := fields(record.Input{"name": "trashed", "organization_id": child, "location_id": goneRoom}); got["location_id"] != "err.bad_reference" {
			t.Errorf("trashed room: %v", got)
		}
	})
}

// TestFreeTextOnACommonWord: a word in most rows is found by reading the list in
// order (the trigram index would make each page sort every match); a rare one
// through the index; both give the same answers as a plain scan would.
func TestFreeTextOnACommonWord(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, sys := newApp(t, kind)
		ctx := context.Background()
		now := a.Records.Now()
		ins := "INSERT INTO computers (organization_id, name, os_name, version, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)"
		err := a.DB.Tx(ctx, func(tx *store.Tx) error {
			for i := 0; i < 2100; i++ {
				os := "Windows 11 Professionnel"
				if i%700 == 0 {
					os = "Debian GNU/Linux"
				}
				if _, err := tx.ExecContext(ctx, ins, sys.Tree.Root, fmt.Sprintf("PC-%05d", 3000-i), os, now, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		comp := a.Reg.MustType("computers")
		p, err := a.Records.List(ctx, sys, comp, record.ListQuery{Q: "windows", Count: true, Sort: "name", Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		if !p.TotalCapped || len(p.Records) != 3 || p.Records[0].String("name") != "PC-00901" || p.Records[2].String("name") != "PC-00903" {
			t.Fatalf("common word: capped %v, %d records, first %v", p.TotalCapped, len(p.Records), p.Records)
		}
		p, err = a.Records.List(ctx, sys, comp, record.ListQuery{Q: "GNU/Lin", Count: true, Sort: "name"})
		if err != nil || p.Total != 3 || p.Records[0].String("name") != "PC-01600" {
			t.Fatalf("rare word: %v %d %v", err, p.Total, p.Records)
		}
	})
}

// TestTreeCyclesAreRefused: a category cannot be moved under itself or under one of
// its descendants (record.RefuseCycles).
func TestTreeCyclesAreRefused(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, sys := newApp(t, kind)
		ctx := context.Background()
		for _, tn := range []string{"ticket-categories", "kb-categories"} {
			cats := a.Reg.MustType(tn)
			mk := func(name string, parent int64) int64 {
				in := record.Input{"name": name, "organization_id": sys.Tree.Root}
				if parent != 0 {
					in["parent_id"] = parent
				}
				r, err := a.Records.Create(ctx, sys, cats, in)
				if err != nil {
					t.Fatalf("%s %s: %v", tn, name, err)
				}
				return r.ID
			}
			top := mk("Top", 0)
			mid := mk("Mid", top)
			leaf := mk("Leaf", mid)
			for _, parent := range []int64{top, leaf} {
				_, err := a.Records.Update(ctx, sys, cats, top, record.Input{"parent_id": parent})
				e, ok := record.AsError(err)
				if !ok || e.Fields["parent_id"].Key != "err.category_cycle" {
					t.Errorf("%s: top under %d: %v", tn, parent, err)
				}
			}
			if _, err := a.Records.Update(ctx, sys, cats, leaf, record.Input{"parent_id": top}); err != nil {
				t.Errorf("%s: a legal move refused: %v", tn, err)
			}
		}
	})
}
