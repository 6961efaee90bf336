package helpdesk

import (
	"context"
	"sort"

	"parc/internal/store"
)

// Audience lists who hears of an event, by user id: the requester of what concerns
// them, the assignees (the user and the group's members) of the work, never the
// author of the change, and never the requester of a private follow-up.
func Audience(ctx context.Context, tx *store.Tx, ev Event) ([]int64, error) {
	tk := ev.Ticket
	requester, assignee, group := tk.Int("user_id"), tk.Int("assigned_user_id"), tk.Int("assigned_group_id")
	var want []int64
	var groups []int64
	switch ev.Kind {
	case TicketCreated:
		want = append(want, requester, assignee)
		groups = append(groups, group)
	case TicketAssigned:
		want = append(want, ev.AssignedUserID)
		groups = append(groups, ev.AssignedGroupID)
	case FollowupAdded:
		if ev.Followup == nil || ev.Followup.Values["private"] != true {
			want = append(want, requester)
		}
		want = append(want, assignee)
		groups = append(groups, group)
	case TicketSolved:
		want = append(want, requester, assignee)
	case ApprovalRequested:
		if ev.Approval != nil {
			want = append(want, ev.Approval.Int("user_id"))
		}
	case SLAWarning, SLABreached:
		want = append(want, assignee)
		groups = append(groups, group)
	default:
		return nil, nil
	}
	for _, g := range groups {
		if g == 0 {
			continue
		}
		rows, err := tx.QueryContext(ctx, "SELECT user_id FROM group_members WHERE group_id = ? AND deleted_at IS NULL", g)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			want = append(want, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	var author int64
	if ev.Actor != nil {
		author = ev.Actor.UserID
	}
	seen := map[int64]bool{0: true, author: true}
	var out []int64
	for _, id := range want {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}
