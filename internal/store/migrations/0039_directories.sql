{{define "meta"}}
    version {{.BigInt}} NOT NULL DEFAULT 1,
    created_at {{.TS}} NOT NULL,
    updated_at {{.TS}} NOT NULL,
    deleted_at {{.TS}}{{end}}
-- LDAP directories (internal/directory, docs/directory.md): where an
-- organisation's people are kept, how parc binds to it (the bind password sealed
-- with internal/secret, never given back) and what its last synchronisation did.
CREATE TABLE directories (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    start_tls {{.Bool}} NOT NULL DEFAULT {{.False}},
    ca_pem TEXT,
    bind_dn TEXT,
    bind_password_cipher TEXT,
    base_dn TEXT NOT NULL,
    user_filter TEXT NOT NULL,
    group_filter TEXT,
    attr_login TEXT NOT NULL,
    attr_firstname TEXT,
    attr_lastname TEXT,
    attr_email TEXT,
    attr_phone TEXT,
    attr_title TEXT,
    attr_member TEXT,
    enabled {{.Bool}} NOT NULL DEFAULT {{.True}},
    last_sync_at {{.TS}},
    last_sync_status TEXT,
    last_sync_report TEXT,
    comment TEXT,
{{template "meta" .}}
);
CREATE INDEX directories_org ON directories(organization_id, name, id) WHERE deleted_at IS NULL;
CREATE INDEX directories_name ON directories(name, id) WHERE deleted_at IS NULL;

-- A user or group a directory keeps: its directory, its DN there and when a
-- synchronisation last found it.
ALTER TABLE users ADD COLUMN directory_id {{.BigInt}} REFERENCES directories(id) ON DELETE SET NULL;
ALTER TABLE users ADD COLUMN external_id TEXT;
ALTER TABLE users ADD COLUMN directory_seen_at {{.TS}};
ALTER TABLE users ADD COLUMN title TEXT;
CREATE INDEX users_directory ON users(directory_id, external_id);
ALTER TABLE groups ADD COLUMN directory_id {{.BigInt}} REFERENCES directories(id) ON DELETE SET NULL;
ALTER TABLE groups ADD COLUMN external_id TEXT;
CREATE INDEX groups_directory ON groups(directory_id, external_id);
