{{define "meta"}}
    version {{.BigInt}} NOT NULL DEFAULT 1,
    created_at {{.TS}} NOT NULL,
    updated_at {{.TS}} NOT NULL,
    deleted_at {{.TS}}{{end}}
-- Total cost of ownership (internal/cost, docs/lifecycle.md) and documents
-- attached to records (internal/document, docs/documents.md).
--
-- Hourly rates of technicians and groups, and an organisation's default rate (a
-- row with neither user nor group): intervention time is costed with them.
CREATE TABLE hourly_rates (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    name TEXT,
    user_id {{.BigInt}} REFERENCES users(id) ON DELETE CASCADE,
    group_id {{.BigInt}} REFERENCES groups(id) ON DELETE CASCADE,
    rate {{.Money}} NOT NULL,
    comment TEXT,
{{template "meta" .}}
);
CREATE INDEX hourly_rates_org ON hourly_rates(organization_id, name, id) WHERE deleted_at IS NULL;
CREATE INDEX hourly_rates_name ON hourly_rates(name, id) WHERE deleted_at IS NULL;
CREATE INDEX hourly_rates_user ON hourly_rates(user_id) WHERE deleted_at IS NULL;
CREATE INDEX hourly_rates_group ON hourly_rates(group_id) WHERE deleted_at IS NULL;

-- Parts issued to an asset, read per asset by its costs.
CREATE INDEX stock_movements_asset ON stock_movements(asset_type, asset_id) WHERE asset_id IS NOT NULL;

-- Files attached to any record that accepts documents (a contract, a disposal's
-- certificate, an invoice on a computer...). Kept in the database as the
-- helpdesk's attachments are: they commit and back up with the store. A document
-- removed is kept with deleted_at (and its record's history says who removed it).
CREATE TABLE documents (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    record_type TEXT NOT NULL,
    record_id {{.BigInt}} NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size {{.BigInt}} NOT NULL,
    sha256 TEXT NOT NULL,
    content {{.Blob}} NOT NULL,
    user_id {{.BigInt}} REFERENCES users(id) ON DELETE SET NULL,
    created_at {{.TS}} NOT NULL,
    deleted_at {{.TS}}
);
CREATE INDEX documents_record ON documents(record_type, record_id, id);
