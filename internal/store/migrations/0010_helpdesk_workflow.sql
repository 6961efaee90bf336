{{define "meta"}}
    version {{.BigInt}} NOT NULL DEFAULT 1,
    created_at {{.TS}} NOT NULL,
    updated_at {{.TS}} NOT NULL,
    deleted_at {{.TS}}{{end}}
-- Helpdesk workflow: the requester's verdict on a solution, parts used for the
-- intervention report, approvals, and support levels for escalation.
ALTER TABLE tickets ADD COLUMN satisfaction INTEGER;
ALTER TABLE tickets ADD COLUMN satisfaction_comment TEXT;
ALTER TABLE tickets ADD COLUMN parts_used TEXT;
ALTER TABLE ticket_categories ADD COLUMN needs_approval {{.Bool}} NOT NULL DEFAULT {{.False}};
ALTER TABLE ticket_categories ADD COLUMN approver_id {{.BigInt}} REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE groups ADD COLUMN support_level INTEGER;

-- One validation asked of one user (user_id, the approver) about a ticket.
CREATE TABLE ticket_approvals (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    ticket_id {{.BigInt}} NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    user_id {{.BigInt}} REFERENCES users(id) ON DELETE SET NULL,
    requested_by_id {{.BigInt}} REFERENCES users(id) ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    comment TEXT,
    answer TEXT,
    answered_at {{.TS}},
{{template "meta" .}}
);
CREATE INDEX ticket_approvals_ticket ON ticket_approvals(ticket_id, status);
CREATE INDEX ticket_approvals_user ON ticket_approvals(user_id, status, id);
