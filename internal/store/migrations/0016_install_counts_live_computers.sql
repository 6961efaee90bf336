-- Install counts are the live computers that have each software, as the software's
-- page lists them. Besides inventories, two things change that: a computer goes to
-- the trash or comes back (UPDATE of deleted_at), and a live computer is deleted
-- outright, taking its installations with it (ON DELETE CASCADE). Each now owes the
-- catalogue the change of its software, as an inventory would, folded by the same
-- job. Purging a computer from the trash owes nothing: its trashing did. Before this,
-- every purge left its counts behind for good. The delete trigger runs before the
-- cascade, while the installations are still there.
{{- if .Postgres}}
CREATE FUNCTION computers_install_counts() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE list TEXT; BEGIN IF TG_OP = 'DELETE' THEN IF OLD.deleted_at IS NULL THEN SELECT string_agg(DISTINCT software_id::text, ',') INTO list FROM software_installations WHERE computer_id = OLD.id; IF list IS NOT NULL THEN INSERT INTO software_count_changes (added, removed) VALUES ('', list); END IF; END IF; RETURN OLD; END IF; IF (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) THEN SELECT string_agg(DISTINCT software_id::text, ',') INTO list FROM software_installations WHERE computer_id = NEW.id; IF list IS NOT NULL AND NEW.deleted_at IS NULL THEN INSERT INTO software_count_changes (added, removed) VALUES (list, ''); END IF; IF list IS NOT NULL AND NEW.deleted_at IS NOT NULL THEN INSERT INTO software_count_changes (added, removed) VALUES ('', list); END IF; END IF; RETURN NEW; END $$;
CREATE TRIGGER computers_purge_counts BEFORE DELETE ON computers FOR EACH ROW EXECUTE FUNCTION computers_install_counts();
CREATE TRIGGER computers_trash_counts AFTER UPDATE OF deleted_at ON computers FOR EACH ROW EXECUTE FUNCTION computers_install_counts();
{{- else}}
CREATE TRIGGER computers_purge_counts BEFORE DELETE ON computers WHEN old.deleted_at IS NULL BEGIN INSERT INTO software_count_changes (added, removed) SELECT '', group_concat(DISTINCT software_id) FROM software_installations WHERE computer_id = old.id HAVING COUNT(*) > 0; END;
CREATE TRIGGER computers_trash_counts AFTER UPDATE OF deleted_at ON computers WHEN (old.deleted_at IS NULL) <> (new.deleted_at IS NULL) BEGIN INSERT INTO software_count_changes (added, removed) SELECT CASE WHEN new.deleted_at IS NULL THEN group_concat(DISTINCT software_id) ELSE '' END, CASE WHEN new.deleted_at IS NULL THEN '' ELSE group_concat(DISTINCT software_id) END FROM software_installations WHERE computer_id = new.id HAVING COUNT(*) > 0; END;
{{- end}}
