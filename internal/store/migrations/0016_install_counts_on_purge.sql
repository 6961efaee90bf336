-- A computer deleted for good (purged from the trash, or by any other path) takes its
-- installations with it (ON DELETE CASCADE), but the install counts they made were
-- left in the catalogue: each purge inflated them for good. The computer now owes the
-- catalogue the removal of its software, as an inventory that removed them would,
-- folded by the same job. The trigger runs before the cascade, while the
-- installations are still there.
{{- if .Postgres}}
CREATE FUNCTION computers_purge_counts() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO software_count_changes (added, removed) SELECT '', string_agg(DISTINCT software_id::text, ',') FROM software_installations WHERE computer_id = OLD.id HAVING COUNT(*) > 0; RETURN OLD; END $$;
CREATE TRIGGER computers_purge_counts BEFORE DELETE ON computers FOR EACH ROW EXECUTE FUNCTION computers_purge_counts();
{{- else}}
CREATE TRIGGER computers_purge_counts BEFORE DELETE ON computers BEGIN INSERT INTO software_count_changes (added, removed) SELECT '', group_concat(DISTINCT software_id) FROM software_installations WHERE computer_id = old.id HAVING COUNT(*) > 0; END;
{{- end}}
