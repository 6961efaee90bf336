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
	"parc/internal/store"
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
// organisation and its ancestors whose category is empty, the ticket's or one of
// its ancestors', and whose priority is empty or the ticket's, the one of the
// nearest organisation wins, then the one of the nearest category (the ticket's
// own, then its parent's... then none), then one naming the priority, then the
// oldest. A sub-organisation's own SLAs thus replace its parent's, an SLA set on
// a parent category covers its sub-categories, and a specific SLA beats a
// catch-all one. Ticket writes choose here; the recalculation job keeps the
// ticket's choice.
func findSLA(w *record.Write, org, category, prio int64) (*sla, error) {
	orgs := ancestors(w.Actor.Tree, org)
	if len(orgs) == 0 {
		return nil, nil
	}
	cats, err := categoryChain(w, category)
	if err != nil {
		return nil, err
	}
	args := []any{true}
	for _, o := range orgs {
		args = append(args, o)
	}
	catCond := "category_id IS NULL"
	if len(cats) > 0 {
		catCond = "(category_id IS NULL OR category_id IN (" + store.Placeholders(len(cats)) + "))"
		for _, c := range cats {
			args = append(args, c)
		}
	}
	args = append(args, prio)
	rows, err := w.Tx.QueryContext(w.Ctx, "SELECT "+slaCols+" FROM slas WHERE deleted_at IS NULL AND active = ? AND organization_id IN ("+store.Placeholders(len(orgs))+
		") AND "+catCond+" AND (priority IS NULL OR priority = ?)", args...)
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
	// catRank is how far up the ticket's category the SLA's is; no category ranks last.
	catRank := func(s sla) int {
		for i, c := range cats {
			if c == s.CategoryID {
				return i
			}
		}
		return len(cats)
	}
	sort.SliceStable(found, func(i, j int) bool {
		a, b := found[i], found[j]
		if depth(a) != depth(b) {
			return depth(a) > depth(b)
		}
		if catRank(a) != catRank(b) {
			return catRank(a) < catRank(b)
		}
		if (a.Priority != 0) != (b.Priority != 0) {
			return a.Priority != 0
		}
		return a.ID < b.ID
	})
	return &found[0], nil
}

// maxCategoryDepth bounds the walk up the category tree; writes refuse cycles, the
// bound only guards against a cycle made outside parc.
const maxCategoryDepth = 64

// categoryChain lists a category and its ancestors, nearest first; none for 0.
func categoryChain(w *record.Write, category int64) ([]int64, error) {
	if category == 0 {
		return nil, nil
	}
	rows, err := w.Tx.QueryContext(w.Ctx, `WITH RECURSIVE up(id, parent_id, depth) AS (
		SELECT id, parent_id, 0 FROM ticket_categories WHERE id = ?
		UNION ALL
		SELECT c.id, c.parent_id, up.depth + 1 FROM ticket_categories c JOIN up ON c.id = up.parent_id WHERE up.depth < ?)
		SELECT id FROM up ORDER BY depth`, category, maxCategoryDepth)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	seen := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		if seen[id] {
			break // a cycle: the nearest occurrences are already listed
		}
		seen[id] = true
		out = append(out, id)
	}
	return out, rows.Err()
}

// loadSLA reads one SLA by id, nil when it is gone.
func loadSLA(w *record.Write, id int64) (*sla, error) {
	if id == 0 {
		return nil, nil
	}
	s, err := scanSLA(w.Tx.QueryRowContext(w.Ctx, "SELECT "+slaCols+" FROM slas WHERE id = ?", id))
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

// dueTimes sets a ticket's due times from its SLA.
func dueTimes(r *record.Record, s *sla, cal *calendar.Calendar) {
	r.Values["tto_due_at"], r.Values["ttr_due_at"] = nil, nil
	if s == nil {
		return
	}
	r.Values["tto_due_at"], r.Values["ttr_due_at"] = s.due(cal, r.CreatedAt, r.Int("waiting_seconds"))
}

// due is the formula of a ticket's due times, for its writes and for the
// recalculation job: the time to own counts from the opening; the time to resolve
// also, pushed by the business time spent pending. A time the SLA does not set,
// or that the calendar never reaches, is nil.
func (s *sla) due(cal *calendar.Calendar, created time.Time, waitingSeconds int64) (tto, ttr any) {
	at := func(d time.Duration) any {
		if d <= 0 {
			return nil
		}
		t := cal.Add(created, d)
		if t.IsZero() {
			return nil
		}
		return t.UTC()
	}
	tto = at(s.TTO)
	if s.TTR > 0 {
		ttr = at(s.TTR + time.Duration(waitingSeconds)*time.Second)
	}
	return tto, ttr
}
