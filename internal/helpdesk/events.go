package helpdesk

import (
	"context"

	"parc/internal/helpdesk/lifecycle"
	"parc/internal/record"
	"parc/internal/store"
)

// EventKind names what happened to a ticket that people may want to hear about.
type EventKind string

const (
	TicketCreated  EventKind = "created"
	TicketAssigned EventKind = "assigned"
	FollowupAdded  EventKind = "followup"
	TicketSolved   EventKind = "solved"
	// SLAWarning and SLABreached are raised by whatever watches due times (the
	// escalation job, when it exists), not by a write.
	SLAWarning  EventKind = "sla_warning"
	SLABreached EventKind = "sla_breach"
	// ApprovalRequested asks a user (Approval's user_id) to validate a ticket.
	ApprovalRequested EventKind = "approval"
)

// Event is one thing that happened to a ticket, reported inside the transaction of
// the change, so that whatever a listener writes commits or rolls back with it.
type Event struct {
	Kind   EventKind
	Ticket *record.Record // the ticket as stored after the change
	// Followup is the new follow-up (FollowupAdded).
	Followup *record.Record
	// AssignedUserID and AssignedGroupID are the newly given assignees
	// (TicketAssigned); 0 when that side did not change.
	AssignedUserID, AssignedGroupID int64
	// Actor made the change (nil for events raised by a job): listeners must not
	// tell them about it.
	Actor *record.Actor
	// Due is the due time concerned by an SLA event: "tto" or "ttr".
	Due string
	// Approval is the new approval request (ApprovalRequested).
	Approval *record.Record
}

// Listener receives events in the writing transaction; an error aborts the write.
type Listener func(ctx context.Context, tx *store.Tx, ev Event) error

// Listen makes the helpdesk types of reg report their events to l. It wraps the
// types' after-write hooks, so it is called once, at start, before any write.
func Listen(reg *record.Registry, l Listener) {
	tickets := reg.MustType("tickets")
	tickets.Hooks.ThenAfterWrite(func(w *record.Write) error {
		for _, ev := range ticketEvents(w) {
			if err := l(w.Ctx, w.Tx, ev); err != nil {
				return err
			}
		}
		return nil
	})
	followups := reg.MustType("ticket-followups")
	followups.Hooks.ThenAfterWrite(func(w *record.Write) error {
		if !w.Create {
			return nil
		}
		// Read after the previous hook: a requester's reply may have reopened it.
		tk, err := w.Service.GetTx(w.Ctx, w.Tx, record.SystemActor(w.Actor.Tree, w.Actor.Origin), tickets, w.New.Int("ticket_id"))
		if err != nil {
			return err
		}
		return l(w.Ctx, w.Tx, Event{Kind: FollowupAdded, Ticket: tk, Followup: w.New, Actor: w.Actor})
	})
	approvals := reg.MustType("ticket-approvals")
	approvals.Hooks.ThenAfterWrite(func(w *record.Write) error {
		if !w.Create {
			return nil
		}
		tk, err := w.Service.GetTx(w.Ctx, w.Tx, record.SystemActor(w.Actor.Tree, w.Actor.Origin), tickets, w.New.Int("ticket_id"))
		if err != nil {
			return err
		}
		return l(w.Ctx, w.Tx, Event{Kind: ApprovalRequested, Ticket: tk, Approval: w.New, Actor: w.Actor})
	})
}

// ticketEvents tells what a ticket write means: a new ticket, a new assignee, a
// solution. An update that changed nothing raises nothing.
func ticketEvents(w *record.Write) []Event {
	r := w.New
	if w.Create {
		return []Event{{Kind: TicketCreated, Ticket: r, Actor: w.Actor}}
	}
	var out []Event
	ev := Event{Kind: TicketAssigned, Ticket: r, Actor: w.Actor}
	if changed(w, "assigned_user_id") {
		ev.AssignedUserID = r.Int("assigned_user_id")
	}
	if changed(w, "assigned_group_id") {
		ev.AssignedGroupID = r.Int("assigned_group_id")
	}
	if ev.AssignedUserID != 0 || ev.AssignedGroupID != 0 {
		out = append(out, ev)
	}
	if changed(w, "status") && r.String("status") == string(lifecycle.Solved) {
		out = append(out, Event{Kind: TicketSolved, Ticket: r, Actor: w.Actor})
	}
	return out
}

// Listeners makes one listener of several, called in order; the first error
// stops the others (and aborts the write).
func Listeners(ls ...Listener) Listener {
	return func(ctx context.Context, tx *store.Tx, ev Event) error {
		for _, l := range ls {
			if err := l(ctx, tx, ev); err != nil {
				return err
			}
		}
		return nil
	}
}
