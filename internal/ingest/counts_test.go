package ingest_test

import (
	"context"
	"sync"
	"testing"

	"parc/internal/ingest"
	"parc/internal/inventory"
	"parc/internal/record"
	"parc/internal/storetest"
)

// TestInstallCountsFollowInstallations: the catalogue's install counts, folded from
// what inventories owe, equal the computers that have each software, through new
// machines, removals and inventories arriving while counts are being folded.
func TestInstallCountsFollowInstallations(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, s, _ := setup(t, kind)
		ctx := context.Background()
		exact := func() {
			t.Helper()
			if _, err := s.FoldInstallCounts(ctx); err != nil {
				t.Fatal(err)
			}
			if n := count(t, a, "SELECT COUNT(*) FROM software_count_changes"); n != 0 {
				t.Fatalf("%d changes left unfolded", n)
			}
			wrong := count(t, a, `SELECT COUNT(*) FROM software s WHERE s.install_count <>
				(SELECT COUNT(DISTINCT i.computer_id) FROM software_installations i JOIN computers c ON c.id = i.computer_id
				WHERE i.software_id = s.id AND c.deleted_at IS NULL)`)
			if wrong != 0 {
				t.Fatalf("%d software entries with a wrong install count", wrong)
			}
		}
		for n := 1; n <= 3; n++ {
			if _, err := s.Ingest(ctx, machineVariant(t, n), ingest.Meta{}); err != nil {
				t.Fatal(err)
			}
		}
		if count(t, a, "SELECT COUNT(*) FROM software_count_changes") != 3 {
			t.Fatal("each new machine owes the catalogue one change")
		}
		if n := count(t, a, "SELECT COUNT(*) FROM software WHERE install_count <> 0"); n != 0 {
			t.Fatalf("%d counts moved before folding", n)
		}
		exact()
		if n := count(t, a, "SELECT install_count FROM software WHERE name = 'dpkg'"); n != 3 {
			t.Fatalf("dpkg installed on %d computers, want 3", n)
		}
		// Machine 2 loses dpkg; machine 3 gets a second version of it (one computer still).
		two := machineVariant(t, 2)
		two.Softwares = withoutSoftware(two.Softwares, "dpkg")
		three := machineVariant(t, 3)
		for _, sw := range three.Softwares {
			if sw.Name == "dpkg" {
				sw.Version += "+other"
				three.Softwares = append(three.Softwares, sw)
				break
			}
		}
		for _, inv := range []*inventory.Inventory{two, three} {
			if _, err := s.Ingest(ctx, inv, ingest.Meta{}); err != nil {
				t.Fatal(err)
			}
		}
		exact()
		if n := count(t, a, "SELECT install_count FROM software WHERE name = 'dpkg'"); n != 2 {
			t.Fatalf("dpkg installed on %d computers, want 2", n)
		}
		// Counts are of live computers: one in the trash no longer counts, counts again
		// when restored, and purging it from the trash changes nothing more.
		comps := a.Reg.MustType("computers")
		sys, err := a.System(ctx, record.OriginCLI)
		if err != nil {
			t.Fatal(err)
		}
		dpkg := func(want int, when string) {
			t.Helper()
			exact()
			if n := count(t, a, "SELECT install_count FROM software WHERE name = 'dpkg'"); n != want {
				t.Fatalf("%s: dpkg counted on %d computers, want %d", when, n, want)
			}
		}
		gone := int64(count(t, a, "SELECT id FROM computers WHERE name = 'variant-1'"))
		if err := a.Records.Trash(ctx, sys, comps, gone); err != nil {
			t.Fatal(err)
		}
		dpkg(1, "trashed")
		if err := a.Records.Restore(ctx, sys, comps, gone); err != nil {
			t.Fatal(err)
		}
		dpkg(2, "restored")
		if err := a.Records.Trash(ctx, sys, comps, gone); err != nil {
			t.Fatal(err)
		}
		if err := a.Records.Purge(ctx, sys, comps, gone); err != nil {
			t.Fatal(err)
		}
		dpkg(1, "purged from the trash")
		// A live computer deleted outright (no trash: a script, the bench) owes its
		// removal too.
		third := int64(count(t, a, "SELECT id FROM computers WHERE name = 'variant-3'"))
		if _, err := a.DB.Exec(ctx, "DELETE FROM computers WHERE id = ?", third); err != nil {
			t.Fatal(err)
		}
		dpkg(0, "deleted")
		// Inventories from 8 clients while a folder keeps folding: nothing counted twice
		// or lost.
		stop := make(chan struct{})
		folded := make(chan error, 1)
		go func() {
			for {
				select {
				case <-stop:
					folded <- nil
					return
				default:
				}
				if _, err := s.FoldInstallCounts(ctx); err != nil {
					folded <- err
					return
				}
			}
		}()
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for c := 0; c < 8; c++ {
			wg.Add(1)
			go func(c int) {
				defer wg.Done()
				for _, n := range []int{10 + c, 2 + c%2} {
					inv := machineVariant(t, n)
					if c%3 == 0 {
						inv.Softwares = inv.Softwares[:len(inv.Softwares)/2]
					}
					if _, err := s.Ingest(ctx, inv, ingest.Meta{}); err != nil {
						errs <- err
					}
				}
			}(c)
		}
		wg.Wait()
		close(stop)
		if err := <-folded; err != nil {
			t.Fatal(err)
		}
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		exact()
	})
}

func withoutSoftware(list []inventory.Software, name string) []inventory.Software {
	var out []inventory.Software
	for _, sw := range list {
		if sw.Name != name {
			out = append(out, sw)
		}
	}
	return out
}
