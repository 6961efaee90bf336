-- A counter that moves whenever a software catalogue entry changes its key (name,
-- publisher) or is deleted. Inventory keeps the ids of catalogue keys in memory, to
-- spare a thousand lookups per new machine, and forgets them when the counter moves.
CREATE TABLE software_catalogue_version (
    id INTEGER PRIMARY KEY,
    version {{.BigInt}} NOT NULL DEFAULT 0
);
INSERT INTO software_catalogue_version (id, version) VALUES (1, 0);
{{- if .Postgres}}
CREATE FUNCTION software_catalogue_moved() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE software_catalogue_version SET version = version + 1 WHERE id = 1; RETURN NULL; END $$;
CREATE TRIGGER software_key_changed AFTER UPDATE OF name_key, publisher_key ON software FOR EACH ROW WHEN (OLD.name_key IS DISTINCT FROM NEW.name_key OR OLD.publisher_key IS DISTINCT FROM NEW.publisher_key) EXECUTE FUNCTION software_catalogue_moved();
CREATE TRIGGER software_deleted AFTER DELETE ON software FOR EACH STATEMENT EXECUTE FUNCTION software_catalogue_moved();
{{- else}}
CREATE TRIGGER software_key_changed AFTER UPDATE OF name_key, publisher_key ON software WHEN old.name_key IS NOT new.name_key OR old.publisher_key IS NOT new.publisher_key BEGIN UPDATE software_catalogue_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER software_deleted AFTER DELETE ON software BEGIN UPDATE software_catalogue_version SET version = version + 1 WHERE id = 1; END;
{{- end}}
