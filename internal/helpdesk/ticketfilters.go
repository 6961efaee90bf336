package helpdesk

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"parc/internal/record"
)

// AtRiskWindow is how close to its resolution due time an open ticket is "at risk".
// A fixed window rather than a share of the SLA: "due within four hours" reads the
// same on every ticket, and it is one indexed range on ttr_due_at.
const AtRiskWindow = 4 * time.Hour

// runningSQL are the statuses whose resolution clock runs: pending stops it, so a
// pending ticket is neither late nor at risk while it waits.
const runningSQL = "status IN ('new', 'assigned', 'planned')"

// ticketViews are the list filters behind the helpdesk views (my groups' tickets,
// at risk, late), usable in the UI, the API and saved searches:
//
//	open:eq:true           not solved nor closed
//	my_groups:eq:USER_ID   assigned to a group the user belongs to
//	due:eq:late|at_risk    resolution due time passed / within AtRiskWindow
//	asset:eq:TYPE:ID       linked to that asset (its failure history)
func ticketViews() map[string]record.VirtualFilter {
	bad := func(key string) (string, []any, *record.Msg) {
		return "", nil, &record.Msg{Key: "err.bad_filter", Args: []any{key}}
	}
	return map[string]record.VirtualFilter{
		"open": func(op record.Op, v string) (string, []any, *record.Msg) {
			b, err := strconv.ParseBool(v)
			if op != record.OpEq || err != nil {
				return bad("open")
			}
			if b {
				return "status NOT IN ('solved', 'closed')", nil, nil
			}
			return "status IN ('solved', 'closed')", nil, nil
		},
		"my_groups": func(op record.Op, v string) (string, []any, *record.Msg) {
			id, err := strconv.ParseInt(v, 10, 64)
			if op != record.OpEq || err != nil || id <= 0 {
				return bad("my_groups")
			}
			return record.Selective("assigned_group_id IN (SELECT group_id FROM group_members WHERE user_id = ? AND deleted_at IS NULL)"), []any{id}, nil
		},
		"asset": func(op record.Op, v string) (string, []any, *record.Msg) {
			typ, idText, _ := strings.Cut(v, ":")
			id, err := strconv.ParseInt(idText, 10, 64)
			if op != record.OpEq || err != nil || id <= 0 || !slices.Contains(ItemTypes, typ) {
				return bad("asset")
			}
			return record.Selective("id IN (SELECT ticket_id FROM ticket_items WHERE item_type = ? AND item_id = ? AND deleted_at IS NULL)"), []any{typ, id}, nil
		},
		"due": func(op record.Op, v string) (string, []any, *record.Msg) {
			now := time.Now().UTC()
			switch {
			case op != record.OpEq:
				return bad("due")
			case v == "late":
				return "(" + runningSQL + " AND ttr_due_at < ?)", []any{now}, nil
			case v == "at_risk":
				return "(" + runningSQL + " AND ttr_due_at >= ? AND ttr_due_at < ?)", []any{now, now.Add(AtRiskWindow)}, nil
			}
			return bad("due")
		},
	}
}
