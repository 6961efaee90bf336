package ingest_test

import (
	"context"
	"testing"

	"parc/internal/app"
	"parc/internal/ingest"
	"parc/internal/inventory"
	"parc/internal/record"
	"parc/internal/storetest"
)

// monitorsOf lists "name serial manufacturer model" of the live monitors linked to a
// computer, by id.
func monitorsOf(t *testing.T, a *app.App, sys *record.Actor, computer int64) []string {
	t.Helper()
	rows, err := a.DB.QueryContext(context.Background(), "SELECT id FROM monitors WHERE computer_id = ? AND deleted_at IS NULL ORDER BY id", computer)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	var out []string
	for _, id := range ids {
		rec, err := a.Records.Get(context.Background(), sys, a.Reg.MustType("monitors"), id)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, describe(rec, "name", "serial", "manufacturer_id", "model_id"))
	}
	return out
}

func monitorID(t *testing.T, a *app.App, serial string) int64 {
	t.Helper()
	return int64(count(t, a, "SELECT id FROM monitors WHERE serial = ?", serial))
}

// TestMonitorsBecomeLinkedAssets: the monitors a computer reports are monitors records
// linked to it; they follow a monitor to another computer, are unlinked (never
// deleted) when a reported monitors section no longer lists them, and stay as they
// are when the section is not reported or the link is locked.
func TestMonitorsBecomeLinkedAssets(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, s, sys := setup(t, kind)
		ctx := context.Background()
		monitors := a.Reg.MustType("monitors")
		resA, err := s.Ingest(ctx, parseGLPI(t, "computer_3.json"), ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		A := resA.ComputerID
		want := []string{
			"name=PL2480H serial=11182M5200867 manufacturer_id=IVM model_id=PL2480H",
			// EDID serial "00000000" is a placeholder: not kept, not matched on.
			"name=N133BGE-EAA CMN N133BGE-EAA serial= manufacturer_id=CMN model_id=N133BGE-EAA CMN N133BGE-EAA",
		}
		if got := monitorsOf(t, a, sys, A); len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Fatalf("monitors of A:\n%q\nwant\n%q", got, want)
		}
		pl := monitorID(t, a, "11182M5200867")
		if h := entriesOf(t, a, sys, "monitors", pl); len(h) == 0 || h[0].Action != "create" || h[0].Origin != "inventory" {
			t.Errorf("monitor history %+v", h)
		}
		// Unchanged: nothing written, still two monitors.
		before := count(t, a, "SELECT COUNT(*) FROM history")
		if _, err := s.Ingest(ctx, parseGLPI(t, "computer_3.json"), ingest.Meta{}); err != nil {
			t.Fatal(err)
		}
		if n := count(t, a, "SELECT COUNT(*) FROM history"); n != before {
			t.Errorf("unchanged re-inventory wrote %d history entries", n-before)
		}
		if n := count(t, a, "SELECT COUNT(*) FROM monitors"); n != 2 {
			t.Fatalf("%d monitors after the same inventory", n)
		}
		// Without a monitors section: links kept.
		partial := parseGLPI(t, "computer_3.json")
		partial.Monitors, partial.Sections = nil, without(partial.Sections, inventory.SectionMonitors)
		partial.Softwares = partial.Softwares[1:] // something changed, so sections are applied
		if _, err := s.Ingest(ctx, partial, ingest.Meta{}); err != nil {
			t.Fatal(err)
		}
		if got := monitorsOf(t, a, sys, A); len(got) != 2 {
			t.Fatalf("monitors of A after a partial inventory: %q", got)
		}
		// The PL2480H moves to computer B: found by its serial, linked to B.
		invB := parseFusion(t, "glpi-inventory-format/fusion-12.xml")
		invB.Monitors = append(invB.Monitors, parseGLPI(t, "computer_3.json").Monitors[0])
		resB, err := s.Ingest(ctx, invB, ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		B := resB.ComputerID
		if got := monitorsOf(t, a, sys, B); len(got) != 2 || got[0] != want[0] || got[1] != "name=DELL 1707FP serial=C975661HAB2R manufacturer_id=Dell model_id=DELL 1707FP" {
			t.Fatalf("monitors of B: %q", got)
		}
		if got := monitorsOf(t, a, sys, A); len(got) != 1 || got[0] != want[1] {
			t.Fatalf("monitors of A after the move: %q", got)
		}
		moved := false
		for _, e := range entriesOf(t, a, sys, "monitors", pl) {
			if e.Action == "update" && e.Field == "computer_id" && e.OldValue == record.Format(A) && e.NewValue == record.Format(B) && e.Origin == "inventory" {
				moved = true
			}
		}
		if !moved {
			t.Errorf("no history of the move: %+v", entriesOf(t, a, sys, "monitors", pl))
		}
		// A reports its monitors without the PL2480H: B keeps it.
		invA := parseGLPI(t, "computer_3.json")
		invA.Monitors = invA.Monitors[1:]
		if _, err := s.Ingest(ctx, invA, ingest.Meta{}); err != nil {
			t.Fatal(err)
		}
		if rec, _ := a.Records.Get(ctx, sys, monitors, pl); rec.Int("computer_id") != B {
			t.Errorf("PL2480H linked to %d, want B %d", rec.Int("computer_id"), B)
		}
		// B reports no monitor at all (section present, empty): both unlinked, not
		// deleted, except one whose link is locked.
		dell := monitorID(t, a, "C975661HAB2R")
		if _, err := a.Records.Update(ctx, sys, monitors, dell, record.Input{"locked_fields": "computer_id"}); err != nil {
			t.Fatal(err)
		}
		invB = parseFusion(t, "glpi-inventory-format/fusion-12.xml")
		invB.Monitors = nil
		if _, err := s.Ingest(ctx, invB, ingest.Meta{}); err != nil {
			t.Fatal(err)
		}
		if got := monitorsOf(t, a, sys, B); len(got) != 1 || got[0] != "name=DELL 1707FP serial=C975661HAB2R manufacturer_id=Dell model_id=DELL 1707FP" {
			t.Errorf("monitors of B with an empty section: %q", got)
		}
		rec, err := a.Records.Get(ctx, sys, monitors, pl)
		if err != nil || rec.Get("computer_id") != nil || rec.DeletedAt != nil {
			t.Errorf("PL2480H: %v %+v", err, rec)
		}
		if n := count(t, a, "SELECT COUNT(*) FROM monitors"); n != 3 {
			t.Errorf("%d monitors, want 3", n)
		}
	})
}
