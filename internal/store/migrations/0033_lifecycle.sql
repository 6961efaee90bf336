{{define "meta"}}
    version {{.BigInt}} NOT NULL DEFAULT 1,
    created_at {{.TS}} NOT NULL,
    updated_at {{.TS}} NOT NULL,
    deleted_at {{.TS}}{{end}}
-- Lifecycle, disposal and finance basics (docs/lifecycle.md).
--
-- Every fleet asset gains the date it left the fleet (disposed_at, set by its
-- disposal record: a disposed asset is left out of every list, count and export
-- unless asked for, and kept for the record) and how it depreciates (method and
-- years; the purchase price and date were there from the first migration).
-- Models gain the cost of replacing one, for the renewal forecast.
{{- range (list "computers" "monitors" "network_equipment" "printers" "phones" "peripherals")}}
ALTER TABLE {{.}} ADD COLUMN disposed_at DATE;
ALTER TABLE {{.}} ADD COLUMN depreciation_method TEXT;
ALTER TABLE {{.}} ADD COLUMN depreciation_years INTEGER;
CREATE INDEX {{.}}_disposed ON {{.}}(disposed_at, id) WHERE disposed_at IS NOT NULL AND deleted_at IS NULL;
{{- end}}
ALTER TABLE models ADD COLUMN replacement_cost {{.Money}};

-- A disposal (DEEE): when an asset left, to which recycler, with what certificate,
-- how heavy, and what became of it. The asset is named by type and id, as a
-- ticket's items are; its name is kept for the record.
CREATE TABLE disposals (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    asset_type TEXT NOT NULL,
    asset_id {{.BigInt}} NOT NULL,
    asset_name TEXT,
    disposed_on DATE NOT NULL,
    recycler_id {{.BigInt}} REFERENCES suppliers(id) ON DELETE SET NULL,
    outcome TEXT NOT NULL,
    weight_kg NUMERIC,
    data_wiped {{.Bool}} NOT NULL DEFAULT {{.False}},
    certificate_number TEXT,
    certificate_url TEXT,
    comment TEXT,
{{template "meta" .}}
);
CREATE INDEX disposals_org ON disposals(organization_id, disposed_on, id);
CREATE INDEX disposals_date ON disposals(disposed_on, id);
CREATE INDEX disposals_asset ON disposals(asset_type, asset_id);
CREATE UNIQUE INDEX disposals_live_asset ON disposals(asset_type, asset_id) WHERE deleted_at IS NULL;

-- A reconditioning: the wipe of an asset's data (method, tool, proof, checks, who,
-- when), after which the asset goes back to stock.
CREATE TABLE reconditionings (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    asset_type TEXT NOT NULL,
    asset_id {{.BigInt}} NOT NULL,
    asset_name TEXT,
    wiped_on DATE NOT NULL,
    method TEXT NOT NULL,
    tool TEXT,
    proof TEXT,
    proof_url TEXT,
    checks TEXT,
    technician_id {{.BigInt}} REFERENCES users(id) ON DELETE SET NULL,
    comment TEXT,
{{template "meta" .}}
);
CREATE INDEX reconditionings_org ON reconditionings(organization_id, wiped_on, id);
CREATE INDEX reconditionings_date ON reconditionings(wiped_on, id);
CREATE INDEX reconditionings_asset ON reconditionings(asset_type, asset_id);

-- Budgets per organisation and year; spending is worked out from the assets bought.
CREATE TABLE budgets (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    year INTEGER NOT NULL,
    amount {{.Money}} NOT NULL,
    comment TEXT,
{{template "meta" .}}
);
CREATE INDEX budgets_org ON budgets(organization_id, year, id);
CREATE INDEX budgets_year ON budgets(year, id);
CREATE INDEX budgets_name ON budgets(name, id);

-- Install counts are of computers in the fleet: a disposed computer owes the
-- removal of its software as a trashed one does (migration 0016), and one whose
-- disposal is undone owes their addition.
{{- if .Postgres}}
CREATE OR REPLACE FUNCTION computers_install_counts() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE list TEXT; was BOOLEAN; now_live BOOLEAN; BEGIN IF TG_OP = 'DELETE' THEN IF OLD.deleted_at IS NULL AND OLD.disposed_at IS NULL THEN SELECT string_agg(DISTINCT software_id::text, ',') INTO list FROM software_installations WHERE computer_id = OLD.id; IF list IS NOT NULL THEN INSERT INTO software_count_changes (added, removed) VALUES ('', list); END IF; END IF; RETURN OLD; END IF; was := OLD.deleted_at IS NULL AND OLD.disposed_at IS NULL; now_live := NEW.deleted_at IS NULL AND NEW.disposed_at IS NULL; IF was <> now_live THEN SELECT string_agg(DISTINCT software_id::text, ',') INTO list FROM software_installations WHERE computer_id = NEW.id; IF list IS NOT NULL AND now_live THEN INSERT INTO software_count_changes (added, removed) VALUES (list, ''); END IF; IF list IS NOT NULL AND NOT now_live THEN INSERT INTO software_count_changes (added, removed) VALUES ('', list); END IF; END IF; RETURN NEW; END $$;
DROP TRIGGER computers_trash_counts ON computers;
CREATE TRIGGER computers_trash_counts AFTER UPDATE OF deleted_at, disposed_at ON computers FOR EACH ROW EXECUTE FUNCTION computers_install_counts();
{{- else}}
DROP TRIGGER computers_purge_counts;
DROP TRIGGER computers_trash_counts;
CREATE TRIGGER computers_purge_counts BEFORE DELETE ON computers WHEN old.deleted_at IS NULL AND old.disposed_at IS NULL BEGIN INSERT INTO software_count_changes (added, removed) SELECT '', group_concat(DISTINCT software_id) FROM software_installations WHERE computer_id = old.id HAVING COUNT(*) > 0; END;
CREATE TRIGGER computers_trash_counts AFTER UPDATE OF deleted_at, disposed_at ON computers WHEN (old.deleted_at IS NULL AND old.disposed_at IS NULL) <> (new.deleted_at IS NULL AND new.disposed_at IS NULL) BEGIN INSERT INTO software_count_changes (added, removed) SELECT CASE WHEN new.deleted_at IS NULL AND new.disposed_at IS NULL THEN group_concat(DISTINCT software_id) ELSE '' END, CASE WHEN new.deleted_at IS NULL AND new.disposed_at IS NULL THEN '' ELSE group_concat(DISTINCT software_id) END FROM software_installations WHERE computer_id = new.id HAVING COUNT(*) > 0; END;
{{- end}}

-- Technicians of older stores get the rights new stores give them (as 0027).
UPDATE profiles SET rights = substr(rights, 1, length(rights) - 1) || ',"disposals":["read","create","update","delete"]}'
WHERE name = 'technician' AND deleted_at IS NULL AND rights LIKE '{"%}'
  AND rights NOT LIKE '%"disposals"%' AND rights NOT LIKE '%"*"%';
UPDATE profiles SET rights = substr(rights, 1, length(rights) - 1) || ',"reconditionings":["read","create","update","delete"]}'
WHERE name = 'technician' AND deleted_at IS NULL AND rights LIKE '{"%}'
  AND rights NOT LIKE '%"reconditionings"%' AND rights NOT LIKE '%"*"%';
UPDATE profiles SET rights = substr(rights, 1, length(rights) - 1) || ',"budgets":["read"]}'
WHERE name = 'technician' AND deleted_at IS NULL AND rights LIKE '{"%}'
  AND rights NOT LIKE '%"budgets"%' AND rights NOT LIKE '%"*"%';
