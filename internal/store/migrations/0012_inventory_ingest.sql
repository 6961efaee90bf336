-- Reconciliation looks a machine up by each of its MAC addresses. computers keeps
-- them as one text list (as shown), which only a scan of every computer can search:
-- this table holds one row per address, kept by triggers from that list so that no
-- write path can forget it. Only lists made of MAC characters are split (inventory
-- writes them normalised); anything else simply cannot be matched by MAC.
CREATE TABLE computer_macs (
    mac TEXT NOT NULL,
    computer_id {{.BigInt}} NOT NULL REFERENCES computers(id) ON DELETE CASCADE,
    PRIMARY KEY (mac, computer_id)
){{if not .Postgres}} WITHOUT ROWID{{end}};
CREATE INDEX computer_macs_computer ON computer_macs(computer_id);
{{- if .Postgres}}
CREATE FUNCTION computer_macs_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP = 'UPDATE' THEN IF OLD.mac_addresses IS NOT DISTINCT FROM NEW.mac_addresses THEN RETURN NULL; END IF; DELETE FROM computer_macs WHERE computer_id = NEW.id; END IF; IF NEW.mac_addresses ~ '^[0-9A-Fa-f:, ]+$' THEN INSERT INTO computer_macs (mac, computer_id) SELECT DISTINCT lower(trim(m)), NEW.id FROM unnest(string_to_array(NEW.mac_addresses, ',')) m WHERE trim(m) <> '' ON CONFLICT DO NOTHING; END IF; RETURN NULL; END $$;
CREATE TRIGGER computer_macs_ai AFTER INSERT ON computers FOR EACH ROW EXECUTE FUNCTION computer_macs_sync();
CREATE TRIGGER computer_macs_au AFTER UPDATE OF mac_addresses ON computers FOR EACH ROW EXECUTE FUNCTION computer_macs_sync();
INSERT INTO computer_macs (mac, computer_id) SELECT DISTINCT lower(trim(m)), c.id FROM computers c, unnest(string_to_array(c.mac_addresses, ',')) m WHERE c.mac_addresses ~ '^[0-9A-Fa-f:, ]+$' AND trim(m) <> '' ON CONFLICT DO NOTHING;
{{- else}}
CREATE TRIGGER computer_macs_ai AFTER INSERT ON computers WHEN new.mac_addresses <> '' AND new.mac_addresses NOT GLOB '*[^0-9A-Fa-f:, ]*' BEGIN INSERT OR IGNORE INTO computer_macs (mac, computer_id) SELECT DISTINCT lower(trim(value)), new.id FROM json_each('["' || replace(new.mac_addresses, ',', '","') || '"]') WHERE trim(value) <> ''; END;
CREATE TRIGGER computer_macs_au AFTER UPDATE OF mac_addresses ON computers WHEN old.mac_addresses IS NOT new.mac_addresses BEGIN DELETE FROM computer_macs WHERE computer_id = new.id; INSERT OR IGNORE INTO computer_macs (mac, computer_id) SELECT DISTINCT lower(trim(value)), new.id FROM json_each('["' || replace(new.mac_addresses, ',', '","') || '"]') WHERE new.mac_addresses <> '' AND new.mac_addresses NOT GLOB '*[^0-9A-Fa-f:, ]*' AND trim(value) <> ''; END;
INSERT OR IGNORE INTO computer_macs (mac, computer_id) SELECT DISTINCT lower(trim(j.value)), c.id FROM computers c, json_each('["' || replace(c.mac_addresses, ',', '","') || '"]') j WHERE c.mac_addresses <> '' AND c.mac_addresses NOT GLOB '*[^0-9A-Fa-f:, ]*' AND trim(j.value) <> '';
{{- end}}

-- Reconciliation by name compares case-insensitively within an organisation.
CREATE INDEX computers_live_lower_name ON computers(organization_id, lower(name)) WHERE deleted_at IS NULL;
CREATE INDEX computers_live_lower_hostname ON computers(organization_id, lower(hostname)) WHERE deleted_at IS NULL;

-- Install counts a change of installations owes the software catalogue. An inventory
-- writes one row here instead of updating one software row per package, which made
-- every concurrent inventory of a new machine wait on the same hot rows (PostgreSQL)
-- and cost the single writer a write per package (SQLite). A background job adds
-- them to software.install_count and deletes them; ids are comma-separated.
CREATE TABLE software_count_changes (
    id {{.ID}},
    added TEXT NOT NULL DEFAULT '',
    removed TEXT NOT NULL DEFAULT ''
);
