package helpdesk

import (
	"database/sql"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"parc/internal/helpdesk/calendar"
	"parc/internal/record"
)

// sla is what due times need of an SLA.
type sla struct {
	ID         int64
	OrgID      int64
	CategoryID int64 // 0: any category
	Priority   int64 // 0: any priority
	TTO, TTR   time.Duration
	CalendarID int64 // 0: 24/7
}

const slaCols = "id, organization_id, COALESCE(category_id, 0), COALESCE(priority, 0), COALESCE(tto_minutes, 0), COALESCE(ttr_minutes, 0), COALESCE(calendar_id, 0)"

func scanSLA(sc interface{ Scan(...any) error }) (sla, error) {
	var s sla
	var tto, ttr int64
	err := sc.Scan(&s.ID, &s.OrgID, &s.CategoryID, &s.Priority, &tto, &ttr, &s.CalendarID)
	s.TTO, s.TTR = time.Duration(tto)*time.Minute, time.Duration(ttr)*time.Minute
	return s, err
}

// ancestors lists an organisation and its ancestors, from its materialised path.
func ancestors(tree *record.OrgTree, org int64) []int64 {
	o := tree.Get(org)
	if o == nil {
		return []int64{org}
	}
	var out []int64
	for _, p := range strings.Split(strings.Trim(o.Path, "/"), "/") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// findSLA picks the SLA that applies to a ticket: among the active SLAs of its
// organisation and its ancestors whose category and priority are empty or equal to
// the ticket's, the one of the nearest organisation wins, then one naming the
// category, then one naming the priority, then the oldest. A sub-organisation's
// own SLAs thus replace its parent's, and a specific SLA beats a catch-all one.
func findSLA(w *record.Write, org, category, prio int64) (*sla, error) {
	orgs := ancestors(w.Actor.Tree, org)
	if len(orgs) == 0 {
		return nil, nil
	}
	ph := strings.TrimSuffix(strings.Repeat("?, ", len(orgs)), ", ")
	args := []any{true}
	for _, o := range orgs {
		args = append(args, o)
	}
	args = append(args, category, prio)
	rows, err := w.Tx.QueryContext(w.Ctx, w.DB.Rebind("SELECT "+slaCols+" FROM slas WHERE deleted_at IS NULL AND active = ? AND organization_id IN ("+ph+
		") AND (category_id IS NULL OR category_id = ?) AND (priority IS NULL OR priority = ?)"), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var found []sla
	for rows.Next() {
		s, err := scanSLA(rows)
		if err != nil {
			return nil, err
		}
		found = append(found, s)
	}
	if err := rows.Err(); err != nil || len(found) == 0 {
		return nil, err
	}
	depth := func(s sla) int { return w.Actor.Tree.Depth(s.OrgID) }
	sort.SliceStable(found, func(i, j int) bool {
		a, b := found[i], found[j]
		if depth(a) != depth(b) {
			return depth(a) > depth(b)
		}
		if (a.CategoryID != 0) != (b.CategoryID != 0) {
			return a.CategoryID != 0
		}
		if (a.Priority != 0) != (b.Priority != 0) {
			return a.Priority != 0
		}
		return a.ID < b.ID
	})
	return &found[0], nil
}

// loadSLA reads one SLA by id, nil when it is gone.
func loadSLA(w *record.Write, id int64) (*sla, error) {
	if id == 0 {
		return nil, nil
	}
	s, err := scanSLA(w.Tx.QueryRowContext(w.Ctx, w.DB.Rebind("SELECT "+slaCols+" FROM slas WHERE id = ?"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &s, err
}

// loadCalendar reads the calendar an SLA counts in; no SLA or no calendar is 24/7.
func loadCalendar(w *record.Write, s *sla) (*calendar.Calendar, error) {
	if s == nil {
		return calendar.AlwaysOpen(), nil
	}
	return calendarByID(w.Ctx, w.Tx, w.DB, s.CalendarID)
}

// dueTimes sets a ticket's due times from its SLA: the time to own counts from the
// opening; the time to resolve also, pushed by the business time spent pending.
func dueTimes(r *record.Record, s *sla, cal *calendar.Calendar) {
	r.Values["tto_due_at"], r.Values["ttr_due_at"] = nil, nil
	if s == nil {
		return
	}
	at := func(d time.Duration) any {
		if d <= 0 {
			return nil
		}
		t := cal.Add(r.CreatedAt, d)
		if t.IsZero() {
			return nil
		}
		return t.UTC()
	}
	r.Values["tto_due_at"] = at(s.TTO)
	if s.TTR > 0 {
		r.Values["ttr_due_at"] = at(s.TTR + time.Duration(r.Int("waiting_seconds"))*time.Second)
	}
}
