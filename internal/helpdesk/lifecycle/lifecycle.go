// Package lifecycle holds the statuses of a ticket and the moves allowed between
// them (ITIL: New -> Assigned -> Planned -> Pending -> Solved -> Closed).
package lifecycle

// Status is a ticket's state in its lifecycle.
type Status string

const (
	New      Status = "new"      // nobody owns it yet
	Assigned Status = "assigned" // a technician or group owns it
	Planned  Status = "planned"  // work is scheduled
	Pending  Status = "pending"  // waiting on someone else (requester, supplier): the resolution clock stops
	Solved   Status = "solved"   // a solution was given; the requester may accept or refuse it
	Closed   Status = "closed"   // final
)

// All lists the statuses in lifecycle order (the order of the enum field).
var All = []Status{New, Assigned, Planned, Pending, Solved, Closed}

// Names are All as strings.
func Names() []string {
	out := make([]string, len(All))
	for i, s := range All {
		out[i] = string(s)
	}
	return out
}

// Valid reports whether s names a status.
func Valid(s string) bool {
	for _, x := range All {
		if string(x) == s {
			return true
		}
	}
	return false
}

// moves are the allowed changes. Work may go back and forth between the open
// statuses (a planned intervention can be postponed, a pending ticket resumes);
// a ticket reaches Closed only through Solved, so every closed ticket has a
// solution the requester could refuse; a solved ticket is reopened (to New or
// Assigned, depending on whether someone still owns it) when the solution is
// refused or the requester writes again; Closed is final: a problem that comes
// back is a new ticket, which keeps the closed one's figures honest.
var moves = map[Status][]Status{
	New:      {Assigned, Planned, Pending, Solved},
	Assigned: {New, Planned, Pending, Solved},
	Planned:  {New, Assigned, Pending, Solved},
	Pending:  {New, Assigned, Planned, Solved},
	Solved:   {New, Assigned, Closed},
	Closed:   nil,
}

// Allowed reports whether a ticket may go from one status to another; staying in
// the same status is always allowed.
func Allowed(from, to Status) bool {
	if from == to {
		return Valid(string(from))
	}
	for _, s := range moves[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Next lists the statuses reachable from s, in lifecycle order.
func Next(s Status) []Status {
	var out []Status
	for _, to := range All {
		if to != s && Allowed(s, to) {
			out = append(out, to)
		}
	}
	return out
}

// IsOpen reports whether work on the ticket is still due.
func IsOpen(s Status) bool { return s != Solved && s != Closed }

// NeedsOwner reports statuses that only make sense with a technician or group assigned.
func NeedsOwner(s Status) bool { return s == Assigned || s == Planned }

// Reopened is the status a solved ticket returns to when its solution is refused or
// its requester writes again: Assigned if someone still owns it, else New.
func Reopened(owned bool) Status {
	if owned {
		return Assigned
	}
	return New
}
