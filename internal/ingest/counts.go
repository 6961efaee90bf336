package ingest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"parc/internal/jobs"
	"parc/internal/store"
)

// foldBatch bounds the owed changes one fold transaction takes.
const foldBatch = 500

// FoldInstallCounts adds the install counts inventories owe the software catalogue
// (software_count_changes) to software.install_count, and reports how many changes
// it folded. Each batch takes its rows with DELETE … RETURNING, so a row is counted
// exactly once even when two servers fold together, and a row committed meanwhile
// waits for the next batch.
func (s *Service) FoldInstallCounts(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := s.foldBatch(ctx)
		total += n
		if err != nil || n < foldBatch {
			return total, err
		}
	}
}

func (s *Service) foldBatch(ctx context.Context) (int, error) {
	db := s.App.DB
	n := 0
	err := db.Tx(ctx, func(tx *store.Tx) error {
		n = 0
		rows, err := tx.QueryContext(ctx, `DELETE FROM software_count_changes WHERE id IN
			(SELECT id FROM software_count_changes ORDER BY id LIMIT ?) RETURNING added, removed, touched`, foldBatch)
		if err != nil {
			return err
		}
		delta := map[int64]int64{}
		touchedSet := map[int64]int64{}
		for rows.Next() {
			var added, removed, touched string
			if err := rows.Scan(&added, &removed, &touched); err != nil {
				rows.Close()
				return err
			}
			n++
			for _, list := range []string{added, removed, touched} {
				if err := addIDs(touchedSet, list, 1); err != nil {
					rows.Close()
					return err
				}
			}
			if err := addIDs(delta, added, 1); err != nil {
				rows.Close()
				return err
			}
			if err := addIDs(delta, removed, -1); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// One UPDATE per distinct delta, rows in id order (no deadlock between folds).
		byDelta := map[int64][]int64{}
		for id, d := range delta {
			if d != 0 {
				byDelta[d] = append(byDelta[d], id)
			}
		}
		for d, list := range byDelta {
			slices.Sort(list)
			for chunk := range slices.Chunk(list, 500) {
				if _, err := tx.ExecContext(ctx, fmt.Sprintf("UPDATE software SET install_count = install_count + (%d) WHERE id IN (%s)", d, ids(chunk))); err != nil {
					return err
				}
			}
		}
		if len(s.folded) > 0 && len(touchedSet) > 0 {
			touched := slices.Sorted(maps.Keys(touchedSet))
			for _, f := range s.folded {
				if err := f(ctx, tx, touched); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return n, err
}

// FoldListener is told, in the fold's transaction, the software whose
// installations changed in the rows folded (added, removed, or another version).
type FoldListener func(ctx context.Context, tx *store.Tx, software []int64) error

// OnFold subscribes f to the folds (app.Build does, for the licence counts).
func (s *Service) OnFold(f FoldListener) { s.folded = append(s.folded, f) }

// addIDs adds sign to the delta of every id of a comma-separated list.
func addIDs(delta map[int64]int64, list string, sign int64) error {
	for f := range strings.SplitSeq(list, ",") {
		if f == "" {
			continue
		}
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return fmt.Errorf("install count change %q: %w", f, err)
		}
		delta[id] += sign
	}
	return nil
}

// CountsJob folds install counts every few seconds in `parc serve`: the catalogue's
// counts trail the inventories by at most that much.
func (s *Service) CountsJob() jobs.Job {
	return jobs.Job{Name: "inventory.install_counts", Every: 5 * time.Second, Jitter: time.Second,
		Run: func(ctx context.Context) error {
			_, err := s.FoldInstallCounts(ctx)
			return err
		}}
}
