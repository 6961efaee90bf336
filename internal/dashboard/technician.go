package dashboard

import (
	"context"
	"database/sql"
	"sort"
	"time"

	"parc/internal/record"
)

// Technician is a technician's home: their open tickets by priority and by due
// time, the queues they pick from, what is at risk or late, their planned tasks.
type Technician struct {
	Mine       Block   // all my open tickets
	ByPriority []Block // my open tickets per priority, highest first
	ByDue      []Block // my running tickets: late, due today, this week, later
	Queues     []Block // my groups', unassigned, at risk, late (within my scope)
	Tasks      []Block // my undone tasks planned today, this week
}

// Technician reads a technician's home blocks; now and loc set "today".
func (s *Service) Technician(ctx context.Context, a *record.Actor, now time.Time, loc *time.Location) (*Technician, error) {
	now = now.UTC()
	me := id(a.UserID)
	mine := []string{"assigned_user_id:eq:" + me, "open:eq:true"}
	running := []string{"assigned_user_id:eq:" + me, "open:eq:true", "status:ne:pending"}
	tomorrow := dayStart(now, loc).AddDate(0, 0, 1).UTC()
	week := weekEnd(now, loc).UTC()
	p := &Technician{Mine: Block{Key: "mine", Type: "tickets", Filters: mine, Sort: "ttr_due_at"}}
	sc, sargs, ok := s.scope(a, "tickets")
	if !ok {
		return p, nil
	}
	// One pass over my open tickets (the assignee's partial index): per priority,
	// the due-time buckets.
	q := `SELECT COALESCE(priority, 0), COUNT(*),
		SUM(CASE WHEN status <> 'pending' AND ttr_due_at < ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN status <> 'pending' AND ttr_due_at >= ? AND ttr_due_at < ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN status <> 'pending' AND ttr_due_at >= ? AND ttr_due_at < ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN status <> 'pending' AND ttr_due_at >= ? THEN 1 ELSE 0 END)
		FROM tickets WHERE assigned_user_id = ? AND ` + openSQL + ` AND ` + sc + ` GROUP BY COALESCE(priority, 0)`
	args := append([]any{now, now, tomorrow, tomorrow, week, week, a.UserID}, sargs...)
	rows, err := s.Rec.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	var due [4]int
	for rows.Next() {
		var prio, n int
		var b [4]sql.NullInt64
		if err := rows.Scan(&prio, &n, &b[0], &b[1], &b[2], &b[3]); err != nil {
			rows.Close()
			return nil, err
		}
		p.Mine.N += n
		for i := range b {
			due[i] += int(b[i].Int64)
		}
		if prio > 0 {
			p.ByPriority = append(p.ByPriority, Block{Key: "priority." + id(int64(prio)), N: n, Type: "tickets",
				Filters: append(append([]string{}, mine...), "priority:eq:"+id(int64(prio))), Sort: "ttr_due_at"})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(p.ByPriority, func(i, j int) bool { return p.ByPriority[i].Key > p.ByPriority[j].Key })
	with := func(extra ...string) []string { return append(append([]string{}, running...), extra...) }
	p.ByDue = []Block{
		{Key: "due_late", N: due[0], Type: "tickets", Filters: []string{"assigned_user_id:eq:" + me, "due:eq:late"}, Sort: "ttr_due_at"},
		{Key: "due_today", N: due[1], Type: "tickets", Filters: with("ttr_due_at:gte:"+ts(now), "ttr_due_at:lt:"+ts(tomorrow)), Sort: "ttr_due_at"},
		{Key: "due_week", N: due[2], Type: "tickets", Filters: with("ttr_due_at:gte:"+ts(tomorrow), "ttr_due_at:lt:"+ts(week)), Sort: "ttr_due_at"},
		{Key: "due_later", N: due[3], Type: "tickets", Filters: with("ttr_due_at:gte:" + ts(week)), Sort: "ttr_due_at"},
	}

	queues := []struct {
		b    Block
		cond string
		args []any
	}{
		{Block{Key: "my_groups", Type: "tickets", Filters: []string{"my_groups:eq:" + me, "open:eq:true"}, Sort: "ttr_due_at"},
			openSQL + " AND assigned_group_id IN (SELECT group_id FROM group_members WHERE user_id = ? AND deleted_at IS NULL)", []any{a.UserID}},
		{Block{Key: "unassigned", Type: "tickets", Filters: []string{"open:eq:true", "assigned_user_id:empty", "assigned_group_id:empty"}, Sort: "-id"},
			openSQL + " AND assigned_user_id IS NULL AND assigned_group_id IS NULL", nil},
		{Block{Key: "at_risk", Type: "tickets", Filters: []string{"due:eq:at_risk"}, Sort: "ttr_due_at"},
			runningSQL + " AND ttr_due_at >= ? AND ttr_due_at < ?", []any{now, now.Add(atRisk)}},
		{Block{Key: "late", Type: "tickets", Filters: []string{"due:eq:late"}, Sort: "ttr_due_at"},
			runningSQL + " AND ttr_due_at < ?", []any{now}},
	}
	for _, qu := range queues {
		b, err := s.block(ctx, a, qu.b, "tickets", qu.cond, qu.args...)
		if err != nil {
			return nil, err
		}
		p.Queues = append(p.Queues, b)
	}

	if a.Can(s.Rec.Reg.MustType("ticket-tasks"), record.Read) {
		today := dayStart(now, loc).UTC()
		for _, r := range []struct {
			key      string
			from, to time.Time
		}{{"tasks_today", today, tomorrow}, {"tasks_week", today, week}} {
			b := Block{Key: r.key, Type: "ticket-tasks", Sort: "planned_start",
				Filters: []string{"user_id:eq:" + me, "done:eq:false", "planned_start:gte:" + ts(r.from), "planned_start:lt:" + ts(r.to)}}
			b, err := s.block(ctx, a, b, "ticket_tasks", "user_id = ? AND deleted_at IS NULL AND done = ? AND planned_start >= ? AND planned_start < ?",
				a.UserID, false, r.from, r.to)
			if err != nil {
				return nil, err
			}
			p.Tasks = append(p.Tasks, b)
		}
	}
	return p, nil
}
