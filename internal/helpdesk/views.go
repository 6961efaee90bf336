package helpdesk

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"parc/internal/record"
	"parc/internal/store"
)

// ViewNames are the helpdesk views a technician works from.
var ViewNames = []string{"mine", "my-groups", "unassigned", "at-risk", "late"}

// viewAtRisk is how close to its resolution due time a running ticket is at risk
// (the same four hours as the list filter due:eq:at_risk).
const viewAtRisk = 4 * time.Hour

// ViewQuery is a page request of a view.
type ViewQuery struct {
	Limit  int
	Cursor string
	Count  bool
}

// viewCursor is the last row of a page in the views' order.
type viewCursor struct {
	P   int64  `json:"p"`
	Due string `json:"d,omitempty"` // RFC 3339; empty: no due time
	ID  int64  `json:"id"`
}

// dueSortSQL is the views' second sort key: the resolution due time, tickets
// without one last, written as the partial indexes of migration 0009 are.
func dueSortSQL(d store.Dialect) string {
	if d == store.Postgres {
		return "COALESCE(ttr_due_at, 'infinity'::timestamptz)"
	}
	return "COALESCE(ttr_due_at, '9999-12-31')"
}

// dueArg is a cursor's due time as the sort key compares it.
func dueArg(d store.Dialect, c *viewCursor) (string, any, error) {
	if d == store.Postgres {
		if c.Due == "" {
			return "CAST(? AS TIMESTAMPTZ)", "infinity", nil
		}
		t, err := time.Parse(time.RFC3339Nano, c.Due)
		return "?", t.UTC(), err
	}
	if c.Due == "" {
		return "?", "9999-12-31", nil
	}
	t, err := time.Parse(time.RFC3339Nano, c.Due)
	return "?", t.UTC(), err
}

// View reads one page of a helpdesk view as the actor sees it, highest priority
// first, then soonest resolution due time (none last), then oldest:
//   - mine: open tickets assigned to the actor;
//   - my-groups: open tickets assigned to a group the actor belongs to;
//   - unassigned: open tickets with neither technician nor group;
//   - at-risk: running tickets (pending ones are paused) due within four hours;
//   - late: running tickets past their resolution due time.
//
// Open is new, assigned, planned or pending. Each view is one indexed range of
// migration 0009's partial indexes, within the actor's read scope.
func (s *Service) View(ctx context.Context, a *record.Actor, name string, q ViewQuery) (*record.Page, error) {
	t := s.tickets()
	db := s.Rec.DB
	now := s.Rec.Now()
	conds := []string{openCond}
	var args []any
	switch name {
	case "mine":
		conds = append(conds, "assigned_user_id = ?")
		args = append(args, a.UserID)
	case "my-groups":
		conds = append(conds, "assigned_group_id IN (SELECT group_id FROM group_members WHERE user_id = ? AND deleted_at IS NULL)")
		args = append(args, a.UserID)
	case "unassigned":
		conds = append(conds, "assigned_user_id IS NULL AND assigned_group_id IS NULL")
	case "at-risk":
		conds = append(conds, "status <> 'pending' AND ttr_due_at >= ? AND ttr_due_at < ?")
		args = append(args, now, now.Add(viewAtRisk))
	case "late":
		conds = append(conds, "status <> 'pending' AND ttr_due_at < ?")
		args = append(args, now)
	default:
		return nil, record.E(record.CodeNotFound, "err.unknown_view", name)
	}
	scope, sargs, ok := readScope(a, t)
	if !ok {
		return nil, record.ErrForbidden()
	}
	conds = append(conds, scope)
	args = append(args, sargs...)
	base := strings.Join(conds, " AND ")
	page := &record.Page{Total: -1}
	if q.Count {
		cq := "SELECT COUNT(*) FROM (SELECT 1 FROM tickets WHERE " + base + " LIMIT ?) capped"
		if err := db.QueryRowContext(ctx, cq, append(append([]any{}, args...), record.CountCap+1)...).Scan(&page.Total); err != nil {
			return nil, err
		}
		if page.Total > record.CountCap {
			page.Total, page.TotalCapped = record.CountCap, true
		}
	}
	limit := q.Limit
	if limit <= 0 {
		limit = record.DefaultLimit
	}
	limit = min(limit, record.MaxLimit)
	due := dueSortSQL(db.Dialect)
	where, pargs := base, append([]any{}, args...)
	if q.Cursor != "" {
		c, err := decodeViewCursor(q.Cursor)
		if err != nil {
			return nil, err
		}
		ph, d, err := dueArg(db.Dialect, c)
		if err != nil {
			return nil, record.E(record.CodeInvalid, "err.bad_cursor")
		}
		where += " AND (priority < ? OR (priority = ? AND (" + due + " > " + ph + " OR (" + due + " = " + ph + " AND id > ?))))"
		pargs = append(pargs, c.P, c.P, d, d, c.ID)
	}
	query := "SELECT " + ticketColumns(t) + " FROM tickets WHERE " + where + " ORDER BY priority DESC, " + due + ", id LIMIT ?"
	recs, err := s.queryTickets(ctx, t, query, append(pargs, limit+1))
	if err != nil {
		return nil, err
	}
	if len(recs) > limit {
		recs = recs[:limit]
		last := recs[limit-1]
		c := viewCursor{P: last.Int("priority"), ID: last.ID}
		if d, ok := last.Values["ttr_due_at"].(time.Time); ok {
			c.Due = d.UTC().Format(time.RFC3339Nano)
		}
		b, _ := json.Marshal(c)
		page.NextCursor = base64.RawURLEncoding.EncodeToString(b)
	}
	page.Records = recs
	return page, s.Rec.Describe(ctx, recs...)
}

func decodeViewCursor(raw string) (*viewCursor, error) {
	var c viewCursor
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil || json.Unmarshal(b, &c) != nil || c.ID <= 0 {
		return nil, record.E(record.CodeInvalid, "err.bad_cursor")
	}
	return &c, nil
}

// readScope is the organisation predicate of the actor's right to read tickets,
// as the record service builds it (tickets have no read scope of their own).
func readScope(a *record.Actor, t *record.Type) (string, []any, bool) {
	if a.System {
		return "1=1", nil, true
	}
	sc := a.Scope(t, record.Read)
	if sc.Empty() {
		return "", nil, false
	}
	if sc.All {
		return "1=1", nil, true
	}
	var parts []string
	var args []any
	if len(sc.IDs) > 0 {
		parts = append(parts, "organization_id IN ("+ints(sc.IDs)+")")
	}
	if len(sc.OwnIDs) > 0 {
		parts = append(parts, "(organization_id IN ("+ints(sc.OwnIDs)+") AND user_id = ?)")
		args = append(args, a.UserID)
	}
	return "(" + strings.Join(parts, " OR ") + ")", args, true
}

// ints writes ids parc computed itself (never user text) as an SQL list.
func ints(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

// ticketColumns is the select list the record service reads a ticket with.
func ticketColumns(t *record.Type) string {
	cols := []string{"id", "organization_id", "version", "created_at", "updated_at", "deleted_at"}
	for _, f := range t.VisibleFields() {
		cols = append(cols, f.Name)
	}
	return strings.Join(cols, ", ")
}

func (s *Service) queryTickets(ctx context.Context, t *record.Type, q string, args []any) ([]*record.Record, error) {
	rows, err := s.Rec.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	vis := t.VisibleFields()
	var out []*record.Record
	for rows.Next() {
		raw := make([]any, 6+len(vis))
		ptrs := make([]any, len(raw))
		for i := range raw {
			ptrs[i] = &raw[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		r := &record.Record{Type: t, Values: make(map[string]any, len(vis))}
		r.ID, _ = intField.FromDB(raw[0]).(int64)
		r.OrgID, _ = intField.FromDB(raw[1]).(int64)
		r.Version, _ = intField.FromDB(raw[2]).(int64)
		r.CreatedAt, _ = tsField.FromDB(raw[3]).(time.Time)
		r.UpdatedAt, _ = tsField.FromDB(raw[4]).(time.Time)
		if d, ok := tsField.FromDB(raw[5]).(time.Time); ok {
			r.DeletedAt = &d
		}
		for i, f := range vis {
			r.Values[f.Name] = f.FromDB(raw[6+i])
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

var intField = &record.Field{Kind: record.Int}
