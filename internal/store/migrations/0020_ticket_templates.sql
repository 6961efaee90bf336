{{define "meta"}}
    version {{.BigInt}} NOT NULL DEFAULT 1,
    created_at {{.TS}} NOT NULL,
    updated_at {{.TS}} NOT NULL,
    deleted_at {{.TS}}{{end}}
-- Ticket templates: per category, the fields a new ticket starts with and the
-- checklist of tasks created with it (one task a line).
CREATE TABLE ticket_templates (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    category_id {{.BigInt}} REFERENCES ticket_categories(id) ON DELETE SET NULL,
    type TEXT,
    title TEXT,
    description TEXT,
    impact INTEGER,
    urgency INTEGER,
    assigned_group_id {{.BigInt}} REFERENCES groups(id) ON DELETE SET NULL,
    tasks TEXT,
    comment TEXT,
{{template "meta" .}}
);
CREATE INDEX ticket_templates_org ON ticket_templates(organization_id, name, id);
CREATE INDEX ticket_templates_name ON ticket_templates(name, id);
CREATE INDEX ticket_templates_category ON ticket_templates(category_id);
