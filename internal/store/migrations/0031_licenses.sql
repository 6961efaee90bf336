{{define "meta"}}
    version {{.BigInt}} NOT NULL DEFAULT 1,
    created_at {{.TS}} NOT NULL,
    updated_at {{.TS}} NOT NULL,
    deleted_at {{.TS}}{{end}}
-- Software licences (internal/license, docs/licenses.md). The key is stored
-- encrypted (internal/secret); the counts are kept by the licence count job from
-- the installations inventories saw, never recounted on a read.
CREATE TABLE licenses (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    software_id {{.BigInt}} REFERENCES software(id) ON DELETE SET NULL,
    publisher TEXT,
    version_min TEXT,
    version_max TEXT,
    version_min_key TEXT NOT NULL DEFAULT '',
    version_max_key TEXT NOT NULL DEFAULT '',
    license_type TEXT NOT NULL,
    seats INTEGER,
    purchase_date {{.Date}},
    expiry_date {{.Date}},
    cost {{.Money}},
    supplier_id {{.BigInt}} REFERENCES suppliers(id) ON DELETE SET NULL,
    -- The contracts type is built apart: no reference yet, a plain id.
    contract_id {{.BigInt}},
    key_cipher TEXT,
    comment TEXT,
    -- What the licence's type counts against its seats (devices, users or cores),
    -- and seats minus that (negative: over-deployed; none without seats).
    installed_count INTEGER NOT NULL DEFAULT 0,
    balance INTEGER,
    installed_devices INTEGER NOT NULL DEFAULT 0,
    installed_users INTEGER NOT NULL DEFAULT 0,
    installed_cores INTEGER NOT NULL DEFAULT 0,
    assigned_count INTEGER NOT NULL DEFAULT 0,
    counts_stale {{.Bool}} NOT NULL DEFAULT {{.True}},
    counted_at {{.TS}},
{{template "meta" .}}
);
CREATE INDEX licenses_org ON licenses(organization_id, name, id) WHERE deleted_at IS NULL;
CREATE INDEX licenses_name ON licenses(name, id) WHERE deleted_at IS NULL;
CREATE INDEX licenses_software ON licenses(software_id);
CREATE INDEX licenses_expiry ON licenses(expiry_date, organization_id) WHERE deleted_at IS NULL;
CREATE INDEX licenses_balance ON licenses(balance, id) WHERE deleted_at IS NULL;
CREATE INDEX licenses_stale ON licenses(id) WHERE counts_stale = {{.True}};

-- A licence given to a computer or to a user (one of the two).
CREATE TABLE license_assignments (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    license_id {{.BigInt}} NOT NULL REFERENCES licenses(id) ON DELETE CASCADE,
    computer_id {{.BigInt}} REFERENCES computers(id) ON DELETE CASCADE,
    assigned_user_id {{.BigInt}} REFERENCES users(id) ON DELETE CASCADE,
    comment TEXT,
{{template "meta" .}}
);
CREATE UNIQUE INDEX license_assignments_computer ON license_assignments(license_id, computer_id) WHERE computer_id IS NOT NULL;
CREATE UNIQUE INDEX license_assignments_user ON license_assignments(license_id, assigned_user_id) WHERE assigned_user_id IS NOT NULL;
CREATE INDEX license_assignments_on_computer ON license_assignments(computer_id);
CREATE INDEX license_assignments_on_user ON license_assignments(assigned_user_id);

-- Alerts sent, one row per licence, kind and date it was about: each is sent once.
CREATE TABLE license_alerts (
    license_id {{.BigInt}} NOT NULL REFERENCES licenses(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    about TEXT NOT NULL,
    created_at {{.TS}} NOT NULL,
    PRIMARY KEY (license_id, kind, about)
);

-- In-app notifications about a record other than a ticket (internal/notify): a
-- licence expiring or over-deployed.
CREATE TABLE record_notifications (
    id {{.ID}},
    user_id {{.BigInt}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    record_type TEXT NOT NULL,
    record_id {{.BigInt}} NOT NULL,
    event TEXT NOT NULL,
    detail TEXT,
    created_at {{.TS}} NOT NULL,
    read_at {{.TS}}
);
CREATE INDEX record_notifications_user ON record_notifications(user_id, id);
CREATE INDEX record_notifications_record ON record_notifications(record_type, record_id);

-- Software whose installations changed in any way (a version too), for the licence
-- counts: the install count job hands them over when it folds a row.
ALTER TABLE software_count_changes ADD COLUMN touched TEXT NOT NULL DEFAULT '';

-- Technicians of older stores get what new stores give them: licences without
-- their keys. Administrators' "*" covers licences; reading keys is granted by name.
UPDATE profiles SET rights = substr(rights, 1, length(rights) - 1) || ',"licenses":["read","create","update","delete"],"license-assignments":["read","create","update","delete"]}'
WHERE name = 'technician' AND deleted_at IS NULL AND rights LIKE '{"%}'
  AND rights NOT LIKE '%"licenses"%' AND rights NOT LIKE '%"*"%';
UPDATE profiles SET rights = substr(rights, 1, length(rights) - 1) || ',"licenses":["read","create","update","delete","purge","read_key"]}'
WHERE name IN ('admin', 'super-admin') AND deleted_at IS NULL AND rights LIKE '{"%}'
  AND rights NOT LIKE '%"licenses"%';
