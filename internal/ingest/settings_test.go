package ingest_test

import (
	"context"
	"testing"

	"parc/internal/ingest"
	"parc/internal/record"
	"parc/internal/storetest"
)

// TestDefaultStateOfNewDevices: a device an inventory creates starts in the settings'
// state too; a state trashed since the setting was made is not given, and the
// inventory still goes through.
func TestDefaultStateOfNewDevices(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, s, sys := setup(t, kind)
		ctx := context.Background()
		states := a.Reg.MustType("states")
		review, err := a.Records.Create(ctx, sys, states, record.Input{"name": "À examiner", "code": "review"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetSettings(ctx, sys, ingest.Settings{DefaultStateID: review.ID}, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		res, err := s.Ingest(ctx, parseGLPI(t, "printer_1.json"), ingest.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		p, err := a.Records.Get(ctx, sys, a.Reg.MustType("printers"), res.ID)
		if err != nil || p.Int("state_id") != review.ID {
			t.Fatalf("new printer: state %d, want %d (%v)", p.Int("state_id"), review.ID, err)
		}
		if err := a.Records.Trash(ctx, sys, states, review.ID); err != nil {
			t.Fatal(err)
		}
		res, err = s.Ingest(ctx, parseGLPI(t, "networkequipment_1.json"), ingest.Meta{})
		if err != nil {
			t.Fatalf("an inventory failed on a trashed default state: %v", err)
		}
		sw, err := a.Records.Get(ctx, sys, a.Reg.MustType("network-equipment"), res.ID)
		if err != nil || !res.Created || sw.Get("state_id") != nil {
			t.Fatalf("new switch: created %v, state %v (%v)", res.Created, sw.Get("state_id"), err)
		}
		// The settings page shows the setting as made; saving it again is refused.
		got, err := s.Settings(ctx, sys)
		if err != nil || got.DefaultStateID != review.ID {
			t.Fatalf("settings %+v, %v", got, err)
		}
		if _, err := s.SetSettings(ctx, sys, got, ""); err == nil {
			t.Fatal("a trashed state was accepted")
		}
	})
}
