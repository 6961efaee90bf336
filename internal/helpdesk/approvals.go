package helpdesk

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"parc/internal/helpdesk/lifecycle"
	"parc/internal/record"
	"parc/internal/store"
)

// Approval statuses.
const (
	ApprovalPending  = "pending"
	ApprovalApproved = "approved"
	ApprovalRefused  = "refused"
)

// ApprovalStatuses are the values of an approval's status.
var ApprovalStatuses = []string{ApprovalPending, ApprovalApproved, ApprovalRefused}

func (s *Service) approvals() *record.Type { return s.Rec.Reg.MustType("ticket-approvals") }

// approvalBeforeWrite files an approval in its ticket's organisation.
func approvalBeforeWrite(w *record.Write) error {
	_, err := ticketOf(w)
	return err
}

// pendingApprovals counts a ticket's approvals still awaiting an answer.
func pendingApprovals(w *record.Write, ticketID int64) (int, error) {
	var n int
	err := w.Tx.QueryRowContext(w.Ctx, "SELECT COUNT(*) FROM ticket_approvals WHERE ticket_id = ? AND status = ? AND deleted_at IS NULL",
		ticketID, ApprovalPending).Scan(&n)
	return n, err
}

// ticketAfterWrite asks for the approval a new ticket's category calls for.
func ticketAfterWrite(w *record.Write) error {
	cat := w.New.Int("category_id")
	if !w.Create || cat == 0 {
		return nil
	}
	var needs bool
	var approver sql.NullInt64
	err := w.Tx.QueryRowContext(w.Ctx, "SELECT needs_approval, approver_id FROM ticket_categories WHERE id = ?", cat).Scan(&needs, &approver)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !needs {
		return nil
	}
	if err != nil {
		return err
	}
	uid := approver.Int64
	if uid == 0 {
		// No approver named: a manager of one of the requester's groups.
		err := w.Tx.QueryRowContext(w.Ctx, `SELECT m.user_id FROM group_members m JOIN group_members g ON g.group_id = m.group_id
			WHERE g.user_id = ? AND g.deleted_at IS NULL AND m.is_manager = ? AND m.deleted_at IS NULL AND m.user_id <> ? ORDER BY m.id LIMIT 1`,
			w.New.Int("user_id"), true, w.New.Int("user_id")).Scan(&uid)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // nobody to ask: technicians may still request one
		}
		if err != nil {
			return err
		}
	}
	_, err = w.Service.CreateTx(w.Ctx, w.Tx, w.Actor.Elevated("the category asks for an approval"), w.Service.Reg.MustType("ticket-approvals"),
		record.Input{"ticket_id": w.New.ID, "user_id": uid, "status": ApprovalPending})
	if err != nil {
		return err
	}
	return note(w.Ctx, w.Service, w.Tx, w.Actor, w.New, "approval", "requested", "")
}

// note writes a line of the ticket's history that no field change carries: an
// approval asked or answered, an escalation, a refused solution.
func note(ctx context.Context, rec *record.Service, tx *store.Tx, a *record.Actor, tk *record.Record, field, what, text string) error {
	v := what
	if text = strings.TrimSpace(text); text != "" {
		v += ": " + text
	}
	return rec.AddHistoryTx(ctx, tx, a, tk, "update", []record.Change{{Field: field, New: v}})
}

// RequestApproval asks a user to validate a ticket. Input: user_id (the approver,
// a user the caller may see), comment. Only those who work the ticket may ask.
func (s *Service) RequestApproval(ctx context.Context, a *record.Actor, ticketID int64, in record.Input) (*record.Record, error) {
	var out *record.Record
	err := s.Rec.DB.Tx(ctx, func(tx *store.Tx) error {
		tk, err := s.Rec.GetTx(ctx, tx, a, s.tickets(), ticketID)
		if err != nil {
			return err
		}
		if !a.CanIn(s.tickets(), record.Update, tk.OrgID) {
			return record.ErrForbidden()
		}
		if st := lifecycle.Status(tk.String("status")); !lifecycle.IsOpen(st) {
			return record.E(record.CodeConflict, "err.approval_ticket_done")
		}
		errs := record.FieldErrors{}
		for k := range in {
			if k != "user_id" && k != "comment" {
				errs.Add(k, "err.unknown_field")
			}
		}
		uid, msg := parseID(in["user_id"])
		if msg != nil {
			errs.Add("user_id", msg.Key)
		} else if _, err := s.Rec.GetTx(ctx, tx, a, s.Rec.Reg.MustType("users"), uid); err != nil {
			if e, ok := record.AsError(err); !ok || e.Code != record.CodeNotFound {
				return err
			}
			errs.Add("user_id", "err.bad_reference")
		}
		if err := errs.Err(); err != nil {
			return err
		}
		var dup int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM ticket_approvals WHERE ticket_id = ? AND user_id = ? AND status = ?",
			tk.ID, uid, ApprovalPending).Scan(&dup); err != nil {
			return err
		}
		if dup > 0 {
			return record.E(record.CodeConflict, "err.approval_already_pending")
		}
		comment, _ := in["comment"].(string)
		out, err = s.Rec.CreateTx(ctx, tx, a.Elevated("an approval is requested"), s.approvals(), record.Input{"ticket_id": tk.ID, "user_id": uid,
			"requested_by_id": a.UserID, "status": ApprovalPending, "comment": nilIfBlank(comment)})
		if err != nil {
			return err
		}
		return note(ctx, s.Rec, tx, a, tk, "approval", "requested", comment)
	})
	if err != nil {
		return nil, err
	}
	return out, s.Rec.Describe(ctx, out)
}

// AnswerApproval records the approver's answer; refusing needs a comment. Only the
// approver answers: others who see the approval get 403, anyone else 404.
func (s *Service) AnswerApproval(ctx context.Context, a *record.Actor, id int64, approve bool, comment string) (*record.Record, error) {
	var out *record.Record
	err := s.Rec.DB.Tx(ctx, func(tx *store.Tx) error {
		sys := record.SystemActor(a.Tree, a.Origin)
		ap, err := s.Rec.GetTx(ctx, tx, sys, s.approvals(), id)
		if err != nil {
			return err
		}
		if a.UserID == 0 || ap.Int("user_id") != a.UserID {
			if _, err := s.Rec.GetTx(ctx, tx, a, s.approvals(), id); err != nil {
				return err
			}
			return record.E(record.CodeForbidden, "err.approval_not_yours")
		}
		if ap.String("status") != ApprovalPending {
			return record.E(record.CodeConflict, "err.approval_answered")
		}
		comment = strings.TrimSpace(comment)
		if !approve && comment == "" {
			errs := record.FieldErrors{}
			errs.Add("comment", "err.required")
			return errs.Err()
		}
		status := ApprovalApproved
		if !approve {
			status = ApprovalRefused
		}
		out, err = s.Rec.UpdateTx(ctx, tx, a.Elevated("the approver answers"), s.approvals(), id, record.Input{"status": status,
			"answer": nilIfBlank(comment), "answered_at": s.Rec.Now().Format(time.RFC3339Nano)})
		if err != nil {
			return err
		}
		tk, err := s.Rec.GetTx(ctx, tx, sys, s.tickets(), ap.Int("ticket_id"))
		if err != nil {
			return err
		}
		return note(ctx, s.Rec, tx, a, tk, "approval", status, comment)
	})
	if err != nil {
		return nil, err
	}
	return out, s.Rec.Describe(ctx, out)
}

// Approvals lists a ticket's approvals, newest first, for whoever sees the ticket.
func (s *Service) Approvals(ctx context.Context, a *record.Actor, ticketID int64) ([]*record.Record, error) {
	tk, err := s.Ticket(ctx, a, ticketID)
	if err != nil {
		return nil, err
	}
	q := record.ListQuery{Limit: record.MaxLimit, Sort: "-id",
		Filters: []record.Filter{{Field: "ticket_id", Op: record.OpEq, Value: record.Format(tk.ID)}}}
	page, err := s.Rec.List(ctx, record.SystemActor(a.Tree, a.Origin), s.approvals(), q)
	if err != nil {
		return nil, err
	}
	return page.Records, nil
}

// parseID reads a positive id from JSON or form input.
func parseID(v any) (int64, *record.Msg) {
	f := &record.Field{Kind: record.Ref}
	x, msg := f.Parse(v)
	if msg != nil {
		return 0, msg
	}
	id, _ := x.(int64)
	if id <= 0 {
		return 0, &record.Msg{Key: "err.required"}
	}
	return id, nil
}

func nilIfBlank(s string) any {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return s
}
