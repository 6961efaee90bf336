package ingest_test

import (
	"context"
	"testing"

	"parc/internal/ingest"
	"parc/internal/softver"
	"parc/internal/storetest"
)

// TestMigrationRecomputesVersionKeys: migration 13 rewrites the version keys of
// stored installations (kept in the old padded form by earlier versions) with
// softver.Key, so that version filters keep working on an upgraded store.
func TestMigrationRecomputesVersionKeys(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, s, _ := setup(t, kind)
		ctx := context.Background()
		if _, err := s.Ingest(ctx, machineVariant(t, 1), ingest.Meta{}); err != nil {
			t.Fatal(err)
		}
		db := a.DB
		if _, err := db.W.ExecContext(ctx, "UPDATE software_installations SET version_key = 'stale'"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.W.ExecContext(ctx, "DELETE FROM schema_migrations WHERE version = 13"); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		rows, err := db.R.QueryContext(ctx, "SELECT version, version_key FROM software_installations")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var v, k string
			if err := rows.Scan(&v, &k); err != nil {
				t.Fatal(err)
			}
			if k != softver.Key(v) {
				t.Fatalf("version %q has key %q, want %q", v, k, softver.Key(v))
			}
			n++
		}
		if n < 1000 {
			t.Fatalf("%d installations checked", n)
		}
		// Filters compare versions through those keys.
		if got := count(t, a, "SELECT COUNT(*) FROM software_installations i JOIN software s ON s.id = i.software_id WHERE s.name = 'dpkg' AND i.version_key < ?", softver.Key("99")); got != 1 {
			t.Fatalf("dpkg below version 99: %d", got)
		}
	})
}
