package helpdesk

import (
	"context"
	"strconv"
	"strings"

	"parc/internal/helpdesk/lifecycle"
	"parc/internal/record"
	"parc/internal/store"
)

// requesterOf reads a solved ticket for its requester's verdict: someone else who
// sees it gets 403, a ticket in another status 409.
func (s *Service) requesterOf(ctx context.Context, tx *store.Tx, a *record.Actor, id int64) (*record.Record, error) {
	tk, err := s.Rec.GetTx(ctx, tx, a, s.tickets(), id)
	if err != nil {
		return nil, err
	}
	if a.UserID == 0 || tk.Int("user_id") != a.UserID {
		return nil, record.E(record.CodeForbidden, "err.ticket_requester_only")
	}
	if tk.String("status") != string(lifecycle.Solved) {
		return nil, record.E(record.CodeConflict, "err.ticket_not_solved")
	}
	return tk, nil
}

// Accept closes a solved ticket on its requester's word. Input: satisfaction
// (1-5, optional), comment (optional).
func (s *Service) Accept(ctx context.Context, a *record.Actor, id int64, in record.Input) (*record.Record, error) {
	errs := record.FieldErrors{}
	up := record.Input{"status": string(lifecycle.Closed)}
	for k, v := range in {
		switch k {
		case "satisfaction":
			if v == nil || v == "" {
				continue
			}
			n, err := strconv.Atoi(strings.TrimSpace(record.Format(v)))
			if err != nil || n < 1 || n > 5 {
				errs.Add(k, "err.satisfaction_range")
				continue
			}
			up["satisfaction"] = strconv.Itoa(n)
		case "comment":
			text, _ := v.(string)
			up["satisfaction_comment"] = nilIfBlank(text)
		default:
			errs.Add(k, "err.unknown_field")
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var out *record.Record
	err := s.Rec.DB.Tx(ctx, func(tx *store.Tx) error {
		if _, err := s.requesterOf(ctx, tx, a, id); err != nil {
			return err
		}
		var err error
		out, err = s.Rec.UpdateTx(ctx, tx, a.Elevated("the requester accepts the solution"), s.tickets(), id, up)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, s.Rec.Describe(ctx, out)
}

// Refuse turns down a solved ticket's solution: the reason becomes the
// requester's public follow-up, which reopens the ticket (to assigned if someone
// still owns it, else new), and the history says the solution was refused.
func (s *Service) Refuse(ctx context.Context, a *record.Actor, id int64, in record.Input) (*record.Record, error) {
	errs := record.FieldErrors{}
	reason := ""
	for k, v := range in {
		if k != "reason" {
			errs.Add(k, "err.unknown_field")
			continue
		}
		reason, _ = v.(string)
	}
	if reason = strings.TrimSpace(reason); reason == "" {
		errs.Add("reason", "err.required")
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var out *record.Record
	err := s.Rec.DB.Tx(ctx, func(tx *store.Tx) error {
		if _, err := s.requesterOf(ctx, tx, a, id); err != nil {
			return err
		}
		if _, err := s.AddChildTx(ctx, tx, a, "ticket-followups", id, record.Input{"content": reason}); err != nil {
			return err
		}
		var err error
		if out, err = s.Rec.GetTx(ctx, tx, record.SystemActor(a.Tree, a.Origin), s.tickets(), id); err != nil {
			return err
		}
		if out.String("status") == string(lifecycle.Solved) {
			return record.E(record.CodeConflict, "err.ticket_not_solved") // cannot happen: the follow-up reopens it
		}
		return note(ctx, s.Rec, tx, a, out, "solution_refused", "refused", reason)
	})
	if err != nil {
		return nil, err
	}
	return out, s.Rec.Describe(ctx, out)
}

// Escalate hands an open ticket to a group of a higher support level. Input:
// group_id, reason (both required). The technician is unassigned: the new group
// picks who takes it. The reason is kept in the ticket's history.
func (s *Service) Escalate(ctx context.Context, a *record.Actor, id int64, in record.Input) (*record.Record, error) {
	errs := record.FieldErrors{}
	for k := range in {
		if k != "group_id" && k != "reason" {
			errs.Add(k, "err.unknown_field")
		}
	}
	gid, msg := parseID(in["group_id"])
	if msg != nil {
		errs.Add("group_id", msg.Key)
	}
	reason, _ := in["reason"].(string)
	if reason = strings.TrimSpace(reason); reason == "" {
		errs.Add("reason", "err.required")
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var out *record.Record
	err := s.Rec.DB.Tx(ctx, func(tx *store.Tx) error {
		tk, err := s.Rec.GetTx(ctx, tx, a, s.tickets(), id)
		if err != nil {
			return err
		}
		if !a.CanIn(s.tickets(), record.Update, tk.OrgID) {
			return record.ErrForbidden()
		}
		if !lifecycle.IsOpen(lifecycle.Status(tk.String("status"))) {
			return record.E(record.CodeConflict, "err.escalate_done")
		}
		groups := s.Rec.Reg.MustType("groups")
		g, err := s.Rec.GetTx(ctx, tx, a, groups, gid)
		if e, ok := record.AsError(err); ok && e.Code == record.CodeNotFound || err == nil && g.DeletedAt != nil {
			errs.Add("group_id", "err.bad_reference")
			return errs.Err()
		} else if err != nil {
			return err
		}
		to := g.Int("support_level")
		if to == 0 {
			errs.Add("group_id", "err.group_no_level")
			return errs.Err()
		}
		var from int64
		if cur := tk.Int("assigned_group_id"); cur != 0 {
			cg, err := s.Rec.GetTx(ctx, tx, record.SystemActor(a.Tree, a.Origin), groups, cur)
			if err != nil {
				return err
			}
			from = cg.Int("support_level")
		}
		if to <= from {
			return record.E(record.CodeConflict, "err.escalate_not_higher", from, to)
		}
		if out, err = s.Rec.UpdateTx(ctx, tx, a, s.tickets(), id, record.Input{"assigned_group_id": gid, "assigned_user_id": nil}); err != nil {
			return err
		}
		return note(ctx, s.Rec, tx, a, out, "escalation", strconv.FormatInt(from, 10)+" → "+strconv.FormatInt(to, 10), reason)
	})
	if err != nil {
		return nil, err
	}
	return out, s.Rec.Describe(ctx, out)
}
