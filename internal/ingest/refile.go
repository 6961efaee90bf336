package ingest

import (
	"context"
	"regexp"
	"strings"
	"time"

	"parc/internal/asset"
	"parc/internal/jobs"
	"parc/internal/record"
	"parc/internal/softver"
	"parc/internal/store"
)

// Move is what re-filing does to one catalogue entry: renamed in place (Into 0)
// or merged into another entry, its installations following it. Version is the
// number its name carried, given to its installations that reported none.
type Move struct {
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	Publisher     string `json:"publisher,omitempty"`
	Into          int64  `json:"into,omitempty"`
	NewName       string `json:"new_name"`
	NewPublisher  string `json:"new_publisher,omitempty"`
	NewCategory   string `json:"new_category,omitempty"`
	Version       string `json:"version,omitempty"`
	Installations int64  `json:"installations"`
}

// entry is a catalogue entry as re-filing reads it.
type entry struct {
	id                        int64
	name, publisher, category string
	key                       swKey
}

// PlanRefile says how the catalogue's entries would move if the dictionary d were
// applied to them as to reported software: nothing is written. Entries a rule
// ignores are left for the next inventories, which drop their installations.
func (s *Service) PlanRefile(ctx context.Context, q store.Querier, d Dictionary) ([]Move, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, COALESCE(publisher, ''), COALESCE(category, ''), name_key, publisher_key
		FROM software WHERE deleted_at IS NULL ORDER BY id`)
	if err != nil {
		return nil, err
	}
	var entries []entry
	byKey := map[swKey]int64{}
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.id, &e.name, &e.publisher, &e.category, &e.key.name, &e.key.publisher); err != nil {
			rows.Close()
			return nil, err
		}
		entries = append(entries, e)
		byKey[e.key] = e.id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var moves []Move
	for _, e := range entries {
		in, ok := d.file(install{name: e.name, publisher: e.publisher, category: e.category})
		if !ok {
			continue
		}
		if in.key == e.key && in.name == e.name && in.publisher == e.publisher && in.category == e.category && in.version == "" {
			continue
		}
		m := Move{ID: e.id, Name: e.name, Publisher: e.publisher, NewName: in.name, NewPublisher: in.publisher, NewCategory: in.category,
			Version: in.version}
		if to, taken := byKey[in.key]; taken && to != e.id {
			m.Into = to
		} else if in.key != e.key {
			// Renamed in place: the entries moving to the same name after it merge into it.
			delete(byKey, e.key)
			byKey[in.key] = e.id
		}
		moves = append(moves, m)
	}
	// Installations are counted for the entries that move only: the table is the
	// biggest of the store.
	for i := range moves {
		if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM software_installations WHERE software_id = ?", moves[i].ID).Scan(&moves[i].Installations); err != nil {
			return nil, err
		}
	}
	return moves, nil
}

// Refile applies the dictionary d to the catalogue's existing entries: each entry
// a rule renames (or whose name carried its version) is renamed in place, or
// merged with its installations into the entry of that name; one transaction per
// entry, with the history of both entries (origin rule). It is the re-filing of
// one set of rules, whoever owns them.
func (s *Service) Refile(ctx context.Context, d Dictionary) ([]Move, error) {
	moves, err := s.PlanRefile(ctx, s.App.DB, d)
	if err != nil {
		return nil, err
	}
	sys, err := s.App.System(ctx, record.OriginRule)
	if err != nil {
		return nil, err
	}
	for _, m := range moves {
		if err := s.App.DB.Tx(ctx, func(tx *store.Tx) error { return s.move(ctx, tx, sys, m) }); err != nil {
			return nil, err
		}
	}
	return moves, nil
}

// move re-files one entry.
func (s *Service) move(ctx context.Context, tx *store.Tx, sys *record.Actor, m Move) error {
	sw := s.App.Reg.MustType("software")
	if m.Version != "" {
		// The number the name carried becomes the version of the installations
		// that reported none (the same key may already be there: that one stays).
		if _, err := tx.ExecContext(ctx, `UPDATE software_installations SET version = ?, version_key = ?
			WHERE software_id = ? AND version = '' AND NOT EXISTS (SELECT 1 FROM software_installations o
				WHERE o.computer_id = software_installations.computer_id AND o.software_id = software_installations.software_id
				AND o.version = ? AND o.arch = software_installations.arch)`, m.Version, softver.Key(m.Version), m.ID, m.Version); err != nil {
			return err
		}
	}
	if m.Into == 0 {
		in := record.Input{"name": m.NewName, "publisher": m.NewPublisher, "category": m.NewCategory}
		_, err := s.App.Records.UpdateTx(ctx, tx, sys, sw, m.ID, in)
		return err
	}
	// Merged: the computers that gain the target entry owe it their count.
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT i.computer_id FROM software_installations i
		JOIN computers c ON c.id = i.computer_id AND c.deleted_at IS NULL
		WHERE i.software_id = ? AND NOT EXISTS (SELECT 1 FROM software_installations t WHERE t.computer_id = i.computer_id AND t.software_id = ?)`, m.ID, m.Into)
	if err != nil {
		return err
	}
	gained := 0
	for rows.Next() {
		gained++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO software_installations (computer_id, software_id, version, version_key, arch, install_date)
		SELECT computer_id, ?, version, version_key, arch, install_date FROM software_installations WHERE software_id = ?
		ON CONFLICT DO NOTHING`, m.Into, m.ID); err != nil {
		return err
	}
	for start := 0; start < gained; start += 1000 {
		n := min(1000, gained-start)
		added := strings.TrimSuffix(strings.Repeat(record.Format(m.Into)+",", n), ",")
		if _, err := tx.ExecContext(ctx, "INSERT INTO software_count_changes (added, removed) VALUES (?, '')", added); err != nil {
			return err
		}
	}
	from, err := s.App.Records.GetTx(ctx, tx, sys, sw, m.ID)
	if err != nil {
		return err
	}
	into, err := s.App.Records.GetTx(ctx, tx, sys, sw, m.Into)
	if err != nil {
		return err
	}
	if err := s.App.Records.AddHistoryTx(ctx, tx, sys, into, "update", []record.Change{{Field: "merged_from", Old: "", New: m.Name}}); err != nil {
		return err
	}
	if err := s.App.Records.AddHistoryTx(ctx, tx, sys, from, "update", []record.Change{{Field: "merged_into", Old: m.Name, New: into.String("name")}}); err != nil {
		return err
	}
	// The merged entry goes with its installations (copied above); its history stays.
	if err := s.App.Records.AddHistoryTx(ctx, tx, sys, from, "purge", nil); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "DELETE FROM software WHERE id = ?", m.ID)
	return err
}

// RefileJob re-files the catalogue after a dictionary rule was saved, in the
// background (a rule's save only marks the re-filing owed): a big catalogue's
// moves do not hold the request. The mark is cleared only if no rule was saved
// meanwhile, else the next run files again.
func (s *Service) RefileJob() jobs.Job {
	return jobs.Job{Name: "inventory.software_refile", Every: 10 * time.Second, Jitter: 2 * time.Second, Lease: 30 * time.Minute,
		Run: func(ctx context.Context) error {
			_, err := s.RefileOwed(ctx)
			return err
		}}
}

// RefileOwed re-files the catalogue if a rule saved since asks for it, and says
// whether it did.
func (s *Service) RefileOwed(ctx context.Context) (bool, error) {
	mark, err := s.App.Records.ReadSetting(ctx, asset.RefileSetting)
	if err != nil || mark == "" {
		return false, err
	}
	d, err := LoadDictionary(ctx, s.App.DB)
	if err != nil {
		return false, err
	}
	moves, err := s.Refile(ctx, d)
	if err != nil {
		return false, err
	}
	if len(moves) > 0 {
		s.Log.Info("software catalogue re-filed", "entries", len(moves))
	}
	_, err = s.App.DB.Exec(ctx, "DELETE FROM settings WHERE key = ? AND value = ?", asset.RefileSetting, mark)
	return true, err
}

// PreviewRefile says what re-filing would move with the active shared rules, and
// with candidate after them when given (a shared rule being written, not saved
// yet). Only shared rules re-file the catalogue every organisation shares, so the
// actor must be allowed to change them: the right over every organisation.
func (s *Service) PreviewRefile(ctx context.Context, a *record.Actor, candidate *DictionaryRule) ([]Move, error) {
	if !a.CanEverywhere(s.App.Reg.MustType("software-rules"), record.Update) || !a.Can(s.App.Reg.MustType("software"), record.Read) {
		return nil, record.ErrForbidden()
	}
	d, err := LoadDictionary(ctx, s.App.DB)
	if err != nil {
		return nil, err
	}
	if candidate != nil {
		errs := record.FieldErrors{}
		switch candidate.Action {
		case "rename", "set_publisher", "set_category", "ignore":
		default:
			errs.Add("action", "err.not_in_list", "rename, ignore, set_publisher, set_category")
		}
		for f, p := range map[string]string{"match_name": candidate.MatchName, "match_publisher": candidate.MatchPublisher} {
			if _, err := regexp.Compile("(?i)" + p); err != nil {
				errs.Add(f, "err.bad_pattern", err.Error())
			}
		}
		if candidate.MatchName == "" && candidate.MatchPublisher == "" {
			errs.Add("match_name", "err.required")
		}
		if err := errs.Err(); err != nil {
			return nil, err
		}
		d = d.With(*candidate)
	}
	return s.PlanRefile(ctx, s.App.DB, d)
}
