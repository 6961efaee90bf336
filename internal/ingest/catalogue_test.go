package ingest_test

import (
	"context"
	"testing"

	"parc/internal/ingest"
	"parc/internal/record"
	"parc/internal/storetest"
)

// TestCatalogueCacheFollowsTheCatalogue: ids kept in memory between inventories are
// dropped when a catalogue entry changes its key or goes away, so that a service
// that has seen many inventories stores the same as a new one; and a deletion it
// could not see in time makes it look again rather than fail.
func TestCatalogueCacheFollowsTheCatalogue(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, s, sys := setup(t, kind)
		ctx := context.Background()
		software := a.Reg.MustType("software")
		for n := 1; n <= 3; n++ { // the second and third are served from memory
			if _, err := s.Ingest(ctx, machineVariant(t, n), ingest.Meta{}); err != nil {
				t.Fatal(err)
			}
		}
		id := func(name string) int64 {
			t.Helper()
			return int64(count(t, a, "SELECT id FROM software WHERE name = ?", name))
		}
		dpkg := id("dpkg")
		if _, err := a.Records.Update(ctx, sys, software, dpkg, record.Input{"name": "dpkg (renamed)"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Ingest(ctx, machineVariant(t, 4), ingest.Meta{}); err != nil {
			t.Fatal(err)
		}
		if id("dpkg") == 0 || id("dpkg") == dpkg {
			t.Fatal("a renamed entry kept receiving the old name's installations")
		}
		if n := count(t, a, "SELECT COUNT(*) FROM software_installations WHERE software_id = ?", dpkg); n != 3 {
			t.Fatalf("renamed entry has %d installations, want the 3 it had", n)
		}
		// An entry deleted behind the counter's back (as by a race): the inventory that
		// still had its id runs again and stores the machine.
		bash := id("bash")
		if bash == 0 {
			t.Fatal("no bash in the fixture")
		}
		if _, err := s.Ingest(ctx, machineVariant(t, 5), ingest.Meta{}); err != nil { // bash is cached now
			t.Fatal(err)
		}
		var version int64
		a.DB.R.QueryRow("SELECT version FROM software_catalogue_version").Scan(&version)
		if _, err := a.DB.Exec(ctx, "DELETE FROM software WHERE id = ?", bash); err != nil {
			t.Fatal(err)
		}
		if _, err := a.DB.Exec(ctx, "UPDATE software_catalogue_version SET version = ?", version); err != nil {
			t.Fatal(err)
		}
		res, err := s.Ingest(ctx, machineVariant(t, 6), ingest.Meta{})
		if err != nil {
			t.Fatalf("inventory after a deleted entry: %v", err)
		}
		if n := count(t, a, "SELECT COUNT(*) FROM software_installations i JOIN software s ON s.id = i.software_id WHERE s.name = 'bash' AND i.computer_id = ?", res.ComputerID); n != 1 {
			t.Fatalf("bash installed %d times on the new machine", n)
		}
	})
}
