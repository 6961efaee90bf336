-- Catalogue records may belong to an organisation (organization_id), and be visible
-- in its sub-organisations (recursive); without one they stay shared by all.
ALTER TABLE states ADD COLUMN organization_id {{.BigInt}} REFERENCES organizations(id);
ALTER TABLE states ADD COLUMN recursive {{.Bool}} NOT NULL DEFAULT {{.False}};
ALTER TABLE suppliers ADD COLUMN organization_id {{.BigInt}} REFERENCES organizations(id);
ALTER TABLE suppliers ADD COLUMN recursive {{.Bool}} NOT NULL DEFAULT {{.False}};
ALTER TABLE asset_types ADD COLUMN organization_id {{.BigInt}} REFERENCES organizations(id);
ALTER TABLE asset_types ADD COLUMN recursive {{.Bool}} NOT NULL DEFAULT {{.False}};
ALTER TABLE software_rules ADD COLUMN organization_id {{.BigInt}} REFERENCES organizations(id);
ALTER TABLE software_rules ADD COLUMN recursive {{.Bool}} NOT NULL DEFAULT {{.False}};

CREATE INDEX states_org ON states(organization_id);
CREATE INDEX suppliers_org ON suppliers(organization_id);
CREATE INDEX asset_types_org ON asset_types(organization_id);
CREATE INDEX software_rules_org ON software_rules(organization_id);

-- Names are unique per owner: two clients may each have a state "On loan".
DROP INDEX states_name;
CREATE UNIQUE INDEX states_name ON states(COALESCE(organization_id, 0), name) WHERE deleted_at IS NULL;
DROP INDEX suppliers_name;
CREATE UNIQUE INDEX suppliers_name ON suppliers(COALESCE(organization_id, 0), name) WHERE deleted_at IS NULL;
