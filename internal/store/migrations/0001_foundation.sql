-- Foundation: organisations, people, rights, catalogues, fleet assets, history, sessions.
{{define "meta"}}
    version {{.BigInt}} NOT NULL DEFAULT 1,
    created_at {{.TS}} NOT NULL,
    updated_at {{.TS}} NOT NULL,
    deleted_at {{.TS}}{{end}}

CREATE TABLE organizations (
    id {{.ID}},
    name TEXT NOT NULL,
    parent_id {{.BigInt}} REFERENCES organizations(id),
    path TEXT NOT NULL DEFAULT '',
    code TEXT,
    comment TEXT,
{{template "meta" .}}
);
CREATE INDEX organizations_path ON organizations(path);
CREATE INDEX organizations_parent ON organizations(parent_id);
CREATE INDEX organizations_name ON organizations(name, id);

CREATE TABLE profiles (
    id {{.ID}},
    name TEXT NOT NULL,
    rights TEXT NOT NULL DEFAULT '{}',
    comment TEXT,
{{template "meta" .}}
);
CREATE UNIQUE INDEX profiles_name ON profiles(name) WHERE deleted_at IS NULL;

CREATE TABLE users (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    login TEXT NOT NULL,
    firstname TEXT,
    lastname TEXT,
    email TEXT,
    phone TEXT,
    language TEXT,
    active {{.Bool}} NOT NULL DEFAULT {{.True}},
    password_hash TEXT,
    last_login_at {{.TS}},
    comment TEXT,
{{template "meta" .}}
);
CREATE UNIQUE INDEX users_login ON users(login);
CREATE INDEX users_org ON users(organization_id);
CREATE INDEX users_lastname ON users(lastname, id);

CREATE TABLE groups (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    comment TEXT,
{{template "meta" .}}
);
CREATE INDEX groups_org ON groups(organization_id);

CREATE TABLE group_members (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    group_id {{.BigInt}} NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id {{.BigInt}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    is_manager {{.Bool}} NOT NULL DEFAULT {{.False}},
{{template "meta" .}}
);
CREATE UNIQUE INDEX group_members_pair ON group_members(group_id, user_id) WHERE deleted_at IS NULL;
CREATE INDEX group_members_user ON group_members(user_id);

CREATE TABLE authorizations (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    user_id {{.BigInt}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    profile_id {{.BigInt}} NOT NULL REFERENCES profiles(id),
    recursive {{.Bool}} NOT NULL DEFAULT {{.True}},
{{template "meta" .}}
);
CREATE INDEX authorizations_user ON authorizations(user_id);
CREATE INDEX authorizations_org ON authorizations(organization_id);

CREATE TABLE locations (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    parent_id {{.BigInt}} REFERENCES locations(id) ON DELETE SET NULL,
    kind TEXT NOT NULL DEFAULT 'room',
    code TEXT,
    address TEXT,
    comment TEXT,
{{template "meta" .}}
);
CREATE INDEX locations_org ON locations(organization_id);
CREATE INDEX locations_parent ON locations(parent_id);
CREATE INDEX locations_name ON locations(name, id);

-- Shared catalogues, visible to every organisation.
CREATE TABLE manufacturers (
    id {{.ID}},
    name TEXT NOT NULL,
    comment TEXT,
{{template "meta" .}}
);
CREATE UNIQUE INDEX manufacturers_name ON manufacturers(name) WHERE deleted_at IS NULL;

CREATE TABLE models (
    id {{.ID}},
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    manufacturer_id {{.BigInt}} REFERENCES manufacturers(id) ON DELETE SET NULL,
    product_number TEXT,
    comment TEXT,
{{template "meta" .}}
);
CREATE INDEX models_name ON models(name, id);

CREATE TABLE asset_types (
    id {{.ID}},
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    comment TEXT,
{{template "meta" .}}
);

CREATE TABLE states (
    id {{.ID}},
    name TEXT NOT NULL,
    code TEXT,
    comment TEXT,
{{template "meta" .}}
);
CREATE UNIQUE INDEX states_name ON states(name) WHERE deleted_at IS NULL;

CREATE TABLE suppliers (
    id {{.ID}},
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    website TEXT,
    address TEXT,
    comment TEXT,
{{template "meta" .}}
);
CREATE UNIQUE INDEX suppliers_name ON suppliers(name) WHERE deleted_at IS NULL;

{{define "asset"}}
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    inventory_number TEXT,
    serial TEXT,
    manufacturer_id {{.BigInt}} REFERENCES manufacturers(id) ON DELETE SET NULL,
    model_id {{.BigInt}} REFERENCES models(id) ON DELETE SET NULL,
    type_id {{.BigInt}} REFERENCES asset_types(id) ON DELETE SET NULL,
    state_id {{.BigInt}} REFERENCES states(id) ON DELETE SET NULL,
    location_id {{.BigInt}} REFERENCES locations(id) ON DELETE SET NULL,
    user_id {{.BigInt}} REFERENCES users(id) ON DELETE SET NULL,
    group_id {{.BigInt}} REFERENCES groups(id) ON DELETE SET NULL,
    supplier_id {{.BigInt}} REFERENCES suppliers(id) ON DELETE SET NULL,
    purchase_date {{.Date}},
    purchase_price {{.Money}},
    warranty_end {{.Date}},
    comment TEXT,
{{template "meta" .}}{{end}}
CREATE TABLE computers (
{{template "asset" .}},
    uuid TEXT,
    os_name TEXT,
    os_version TEXT
);
{{assetIndexes "computers"}}
CREATE INDEX computers_uuid ON computers(uuid);

CREATE TABLE monitors (
{{template "asset" .}},
    size_inches NUMERIC,
    computer_id {{.BigInt}} REFERENCES computers(id) ON DELETE SET NULL
);
{{assetIndexes "monitors"}}
CREATE INDEX monitors_computer ON monitors(computer_id);

CREATE TABLE network_equipment (
{{template "asset" .}},
    ip_address TEXT,
    mac_address TEXT,
    firmware TEXT,
    ports INTEGER
);
{{assetIndexes "network_equipment"}}

CREATE TABLE printers (
{{template "asset" .}},
    ip_address TEXT,
    mac_address TEXT,
    color {{.Bool}} NOT NULL DEFAULT {{.False}},
    duplex {{.Bool}} NOT NULL DEFAULT {{.False}}
);
{{assetIndexes "printers"}}

CREATE TABLE phones (
{{template "asset" .}},
    phone_number TEXT,
    imei TEXT,
    mac_address TEXT
);
{{assetIndexes "phones"}}

CREATE TABLE peripherals (
{{template "asset" .}},
    computer_id {{.BigInt}} REFERENCES computers(id) ON DELETE SET NULL
);
{{assetIndexes "peripherals"}}
CREATE INDEX peripherals_computer ON peripherals(computer_id);

-- Every change to every record: one row per changed field.
CREATE TABLE history (
    id {{.ID}},
    record_type TEXT NOT NULL,
    record_id {{.BigInt}} NOT NULL,
    organization_id {{.BigInt}},
    action TEXT NOT NULL,
    field TEXT,
    old_value TEXT,
    new_value TEXT,
    origin TEXT NOT NULL,
    user_id {{.BigInt}},
    user_name TEXT,
    created_at {{.TS}} NOT NULL
);
CREATE INDEX history_record ON history(record_type, record_id, id);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id {{.BigInt}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    ip TEXT,
    user_agent TEXT,
    created_at {{.TS}} NOT NULL,
    last_seen_at {{.TS}} NOT NULL,
    expires_at {{.TS}} NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE api_tokens (
    id {{.ID}},
    user_id {{.BigInt}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_at {{.TS}} NOT NULL,
    last_used_at {{.TS}},
    expires_at {{.TS}},
    revoked_at {{.TS}}
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens(token_hash);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Failed logins, counted per account and per address over a sliding window.
CREATE TABLE login_failures (
    id {{.ID}},
    key TEXT NOT NULL,
    at {{.TS}} NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(key, at);

-- Security events: logins, logouts, denials, token use.
CREATE TABLE audit_events (
    id {{.ID}},
    at {{.TS}} NOT NULL,
    event TEXT NOT NULL,
    user_id {{.BigInt}},
    login TEXT,
    ip TEXT,
    detail TEXT
);
CREATE INDEX audit_events_at ON audit_events(at);

CREATE TABLE saved_searches (
    id {{.ID}},
    user_id {{.BigInt}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    record_type TEXT NOT NULL,
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    created_at {{.TS}} NOT NULL
);
CREATE INDEX saved_searches_user ON saved_searches(user_id, record_type);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Counters behind naming plans, e.g. PC-PAR-0042.
CREATE TABLE counters (
    key TEXT PRIMARY KEY,
    value {{.BigInt}} NOT NULL
);
