{{define "meta"}}
    version {{.BigInt}} NOT NULL DEFAULT 1,
    created_at {{.TS}} NOT NULL,
    updated_at {{.TS}} NOT NULL,
    deleted_at {{.TS}}{{end}}
-- Hand-overs and loans (internal/loan). An asset is named by its type and id, as a
-- ticket's items are: any fleet type may be handed over or lent.

-- Loan equipment: the assets that may be lent, each in a pool ("Loan laptops").
CREATE TABLE loan_items (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    pool TEXT NOT NULL,
    asset_type TEXT NOT NULL,
    asset_id {{.BigInt}} NOT NULL,
    comment TEXT,
{{template "meta" .}}
);
CREATE UNIQUE INDEX loan_items_asset ON loan_items(asset_type, asset_id) WHERE deleted_at IS NULL;
CREATE INDEX loan_items_org_pool ON loan_items(organization_id, pool, id) WHERE deleted_at IS NULL;
CREATE INDEX loan_items_pool ON loan_items(pool, id) WHERE deleted_at IS NULL;

-- Hand-overs: an asset given to a user (check-out) and taken back (check-in), with
-- its state and accessories each way, and the user's acknowledgement of receipt.
CREATE TABLE handovers (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    asset_type TEXT NOT NULL,
    asset_id {{.BigInt}} NOT NULL,
    user_id {{.BigInt}} NOT NULL REFERENCES users(id),
    technician_id {{.BigInt}} REFERENCES users(id),
    handed_at {{.TS}} NOT NULL,
    state_id {{.BigInt}} REFERENCES states(id),
    accessories TEXT,
    comment TEXT,
    reservation_id {{.BigInt}},
    returned_at {{.TS}},
    return_state_id {{.BigInt}} REFERENCES states(id),
    return_accessories TEXT,
    return_comment TEXT,
    received_by_id {{.BigInt}} REFERENCES users(id),
    acknowledged_at {{.TS}},
    acknowledged_by_id {{.BigInt}} REFERENCES users(id),
    acknowledged_from TEXT,
{{template "meta" .}}
);
CREATE INDEX handovers_asset ON handovers(asset_type, asset_id, handed_at);
CREATE INDEX handovers_org ON handovers(organization_id, handed_at, id) WHERE deleted_at IS NULL;
CREATE INDEX handovers_handed ON handovers(handed_at, id) WHERE deleted_at IS NULL;
CREATE INDEX handovers_user ON handovers(user_id, id);
-- One open hand-over (not checked in) per asset, against races.
CREATE UNIQUE INDEX handovers_open ON handovers(asset_type, asset_id) WHERE returned_at IS NULL AND deleted_at IS NULL;

-- Reservations of loan equipment, by day (start and end included).
CREATE TABLE reservations (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    asset_type TEXT NOT NULL,
    asset_id {{.BigInt}} NOT NULL,
    user_id {{.BigInt}} NOT NULL REFERENCES users(id),
    start_date {{.Date}} NOT NULL,
    end_date {{.Date}} NOT NULL,
    comment TEXT,
    status TEXT NOT NULL DEFAULT 'reserved',
    handover_id {{.BigInt}} REFERENCES handovers(id) ON DELETE SET NULL,
    reminded_at {{.TS}},
{{template "meta" .}}
);
CREATE INDEX reservations_asset ON reservations(asset_type, asset_id, start_date) WHERE deleted_at IS NULL;
CREATE INDEX reservations_org ON reservations(organization_id, start_date, id) WHERE deleted_at IS NULL;
CREATE INDEX reservations_start ON reservations(start_date, id) WHERE deleted_at IS NULL;
CREATE INDEX reservations_user ON reservations(user_id, id);
CREATE INDEX reservations_due ON reservations(status, end_date) WHERE deleted_at IS NULL;

-- Stores created before this migration: technicians work on loans as new stores'
-- do, requesters read their own hand-overs and reservations (see migration 0027).
UPDATE profiles SET rights = substr(rights, 1, length(rights) - 1) || ',"handovers":["read","create","update","delete"]}'
WHERE name = 'technician' AND deleted_at IS NULL AND rights LIKE '{"%}'
  AND rights NOT LIKE '%"handovers"%' AND rights NOT LIKE '%"*"%';
UPDATE profiles SET rights = substr(rights, 1, length(rights) - 1) || ',"reservations":["read","create","update","delete"]}'
WHERE name = 'technician' AND deleted_at IS NULL AND rights LIKE '{"%}'
  AND rights NOT LIKE '%"reservations"%' AND rights NOT LIKE '%"*"%';
UPDATE profiles SET rights = substr(rights, 1, length(rights) - 1) || ',"loan-items":["read","create","update","delete"]}'
WHERE name = 'technician' AND deleted_at IS NULL AND rights LIKE '{"%}'
  AND rights NOT LIKE '%"loan-items"%' AND rights NOT LIKE '%"*"%';
UPDATE profiles SET rights = substr(rights, 1, length(rights) - 1) || ',"handovers":["read_own"]}'
WHERE name = 'self-service' AND deleted_at IS NULL AND rights LIKE '{"%}'
  AND rights NOT LIKE '%"handovers"%' AND rights NOT LIKE '%"*"%';
UPDATE profiles SET rights = substr(rights, 1, length(rights) - 1) || ',"reservations":["read_own"]}'
WHERE name = 'self-service' AND deleted_at IS NULL AND rights LIKE '{"%}'
  AND rights NOT LIKE '%"reservations"%' AND rights NOT LIKE '%"*"%';
