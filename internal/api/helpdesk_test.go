package api_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"parc/internal/apitest"
	"parc/internal/helpdesk/lifecycle"
	"parc/internal/record"
	"parc/internal/storetest"
)

func errMessage(r *apitest.Response) string {
	e, _ := r.JSON["error"].(map[string]any)
	s, _ := e["message"].(string)
	return s
}

func tpath(id int64, rest ...string) string {
	return apitest.Path("/api/v1/tickets/%d", id) + strings.Join(rest, "")
}

// TestTicketLifecycleEveryTransition brings a ticket to each status and tries every
// other status through PATCH: allowed moves apply, refused ones answer 409 with a
// message and change nothing.
func TestTicketLifecycleEveryTransition(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		org := e.Org("Client A", e.Root)
		tech := e.User("tech", "technician", org)
		fr := *tech
		fr.Lang = "fr"
		// at opens a ticket and brings it to a status along allowed moves.
		at := func(s lifecycle.Status) int64 {
			t.Helper()
			in := map[string]any{"title": "Printer jams"}
			if s != lifecycle.New {
				in["assigned_user_id"] = tech.UserID
			}
			id := tech.Must(201, "POST", "/api/v1/tickets", in).ID()
			switch s {
			case lifecycle.Planned:
				tech.Must(200, "PATCH", tpath(id), map[string]any{"status": "planned"})
			case lifecycle.Pending:
				tech.Must(200, "PATCH", tpath(id), map[string]any{"status": "pending", "pending_reason": "waiting for the part"})
			case lifecycle.Solved, lifecycle.Closed:
				tech.Must(200, "PUT", tpath(id, "/solution"), map[string]any{"solution": "cleaned the rollers", "solution_type": "fixed"})
				if s == lifecycle.Closed {
					tech.Must(200, "PATCH", tpath(id), map[string]any{"status": "closed"})
				}
			}
			if got := tech.Must(200, "GET", tpath(id), nil).JSON["status"]; got != string(s) {
				t.Fatalf("setup of %s gave %v", s, got)
			}
			return id
		}
		for _, from := range lifecycle.All {
			for _, to := range lifecycle.All {
				id := at(from)
				body := map[string]any{"status": string(to)}
				switch to {
				case lifecycle.New:
					body["assigned_user_id"] = nil
				case lifecycle.Assigned, lifecycle.Planned:
					body["assigned_user_id"] = tech.UserID
				case lifecycle.Pending:
					body["pending_reason"] = "waiting for the requester"
				}
				r := tech.Do("PATCH", tpath(id), body)
				if lifecycle.Allowed(from, to) {
					if r.Status != 200 || r.JSON["status"] != string(to) {
						t.Errorf("%s -> %s: %d %s", from, to, r.Status, r.Body)
					}
					continue
				}
				if r.Status != 409 || r.ErrorCode() != "conflict" || errMessage(r) == "" || strings.HasPrefix(errMessage(r), "err.") {
					t.Errorf("%s -> %s: want 409 with a message, got %d %s", from, to, r.Status, r.Body)
				}
				if got := tech.Must(200, "GET", tpath(id), nil).JSON["status"]; got != string(from) {
					t.Errorf("%s -> %s refused but the status is now %v", from, to, got)
				}
			}
		}
		// The message is in the caller's language.
		closed := at(lifecycle.Closed)
		r := fr.Must(409, "PATCH", tpath(closed), map[string]any{"status": "assigned"})
		if !strings.Contains(errMessage(r), "clos") {
			t.Fatalf("French message: %s", r.Body)
		}
		r = tech.Must(409, "PATCH", tpath(at(lifecycle.Assigned)), map[string]any{"status": "closed"})
		if !strings.Contains(errMessage(r), "solved") {
			t.Fatalf("message: %s", r.Body)
		}
		// A closed ticket takes no more follow-ups.
		tech.Must(409, "POST", tpath(closed, "/followups"), map[string]any{"content": "one more thing"})
	})
}

// TestTicketRules checks what changes of assignment and status imply.
func TestTicketRules(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		org := e.Org("Client A", e.Root)
		tech := e.User("tech", "technician", org)
		grp := e.Create("groups", record.Input{"name": "Level 1", "organization_id": org})
		id := tech.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "No network"}).ID()
		tk := tech.Must(200, "GET", tpath(id), nil).JSON
		if tk["status"] != "new" || tk["taken_at"] != nil || tk["user_id"] != float64(tech.UserID) || tk["priority"] != 3.0 {
			t.Fatalf("new ticket: %v", tk)
		}
		// Assigning a technician takes the ticket.
		tk = tech.Must(200, "PATCH", tpath(id), map[string]any{"assigned_user_id": tech.UserID}).JSON
		if tk["status"] != "assigned" || tk["taken_at"] == nil {
			t.Fatalf("assigned: %v", tk)
		}
		// Assigned needs an owner; New refuses one.
		if r := tech.Must(422, "PATCH", tpath(id), map[string]any{"status": "new"}); r.FieldError("status") == "" {
			t.Fatalf("new with an owner: %s", r.Body)
		}
		// Swapping the technician for a group keeps it assigned; removing both requeues it.
		tech.Must(200, "PATCH", tpath(id), map[string]any{"assigned_user_id": nil, "assigned_group_id": grp})
		tk = tech.Must(200, "PATCH", tpath(id), map[string]any{"assigned_group_id": nil}).JSON
		if tk["status"] != "new" || tk["taken_at"] == nil {
			t.Fatalf("unassigned: %v", tk)
		}
		if r := tech.Must(422, "PATCH", tpath(id), map[string]any{"status": "planned"}); r.FieldError("assigned_user_id") == "" {
			t.Fatalf("planned without owner: %s", r.Body)
		}
		// Pending needs a reason, and the reason goes when the ticket resumes.
		if r := tech.Must(422, "PATCH", tpath(id), map[string]any{"status": "pending"}); r.FieldError("pending_reason") == "" {
			t.Fatalf("pending without reason: %s", r.Body)
		}
		tk = tech.Must(200, "PATCH", tpath(id), map[string]any{"status": "pending", "pending_reason": "asked for the MAC address"}).JSON
		if tk["pending_since"] == nil {
			t.Fatalf("pending: %v", tk)
		}
		tk = tech.Must(200, "PATCH", tpath(id), map[string]any{"status": "assigned", "assigned_user_id": tech.UserID}).JSON
		if tk["pending_since"] != nil || tk["pending_reason"] != nil {
			t.Fatalf("resumed: %v", tk)
		}
		// The solution endpoint: required text, then solved; reopening clears solved_at.
		if r := tech.Must(422, "PUT", tpath(id, "/solution"), map[string]any{"solution": "  "}); r.FieldError("solution") == "" {
			t.Fatalf("empty solution: %s", r.Body)
		}
		tech.Must(422, "PUT", tpath(id, "/solution"), map[string]any{"solution": "x", "status": "closed"})
		sol := tech.Must(200, "PUT", tpath(id, "/solution"), map[string]any{"solution": "Replaced the cable", "solution_type": "fixed"}).JSON
		if sol["status"] != "solved" || sol["solution"] != "Replaced the cable" || sol["solved_at"] == nil {
			t.Fatalf("solution: %v", sol)
		}
		if got := tech.Must(200, "GET", tpath(id, "/solution"), nil).JSON; got["solution_type"] != "fixed" {
			t.Fatalf("read solution: %v", got)
		}
		tk = tech.Must(200, "PATCH", tpath(id), map[string]any{"status": "assigned"}).JSON
		if tk["solved_at"] != nil {
			t.Fatalf("reopened: %v", tk)
		}
		// Read-only fields are refused.
		for _, f := range []string{"priority", "tto_due_at", "taken_at", "sla_id", "waiting_seconds"} {
			if r := tech.Must(422, "PATCH", tpath(id), map[string]any{f: 1}); r.FieldError(f) == "" {
				t.Fatalf("%s writable: %s", f, r.Body)
			}
		}
		// The history keeps every status change.
		n := 0
		for _, h := range tech.Must(200, "GET", tpath(id, "/history?limit=200"), nil).Data() {
			if h["field"] == "status" {
				n++
			}
		}
		if n < 5 {
			t.Fatalf("%d status changes in the history", n)
		}
	})
}

// TestTicketBadInput checks field errors for invalid values.
func TestTicketBadInput(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		tech := e.User("tech", "technician", e.Root)
		for _, c := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"title": "x", "impact": 0}, "impact"},
			{map[string]any{"title": "x", "impact": 6}, "impact"},
			{map[string]any{"title": "x", "urgency": 9}, "urgency"},
			{map[string]any{"title": "x", "urgency": "high"}, "urgency"},
			{map[string]any{"title": "x", "status": "open"}, "status"},
			{map[string]any{"title": "x", "type": "problem"}, "type"},
			{map[string]any{"description": "no title"}, "title"},
			{map[string]any{"title": "   "}, "title"},
			{map[string]any{"title": "x", "status": "assigned"}, "assigned_user_id"},
			{map[string]any{"title": "x", "status": "pending"}, "pending_reason"},
			{map[string]any{"title": "x", "colour": "red"}, "colour"},
			{map[string]any{"title": "x", "category_id": 999999}, "category_id"},
		} {
			r := tech.Do("POST", "/api/v1/tickets", c.body)
			if r.Status != 422 || r.FieldError(c.field) == "" {
				t.Errorf("%v: want a field error on %s, got %d %s", c.body, c.field, r.Status, r.Body)
			}
		}
		// Creating straight into Closed is a refused transition.
		tech.Must(409, "POST", "/api/v1/tickets", map[string]any{"title": "x", "status": "closed"})
		if n := tech.Must(200, "GET", "/api/v1/tickets?count=1", nil).JSON["total"]; n != 0.0 {
			t.Fatalf("bad input wrote %v tickets", n)
		}
		// Calendars and SLAs check their own texts.
		for _, c := range []struct {
			typ   string
			body  map[string]any
			field string
		}{
			{"calendars", map[string]any{"name": "c", "timezone": "Europe/Lutece"}, "timezone"},
			{"calendars", map[string]any{"name": "c", "hours": "mon-fri 9h-17h"}, "hours"},
			{"calendars", map[string]any{"name": "c", "holidays": "2026-13-01"}, "holidays"},
			{"slas", map[string]any{"name": "s"}, "ttr_minutes"},
			{"slas", map[string]any{"name": "s", "tto_minutes": 600, "ttr_minutes": 60}, "tto_minutes"},
			{"slas", map[string]any{"name": "s", "ttr_minutes": 60, "priority": 7}, "priority"},
		} {
			admin := e.User("admin-"+fmt.Sprint(len(c.typ), c.field), "super-admin", e.Root)
			r := admin.Do("POST", "/api/v1/"+c.typ, c.body)
			if r.Status != 422 || r.FieldError(c.field) == "" {
				t.Errorf("%s %v: want a field error on %s, got %d %s", c.typ, c.body, c.field, r.Status, r.Body)
			}
		}
	})
}

// TestPriorityMatrix checks the default ITIL matrix and a changed one.
func TestPriorityMatrix(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		tech := e.User("tech", "technician", e.Root)
		admin := e.User("boss", "super-admin", e.Root)
		prio := func(impact, urgency int) any {
			return tech.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "p", "impact": impact, "urgency": urgency}).JSON["priority"]
		}
		for _, c := range [][3]int{{1, 1, 1}, {3, 3, 3}, {5, 1, 2}, {4, 3, 4}, {5, 5, 5}, {2, 4, 3}} {
			if got := prio(c[0], c[1]); got != float64(c[2]) {
				t.Errorf("impact %d urgency %d: priority %v, want %d", c[0], c[1], got, c[2])
			}
		}
		m := tech.Must(200, "GET", "/api/v1/tickets/priority-matrix", nil).JSON["matrix"].([]any)
		if len(m) != 5 || fmt.Sprint(m[4]) != "[2 3 4 5 5]" {
			t.Fatalf("matrix %v", m)
		}
		custom := [][]int{{1, 1, 1, 1, 2}, {1, 1, 2, 2, 3}, {1, 2, 3, 3, 4}, {2, 2, 3, 4, 5}, {2, 3, 4, 5, 6}}
		tech.Must(403, "PUT", "/api/v1/tickets/priority-matrix", map[string]any{"matrix": custom})
		for _, bad := range []any{
			[][]int{{1, 1, 1, 1, 1}},
			[][]int{{0, 1, 1, 1, 2}, {1, 1, 2, 2, 3}, {1, 2, 3, 3, 4}, {2, 2, 3, 4, 5}, {2, 3, 4, 5, 6}},
			[][]int{{1, 1, 1, 1, 7}, {1, 1, 2, 2, 3}, {1, 2, 3, 3, 4}, {2, 2, 3, 4, 5}, {2, 3, 4, 5, 6}},
		} {
			if r := admin.Must(422, "PUT", "/api/v1/tickets/priority-matrix", map[string]any{"matrix": bad}); r.FieldError("matrix") == "" {
				t.Fatalf("bad matrix: %s", r.Body)
			}
		}
		id := tech.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "before", "impact": 5, "urgency": 5}).ID()
		admin.Must(200, "PUT", "/api/v1/tickets/priority-matrix", map[string]any{"matrix": custom})
		if got := prio(5, 5); got != 6.0 {
			t.Fatalf("changed matrix: 5x5 gives %v", got)
		}
		if got := prio(5, 1); got != 2.0 {
			t.Fatalf("changed matrix: impact 5 urgency 1 gives %v", got)
		}
		if got := prio(1, 5); got != 2.0 {
			t.Fatalf("changed matrix: impact 1 urgency 5 gives %v", got)
		}
		// An existing ticket gets the new matrix when its impact or urgency changes.
		if got := tech.Must(200, "PATCH", tpath(id), map[string]any{"impact": 4}).JSON["priority"]; got != 5.0 {
			t.Fatalf("recomputed priority %v", got)
		}
	})
}

// TestSLADueTimes fixes the clock and checks which SLA applies and the due times it
// gives in business hours, across a DST weekend, and the pause while pending.
func TestSLADueTimes(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		paris, _ := time.LoadLocation("Europe/Paris")
		now := time.Date(2026, 3, 27, 16, 0, 0, 0, paris) // a Friday; clocks go forward on Sunday
		e.App.Records.Now = func() time.Time { return now.UTC() }
		org := e.Org("Client A", e.Root)
		sub := e.Org("Client A Lyon", org)
		other := e.Org("Client B", e.Root)
		admin := e.User("admin", "super-admin", e.Root)
		tech := e.User("tech", "technician", e.Root)
		cal := admin.Must(201, "POST", "/api/v1/calendars", map[string]any{"name": "Office", "organization_id": e.Root, "timezone": "Europe/Paris",
			"hours": "mon-fri 08:00-12:00 13:30-18:00", "holidays": "05-01 Fête du travail\n2026-05-14 Ascension"}).ID()
		hw := admin.Must(201, "POST", "/api/v1/ticket-categories", map[string]any{"name": "Hardware", "organization_id": org}).ID()
		sw := admin.Must(201, "POST", "/api/v1/ticket-categories", map[string]any{"name": "Software", "organization_id": org}).ID()
		sla := func(in map[string]any) int64 {
			in["calendar_id"] = cal
			return admin.Must(201, "POST", "/api/v1/slas", in).ID()
		}
		generic := sla(map[string]any{"name": "A standard", "organization_id": org, "tto_minutes": 60, "ttr_minutes": 480})
		hardware := sla(map[string]any{"name": "A hardware", "organization_id": org, "category_id": hw, "tto_minutes": 30, "ttr_minutes": 120})
		urgent := sla(map[string]any{"name": "A P5", "organization_id": org, "priority": 5, "ttr_minutes": 60})
		hwUrgent := sla(map[string]any{"name": "A hardware P5", "organization_id": org, "category_id": hw, "priority": 5, "ttr_minutes": 45})
		sla(map[string]any{"name": "A disabled", "organization_id": org, "category_id": sw, "ttr_minutes": 5, "active": false})
		// The sub-organisation has its own SLA, on a 24/7 clock.
		lyon := admin.Must(201, "POST", "/api/v1/slas", map[string]any{"name": "Lyon", "organization_id": sub, "ttr_minutes": 30}).ID()
		p := func(s string) string {
			v, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
			if err != nil {
				t.Fatal(err)
			}
			return v.UTC().Format(time.RFC3339)
		}
		cases := []struct {
			name     string
			in       map[string]any
			sla      int64
			tto, ttr any
		}{
			{"generic", map[string]any{"organization_id": org}, generic, p("2026-03-27 17:00"), p("2026-03-30 15:30")},
			{"disabled SLA skipped", map[string]any{"organization_id": org, "category_id": sw}, generic, p("2026-03-27 17:00"), p("2026-03-30 15:30")},
			{"category", map[string]any{"organization_id": org, "category_id": hw}, hardware, p("2026-03-27 16:30"), p("2026-03-27 18:00")},
			{"priority", map[string]any{"organization_id": org, "impact": 5, "urgency": 5}, urgent, nil, p("2026-03-27 17:00")},
			{"category and priority", map[string]any{"organization_id": org, "category_id": hw, "impact": 5, "urgency": 5}, hwUrgent, nil, p("2026-03-27 16:45")},
			{"nearest organisation", map[string]any{"organization_id": sub, "category_id": hw}, lyon, nil, p("2026-03-27 16:30")},
			{"no SLA", map[string]any{"organization_id": other}, 0, nil, nil},
		}
		for _, c := range cases {
			c.in["title"] = c.name
			tk := tech.Must(201, "POST", "/api/v1/tickets", c.in).JSON
			var sid any
			if c.sla != 0 {
				sid = float64(c.sla)
			}
			if tk["sla_id"] != sid || tk["tto_due_at"] != c.tto || tk["ttr_due_at"] != c.ttr {
				t.Errorf("%s: sla %v tto %v ttr %v, want %v %v %v", c.name, tk["sla_id"], tk["tto_due_at"], tk["ttr_due_at"], sid, c.tto, c.ttr)
			}
		}
		// A change of category moves the ticket to another SLA, counted from the opening.
		id := tech.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "moves", "organization_id": org}).ID()
		now = now.Add(time.Hour)
		tk := tech.Must(200, "PATCH", tpath(id), map[string]any{"category_id": hw}).JSON
		if tk["sla_id"] != float64(hardware) || tk["ttr_due_at"] != p("2026-03-27 18:00") {
			t.Fatalf("category change: %v %v", tk["sla_id"], tk["ttr_due_at"])
		}
		tech.Must(200, "PATCH", tpath(id), map[string]any{"category_id": nil})

		// Pending pauses the resolution clock: Friday 17:00 to Monday 10:00 is three
		// business hours (one on Friday, two on Monday), added to the 8 hours.
		tech.Must(200, "PATCH", tpath(id), map[string]any{"status": "pending", "pending_reason": "waiting for the user"})
		now = time.Date(2026, 3, 30, 10, 0, 0, 0, paris)
		tk = tech.Must(200, "PATCH", tpath(id), map[string]any{"status": "assigned", "assigned_user_id": tech.UserID}).JSON
		if tk["waiting_seconds"] != 3.0*3600 || tk["ttr_due_at"] != p("2026-03-31 08:30") || tk["tto_due_at"] != p("2026-03-27 17:00") {
			t.Fatalf("after pending: waited %v, ttr %v, tto %v", tk["waiting_seconds"], tk["ttr_due_at"], tk["tto_due_at"])
		}
		// A second pause adds up.
		tech.Must(200, "PATCH", tpath(id), map[string]any{"status": "pending", "pending_reason": "again"})
		now = time.Date(2026, 3, 30, 11, 0, 0, 0, paris)
		tk = tech.Must(200, "PATCH", tpath(id), map[string]any{"status": "assigned"}).JSON
		if tk["waiting_seconds"] != 4.0*3600 || tk["ttr_due_at"] != p("2026-03-31 09:30") {
			t.Fatalf("after second pause: waited %v, ttr %v", tk["waiting_seconds"], tk["ttr_due_at"])
		}
		// Solving from pending also stops the pause.
		tech.Must(200, "PATCH", tpath(id), map[string]any{"status": "pending", "pending_reason": "until lunch"})
		pre := tk["waiting_seconds"].(float64)
		now = time.Date(2026, 3, 30, 12, 30, 0, 0, paris) // lunch: no business time passes
		tk = tech.Must(200, "PATCH", tpath(id), map[string]any{"status": "solved"}).JSON
		if tk["waiting_seconds"] != pre+3600 || tk["solved_at"] != now.UTC().Format(time.RFC3339) {
			t.Fatalf("solved from pending: %v %v", tk["waiting_seconds"], tk["solved_at"])
		}

		// A pause over a bank holiday: Wednesday 17:00 to Friday 09:00 around Ascension
		// Thursday is two business hours.
		now = time.Date(2026, 5, 13, 17, 0, 0, 0, paris)
		tk = tech.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "holiday", "organization_id": org, "status": "pending", "pending_reason": "supplier"}).JSON
		if tk["tto_due_at"] != p("2026-05-13 18:00") || tk["ttr_due_at"] != p("2026-05-15 16:30") {
			t.Fatalf("before the holiday: %v %v", tk["tto_due_at"], tk["ttr_due_at"])
		}
		now = time.Date(2026, 5, 15, 9, 0, 0, 0, paris)
		tk = tech.Must(200, "PATCH", tpath(int64(tk["id"].(float64))), map[string]any{"status": "new"}).JSON
		if tk["waiting_seconds"] != 2.0*3600 || tk["ttr_due_at"] != p("2026-05-18 08:30") {
			t.Fatalf("after the holiday: waited %v, ttr %v", tk["waiting_seconds"], tk["ttr_due_at"])
		}
	})
}

// TestRequesterSeesOnlyTheirTickets checks the self-service profile and that no
// organisation sees another's tickets.
func TestRequesterSeesOnlyTheirTickets(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		orgA := e.Org("Client A", e.Root)
		orgB := e.Org("Client B", e.Root)
		alice := e.User("alice", "self-service", orgA)
		bob := e.User("bob", "self-service", orgA)
		tech := e.User("tech-a", "technician", orgA)
		techB := e.User("tech-b", "technician", orgB)
		// Alice opens a ticket without naming an organisation: it is hers, in A.
		tk := alice.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "My screen is black", "urgency": 4}).JSON
		id := int64(tk["id"].(float64))
		if tk["user_id"] != float64(alice.UserID) || tk["organization_id"] != float64(orgA) || tk["status"] != "new" {
			t.Fatalf("requester's ticket: %v", tk)
		}
		bobs := bob.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "Bob's keyboard"}).ID()
		// A requester cannot file for someone else, assign, or set the status.
		for _, bad := range []map[string]any{
			{"title": "x", "assigned_user_id": tech.UserID},
			{"title": "x", "status": "solved"},
			{"title": "x", "user_id": bob.UserID},
		} {
			if r := alice.Do("POST", "/api/v1/tickets", bad); r.Status != 422 {
				t.Fatalf("requester wrote %v: %d %s", bad, r.Status, r.Body)
			}
		}
		// Only her own tickets, by id and in lists.
		alice.Must(200, "GET", tpath(id), nil)
		alice.Must(404, "GET", tpath(bobs), nil)
		alice.Must(404, "GET", tpath(bobs, "/followups"), nil)
		alice.Must(404, "POST", tpath(bobs, "/followups"), map[string]any{"content": "me too"})
		list := alice.Must(200, "GET", "/api/v1/tickets?count=1", nil)
		if list.JSON["total"] != 1.0 || list.Data()[0]["id"] != float64(id) {
			t.Fatalf("requester's list: %s", list.Body)
		}
		alice.Must(403, "PATCH", tpath(id), map[string]any{"title": "changed"})
		alice.Must(403, "PUT", tpath(id, "/solution"), map[string]any{"solution": "fixed myself"})

		// The technician answers publicly and privately, and adds tasks.
		tech.Must(201, "POST", tpath(id, "/followups"), map[string]any{"content": "Is it plugged in?"})
		secret := tech.Must(201, "POST", tpath(id, "/followups"), map[string]any{"content": "User broke it again", "private": true}).ID()
		tech.Must(201, "POST", tpath(id, "/tasks"), map[string]any{"content": "Check the cable", "duration_minutes": 10})
		tech.Must(201, "POST", tpath(id, "/tasks"), map[string]any{"content": "Order a spare (internal)", "private": true})
		if got := tech.Must(200, "GET", tpath(id), nil).JSON; got["taken_at"] == nil {
			t.Fatalf("a technician's answer takes the ticket: %v", got)
		}
		fu := tech.Must(200, "GET", tpath(id, "/followups?count=1"), nil)
		if len(fu.Data()) != 2 || fu.JSON["total"] != 2.0 {
			t.Fatalf("technician's follow-ups: %s", fu.Body)
		}
		for _, path := range []string{"/followups", "/tasks"} {
			// Even asking for private entries, or OR-ing filters, shows nothing private.
			for _, q := range []string{"", "?filter=private:eq:true", "?match=any&filter=private:eq:true", "?trash=1"} {
				got := alice.Must(200, "GET", tpath(id, path+q), nil).Data()
				for _, x := range got {
					if x["private"] != false || x["ticket_id"] != float64(id) {
						t.Fatalf("requester sees %s%s: %v", path, q, x)
					}
				}
				if q == "" && len(got) != 1 {
					t.Fatalf("requester's %s: %v", path, got)
				}
			}
		}
		alice.Must(404, "GET", apitest.Path("/api/v1/ticket-followups/%d", secret), nil)
		if r := alice.Do("POST", tpath(id, "/followups"), map[string]any{"content": "sneaky", "private": true}); r.Status != 422 || r.FieldError("private") == "" {
			t.Fatalf("requester's private follow-up: %d %s", r.Status, r.Body)
		}
		alice.Must(403, "POST", tpath(id, "/tasks"), map[string]any{"content": "do it"})

		// Solved, then the requester replies: the ticket reopens to its technician.
		tech.Must(200, "PATCH", tpath(id), map[string]any{"assigned_user_id": tech.UserID})
		tech.Must(200, "PUT", tpath(id, "/solution"), map[string]any{"solution": "Replaced the power supply"})
		if got := alice.Must(200, "GET", tpath(id, "/solution"), nil).JSON; got["status"] != "solved" {
			t.Fatalf("requester reads the solution: %v", got)
		}
		reply := alice.Must(201, "POST", tpath(id, "/followups"), map[string]any{"content": "Still black this morning"}).JSON
		if reply["user_id"] != float64(alice.UserID) || reply["organization_id"] != float64(orgA) {
			t.Fatalf("reply: %v", reply)
		}
		if got := tech.Must(200, "GET", tpath(id), nil).JSON; got["status"] != "assigned" || got["solved_at"] != nil {
			t.Fatalf("reply did not reopen: %v", got)
		}
		// The requester's own follow-ups list through the generic route too.
		if own := alice.Must(200, "GET", "/api/v1/ticket-followups", nil).Data(); len(own) != 1 {
			t.Fatalf("own follow-ups: %v", own)
		}

		// Organisation B sees nothing of A, whatever the route.
		for _, p := range []string{"", "/followups", "/tasks", "/solution", "/history"} {
			techB.Must(404, "GET", tpath(id, p), nil)
		}
		techB.Must(404, "PATCH", tpath(id), map[string]any{"status": "solved"})
		techB.Must(404, "PUT", tpath(id, "/solution"), map[string]any{"solution": "x"})
		techB.Must(404, "POST", tpath(id, "/followups"), map[string]any{"content": "hello"})
		techB.Must(404, "GET", apitest.Path("/api/v1/ticket-followups/%d", secret), nil)
		if r := techB.Do("POST", "/api/v1/ticket-followups", map[string]any{"ticket_id": id, "content": "x"}); r.Status != 422 || r.FieldError("ticket_id") == "" {
			t.Fatalf("follow-up on A's ticket from B: %d %s", r.Status, r.Body)
		}
		if n := techB.Must(200, "GET", "/api/v1/tickets?count=1", nil).JSON["total"]; n != 0.0 {
			t.Fatalf("B lists %v of A's tickets", n)
		}
	})
}

// TestLinkedAssets links assets to a ticket through the generic route.
func TestLinkedAssets(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		orgA := e.Org("Client A", e.Root)
		orgB := e.Org("Client B", e.Root)
		tech := e.User("tech", "technician", orgA)
		pc := e.Create("computers", record.Input{"name": "PC-A", "organization_id": orgA})
		prn := e.Create("printers", record.Input{"name": "PRN-A", "organization_id": orgA})
		pcB := e.Create("computers", record.Input{"name": "PC-B", "organization_id": orgB})
		id := tech.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "Cannot print"}).ID()
		tech.Must(201, "POST", "/api/v1/ticket-items", map[string]any{"ticket_id": id, "item_type": "computers", "item_id": pc})
		tech.Must(201, "POST", "/api/v1/ticket-items", map[string]any{"ticket_id": id, "item_type": "printers", "item_id": prn})
		for _, bad := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"ticket_id": id, "item_type": "computers", "item_id": pc}, "item_id"},
			{map[string]any{"ticket_id": id, "item_type": "computers", "item_id": pcB}, "item_id"},
			{map[string]any{"ticket_id": id, "item_type": "printers", "item_id": pc}, "item_id"},
			{map[string]any{"ticket_id": id, "item_type": "users", "item_id": tech.UserID}, "item_type"},
		} {
			if r := tech.Do("POST", "/api/v1/ticket-items", bad.body); r.Status != 422 || r.FieldError(bad.field) == "" {
				t.Errorf("%v: %d %s", bad.body, r.Status, r.Body)
			}
		}
		items := tech.Must(200, "GET", apitest.Path("/api/v1/ticket-items?filter=ticket_id:eq:%d&count=1", id), nil)
		if items.JSON["total"] != 2.0 {
			t.Fatalf("linked assets: %s", items.Body)
		}
		// An asset's tickets, the other way round.
		if n := tech.Must(200, "GET", apitest.Path("/api/v1/ticket-items?filter=item_type:eq:computers&filter=item_id:eq:%d&count=1", pc), nil).JSON["total"]; n != 1.0 {
			t.Fatalf("tickets of the computer: %v", n)
		}
	})
}

// TestHelpdeskInOpenAPI checks the document lists the helpdesk types and routes.
func TestHelpdeskInOpenAPI(t *testing.T) {
	e := apitest.New(t, "sqlite")
	c := e.User("tech", "technician", e.Root)
	doc := c.Must(200, "GET", "/api/v1/openapi.json", nil).JSON
	paths := doc["paths"].(map[string]any)
	for _, p := range []string{"/api/v1/tickets", "/api/v1/tickets/{id}", "/api/v1/ticket-followups", "/api/v1/slas", "/api/v1/calendars",
		"/api/v1/ticket-categories", "/api/v1/ticket-items", "/api/v1/tickets/{id}/followups", "/api/v1/tickets/{id}/tasks",
		"/api/v1/tickets/{id}/solution", "/api/v1/tickets/priority-matrix"} {
		if paths[p] == nil {
			t.Errorf("OpenAPI lacks %s", p)
		}
	}
	ticket := doc["components"].(map[string]any)["schemas"].(map[string]any)["Ticket"].(map[string]any)["properties"].(map[string]any)
	if ticket["priority"].(map[string]any)["readOnly"] != true || ticket["status"].(map[string]any)["enum"] == nil {
		t.Fatalf("ticket schema: %v", ticket)
	}
}

// TestConcurrentFollowupsAreAllKept: a technician and the requester writing on the
// same ticket at once, while the ticket itself is edited, lose no follow-up; an edit
// based on an old version is refused (409), not applied over the newer one.
func TestConcurrentFollowupsAreAllKept(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		org := e.Org("Client A", e.Root)
		tech := e.User("tech", "technician", org)
		req := e.User("alice", "self-service", org)
		id := req.Must(201, "POST", "/api/v1/tickets", map[string]any{"title": "VPN drops"}).ID()
		const each = 15
		var wg sync.WaitGroup
		statuses := make(chan int, 2*each+each)
		for i := 0; i < each; i++ {
			wg.Add(3)
			go func(i int) {
				defer wg.Done()
				statuses <- tech.Do("POST", tpath(id, "/followups"), map[string]any{"content": fmt.Sprintf("tech note %d", i)}).Status
			}(i)
			go func(i int) {
				defer wg.Done()
				statuses <- req.Do("POST", tpath(id, "/followups"), map[string]any{"content": fmt.Sprintf("user note %d", i)}).Status
			}(i)
			go func(i int) {
				defer wg.Done()
				// Every edit claims version 1 and changes the title (an edit that changes
				// nothing keeps the version, and another may then apply): only one may apply.
				statuses <- tech.Do("PATCH", tpath(id), map[string]any{"title": fmt.Sprintf("VPN drops (%d)", i), "version": 1}).Status
			}(i)
		}
		wg.Wait()
		close(statuses)
		created, applied, conflicts := 0, 0, 0
		for s := range statuses {
			switch s {
			case 201:
				created++
			case 200:
				applied++
			case 409:
				conflicts++
			default:
				t.Errorf("status %d", s)
			}
		}
		if created != 2*each || applied > 1 || applied+conflicts != each {
			t.Errorf("%d follow-ups created, %d edits applied, %d refused", created, applied, conflicts)
		}
		list := tech.Must(200, "GET", tpath(id, "/followups")+"?limit=200", nil).Data()
		if len(list) != 2*each {
			t.Errorf("%d follow-ups stored, want %d", len(list), 2*each)
		}
	})
}
