package dashboard

import (
	"context"
	"database/sql"
	"sort"
	"time"

	"parc/internal/record"
	"parc/internal/store"
)

// Manager is a supervisor's or administrator's home.
type Manager struct {
	Backlog Block // open tickets
	// Flow is the last FlowDays days, oldest first: tickets opened and solved that
	// day, and the backlog at the end of it (worked back from today's).
	Flow          []Day
	Inflow        Block // opened over the period
	Outflow       Block // solved over the period
	SLAMet        int   // solved this month within their resolution due time
	SLA           Block // solved this month with a due time
	Groups, Techs []Block
	Silent        *Block // agents silent for SilentDays; nil when agents are not readable
	Warranties    *Block // computers whose warranty ends within WarrantyDays; nil when not readable
}

// Day is one day of the flow chart.
type Day struct {
	Day                  time.Time
	Opened, Solved, Open int
}

// SLAPercent is the share of this month's solved tickets solved in time, or -1
// when none was solved with a due time.
func (m *Manager) SLAPercent() int {
	if m.SLA.N == 0 {
		return -1
	}
	return (m.SLAMet*100 + m.SLA.N/2) / m.SLA.N
}

// Manager reads the supervisor's home blocks.
func (s *Service) Manager(ctx context.Context, a *record.Actor, now time.Time, loc *time.Location) (*Manager, error) {
	now = now.UTC()
	m := &Manager{}
	sc, sargs, ok := s.scope(a, "tickets")
	if !ok {
		return m, nil
	}
	var err error
	start := dayStart(now, loc).AddDate(0, 0, -(FlowDays - 1))
	month := time.Date(now.In(loc).Year(), now.In(loc).Month(), 1, 0, 0, 0, 0, loc).UTC()
	m.Flow = make([]Day, FlowDays)
	for i := range m.Flow {
		m.Flow[i].Day = start.AddDate(0, 0, i)
	}
	startUTC := start.UTC()
	m.Backlog = Block{Key: "backlog", Type: "tickets", Filters: []string{"open:eq:true"}, Sort: "ttr_due_at"}
	m.Inflow = Block{Key: "inflow", Type: "tickets", Filters: []string{"created_at:gte:" + ts(startUTC)}, Sort: "-id"}
	m.Outflow = Block{Key: "outflow", Type: "tickets", Filters: []string{"solved_at:gte:" + ts(startUTC)}, Sort: "-id"}
	m.SLA = Block{Key: "sla", Type: "tickets", Filters: []string{"solved_at:gte:" + ts(month), "ttr_due_at:notempty"}, Sort: "-id"}
	// The counters of migration 0026 are kept per organisation and hour: they
	// answer when the scope is organisations only (no "own tickets" part, which
	// needs the tickets' requester) and the days start on a whole hour.
	if len(sargs) == 0 && startUTC.Unix()%3600 == 0 && month.Unix()%3600 == 0 {
		if err := s.counted(ctx, m, sc, startUTC, month); err != nil {
			return nil, err
		}
	} else if err := s.counting(ctx, a, m, sc, sargs, startUTC, month); err != nil {
		return nil, err
	}

	if m.Groups, err = s.load(ctx, a, "group", "assigned_group_id", "groups", sc, sargs); err != nil {
		return nil, err
	}
	if m.Techs, err = s.load(ctx, a, "tech", "assigned_user_id", "users", sc, sargs); err != nil {
		return nil, err
	}

	if a.Can(s.Rec.Reg.MustType("agents"), record.Read) {
		since := now.AddDate(0, 0, -SilentDays)
		b, err := s.block(ctx, a, Block{Key: "silent", Type: "agents", Filters: []string{"last_contact_at:lt:" + ts(since)}, Sort: "last_contact_at"},
			"agents", "deleted_at IS NULL AND last_contact_at < ?", since)
		if err != nil {
			return nil, err
		}
		m.Silent = &b
	}
	if a.Can(s.Rec.Reg.MustType("computers"), record.Read) {
		today := dayStart(now, loc)
		from, to := today.Format("2006-01-02"), today.AddDate(0, 0, WarrantyDays).Format("2006-01-02")
		b, err := s.block(ctx, a, Block{Key: "warranties", Type: "computers", Filters: []string{"warranty_end:gte:" + from, "warranty_end:lte:" + to}, Sort: "warranty_end"},
			"computers", "deleted_at IS NULL AND disposed_at IS NULL AND warranty_end >= ? AND warranty_end <= ?", from, to)
		if err != nil {
			return nil, err
		}
		m.Warranties = &b
	}
	return m, nil
}

// counting fills the backlog, flow and SLA blocks by counting tickets, for a
// scope or time zone the counters do not serve.
func (s *Service) counting(ctx context.Context, a *record.Actor, m *Manager, sc string, sargs []any, startUTC, month time.Time) error {
	db := s.Rec.DB
	var err error
	if m.Backlog.N, _, err = s.count(ctx, a, "tickets", "tickets", openSQL, nil, false); err != nil {
		return err
	}
	for _, f := range []struct {
		col string
		n   *int
		set func(d *Day, n int)
	}{
		{"created_at", &m.Inflow.N, func(d *Day, n int) { d.Opened = n }},
		{"solved_at", &m.Outflow.N, func(d *Day, n int) { d.Solved = n }},
	} {
		bucket := dayBucket(db.Dialect, f.col)
		q := "SELECT " + bucket + ", COUNT(*) FROM tickets WHERE deleted_at IS NULL AND " + f.col + " >= ? AND " + sc + " GROUP BY 1"
		rows, err := db.QueryContext(ctx, q, append([]any{bucketOrigin(db.Dialect, startUTC), startUTC}, sargs...)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var i, n int
			if err := rows.Scan(&i, &n); err != nil {
				rows.Close()
				return err
			}
			if i >= 0 && i < FlowDays {
				f.set(&m.Flow[i], n)
				*f.n += n
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	backlog(m)
	var met sql.NullInt64
	err = db.QueryRowContext(ctx, "SELECT COUNT(*), SUM(CASE WHEN solved_at <= ttr_due_at THEN 1 ELSE 0 END) FROM tickets WHERE deleted_at IS NULL AND solved_at >= ? AND ttr_due_at IS NOT NULL AND "+sc,
		append([]any{month}, sargs...)...).Scan(&m.SLA.N, &met)
	if err != nil {
		return err
	}
	m.SLAMet = int(met.Int64)
	return nil
}

// counted fills the backlog, flow and SLA blocks from the counters of migration
// 0026 (ticket_open, ticket_flow), within the organisations of sc.
func (s *Service) counted(ctx context.Context, m *Manager, sc string, startUTC, month time.Time) error {
	db := s.Rec.DB
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(SUM(n), 0) FROM ticket_open WHERE "+sc).Scan(&m.Backlog.N); err != nil {
		return err
	}
	rows, err := db.QueryContext(ctx, "SELECT hour, SUM(opened), SUM(solved) FROM ticket_flow WHERE hour >= ? AND "+sc+" GROUP BY hour", startUTC.Unix()/3600)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var h int64
		var opened, solved int
		if err := rows.Scan(&h, &opened, &solved); err != nil {
			return err
		}
		if i := (h*3600 - startUTC.Unix()) / 86400; i < FlowDays {
			m.Flow[i].Opened += opened
			m.Flow[i].Solved += solved
			m.Inflow.N += opened
			m.Outflow.N += solved
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	backlog(m)
	return db.QueryRowContext(ctx, "SELECT COALESCE(SUM(solved_due), 0), COALESCE(SUM(solved_met), 0) FROM ticket_flow WHERE hour >= ? AND "+sc,
		month.Unix()/3600).Scan(&m.SLA.N, &m.SLAMet)
}

// backlog works the backlog at the end of each day back from today's.
func backlog(m *Manager) {
	open := m.Backlog.N
	for i := FlowDays - 1; i >= 0; i-- {
		m.Flow[i].Open = max(0, open)
		open += m.Flow[i].Solved - m.Flow[i].Opened
	}
}

// load counts open tickets per group or technician (col), the topN heaviest, with
// their names; unassigned tickets count under id 0. Blocks are keyed key_ID.
func (s *Service) load(ctx context.Context, a *record.Actor, key, col, refType, sc string, sargs []any) ([]Block, error) {
	// Grouped by the bare column (NULL is a group of its own) so that the views'
	// partial indexes, which lead with it, give the groups in order: no sort.
	q := "SELECT " + col + ", COUNT(*) FROM tickets WHERE " + openSQL + " AND " + sc + " GROUP BY " + col
	if len(sargs) == 0 {
		// Within organisations only: the counters of migration 0026 (0 is none).
		c := map[string]string{"assigned_group_id": "group_id", "assigned_user_id": "user_id"}[col]
		q = "SELECT " + c + ", SUM(n) FROM ticket_open WHERE " + sc + " GROUP BY " + c + " HAVING SUM(n) > 0"
	}
	rows, err := s.Rec.DB.QueryContext(ctx, q, sargs...)
	if err != nil {
		return nil, err
	}
	var out []Block
	var refs []int64
	for rows.Next() {
		var nref sql.NullInt64
		var n int
		if err := rows.Scan(&nref, &n); err != nil {
			rows.Close()
			return nil, err
		}
		ref := nref.Int64
		b := Block{Key: key + "_none", N: n, Type: "tickets", Sort: "ttr_due_at", Filters: []string{"open:eq:true", col + ":empty"}}
		if ref != 0 {
			b.Key = key + "_" + id(ref)
			b.Filters = []string{"open:eq:true", col + ":eq:" + id(ref)}
		}
		out = append(out, b)
		refs = append(refs, ref)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return out[idx[i]].N > out[idx[j]].N })
	idx = idx[:min(len(idx), topN)]
	names := map[int64]string{}
	for _, i := range idx {
		if refs[i] != 0 {
			names[refs[i]] = ""
		}
	}
	if err := s.Rec.Labels(ctx, s.Rec.Reg.MustType(refType), names); err != nil {
		return nil, err
	}
	top := make([]Block, 0, len(idx))
	for _, i := range idx {
		b := out[i]
		b.Label = names[refs[i]]
		top = append(top, b)
	}
	return top, nil
}

// dayBucket is the day of col counted from an origin (bucketOrigin) as an
// integer: 0 for the first day of the chart.
func dayBucket(d store.Dialect, col string) string {
	if d == store.Postgres {
		return "CAST(floor((extract(epoch FROM " + col + ") - ?) / 86400) AS INTEGER)"
	}
	return "CAST(julianday(" + col + ") - ? AS INTEGER)"
}

// bucketOrigin is the origin of dayBucket: the first day's start as seconds since
// 1970 (PostgreSQL) or as a Julian day (SQLite).
func bucketOrigin(d store.Dialect, t time.Time) any {
	sec := float64(t.Unix())
	if d == store.Postgres {
		return sec
	}
	return sec/86400 + 2440587.5
}
