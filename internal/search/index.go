package search

import (
	"context"

	"parc/internal/record"
	"parc/internal/store"
)

// Kinds are the searchable record types, in the order results of equal score come.
var Kinds = []string{"tickets", "ticket-followups", "kb-articles"}

// source says which columns of a searchable type are indexed.
type source struct {
	table, title, body string
	ticket             string // column holding the ticket id, if any
}

var sources = map[string]source{
	"tickets":          {table: "tickets", title: "title", body: "description", ticket: "id"},
	"ticket-followups": {table: "ticket_followups", body: "content", ticket: "ticket_id"},
	"kb-articles":      {table: "kb_articles", title: "title", body: "body"},
}

// Attach makes the searchable types keep their index rows: written after each
// create or change of an indexed field, in the record's own transaction (the
// analysis runs in Go, which triggers cannot call), and removed on purge.
func Attach(types []*record.Type) {
	for _, t := range types {
		src, ok := sources[t.Name]
		if !ok {
			continue
		}
		kind := t.Name
		t.TextFilter = func(d store.Dialect, text string) (string, []any, bool) { return textFilter(kind, d, text) }
		t.Hooks.ThenAfterWrite(func(w *record.Write) error {
			if w.Old != nil && same(w, src.title) && same(w, src.body) {
				return nil
			}
			return upsert(w.Ctx, w.Tx, w.DB, kind, src, w.New)
		})
		before := t.Hooks.BeforeDelete
		t.Hooks.BeforeDelete = func(ctx context.Context, tx *store.Tx, db *store.DB, r *record.Record, purge bool) error {
			if before != nil {
				if err := before(ctx, tx, db, r, purge); err != nil {
					return err
				}
			}
			if !purge {
				return nil // trashed records stay indexed; searches skip them
			}
			q := "DELETE FROM search_docs WHERE kind = ? AND record_id = ?"
			if kind == "tickets" {
				// The follow-ups go with their ticket.
				q = "DELETE FROM search_docs WHERE (kind = ? AND record_id = ?) OR (kind = 'ticket-followups' AND ticket_id = ?)"
				_, err := tx.ExecContext(ctx, q, kind, r.ID, r.ID)
				return err
			}
			_, err := tx.ExecContext(ctx, q, kind, r.ID)
			return err
		}
	}
}

func same(w *record.Write, field string) bool {
	return field == "" || record.Equal(w.Old.Values[field], w.New.Values[field])
}

func upsert(ctx context.Context, tx *store.Tx, db *store.DB, kind string, src source, r *record.Record) error {
	var title, body string
	if src.title != "" {
		title = Analyze(r.String(src.title))
	}
	if src.body != "" {
		body = Analyze(r.String(src.body))
	}
	var ticket any
	switch src.ticket {
	case "id":
		ticket = r.ID
	case "":
	default:
		ticket = r.Values[src.ticket]
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO search_docs (kind, record_id, ticket_id, title, body) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (kind, record_id) DO UPDATE SET ticket_id = excluded.ticket_id, title = excluded.title, body = excluded.body`,
		kind, r.ID, ticket, title, body)
	return err
}

// textFilter is a list's free text as words: the records of the kind whose index
// row holds every word (through any of its forms). Unranked: the list keeps its
// own order.
func textFilter(kind string, d store.Dialect, text string) (string, []any, bool) {
	q, err := ParseQuery(text, false)
	if err != nil || len(q.groups) == 0 {
		return "", nil, false
	}
	if d == store.Postgres {
		// The kind as a literal (a registered kind, never input): the planner
		// picks the kind's partial index only when it sees it.
		return "id IN (SELECT d.record_id FROM search_docs d WHERE d.kind = '" + kind + "' AND d.tsv @@ to_tsquery('simple', ?))", []any{q.TSQuery()}, true
	}
	return "id IN (SELECT d.record_id FROM search_docs d WHERE d.kind = ? AND d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?))", []any{kind, q.FTS5()}, true
}
