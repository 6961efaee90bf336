package asset

import (
	"context"
	"slices"

	"parc/internal/softver"
	"parc/internal/store"
)

// DataSteps are the migrations' data steps that follow the rules of this package,
// for store.Config.DataSteps: whoever opens a store for parc passes them.
func DataSteps() map[int]store.DataStep {
	return map[int]store.DataStep{13: recomputeVersionKeys}
}

// recomputeVersionKeys rewrites every installation's version_key with softver.Key:
// the keys of the distinct versions go into a temporary table, and one UPDATE joins it.
func recomputeVersionKeys(ctx context.Context, tx *store.Tx) error {
	rows, err := tx.QueryContext(ctx, "SELECT DISTINCT version FROM software_installations")
	if err != nil {
		return err
	}
	var versions []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		versions = append(versions, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(versions) == 0 {
		return err
	}
	pg := tx.Dialect() == store.Postgres
	create := "CREATE TEMPORARY TABLE version_keys (version TEXT PRIMARY KEY, version_key TEXT NOT NULL)"
	if pg {
		create += " ON COMMIT DROP"
	}
	if _, err := tx.ExecContext(ctx, create); err != nil {
		return err
	}
	for chunk := range slices.Chunk(versions, 400) {
		args := make([]any, 0, 2*len(chunk))
		for _, v := range chunk {
			args = append(args, v, softver.Key(v))
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO version_keys (version, version_key) VALUES "+store.Rows(len(chunk), 2), args...); err != nil {
			return err
		}
	}
	update := `UPDATE software_installations SET version_key = (SELECT k.version_key FROM version_keys k WHERE k.version = software_installations.version)`
	if pg {
		update = `UPDATE software_installations i SET version_key = k.version_key FROM version_keys k WHERE k.version = i.version AND i.version_key <> k.version_key`
	}
	if _, err := tx.ExecContext(ctx, update); err != nil {
		return err
	}
	if !pg {
		_, err = tx.ExecContext(ctx, "DROP TABLE version_keys")
	}
	return err
}
