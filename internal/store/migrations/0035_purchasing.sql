{{define "meta"}}
    version {{.BigInt}} NOT NULL DEFAULT 1,
    created_at {{.TS}} NOT NULL,
    updated_at {{.TS}} NOT NULL,
    deleted_at {{.TS}}{{end}}
-- Purchasing (internal/purchase, docs/purchasing.md): purchase requests, orders to
-- suppliers and their lines, received into stock. quantity_received is kept by the
-- receptions with a conditional update; the CHECK is the last guard against
-- receiving more than was ordered.
CREATE TABLE purchase_requests (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    stock_item_id {{.BigInt}} REFERENCES stock_items(id) ON DELETE SET NULL,
    item_label TEXT NOT NULL,
    quantity {{.BigInt}} NOT NULL CHECK (quantity > 0),
    supplier_id {{.BigInt}} REFERENCES suppliers(id) ON DELETE SET NULL,
    location_id {{.BigInt}} REFERENCES locations(id) ON DELETE SET NULL,
    reason TEXT,
    ticket_id {{.BigInt}} REFERENCES tickets(id) ON DELETE SET NULL,
    ticket_waits {{.Bool}} NOT NULL DEFAULT {{.False}},
    status TEXT NOT NULL,
    requested_by {{.BigInt}} REFERENCES users(id) ON DELETE SET NULL,
    decided_by {{.BigInt}} REFERENCES users(id) ON DELETE SET NULL,
    decided_at {{.TS}},
    decision_comment TEXT,
    received_at {{.TS}},
{{template "meta" .}}
);
CREATE INDEX purchase_requests_org ON purchase_requests(organization_id, id) WHERE deleted_at IS NULL;
CREATE INDEX purchase_requests_status ON purchase_requests(status, id) WHERE deleted_at IS NULL;
CREATE INDEX purchase_requests_ticket ON purchase_requests(ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX purchase_requests_item ON purchase_requests(stock_item_id);
CREATE INDEX purchase_requests_supplier ON purchase_requests(supplier_id);
CREATE INDEX purchase_requests_location ON purchase_requests(location_id);
CREATE INDEX purchase_requests_requested_by ON purchase_requests(requested_by);
CREATE INDEX purchase_requests_decided_by ON purchase_requests(decided_by);

CREATE TABLE purchase_orders (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    number TEXT NOT NULL,
    supplier_id {{.BigInt}} NOT NULL REFERENCES suppliers(id),
    status TEXT NOT NULL,
    order_date DATE,
    lead_time_days {{.BigInt}},
    expected_date DATE,
    received_date DATE,
    location_id {{.BigInt}} REFERENCES locations(id) ON DELETE SET NULL,
    total {{.Money}},
    comment TEXT,
{{template "meta" .}}
);
CREATE UNIQUE INDEX purchase_orders_number ON purchase_orders(organization_id, number) WHERE deleted_at IS NULL;
CREATE INDEX purchase_orders_org ON purchase_orders(organization_id, id) WHERE deleted_at IS NULL;
CREATE INDEX purchase_orders_expected ON purchase_orders(status, expected_date, id) WHERE deleted_at IS NULL;
CREATE INDEX purchase_orders_supplier ON purchase_orders(supplier_id, order_date);
CREATE INDEX purchase_orders_location ON purchase_orders(location_id);

CREATE TABLE purchase_order_lines (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    order_id {{.BigInt}} NOT NULL REFERENCES purchase_orders(id) ON DELETE CASCADE,
    stock_item_id {{.BigInt}} REFERENCES stock_items(id) ON DELETE SET NULL,
    supplier_item_id {{.BigInt}} REFERENCES supplier_items(id) ON DELETE SET NULL,
    label TEXT NOT NULL,
    quantity {{.BigInt}} NOT NULL CHECK (quantity > 0),
    unit_price {{.Money}},
    lead_time_days {{.BigInt}} NOT NULL DEFAULT 14,
    quantity_received {{.BigInt}} NOT NULL DEFAULT 0 CHECK (quantity_received >= 0 AND quantity_received <= quantity),
    request_id {{.BigInt}} REFERENCES purchase_requests(id) ON DELETE SET NULL,
{{template "meta" .}}
);
CREATE INDEX purchase_order_lines_order ON purchase_order_lines(order_id, id);
CREATE INDEX purchase_order_lines_org ON purchase_order_lines(organization_id, id) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX purchase_order_lines_request ON purchase_order_lines(request_id) WHERE request_id IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX purchase_order_lines_item ON purchase_order_lines(stock_item_id);
CREATE INDEX purchase_order_lines_supplier_item ON purchase_order_lines(supplier_item_id);

-- Profiles of stores created before purchasing get the rights a new store gives
-- (built-in profiles are seeded once; see 0027 for the pattern): technicians
-- request, order and receive; administrators and supervisors approve.
UPDATE profiles SET rights = substr(rights, 1, length(rights) - 1) || ',"purchase-requests":["read","create","update","delete"],"purchase-orders":["read","create","update","delete"],"purchase-order-lines":["read","create","update","delete"]}'
WHERE name = 'technician' AND deleted_at IS NULL AND rights LIKE '{"%}'
  AND rights NOT LIKE '%"purchase-requests"%' AND rights NOT LIKE '%"*"%';
UPDATE profiles SET rights = substr(rights, 1, length(rights) - 1) || ',"purchase-requests":["read","create","update","delete","purge","approve"]}'
WHERE name IN ('super-admin', 'admin') AND deleted_at IS NULL AND rights LIKE '{"%}'
  AND rights NOT LIKE '%"purchase-requests"%';
UPDATE profiles SET rights = substr(rights, 1, length(rights) - 1) || ',"purchase-requests":["read","approve"]}'
WHERE name = 'supervisor' AND deleted_at IS NULL AND rights LIKE '{"%}'
  AND rights NOT LIKE '%"purchase-requests"%';
