{{define "meta"}}
    version {{.BigInt}} NOT NULL DEFAULT 1,
    created_at {{.TS}} NOT NULL,
    updated_at {{.TS}} NOT NULL,
    deleted_at {{.TS}}{{end}}
-- Helpdesk: ticket categories, business-hours calendars, SLAs, tickets with their
-- follow-ups, tasks and linked assets.
CREATE TABLE ticket_categories (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    parent_id {{.BigInt}} REFERENCES ticket_categories(id) ON DELETE SET NULL,
    code TEXT,
    comment TEXT,
{{template "meta" .}}
);
CREATE INDEX ticket_categories_org ON ticket_categories(organization_id, name, id);
CREATE INDEX ticket_categories_name ON ticket_categories(name, id);
CREATE INDEX ticket_categories_parent ON ticket_categories(parent_id);

-- Working hours and holidays are short texts, parsed and checked on write.
CREATE TABLE calendars (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    timezone TEXT NOT NULL,
    hours TEXT NOT NULL,
    holidays TEXT,
    comment TEXT,
{{template "meta" .}}
);
CREATE INDEX calendars_org ON calendars(organization_id, name, id);

CREATE TABLE slas (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    category_id {{.BigInt}} REFERENCES ticket_categories(id) ON DELETE SET NULL,
    priority INTEGER,
    tto_minutes INTEGER,
    ttr_minutes INTEGER,
    calendar_id {{.BigInt}} REFERENCES calendars(id) ON DELETE SET NULL,
    active {{.Bool}} NOT NULL DEFAULT {{.True}},
    comment TEXT,
{{template "meta" .}}
);
CREATE INDEX slas_org ON slas(organization_id, name, id);

CREATE TABLE tickets (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    title TEXT NOT NULL,
    description TEXT,
    type TEXT NOT NULL DEFAULT 'incident',
    status TEXT NOT NULL DEFAULT 'new',
    impact INTEGER NOT NULL DEFAULT 3,
    urgency INTEGER NOT NULL DEFAULT 3,
    priority INTEGER,
    category_id {{.BigInt}} REFERENCES ticket_categories(id) ON DELETE SET NULL,
    location_id {{.BigInt}} REFERENCES locations(id) ON DELETE SET NULL,
    user_id {{.BigInt}} REFERENCES users(id) ON DELETE SET NULL,
    assigned_user_id {{.BigInt}} REFERENCES users(id) ON DELETE SET NULL,
    assigned_group_id {{.BigInt}} REFERENCES groups(id) ON DELETE SET NULL,
    sla_id {{.BigInt}} REFERENCES slas(id) ON DELETE SET NULL,
    tto_due_at {{.TS}},
    ttr_due_at {{.TS}},
    taken_at {{.TS}},
    solved_at {{.TS}},
    closed_at {{.TS}},
    pending_reason TEXT,
    pending_since {{.TS}},
    waiting_seconds {{.BigInt}} NOT NULL DEFAULT 0,
    solution TEXT,
    solution_type TEXT,
{{template "meta" .}}
);
CREATE INDEX tickets_org_status ON tickets(organization_id, status, priority);
CREATE INDEX tickets_assigned_user ON tickets(assigned_user_id, status);
CREATE INDEX tickets_assigned_group ON tickets(assigned_group_id, status);
CREATE INDEX tickets_user ON tickets(user_id);
CREATE INDEX tickets_category ON tickets(category_id);
CREATE INDEX tickets_ttr_due ON tickets(ttr_due_at, id);
CREATE INDEX tickets_title ON tickets(title, id);
CREATE INDEX tickets_updated ON tickets(updated_at, id);

CREATE TABLE ticket_followups (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    ticket_id {{.BigInt}} NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    user_id {{.BigInt}} REFERENCES users(id) ON DELETE SET NULL,
    content TEXT NOT NULL,
    private {{.Bool}} NOT NULL DEFAULT {{.False}},
{{template "meta" .}}
);
CREATE INDEX ticket_followups_ticket ON ticket_followups(ticket_id, id);
CREATE INDEX ticket_followups_user ON ticket_followups(user_id);

CREATE TABLE ticket_tasks (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    ticket_id {{.BigInt}} NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    user_id {{.BigInt}} REFERENCES users(id) ON DELETE SET NULL,
    planned_start {{.TS}},
    planned_end {{.TS}},
    duration_minutes INTEGER NOT NULL DEFAULT 0,
    done {{.Bool}} NOT NULL DEFAULT {{.False}},
    private {{.Bool}} NOT NULL DEFAULT {{.False}},
{{template "meta" .}}
);
CREATE INDEX ticket_tasks_ticket ON ticket_tasks(ticket_id, id);
CREATE INDEX ticket_tasks_user ON ticket_tasks(user_id, done);

-- Assets a ticket is about: any fleet type, by type name and id.
CREATE TABLE ticket_items (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    ticket_id {{.BigInt}} NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    item_type TEXT NOT NULL,
    item_id {{.BigInt}} NOT NULL,
{{template "meta" .}}
);
CREATE UNIQUE INDEX ticket_items_pair ON ticket_items(ticket_id, item_type, item_id) WHERE deleted_at IS NULL;
CREATE INDEX ticket_items_item ON ticket_items(item_type, item_id);
