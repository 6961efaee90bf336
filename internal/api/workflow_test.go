package api_test

import (
	"strings"
	"testing"

	"parc/internal/apitest"
	"parc/internal/record"
	"parc/internal/storetest"
)

// workflowEnv is two organisations with a technician each, and requesters.
type workflowEnv struct {
	e                    *apitest.Env
	orgA, orgB           int64
	tech, techB          *apitest.Client
	req, req2, reqB, mgr *apitest.Client
}

func newWorkflowEnv(t *testing.T, kind string) *workflowEnv {
	e := apitest.New(t, kind)
	w := &workflowEnv{e: e}
	w.orgA, w.orgB = e.Org("Client A", e.Root), e.Org("Client B", e.Root)
	w.tech, w.techB = e.User("tech", "technician", w.orgA), e.User("techb", "technician", w.orgB)
	w.req, w.req2 = e.User("alice", "self-service", w.orgA), e.User("bob", "self-service", w.orgA)
	w.reqB, w.mgr = e.User("carol", "self-service", w.orgB), e.User("manager", "self-service", w.orgA)
	return w
}

// solvedTicket is a ticket the requester opened and the technician solved.
func (w *workflowEnv) solvedTicket(t *testing.T) int64 {
	t.Helper()
	id := w.req.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "Screen flickers"}).ID()
	w.tech.Must(200, "PATCH", tpath(id), map[string]any{"assigned_user_id": w.tech.UserID})
	w.tech.Must(200, "PUT", tpath(id, "/solution"), map[string]any{"solution": "Replaced the cable", "solution_type": "fixed"})
	return id
}

func historyHas(t *testing.T, c *apitest.Client, id int64, field, text string) bool {
	t.Helper()
	for _, h := range c.Must(200, "GET", tpath(id, "/history?limit=200"), nil).Data() {
		if h["field"] == field && strings.Contains(h["new_value"].(string), text) {
			return true
		}
	}
	return false
}

func wantConflict(t *testing.T, r *apitest.Response) {
	t.Helper()
	if r.Status != 409 || r.ErrorCode() != "conflict" || errMessage(r) == "" || strings.HasPrefix(errMessage(r), "err.") {
		t.Fatalf("want 409 with a message, got %d %s", r.Status, r.Body)
	}
}

// TestTicketAcceptRefuse: only the requester of a solved ticket accepts (closing
// it, with a rating) or refuses (reopening it, the reason kept as a follow-up).
func TestTicketAcceptRefuse(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		w := newWorkflowEnv(t, kind)
		// Not solved yet: 409 with a message.
		open := w.req.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "No sound"}).ID()
		wantConflict(t, w.req.Do("POST", tpath(open, "/accept"), map[string]any{"satisfaction": 5}))
		wantConflict(t, w.req.Do("POST", tpath(open, "/refuse"), map[string]any{"reason": "still broken"}))

		id := w.solvedTicket(t)
		// Another requester, another organisation's people: not found; the
		// technician sees it but is not its requester: forbidden.
		for _, c := range []*apitest.Client{w.req2, w.reqB, w.techB} {
			c.Must(404, "POST", tpath(id, "/accept"), map[string]any{"satisfaction": 5})
			c.Must(404, "POST", tpath(id, "/refuse"), map[string]any{"reason": "no"})
		}
		w.tech.Must(403, "POST", tpath(id, "/accept"), map[string]any{"satisfaction": 5})

		// Refusing needs a reason; the reason becomes a public follow-up and the
		// ticket goes back to its technician.
		if r := w.req.Must(422, "POST", tpath(id, "/refuse"), map[string]any{"reason": "  "}); r.FieldError("reason") == "" {
			t.Fatalf("refuse without reason: %s", r.Body)
		}
		tk := w.req.Must(200, "POST", tpath(id, "/refuse"), map[string]any{"reason": "It still flickers after lunch"}).JSON
		if tk["status"] != "assigned" || tk["solved_at"] != nil {
			t.Fatalf("refused: %v", tk)
		}
		found := false
		for _, f := range w.req.Must(200, "GET", tpath(id, "/followups"), nil).Data() {
			found = found || f["content"] == "It still flickers after lunch" && f["user_id"] == float64(w.req.UserID)
		}
		if !found || !historyHas(t, w.tech, id, "solution_refused", "flickers after lunch") {
			t.Fatal("the refusal is not in the follow-ups and the history")
		}

		// Solved again, then accepted with a rating: closed.
		w.tech.Must(200, "PUT", tpath(id, "/solution"), map[string]any{"solution": "Replaced the screen"})
		for _, bad := range []any{0, 6, "great"} {
			if r := w.req.Must(422, "POST", tpath(id, "/accept"), map[string]any{"satisfaction": bad}); r.FieldError("satisfaction") == "" {
				t.Fatalf("satisfaction %v: %s", bad, r.Body)
			}
		}
		w.req.Must(422, "POST", tpath(id, "/accept"), map[string]any{"status": "new"})
		tk = w.req.Must(200, "POST", tpath(id, "/accept"), map[string]any{"satisfaction": 4, "comment": "Quick, thanks"}).JSON
		if tk["status"] != "closed" || tk["satisfaction"] != 4.0 || tk["satisfaction_comment"] != "Quick, thanks" || tk["closed_at"] == nil {
			t.Fatalf("accepted: %v", tk)
		}
		// Closed is final; the rating cannot be written by anyone through PATCH.
		wantConflict(t, w.req.Do("POST", tpath(id, "/accept"), map[string]any{"satisfaction": 1}))
		wantConflict(t, w.req.Do("POST", tpath(id, "/refuse"), map[string]any{"reason": "changed my mind"}))
		w.tech.Must(422, "PATCH", tpath(id), map[string]any{"satisfaction": 1})

		// Accepting without a rating is allowed; French messages for French callers.
		id2 := w.solvedTicket(t)
		fr := *w.req
		fr.Lang = "fr"
		r := fr.Must(409, "POST", tpath(open, "/accept"), nil)
		if !strings.Contains(errMessage(r), "résolu") {
			t.Fatalf("French message: %s", r.Body)
		}
		if tk := w.req.Must(200, "POST", tpath(id2, "/accept"), nil).JSON; tk["status"] != "closed" || tk["satisfaction"] != nil {
			t.Fatalf("accepted without rating: %v", tk)
		}
	})
}

// TestTicketApprovals: technicians ask a user's validation; the ticket cannot be
// solved until it is given; only the approver answers.
func TestTicketApprovals(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		w := newWorkflowEnv(t, kind)
		id := w.req.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "New laptop", "type": "request"}).ID()
		w.tech.Must(200, "PATCH", tpath(id), map[string]any{"assigned_user_id": w.tech.UserID})

		// Who may ask: those who work the ticket.
		w.req.Must(403, "POST", tpath(id, "/approvals"), map[string]any{"user_id": w.mgr.UserID})
		w.techB.Must(404, "POST", tpath(id, "/approvals"), map[string]any{"user_id": w.mgr.UserID})
		if r := w.tech.Must(422, "POST", tpath(id, "/approvals"), map[string]any{}); r.FieldError("user_id") == "" {
			t.Fatalf("no approver: %s", r.Body)
		}
		// An approver the technician cannot see (another organisation's user).
		if r := w.tech.Must(422, "POST", tpath(id, "/approvals"), map[string]any{"user_id": w.reqB.UserID}); r.FieldError("user_id") == "" {
			t.Fatalf("foreign approver: %s", r.Body)
		}
		ap := w.tech.Must(201, "POST", tpath(id, "/approvals"), map[string]any{"user_id": w.mgr.UserID, "comment": "Budget line 12"}).JSON
		apID := int64(ap["id"].(float64))
		if ap["status"] != "pending" || ap["requested_by_id"] != float64(w.tech.UserID) || ap["organization_id"] != float64(w.orgA) {
			t.Fatalf("approval: %v", ap)
		}
		wantConflict(t, w.tech.Do("POST", tpath(id, "/approvals"), map[string]any{"user_id": w.mgr.UserID}))
		// Approvals are written through these actions only.
		w.tech.Must(403, "POST", "/api/v1/ticket-approvals", map[string]any{"ticket_id": id, "user_id": w.tech.UserID})
		w.tech.Must(403, "PATCH", apitest.Path("/api/v1/ticket-approvals/%d", apID), map[string]any{"status": "approved"})

		// Pending approval: no solution, 409 with a message.
		wantConflict(t, w.tech.Do("PUT", tpath(id, "/solution"), map[string]any{"solution": "Ordered"}))
		wantConflict(t, w.tech.Do("PATCH", tpath(id), map[string]any{"status": "solved", "solution": "Ordered"}))

		// The approver finds it among theirs; nobody else answers it.
		mine := w.mgr.Must(200, "GET", "/api/v1/ticket-approvals", nil).Data()
		if len(mine) != 1 || mine[0]["id"] != float64(apID) {
			t.Fatalf("approver's list: %v", mine)
		}
		if n := len(w.req2.Must(200, "GET", "/api/v1/ticket-approvals", nil).Data()); n != 0 {
			t.Fatalf("another requester sees %d approvals", n)
		}
		ap1 := apitest.Path("/api/v1/ticket-approvals/%d", apID)
		w.tech.Must(403, "POST", ap1+"/approve", map[string]any{})
		w.req.Must(404, "POST", ap1+"/approve", map[string]any{})
		w.techB.Must(404, "POST", ap1+"/approve", map[string]any{})
		w.reqB.Must(404, "POST", ap1+"/refuse", map[string]any{"comment": "no"})
		if r := w.mgr.Must(422, "POST", ap1+"/refuse", map[string]any{"comment": ""}); r.FieldError("comment") == "" {
			t.Fatalf("refuse without comment: %s", r.Body)
		}
		got := w.mgr.Must(200, "POST", ap1+"/approve", map[string]any{"comment": "OK for me"}).JSON
		if got["status"] != "approved" || got["answer"] != "OK for me" || got["answered_at"] == nil {
			t.Fatalf("approved: %v", got)
		}
		wantConflict(t, w.mgr.Do("POST", ap1+"/refuse", map[string]any{"comment": "too late"}))
		if list := w.req.Must(200, "GET", tpath(id, "/approvals"), nil).Data(); len(list) != 1 || list[0]["status"] != "approved" {
			t.Fatalf("ticket's approvals: %v", list)
		}
		w.req2.Must(404, "GET", tpath(id, "/approvals"), nil)
		if !historyHas(t, w.tech, id, "approval", "requested: Budget line 12") || !historyHas(t, w.tech, id, "approval", "approved: OK for me") {
			t.Fatal("approvals missing from the ticket's history")
		}
		w.tech.Must(200, "PUT", tpath(id, "/solution"), map[string]any{"solution": "Ordered"})
		wantConflict(t, w.tech.Do("POST", tpath(id, "/approvals"), map[string]any{"user_id": w.mgr.UserID}))

		// A category that needs approval asks its approver when a ticket is opened;
		// without an approver, a manager of the requester's group.
		cat := w.e.Create("ticket-categories", record.Input{"name": "Purchases", "organization_id": w.orgA, "needs_approval": true, "approver_id": w.mgr.UserID})
		id2 := w.req.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "A second screen", "category_id": cat}).ID()
		if list := w.tech.Must(200, "GET", tpath(id2, "/approvals"), nil).Data(); len(list) != 1 || list[0]["user_id"] != float64(w.mgr.UserID) || list[0]["status"] != "pending" {
			t.Fatalf("category approval: %v", list)
		}
		grp := w.e.Create("groups", record.Input{"name": "Accounting", "organization_id": w.orgA})
		w.e.Create("group-members", record.Input{"group_id": grp, "user_id": w.req2.UserID, "organization_id": w.orgA})
		w.e.Create("group-members", record.Input{"group_id": grp, "user_id": w.mgr.UserID, "is_manager": true, "organization_id": w.orgA})
		cat2 := w.e.Create("ticket-categories", record.Input{"name": "Software", "organization_id": w.orgA, "needs_approval": true})
		id3 := w.req2.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "Photo editor licence", "category_id": cat2}).ID()
		if list := w.tech.Must(200, "GET", tpath(id3, "/approvals"), nil).Data(); len(list) != 1 || list[0]["user_id"] != float64(w.mgr.UserID) {
			t.Fatalf("manager approval: %v", list)
		}
	})
}

// TestTicketEscalation: a ticket goes up the support levels only, with a reason
// kept in its history.
func TestTicketEscalation(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		w := newWorkflowEnv(t, kind)
		group := func(name string, level int) int64 {
			in := record.Input{"name": name, "organization_id": w.orgA}
			if level > 0 {
				in["support_level"] = level
			}
			return w.e.Create("groups", in)
		}
		l1, l2, l3, plain := group("Service desk", 1), group("Workstations", 2), group("Experts", 3), group("Purchasing", 0)
		foreign := w.e.Create("groups", record.Input{"name": "B level 3", "organization_id": w.orgB, "support_level": 3})
		admin := w.e.User("admin", "admin", w.e.Root)
		if r := admin.Must(422, "POST", "/api/v1/groups", map[string]any{"name": "Level 4", "support_level": 4}); r.FieldError("support_level") == "" {
			t.Fatalf("level 4: %s", r.Body)
		}

		id := w.req.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "Blue screen at boot"}).ID()
		w.tech.Must(200, "PATCH", tpath(id), map[string]any{"assigned_user_id": w.tech.UserID, "assigned_group_id": l1})
		esc := tpath(id, "/escalate")
		w.req.Must(403, "POST", esc, map[string]any{"group_id": l2, "reason": "please"})
		w.techB.Must(404, "POST", esc, map[string]any{"group_id": l2, "reason": "x"})
		if r := w.tech.Must(422, "POST", esc, map[string]any{"group_id": l2}); r.FieldError("reason") == "" {
			t.Fatalf("no reason: %s", r.Body)
		}
		for _, g := range []int64{plain, foreign, 999999} {
			if r := w.tech.Must(422, "POST", esc, map[string]any{"group_id": g, "reason": "x"}); r.FieldError("group_id") == "" {
				t.Fatalf("group %d: %s", g, r.Body)
			}
		}
		wantConflict(t, w.tech.Do("POST", esc, map[string]any{"group_id": l1, "reason": "same level"}))

		tk := w.tech.Must(200, "POST", esc, map[string]any{"group_id": l2, "reason": "Memory dump points at the disk controller"}).JSON
		if tk["assigned_group_id"] != float64(l2) || tk["assigned_user_id"] != nil || tk["status"] != "assigned" {
			t.Fatalf("escalated: %v", tk)
		}
		if !historyHas(t, w.tech, id, "escalation", "1 → 2: Memory dump points at the disk controller") {
			t.Fatal("the escalation reason is not in the history")
		}
		wantConflict(t, w.tech.Do("POST", esc, map[string]any{"group_id": l1, "reason": "back down"}))
		w.tech.Must(200, "POST", esc, map[string]any{"group_id": l3, "reason": "Needs a firmware expert"})

		// Solved tickets are not escalated.
		w.tech.Must(200, "PATCH", tpath(id), map[string]any{"assigned_user_id": w.tech.UserID})
		w.tech.Must(200, "PUT", tpath(id, "/solution"), map[string]any{"solution": "Firmware updated"})
		id2 := w.req.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "x"}).ID()
		w.tech.Must(200, "PUT", tpath(id2, "/solution"), map[string]any{"solution": "y"})
		wantConflict(t, w.tech.Do("POST", tpath(id2, "/escalate"), map[string]any{"group_id": l2, "reason": "late"}))
	})
}
