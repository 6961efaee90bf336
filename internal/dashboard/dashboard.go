// Package dashboard computes the home pages' blocks: a technician's queues and
// planned tasks, a supervisor's backlog, flow, SLA compliance and load per group
// and technician. Every block is a count within the actor's read scope, read
// from an index (migration 0022), and carries the list filters that list the
// same records, so that the page links each count to what it counts.
package dashboard

import (
	"context"
	"strconv"
	"time"

	"parc/internal/helpdesk"
	"parc/internal/record"
)

// FlowDays is the length of the inflow and outflow chart.
const FlowDays = 30

// SilentDays is when an agent that has not called counts as silent.
const SilentDays = 7

// WarrantyDays is how far ahead warranties ending soon are counted.
const WarrantyDays = 90

// topN bounds the groups and technicians listed by load.
const topN = 10

// openSQL and runningSQL are the ticket states of the views (helpdesk/views.go):
// open is not solved nor closed, running is open and not pending.
const (
	openSQL    = "deleted_at IS NULL AND status IN ('new', 'assigned', 'planned', 'pending')"
	runningSQL = "deleted_at IS NULL AND status IN ('new', 'assigned', 'planned')"
)

// Service reads the home pages' counts.
type Service struct {
	Rec *record.Service
}

// New makes the service over the record service (its store, registry and clock).
func New(rec *record.Service) *Service { return &Service{Rec: rec} }

// Block is one count and the list it summarises: the record type and the list
// filters (FIELD:OP:VALUE, as the list pages and the API take them).
type Block struct {
	Key     string // what is counted, for the page's label
	Label   string // a group's or technician's name (per-group and per-technician blocks)
	N       int
	Capped  bool // N stopped at record.CountCap
	Type    string
	Filters []string
	Sort    string
}

// Role is which home page a user gets.
type Role string

const (
	// RoleTechnician works tickets: their queues first.
	RoleTechnician Role = "technician"
	// RoleManager supervises or administers: the backlog and its trends.
	RoleManager Role = "manager"
	// RoleNone reads no tickets: the asset counters only.
	RoleNone Role = "none"
)

// RoleOf tells the home page of an actor from their rights, not from profile
// names (profiles are editable): who may read tickets and add tasks to them is a
// technician, unless they may also manage users (an administrator); who reads
// tickets without working them (supervisor, observer) is a manager.
func (s *Service) RoleOf(a *record.Actor) Role {
	reg := s.Rec.Reg
	if !a.Can(reg.MustType("tickets"), record.Read) {
		return RoleNone
	}
	if a.System {
		return RoleManager
	}
	works, admin := false, false
	for _, g := range a.Grants {
		works = works || g.Rights.Allows("ticket-tasks", record.Create)
		admin = admin || g.Rights.Allows("users", record.Create)
	}
	if works && !admin {
		return RoleTechnician
	}
	return RoleManager
}

// ticketScope is the actor's read scope on tickets; ok false when none.
func (s *Service) scope(a *record.Actor, typeName string) (string, []any, bool) {
	return s.Rec.ScopeSQL(a, s.Rec.Reg.MustType(typeName), record.Read)
}

// count runs SELECT COUNT(*) over table where cond, within the actor's scope of
// typeName, stopping at record.CountCap when capped.
func (s *Service) count(ctx context.Context, a *record.Actor, typeName, table, cond string, args []any, capped bool) (int, bool, error) {
	sc, sargs, ok := s.scope(a, typeName)
	if !ok {
		return 0, false, nil
	}
	where := cond + " AND " + sc
	all := append(append([]any{}, args...), sargs...)
	q := "SELECT COUNT(*) FROM " + table + " WHERE " + where
	if capped {
		q = "SELECT COUNT(*) FROM (SELECT 1 FROM " + table + " WHERE " + where + " LIMIT ?) c"
		all = append(all, record.CountCap+1)
	}
	var n int
	if err := s.Rec.DB.QueryRowContext(ctx, q, all...).Scan(&n); err != nil {
		return 0, false, err
	}
	if capped && n > record.CountCap {
		return record.CountCap, true, nil
	}
	return n, false, nil
}

// block fills a Block by counting.
func (s *Service) block(ctx context.Context, a *record.Actor, b Block, table, cond string, args ...any) (Block, error) {
	var err error
	b.N, b.Capped, err = s.count(ctx, a, b.Type, table, cond, args, true)
	return b, err
}

// ts writes a time as list filters take it.
func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func id(n int64) string { return strconv.FormatInt(n, 10) }

// dayStart is the start of t's day in loc; weekEnd the start of next Monday.
func dayStart(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

func weekEnd(t time.Time, loc *time.Location) time.Time {
	d := dayStart(t, loc)
	wd := (int(d.Weekday()) + 6) % 7 // Monday 0
	return d.AddDate(0, 0, 7-wd)
}

// atRisk is the views' at-risk window.
const atRisk = helpdesk.AtRiskWindow
