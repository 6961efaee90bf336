{{define "meta"}}
    version {{.BigInt}} NOT NULL DEFAULT 1,
    created_at {{.TS}} NOT NULL,
    updated_at {{.TS}} NOT NULL,
    deleted_at {{.TS}}{{end}}
-- Canned responses: reusable follow-up and solution texts, per ticket category
-- (none: every category), offered by the ticket thread's forms.
CREATE TABLE canned_responses (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    category_id {{.BigInt}} REFERENCES ticket_categories(id) ON DELETE SET NULL,
    content TEXT NOT NULL,
    active {{.Bool}} NOT NULL DEFAULT {{.True}},
    comment TEXT,
{{template "meta" .}}
);
CREATE INDEX canned_responses_org ON canned_responses(organization_id, name, id);
CREATE INDEX canned_responses_name ON canned_responses(name, id);
CREATE INDEX canned_responses_category ON canned_responses(category_id);
