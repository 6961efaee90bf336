{{- define "open"}}deleted_at IS NULL AND status IN ('new', 'assigned', 'planned', 'pending'){{end}}
-- Home pages (internal/dashboard): every block is a count over an index, never a
-- scan of the tickets table.
-- Backlog, tickets per group and per technician: the open tickets by organisation
-- (the read scope), group and technician, read from the index alone.
CREATE INDEX tickets_open_org ON tickets(organization_id, assigned_group_id, assigned_user_id) WHERE {{template "open"}};
-- 30-day inflow and outflow, SLA compliance of the month: ranges of days.
CREATE INDEX tickets_created_day ON tickets(created_at, organization_id) WHERE deleted_at IS NULL;
CREATE INDEX tickets_solved_day ON tickets(solved_at, organization_id, ttr_due_at) WHERE deleted_at IS NULL AND solved_at IS NOT NULL;
-- Running tickets by resolution due time within the scope (at risk, late).
CREATE INDEX tickets_running_due ON tickets(ttr_due_at, organization_id) WHERE deleted_at IS NULL AND status IN ('new', 'assigned', 'planned');
-- Unassigned queue.
CREATE INDEX tickets_unassigned ON tickets(organization_id) WHERE {{template "open"}} AND assigned_user_id IS NULL AND assigned_group_id IS NULL;
-- A technician's planned tasks of the day and week.
CREATE INDEX ticket_tasks_planned ON ticket_tasks(user_id, planned_start) WHERE deleted_at IS NULL AND done = {{.False}};
-- Warranties ending soon.
CREATE INDEX computers_warranty ON computers(warranty_end, organization_id) WHERE deleted_at IS NULL;

-- In-app notifications (internal/notify): one row per recipient and event on a
-- ticket, written in the event's transaction, the same events mail follows.
CREATE TABLE notifications (
    id {{.ID}},
    user_id {{.BigInt}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    ticket_id {{.BigInt}} NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    actor_name TEXT,
    created_at {{.TS}} NOT NULL,
    read_at {{.TS}}
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id, id) WHERE read_at IS NULL;
CREATE INDEX notifications_ticket ON notifications(ticket_id);
