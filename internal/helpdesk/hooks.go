package helpdesk

import (
	"strings"
	"time"

	"parc/internal/helpdesk/calendar"
	"parc/internal/helpdesk/lifecycle"
	"parc/internal/i18n"
	"parc/internal/record"
)

// isStaff reports whether the actor works tickets in an organisation (as opposed to
// a requester, who may only open tickets and follow their own).
func isStaff(w *record.Write, org int64) bool {
	return w.Actor.System || w.Actor.CanIn(w.Service.Reg.MustType("tickets"), record.Update, org)
}

func changed(w *record.Write, field string) bool {
	return w.Old == nil || !record.Equal(w.Old.Values[field], w.New.Values[field])
}

func ticketBeforeWrite(w *record.Write) error {
	r := w.New
	now := w.Service.Now()
	staff := isStaff(w, r.OrgID)
	if w.Create {
		if !staff {
			requesterRules(w)
		} else if r.Values["user_id"] == nil && w.Actor.UserID != 0 {
			r.Values["user_id"] = w.Actor.UserID
		}
	}

	m, err := LoadMatrix(w.Ctx, w.Service, w.Tx, r.OrgID)
	if err != nil {
		return err
	}
	r.Values["priority"] = nil
	if p := m.Compute(int(r.Int("impact")), int(r.Int("urgency"))); p > 0 {
		r.Values["priority"] = int64(p)
	}

	from := lifecycle.New
	if w.Old != nil {
		from = lifecycle.Status(w.Old.String("status"))
	}
	toName, _ := r.Values["status"].(string)
	if toName == "" {
		return nil // reported as required
	}
	to := lifecycle.Status(toName)
	owned := r.Values["assigned_user_id"] != nil || r.Values["assigned_group_id"] != nil
	switch {
	case to == lifecycle.New && owned:
		if to != from {
			w.Errors.Add("status", "err.ticket_owned_not_new")
			return nil
		}
		// Giving a new ticket a technician or a group takes it.
		to = lifecycle.Assigned
	case lifecycle.NeedsOwner(to) && !owned:
		if to != from || w.Create {
			w.Errors.Add("assigned_user_id", "err.ticket_needs_owner")
			return nil
		}
		// The last assignee was removed: the ticket goes back to the queue.
		to = lifecycle.New
	}
	if !lifecycle.Allowed(from, to) {
		return transitionError(from, to)
	}
	if to == lifecycle.Solved && from != to && !w.Create {
		// A request awaiting its validation cannot be answered yet.
		if n, err := pendingApprovals(w, r.ID); err != nil || n > 0 {
			if err != nil {
				return err
			}
			return record.E(record.CodeConflict, "err.ticket_approval_pending")
		}
	}
	r.Values["status"] = string(to)
	if to == lifecycle.Pending && strings.TrimSpace(r.String("pending_reason")) == "" {
		w.Errors.Add("pending_reason", "err.ticket_pending_reason")
	}

	// The SLA follows the ticket's organisation, category and priority.
	slaMoved := w.Create || changed(w, "priority") || changed(w, "category_id") || w.Old.OrgID != r.OrgID
	var s *sla
	if slaMoved {
		if s, err = findSLA(w, r.OrgID, r.Int("category_id"), r.Int("priority")); err != nil {
			return err
		}
		r.Values["sla_id"] = nil
		if s != nil {
			r.Values["sla_id"] = s.ID
		}
	} else if s, err = loadSLA(w, r.Int("sla_id")); err != nil {
		return err
	}
	cal, err := loadCalendar(w, s)
	if err != nil {
		return err
	}
	if to != from {
		moved(w, from, to, now, cal)
	}
	if slaMoved || (from == lifecycle.Pending && to != from) {
		dueTimes(r, s, cal)
	}
	return nil
}

// moved applies what a change of status implies.
func moved(w *record.Write, from, to lifecycle.Status, now time.Time, cal *calendar.Calendar) {
	r := w.New
	if from == lifecycle.New && r.Values["taken_at"] == nil {
		r.Values["taken_at"] = now
	}
	if from == lifecycle.Pending {
		// Pending stops the resolution clock: the business time spent waiting is
		// added to the ticket's total, which pushes its resolution due time.
		if since, ok := r.Values["pending_since"].(time.Time); ok {
			waited := int64(cal.Between(since, now) / time.Second)
			r.Values["waiting_seconds"] = r.Int("waiting_seconds") + waited
		}
		r.Values["pending_since"] = nil
		r.Values["pending_reason"] = nil
	}
	switch to {
	case lifecycle.Pending:
		r.Values["pending_since"] = now
	case lifecycle.Solved:
		r.Values["solved_at"] = now
	case lifecycle.Closed:
		r.Values["closed_at"] = now
	}
	if from == lifecycle.Solved && to != lifecycle.Closed {
		r.Values["solved_at"] = nil
	}
}

// transitionError explains a refused change of status.
func transitionError(from, to lifecycle.Status) error {
	switch {
	case from == lifecycle.Closed:
		return record.E(record.CodeConflict, "err.ticket_closed_final")
	case to == lifecycle.Closed:
		return record.E(record.CodeConflict, "err.ticket_close_unsolved")
	case from == lifecycle.Solved:
		return record.E(record.CodeConflict, "err.ticket_reopen_first")
	}
	return record.E(record.CodeConflict, "err.ticket_transition", i18n.Key("enum.status."+string(from)), i18n.Key("enum.status."+string(to)))
}

// requesterRules limit what a requester sets on a ticket they open: it is theirs,
// new, and its handling is left to the technicians.
func requesterRules(w *record.Write) {
	r := w.New
	if uid, ok := r.Values["user_id"].(int64); ok && uid != w.Actor.UserID {
		w.Errors.Add("user_id", "err.ticket_staff_only")
	}
	r.Values["user_id"] = w.Actor.UserID
	for _, f := range []string{"assigned_user_id", "assigned_group_id", "pending_reason", "solution", "solution_type"} {
		if r.Values[f] != nil {
			w.Errors.Add(f, "err.ticket_staff_only")
		}
	}
	if s, _ := r.Values["status"].(string); s != "" && s != string(lifecycle.New) {
		w.Errors.Add("status", "err.ticket_staff_only")
	}
}

// ticketOf reads the ticket a follow-up, task or linked asset belongs to, and files
// the record in that ticket's organisation whatever the caller's default one.
// It returns nil when the reference is already reported as wrong.
func ticketOf(w *record.Write) (*record.Record, error) {
	id, ok := w.New.Values["ticket_id"].(int64)
	if !ok {
		return nil, nil
	}
	if w.Old != nil && w.Old.Int("ticket_id") != id {
		w.Errors.Add("ticket_id", "err.ticket_moved")
		return nil, nil
	}
	if m, bad := w.Errors["ticket_id"]; bad && m.Key != "err.reference_other_org" {
		return nil, nil
	}
	tickets := w.Service.Reg.MustType("tickets")
	tk, err := w.Service.GetTx(w.Ctx, w.Tx, record.SystemActor(w.Actor.Tree, w.Actor.Origin), tickets, id)
	if err != nil {
		if e, ok := record.AsError(err); ok && e.Code == record.CodeNotFound {
			w.Errors.Add("ticket_id", "err.bad_reference")
			return nil, nil
		}
		return nil, err
	}
	// The organisation comes from the ticket: the caller's default one, or its being
	// missing, does not matter.
	if m, bad := w.Errors["organization_id"]; bad && m.Key == "err.required" {
		delete(w.Errors, "organization_id")
	}
	if m, bad := w.Errors["ticket_id"]; bad && m.Key == "err.reference_other_org" {
		delete(w.Errors, "ticket_id")
	}
	w.New.OrgID = tk.OrgID
	action := record.Update
	if w.Create {
		action = record.Create
	}
	if !w.Actor.CanIn(w.Type, action, tk.OrgID) {
		w.Errors.Add("organization_id", "err.org_not_allowed")
	}
	if w.Create && tk.String("status") == string(lifecycle.Closed) {
		return nil, record.E(record.CodeConflict, "err.ticket_closed_locked")
	}
	return tk, nil
}

func followupBeforeWrite(w *record.Write) error {
	tk, err := ticketOf(w)
	if err != nil || tk == nil {
		return err
	}
	if w.Create && w.Actor.UserID != 0 {
		w.New.Values["user_id"] = w.Actor.UserID
	}
	if w.New.Values["private"] == true && !isStaff(w, tk.OrgID) {
		w.Errors.Add("private", "err.ticket_staff_only")
	}
	return nil
}

// followupAfterWrite applies what a new follow-up means for its ticket: the
// requester's reply reopens a solved ticket; a technician's first answer takes it.
func followupAfterWrite(w *record.Write) error {
	if !w.Create {
		return nil
	}
	tickets := w.Service.Reg.MustType("tickets")
	tk, err := w.Service.GetTx(w.Ctx, w.Tx, record.SystemActor(w.Actor.Tree, w.Actor.Origin), tickets, w.New.Int("ticket_id"))
	if err != nil {
		return err
	}
	in := record.Input{}
	byRequester := w.Actor.UserID != 0 && tk.Int("user_id") == w.Actor.UserID
	if byRequester && tk.String("status") == string(lifecycle.Solved) {
		owned := tk.Values["assigned_user_id"] != nil || tk.Values["assigned_group_id"] != nil
		in["status"] = string(lifecycle.Reopened(owned))
	}
	if !byRequester && tk.Values["taken_at"] == nil && isStaff(w, tk.OrgID) {
		in["taken_at"] = w.Service.Now().Format(time.RFC3339Nano)
	}
	if len(in) == 0 {
		return nil
	}
	_, err = w.Service.UpdateTx(w.Ctx, w.Tx, w.Actor.Elevated("a follow-up reopens or takes the ticket"), tickets, tk.ID, in)
	return err
}

func taskBeforeWrite(w *record.Write) error {
	tk, err := ticketOf(w)
	if err != nil || tk == nil {
		return err
	}
	start, ok1 := w.New.Values["planned_start"].(time.Time)
	end, ok2 := w.New.Values["planned_end"].(time.Time)
	if ok1 && ok2 && end.Before(start) {
		w.Errors.Add("planned_end", "err.task_end_before_start")
	}
	if ok2 && !ok1 {
		w.Errors.Add("planned_start", "err.required")
	}
	if w.New.Values["private"] == true && !isStaff(w, tk.OrgID) {
		w.Errors.Add("private", "err.ticket_staff_only")
	}
	return nil
}

// itemBeforeWrite checks a linked asset: it exists, the user may see it, and it
// belongs to the ticket's organisation, one of its ancestors or its sub-tree.
func itemBeforeWrite(w *record.Write) error {
	tk, err := ticketOf(w)
	if err != nil || tk == nil {
		return err
	}
	return CheckLinkedItem(w, tk.OrgID, "ticket_items", "ticket_id", tk.ID, "err.duplicate")
}

// CheckLinkedItem checks the asset a link record names (fields item_type and
// item_id): it exists, the user may see it, it is live, it belongs to the owner's
// organisation, one of its ancestors or its sub-tree, and the owner (ownerCol =
// ownerID in table) does not link it twice (dupKey). Ticket items and the assets a
// contract covers share it.
func CheckLinkedItem(w *record.Write, ownerOrg int64, table, ownerCol string, ownerID int64, dupKey string) error {
	typeName, _ := w.New.Values["item_type"].(string)
	id, _ := w.New.Values["item_id"].(int64)
	t, ok := w.Service.Reg.Type(typeName)
	if !ok || id == 0 {
		return nil // reported by the field checks
	}
	item, err := w.Service.GetTx(w.Ctx, w.Tx, w.Actor, t, id)
	if err != nil {
		if e, ok := record.AsError(err); ok && e.Code == record.CodeNotFound {
			w.Errors.Add("item_id", "err.bad_reference")
			return nil
		}
		return err
	}
	tree := w.Actor.Tree
	switch {
	case item.DeletedAt != nil:
		w.Errors.Add("item_id", "err.bad_reference")
	case !tree.IsAncestorOrSelf(item.OrgID, ownerOrg) && !tree.IsAncestorOrSelf(ownerOrg, item.OrgID):
		w.Errors.Add("item_id", "err.reference_other_org")
	}
	var n int
	// table and ownerCol are the callers' constants, never user input.
	err = w.Tx.QueryRowContext(w.Ctx, "SELECT COUNT(*) FROM "+table+" WHERE "+ownerCol+" = ? AND item_type = ? AND item_id = ? AND id <> ? AND deleted_at IS NULL",
		ownerID, typeName, id, w.New.ID).Scan(&n)
	if err != nil {
		return err
	}
	if n > 0 {
		w.Errors.Add("item_id", dupKey)
	}
	return nil
}

// categoryBeforeWrite refuses a parent that is the category itself or one of its
// descendants.
var categoryBeforeWrite = record.RefuseCycles("parent_id", "err.category_cycle")

func calendarBeforeWrite(w *record.Write) error {
	if _, err := calendar.LoadZone(w.New.String("timezone")); err != nil {
		w.Errors.Add("timezone", "err.bad_timezone", w.New.String("timezone"))
	}
	if h := w.New.String("hours"); h != "" {
		if _, err := calendar.ParseHours(h); err != nil {
			w.Errors.Add("hours", "err.bad_hours", err.Error())
		}
	}
	if _, _, err := calendar.ParseHolidays(w.New.String("holidays")); err != nil {
		w.Errors.Add("holidays", "err.bad_holidays", err.Error())
	}
	return nil
}

func slaBeforeWrite(w *record.Write) error {
	tto, ttr := w.New.Int("tto_minutes"), w.New.Int("ttr_minutes")
	if tto == 0 && ttr == 0 {
		w.Errors.Add("ttr_minutes", "err.sla_needs_time")
	}
	if tto != 0 && ttr != 0 && tto > ttr {
		w.Errors.Add("tto_minutes", "err.sla_tto_after_ttr")
	}
	return nil
}
