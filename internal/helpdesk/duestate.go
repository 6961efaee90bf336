package helpdesk

import (
	"time"

	"parc/internal/helpdesk/lifecycle"
	"parc/internal/record"
)

// States of a ticket's resolution due time, as lists show it.
const (
	DueNone   = ""        // no SLA due time
	DueOK     = "ok"      // running, more than AtRiskWindow left
	DueAtRisk = "at_risk" // running, due within AtRiskWindow
	DueLate   = "late"    // running, due time passed
	DuePaused = "paused"  // pending: the clock is stopped
	DueMet    = "met"     // solved in time
	DueMissed = "missed"  // solved late
)

// DueState tells where a ticket stands against its resolution due time at now,
// by the rules of the list filters due:eq:late and due:eq:at_risk (wall-clock
// time, so that a list's column and its filter agree).
func DueState(tk *record.Record, now time.Time) string {
	at, ok := tk.Values["ttr_due_at"].(time.Time)
	if !ok {
		return DueNone
	}
	if solved, ok := tk.Values["solved_at"].(time.Time); ok {
		if solved.After(at) {
			return DueMissed
		}
		return DueMet
	}
	switch lifecycle.Status(tk.String("status")) {
	case lifecycle.Pending:
		return DuePaused
	case lifecycle.Solved, lifecycle.Closed:
		return DueMet
	}
	switch {
	case now.After(at):
		return DueLate
	case at.Sub(now) < AtRiskWindow:
		return DueAtRisk
	}
	return DueOK
}
