package helpdesk

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"parc/internal/record"
	"parc/internal/store"
)

// Kinds of the entries of a ticket's thread.
const (
	EntryDescription = "description"
	EntryFollowup    = "followup"
	EntryTask        = "task"
	EntryApproval    = "approval"
	EntryStatus      = "status"     // a status change, from the history
	EntryAssign      = "assign"     // a technician assigned or unassigned, from the history
	EntryEscalation  = "escalation" // handed to a higher support level, from the history
	EntryRemote      = "remote"     // a remote session opened from the ticket, from the history
	EntrySolution    = "solution"
	EntryPart        = "part" // a spare part issued or returned (internal/stock), from the history
)

// ThreadEntry is one event of a ticket's life as its page tells it. The fields a
// kind does not use stay empty.
type ThreadEntry struct {
	Kind   string
	ID     int64 // the follow-up, task or approval
	At     time.Time
	Author string
	Text   string
	// Private follow-ups and tasks are for the staff only.
	Private bool
	// A task: done, the time it took, when it is planned and who does it.
	Done                     bool
	Minutes                  int64
	PlannedStart, PlannedEnd *time.Time
	Assignee                 string
	// DoneBy is who marked a done task done (its Author when it was written done).
	DoneBy string
	// A status change (From, To: status names), an approval (To: its status,
	// Answer), an escalation (From, To: support levels), an assignment (To: the
	// technician's name, empty when unassigned), a remote session (To: the tool).
	From, To, Answer string
	SolutionType     string
	Files            []File
}

// Thread is a ticket's life in one chronological list: its description, the
// follow-ups and tasks (private ones only for who reads them), approvals, status
// changes, assignments and escalations from its history, and its solution; each
// attachment goes with the follow-up it came with, the others with the
// description. The ticket is read under the actor's rights.
func (s *Service) Thread(ctx context.Context, a *record.Actor, ticketID int64) ([]ThreadEntry, error) {
	tk, err := s.Ticket(ctx, a, ticketID)
	if err != nil {
		return nil, err
	}
	files, err := s.Files(ctx, a, tk.ID)
	if err != nil {
		return nil, err
	}
	byFollowup := map[int64][]File{}
	for _, f := range files {
		byFollowup[f.FollowupID] = append(byFollowup[f.FollowupID], f)
	}
	out := []ThreadEntry{{Kind: EntryDescription, At: tk.CreatedAt, Author: tk.Display["user_id"], Text: tk.String("description"), Files: byFollowup[0]}}

	all := record.ListQuery{Limit: record.MaxLimit}
	fus, err := s.Children(ctx, a, "ticket-followups", tk.ID, all)
	if err != nil {
		return nil, err
	}
	for _, r := range fus.Records {
		out = append(out, ThreadEntry{Kind: EntryFollowup, ID: r.ID, At: r.CreatedAt, Author: r.Display["user_id"], Text: r.String("content"),
			Private: r.Values["private"] == true, Files: byFollowup[r.ID]})
	}
	tasks, err := s.Children(ctx, a, "ticket-tasks", tk.ID, all)
	if err != nil {
		return nil, err
	}
	writers, err := s.taskWriters(ctx, tasks.Records)
	if err != nil {
		return nil, err
	}
	for _, r := range tasks.Records {
		w := writers[r.ID]
		e := ThreadEntry{Author: w.author, DoneBy: w.doneBy, Kind: EntryTask, ID: r.ID, At: r.CreatedAt, Assignee: r.Display["user_id"], Text: r.String("content"),
			Private: r.Values["private"] == true, Done: r.Values["done"] == true, Minutes: r.Int("duration_minutes")}
		if t, ok := r.Values["planned_start"].(time.Time); ok {
			e.PlannedStart = &t
		}
		if t, ok := r.Values["planned_end"].(time.Time); ok {
			e.PlannedEnd = &t
		}
		out = append(out, e)
	}
	aps, err := s.Approvals(ctx, a, tk.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range aps {
		out = append(out, ThreadEntry{Kind: EntryApproval, ID: r.ID, At: r.CreatedAt, Author: r.Display["user_id"], Text: r.String("comment"),
			To: r.String("status"), Answer: r.String("answer")})
	}
	hist, err := s.Rec.History(ctx, a, s.tickets(), tk.ID, record.HistoryLimit, 0)
	if err != nil {
		return nil, err
	}
	names, err := s.userNames(ctx, hist)
	if err != nil {
		return nil, err
	}
	sawSolution := false // hist is newest first
	for _, h := range hist {
		e := ThreadEntry{At: h.At, Author: h.UserName}
		if n := names[h.UserID]; n != "" {
			e.Author = n
		}
		switch {
		case h.Field == "status" && h.Action == "update":
			if h.NewValue == "solved" {
				continue // the solution entry says it
			}
			e.Kind, e.From, e.To = EntryStatus, h.OldValue, h.NewValue
		case h.Field == "solution" && h.NewValue != "":
			// Each solution given, refused ones included: the history keeps their text.
			e.Kind, e.Text = EntrySolution, h.NewValue
			if !sawSolution {
				e.SolutionType = tk.String("solution_type") // the last one's
			}
			sawSolution = true
		case h.Field == "assigned_user_id" && h.Action == "update":
			e.Kind, e.To = EntryAssign, h.NewLabel
		case h.Field == "escalation":
			e.Kind = EntryEscalation
			levels, reason, _ := strings.Cut(h.NewValue, ": ")
			e.From, e.To, _ = strings.Cut(levels, " → ")
			e.Text = reason
		case h.Field == "remote":
			e.Kind = EntryRemote
			e.To, e.Text, _ = strings.Cut(h.NewValue, ": ")
		case h.Field == "stock":
			// "issued: 2 × Toner (Q2612A) — Store room": the movement's kind, then what.
			e.Kind = EntryPart
			e.To, e.Text, _ = strings.Cut(h.NewValue, ": ")
		default:
			continue
		}
		out = append(out, e)
	}
	if sol := tk.String("solution"); sol != "" && !sawSolution {
		// A solution whose history is past what was read (or written without it).
		at, _ := tk.Values["solved_at"].(time.Time)
		if at.IsZero() {
			at = tk.UpdatedAt
		}
		out = append(out, ThreadEntry{Kind: EntrySolution, At: at, Text: sol, SolutionType: tk.String("solution_type"),
			Author: solverOf(hist, names)})
	}
	// The description opens the thread; the rest follows in time order, entries
	// of one instant in the order they were gathered.
	slices.SortStableFunc(out[1:], func(x, y ThreadEntry) int { return cmp.Compare(x.At.UnixNano(), y.At.UnixNano()) })
	return out, nil
}

// taskWriter is who wrote a task and who marked it done, as its history tells.
type taskWriter struct{ author, doneBy string }

// taskWriters reads who wrote each task (its first history entry) and who marked
// it done (the last entry setting done), named as users read them, in one query
// over the history's (record_type, record_id) index.
func (s *Service) taskWriters(ctx context.Context, tasks []*record.Record) (map[int64]taskWriter, error) {
	out := map[int64]taskWriter{}
	if len(tasks) == 0 {
		return out, nil
	}
	args := []any{"ticket-tasks"}
	for _, r := range tasks {
		args = append(args, r.ID)
	}
	rows, err := s.Rec.DB.QueryContext(ctx, "SELECT record_id, action, COALESCE(field, ''), COALESCE(new_value, ''), COALESCE(user_id, 0), COALESCE(user_name, '') FROM history WHERE record_type = ? AND record_id IN ("+
		store.Placeholders(len(tasks))+") AND (action = 'create' OR field = 'done') ORDER BY id", args...)
	if err != nil {
		return nil, err
	}
	type row struct {
		task int64
		e    record.Entry
	}
	var hist []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.task, &r.e.Action, &r.e.Field, &r.e.NewValue, &r.e.UserID, &r.e.UserName); err != nil {
			rows.Close()
			return nil, err
		}
		hist = append(hist, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	entries := make([]record.Entry, len(hist))
	for i, h := range hist {
		entries[i] = h.e
	}
	names, err := s.userNames(ctx, entries)
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	for _, h := range hist {
		who := h.e.UserName
		if n := names[h.e.UserID]; n != "" {
			who = n
		}
		w := out[h.task]
		if !seen[h.task] {
			seen[h.task] = true
			w.author = who
		}
		if h.e.Field == "done" {
			if h.e.NewValue == "true" {
				w.doneBy = who
			} else {
				w.doneBy = ""
			}
		}
		out[h.task] = w
	}
	return out, nil
}

// solverOf is who moved the ticket to solved last, from its history (newest first).
func solverOf(hist []record.Entry, names map[int64]string) string {
	for _, h := range hist {
		if h.Field == "status" && h.NewValue == "solved" {
			if n := names[h.UserID]; n != "" {
				return n
			}
			return h.UserName
		}
	}
	return ""
}

// userNames names the authors of history entries as users read them (first and
// last name), where the history keeps their login.
func (s *Service) userNames(ctx context.Context, hist []record.Entry) (map[int64]string, error) {
	var ids []any
	seen := map[int64]bool{}
	for _, h := range hist {
		if h.UserID != 0 && !seen[h.UserID] {
			seen[h.UserID] = true
			ids = append(ids, h.UserID)
		}
	}
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.Rec.DB.QueryContext(ctx, "SELECT id, "+s.Rec.Reg.MustType("users").LabelSQL+" FROM users WHERE id IN ("+store.Placeholders(len(ids))+")", ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}
