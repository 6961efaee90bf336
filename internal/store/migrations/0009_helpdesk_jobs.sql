{{define "meta"}}
    version {{.BigInt}} NOT NULL DEFAULT 1,
    created_at {{.TS}} NOT NULL,
    updated_at {{.TS}} NOT NULL,
    deleted_at {{.TS}}{{end}}
{{- define "open"}}deleted_at IS NULL AND status IN ('new', 'assigned', 'planned', 'pending'){{end}}
{{- define "running"}}deleted_at IS NULL AND status IN ('new', 'assigned', 'planned'){{end}}
{{- define "due"}}{{if .Postgres}}COALESCE(ttr_due_at, 'infinity'::timestamptz){{else}}COALESCE(ttr_due_at, '9999-12-31'){{end}}{{end}}
-- Periodic jobs of `parc serve` (internal/jobs): when each last ran and may run
-- next, so that a restart does not run a job early, and a lease so that two
-- servers on one store do not run it at once.
CREATE TABLE jobs (
    name TEXT PRIMARY KEY,
    last_run_at {{.TS}},
    next_run_at {{.TS}} NOT NULL,
    lease_until {{.TS}},
    last_error TEXT,
    last_duration_ms {{.BigInt}} NOT NULL DEFAULT 0,
    runs {{.BigInt}} NOT NULL DEFAULT 0,
    updated_at {{.TS}} NOT NULL
);

-- Escalation levels of an SLA: act offset_minutes before (negative) or after a
-- ticket's time to own or to resolve.
CREATE TABLE sla_levels (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    sla_id {{.BigInt}} NOT NULL REFERENCES slas(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    due TEXT NOT NULL DEFAULT 'ttr',
    offset_minutes INTEGER NOT NULL DEFAULT 0,
    notify {{.Bool}} NOT NULL DEFAULT {{.True}},
    group_id {{.BigInt}} REFERENCES groups(id) ON DELETE SET NULL,
    raise_priority {{.Bool}} NOT NULL DEFAULT {{.False}},
    active {{.Bool}} NOT NULL DEFAULT {{.True}},
    comment TEXT,
{{template "meta" .}}
);
CREATE INDEX sla_levels_org ON sla_levels(organization_id, name, id);
CREATE INDEX sla_levels_sla ON sla_levels(sla_id);

-- A level fires once per ticket: the row is written with the level's action.
CREATE TABLE ticket_escalations (
    ticket_id {{.BigInt}} NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    level_id {{.BigInt}} NOT NULL REFERENCES sla_levels(id) ON DELETE CASCADE,
    fired_at {{.TS}} NOT NULL,
    PRIMARY KEY (ticket_id, level_id)
);
CREATE INDEX ticket_escalations_level ON ticket_escalations(level_id);

-- Helpdesk views (internal/helpdesk/views.go) read open tickets by priority, then
-- resolution due time (none last), then id: these partial indexes give a first
-- page in index order. The due expression is the one the queries use.
CREATE INDEX tickets_view_assignee ON tickets(assigned_user_id, priority DESC, {{template "due" .}}, id) WHERE {{template "open"}};
CREATE INDEX tickets_view_group ON tickets(assigned_group_id, priority DESC, {{template "due" .}}, id) WHERE {{template "open"}};
CREATE INDEX tickets_view_open ON tickets(priority DESC, {{template "due" .}}, id) WHERE {{template "open"}};
-- Escalation and SLA recalculation walk the open tickets of one SLA by due time;
-- auto-close the solved tickets by solving time.
CREATE INDEX tickets_running_sla_ttr ON tickets(sla_id, ttr_due_at, id) WHERE {{template "running"}};
CREATE INDEX tickets_open_sla ON tickets(sla_id, id) WHERE {{template "open"}};
CREATE INDEX tickets_untaken_sla_tto ON tickets(sla_id, tto_due_at, id) WHERE deleted_at IS NULL AND taken_at IS NULL AND status = 'new';
CREATE INDEX tickets_solved_at ON tickets(solved_at, id) WHERE deleted_at IS NULL AND status = 'solved';
