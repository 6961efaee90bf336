{{define "meta"}}
    version {{.BigInt}} NOT NULL DEFAULT 1,
    created_at {{.TS}} NOT NULL,
    updated_at {{.TS}} NOT NULL,
    deleted_at {{.TS}}{{end}}
-- Stock of spare parts and consumables (internal/stock, docs/stock.md): the items,
-- their quantity per location, and the movements that change them. quantity on
-- stock_items is the total over locations, kept with the levels in each movement's
-- transaction; the CHECKs are the last guard against a negative stock.
CREATE TABLE stock_items (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    reference TEXT,
    category TEXT NOT NULL,
    supplier_id {{.BigInt}} REFERENCES suppliers(id) ON DELETE SET NULL,
    unit_cost {{.Money}},
    compatible_models TEXT,
    threshold {{.BigInt}} NOT NULL DEFAULT 0,
    quantity {{.BigInt}} NOT NULL DEFAULT 0 CHECK (quantity >= 0),
    comment TEXT,
{{template "meta" .}}
);
CREATE INDEX stock_items_org ON stock_items(organization_id, name, id) WHERE deleted_at IS NULL;
CREATE INDEX stock_items_name ON stock_items(name, id) WHERE deleted_at IS NULL;
CREATE INDEX stock_items_supplier ON stock_items(supplier_id);

CREATE TABLE stock_levels (
    stock_item_id {{.BigInt}} NOT NULL REFERENCES stock_items(id) ON DELETE CASCADE,
    location_id {{.BigInt}} NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    quantity {{.BigInt}} NOT NULL DEFAULT 0 CHECK (quantity >= 0),
    PRIMARY KEY (stock_item_id, location_id)
);
CREATE INDEX stock_levels_location ON stock_levels(location_id);

-- Movements are append-only: a correction is a new movement.
CREATE TABLE stock_movements (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    stock_item_id {{.BigInt}} NOT NULL REFERENCES stock_items(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    quantity {{.BigInt}} NOT NULL CHECK (quantity > 0),
    location_id {{.BigInt}} REFERENCES locations(id) ON DELETE SET NULL,
    to_location_id {{.BigInt}} REFERENCES locations(id) ON DELETE SET NULL,
    ticket_id {{.BigInt}} REFERENCES tickets(id) ON DELETE SET NULL,
    asset_type TEXT,
    asset_id {{.BigInt}},
    unit_cost {{.Money}},
    user_id {{.BigInt}} REFERENCES users(id) ON DELETE SET NULL,
    comment TEXT,
{{template "meta" .}}
);
CREATE INDEX stock_movements_item ON stock_movements(stock_item_id, id);
CREATE INDEX stock_movements_org ON stock_movements(organization_id, id) WHERE deleted_at IS NULL;
CREATE INDEX stock_movements_ticket ON stock_movements(ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX stock_movements_location ON stock_movements(location_id);
CREATE INDEX stock_movements_to_location ON stock_movements(to_location_id);
CREATE INDEX stock_movements_user ON stock_movements(user_id);

-- Technicians of stores created before the stock get the rights a new store gives
-- them (built-in profiles are seeded once; see 0027 for the pattern).
UPDATE profiles SET rights = substr(rights, 1, length(rights) - 1) || ',"stock-items":["read","create","update","delete"]}'
WHERE name = 'technician' AND deleted_at IS NULL AND rights LIKE '{"%}'
  AND rights NOT LIKE '%"stock-items"%' AND rights NOT LIKE '%"*"%';
UPDATE profiles SET rights = substr(rights, 1, length(rights) - 1) || ',"stock-movements":["read","create"]}'
WHERE name = 'technician' AND deleted_at IS NULL AND rights LIKE '{"%}'
  AND rights NOT LIKE '%"stock-movements"%' AND rights NOT LIKE '%"*"%';
