package helpdesk

import (
	"context"
	"strconv"
	"strings"
	"time"

	"parc/internal/helpdesk/lifecycle"
	"parc/internal/record"
	"parc/internal/store"
)

// Service gives the ticket-centred views the API serves beside the generic routes.
type Service struct {
	Rec *record.Service
}

// NewService makes the helpdesk service over the record service.
func NewService(rec *record.Service) *Service { return &Service{Rec: rec} }

func (s *Service) tickets() *record.Type { return s.Rec.Reg.MustType("tickets") }

// Ticket reads a ticket the actor may see; anything else is not found.
func (s *Service) Ticket(ctx context.Context, a *record.Actor, id int64) (*record.Record, error) {
	return s.Rec.Get(ctx, a, s.tickets(), id)
}

// Children lists a ticket's follow-ups or tasks (childType "ticket-followups" or
// "ticket-tasks"), oldest first unless q sorts otherwise. Whoever may see the ticket
// sees its public entries; private ones need the right to read that type in the
// ticket's organisation, which requesters do not have.
func (s *Service) Children(ctx context.Context, a *record.Actor, childType string, ticketID int64, q record.ListQuery) (*record.Page, error) {
	ct := s.Rec.Reg.MustType(childType)
	tk, err := s.Ticket(ctx, a, ticketID)
	if err != nil {
		return nil, err
	}
	// The ticket filter must hold whatever the caller adds: filters are ANDed, and
	// the trash stays with the generic routes.
	q.Any, q.Trash = false, false
	q.Filters = append(q.Filters, record.Filter{Field: "ticket_id", Op: record.OpEq, Value: strconv.FormatInt(tk.ID, 10)})
	if !a.Scope(ct, record.Read).Has(tk.OrgID) {
		q.Filters = append(q.Filters, record.Filter{Field: "private", Op: record.OpEq, Value: "false"})
	}
	return s.Rec.List(ctx, record.SystemActor(a.Tree, a.Origin), ct, q)
}

// TimeSpent is the time the live tasks of a ticket took, in minutes. The ticket
// is one the caller read, under the actor's rights.
func (s *Service) TimeSpent(ctx context.Context, tk *record.Record) (int64, error) {
	var total int64
	err := s.Rec.DB.QueryRowContext(ctx, "SELECT COALESCE(SUM(duration_minutes), 0) FROM ticket_tasks WHERE ticket_id = ? AND deleted_at IS NULL", tk.ID).Scan(&total)
	return total, err
}

// AddChild adds a follow-up or a task to a ticket the actor may see.
func (s *Service) AddChild(ctx context.Context, a *record.Actor, childType string, ticketID int64, in record.Input) (*record.Record, error) {
	var r *record.Record
	err := s.Rec.DB.Tx(ctx, func(tx *store.Tx) error {
		var err error
		r, err = s.AddChildTx(ctx, tx, a, childType, ticketID, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return r, s.Rec.Describe(ctx, r)
}

// AddChildTx is AddChild inside the caller's transaction (the mail gateway commits
// a follow-up with the record of the mail it came from), without labels.
func (s *Service) AddChildTx(ctx context.Context, tx *store.Tx, a *record.Actor, childType string, ticketID int64, in record.Input) (*record.Record, error) {
	tk, err := s.Rec.GetTx(ctx, tx, a, s.tickets(), ticketID)
	if err != nil {
		return nil, err
	}
	return s.addChildTx(ctx, tx, a, childType, tk, in)
}

func (s *Service) addChildTx(ctx context.Context, tx *store.Tx, a *record.Actor, childType string, tk *record.Record, in record.Input) (*record.Record, error) {
	in["ticket_id"] = tk.ID
	in["organization_id"] = tk.OrgID
	return s.Rec.CreateTx(ctx, tx, a, s.Rec.Reg.MustType(childType), in)
}

// Solution is a ticket's solution as the API shows it.
type Solution struct {
	TicketID     int64      `json:"ticket_id"`
	Status       string     `json:"status"`
	Solution     *string    `json:"solution"`
	SolutionType *string    `json:"solution_type"`
	SolvedAt     *time.Time `json:"solved_at"`
	Version      int64      `json:"version"`
}

func solutionOf(r *record.Record) *Solution {
	out := &Solution{TicketID: r.ID, Status: r.String("status"), Version: r.Version}
	if v, ok := r.Values["solution"].(string); ok {
		out.Solution = &v
	}
	if v, ok := r.Values["solution_type"].(string); ok {
		out.SolutionType = &v
	}
	if v, ok := r.Values["solved_at"].(time.Time); ok {
		v = v.UTC()
		out.SolvedAt = &v
	}
	return out
}

// Solution reads a ticket's solution.
func (s *Service) Solution(ctx context.Context, a *record.Actor, id int64) (*Solution, error) {
	tk, err := s.Ticket(ctx, a, id)
	if err != nil {
		return nil, err
	}
	return solutionOf(tk), nil
}

// Solve writes a ticket's solution and moves it to Solved, under the lifecycle's
// rules (a closed ticket is refused with a conflict). Input keys: solution (required),
// solution_type, version.
func (s *Service) Solve(ctx context.Context, a *record.Actor, id int64, in record.Input) (*Solution, error) {
	var out *Solution
	err := s.Rec.DB.Tx(ctx, func(tx *store.Tx) error {
		var err error
		out, err = s.solveTx(ctx, tx, a, id, in)
		return err
	})
	return out, err
}

// SolveWithParts is Solve with the parts used written in the same transaction
// (the technician's solution form; the intervention report lists them): a refused
// solution leaves the parts unwritten too. Empty parts leave the field as it is.
func (s *Service) SolveWithParts(ctx context.Context, a *record.Actor, id int64, parts string, in record.Input) (*Solution, error) {
	var out *Solution
	err := s.Rec.DB.Tx(ctx, func(tx *store.Tx) error {
		if parts != "" {
			if _, err := s.Rec.UpdateTx(ctx, tx, a, s.tickets(), id, record.Input{"parts_used": parts}); err != nil {
				return err
			}
		}
		var err error
		out, err = s.solveTx(ctx, tx, a, id, in)
		return err
	})
	return out, err
}

func (s *Service) solveTx(ctx context.Context, tx *store.Tx, a *record.Actor, id int64, in record.Input) (*Solution, error) {
	errs := record.FieldErrors{}
	for k := range in {
		if k != "solution" && k != "solution_type" && k != "version" {
			errs.Add(k, "err.unknown_field")
		}
	}
	if text, _ := in["solution"].(string); strings.TrimSpace(text) == "" {
		errs.Add("solution", "err.required")
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	in["status"] = string(lifecycle.Solved)
	r, err := s.Rec.UpdateTx(ctx, tx, a, s.tickets(), id, in)
	if err != nil {
		return nil, err
	}
	return solutionOf(r), nil
}
