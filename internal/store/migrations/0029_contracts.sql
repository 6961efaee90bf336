{{define "meta"}}
    version {{.BigInt}} NOT NULL DEFAULT 1,
    created_at {{.TS}} NOT NULL,
    updated_at {{.TS}} NOT NULL,
    deleted_at {{.TS}}{{end}}
-- Contracts (internal/contract): maintenance, support, warranty extensions,
-- leasing, subscriptions with suppliers, and service contracts with clients (the
-- client is the contract's organisation). end_date and notice_date are derived
-- from the start, the duration, the renewals and the notice period by the
-- type's hook, so that lists, filters and the home page read them as columns.
CREATE TABLE contracts (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    number TEXT,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    supplier_id {{.BigInt}} REFERENCES suppliers(id) ON DELETE SET NULL,
    start_date {{.Date}} NOT NULL,
    duration_months INTEGER NOT NULL,
    end_date {{.Date}},
    notice_months INTEGER NOT NULL DEFAULT 0,
    notice_date {{.Date}},
    renewal TEXT NOT NULL,
    renewals INTEGER NOT NULL DEFAULT 0,
    cost {{.Money}},
    cost_period TEXT,
    coverage TEXT,
    calendar_id {{.BigInt}} REFERENCES calendars(id) ON DELETE SET NULL,
    response_hours INTEGER,
    repair_hours INTEGER,
    hours_sold INTEGER,
    responsible_user_id {{.BigInt}} REFERENCES users(id) ON DELETE SET NULL,
    responsible_group_id {{.BigInt}} REFERENCES groups(id) ON DELETE SET NULL,
    comment TEXT,
{{template "meta" .}}
);
CREATE INDEX contracts_org ON contracts(organization_id, name, id) WHERE deleted_at IS NULL;
CREATE INDEX contracts_name ON contracts(name, id) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX contracts_number ON contracts(organization_id, number) WHERE deleted_at IS NULL AND number IS NOT NULL;
CREATE INDEX contracts_end ON contracts(end_date, organization_id) WHERE deleted_at IS NULL;
CREATE INDEX contracts_notice ON contracts(notice_date, organization_id) WHERE deleted_at IS NULL;
CREATE INDEX contracts_supplier ON contracts(supplier_id);

-- Assets a contract covers: any fleet type, by type name and id (as ticket_items).
CREATE TABLE contract_assets (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    contract_id {{.BigInt}} NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
    item_type TEXT NOT NULL,
    item_id {{.BigInt}} NOT NULL,
{{template "meta" .}}
);
CREATE UNIQUE INDEX contract_assets_pair ON contract_assets(contract_id, item_type, item_id) WHERE deleted_at IS NULL;
CREATE INDEX contract_assets_item ON contract_assets(item_type, item_id);

-- Alerts a contract's responsible users were sent: one row per contract, alert
-- (notice, end) and the date it is about, so that each is sent exactly once per
-- period (a tacitly renewed contract has new dates, hence new alerts).
CREATE TABLE contract_alerts (
    id {{.ID}},
    contract_id {{.BigInt}} NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    due_on {{.Date}} NOT NULL,
    recipients INTEGER NOT NULL DEFAULT 0,
    sent_at {{.TS}} NOT NULL
);
CREATE UNIQUE INDEX contract_alerts_once ON contract_alerts(contract_id, kind, due_on);

-- What a supplier supplies: reference, unit price, promised lead time.
CREATE TABLE supplier_items (
    id {{.ID}},
    organization_id {{.BigInt}} REFERENCES organizations(id),
    recursive {{.Bool}} NOT NULL DEFAULT {{.False}},
    supplier_id {{.BigInt}} NOT NULL REFERENCES suppliers(id) ON DELETE CASCADE,
    reference TEXT NOT NULL,
    label TEXT NOT NULL,
    unit_price {{.Money}},
    lead_time_days INTEGER,
    category TEXT,
    comment TEXT,
{{template "meta" .}}
);
CREATE INDEX supplier_items_supplier ON supplier_items(supplier_id, reference, id) WHERE deleted_at IS NULL;
CREATE INDEX supplier_items_reference ON supplier_items(reference, id) WHERE deleted_at IS NULL;
CREATE INDEX supplier_items_org ON supplier_items(organization_id, reference, id) WHERE deleted_at IS NULL;

-- Technicians of older stores get the rights a new store gives them (see 0027).
UPDATE profiles SET rights = substr(rights, 1, length(rights) - 1) || ',"contracts":["read","create","update","delete"]}'
WHERE name = 'technician' AND deleted_at IS NULL AND rights LIKE '{"%}'
  AND rights NOT LIKE '%"contracts"%' AND rights NOT LIKE '%"*"%';
UPDATE profiles SET rights = substr(rights, 1, length(rights) - 1) || ',"contract-assets":["read","create","update","delete"]}'
WHERE name = 'technician' AND deleted_at IS NULL AND rights LIKE '{"%}'
  AND rights NOT LIKE '%"contract-assets"%' AND rights NOT LIKE '%"*"%';
UPDATE profiles SET rights = substr(rights, 1, length(rights) - 1) || ',"supplier-items":["read","create","update"]}'
WHERE name = 'technician' AND deleted_at IS NULL AND rights LIKE '{"%}'
  AND rights NOT LIKE '%"supplier-items"%' AND rights NOT LIKE '%"*"%';

-- In-app notifications (internal/notify) may be about a contract (its notice
-- deadline or end is near) rather than a ticket: ticket_id becomes optional and
-- contract_id names the contract. SQLite cannot drop a NOT NULL: the table is
-- rebuilt with its rows and indexes.
{{if .Postgres}}
ALTER TABLE notifications ALTER COLUMN ticket_id DROP NOT NULL;
ALTER TABLE notifications ADD COLUMN contract_id BIGINT REFERENCES contracts(id) ON DELETE CASCADE;
{{else}}
CREATE TABLE notifications_rebuilt (
    id {{.ID}},
    user_id {{.BigInt}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    ticket_id {{.BigInt}} REFERENCES tickets(id) ON DELETE CASCADE,
    contract_id {{.BigInt}} REFERENCES contracts(id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    actor_name TEXT,
    created_at {{.TS}} NOT NULL,
    read_at {{.TS}}
);
INSERT INTO notifications_rebuilt (id, user_id, organization_id, ticket_id, event, actor_name, created_at, read_at)
    SELECT id, user_id, organization_id, ticket_id, event, actor_name, created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_rebuilt RENAME TO notifications;
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id, id) WHERE read_at IS NULL;
CREATE INDEX notifications_ticket ON notifications(ticket_id);
{{end}}
CREATE INDEX notifications_contract ON notifications(contract_id);
