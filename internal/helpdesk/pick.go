package helpdesk

import (
	"context"

	"parc/internal/record"
	"parc/internal/store"
)

// technicians limits a user reference to technicians: active users holding a
// profile that may update tickets (technician, supervisor, administrators). A
// ticket's or a task's assignee is picked among them, never among requesters.
func technicians(ctx context.Context, db *store.DB) (string, []any, error) {
	rows, err := db.QueryContext(ctx, "SELECT id, rights FROM profiles WHERE deleted_at IS NULL")
	if err != nil {
		return "", nil, err
	}
	defer rows.Close()
	var ids []any
	for rows.Next() {
		var id int64
		var doc string
		if err := rows.Scan(&id, &doc); err != nil {
			return "", nil, err
		}
		if r, err := record.ParseRights(doc, nil); err == nil && r.Allows("tickets", record.Update) {
			ids = append(ids, id)
		}
	}
	if err := rows.Err(); err != nil {
		return "", nil, err
	}
	if len(ids) == 0 {
		return "1=0", nil, nil
	}
	cond := "active = ? AND id IN (SELECT user_id FROM authorizations WHERE deleted_at IS NULL AND profile_id IN (" + store.Placeholders(len(ids)) + "))"
	return cond, append([]any{true}, ids...), nil
}
