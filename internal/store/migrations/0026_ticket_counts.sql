{{- define "open"}}deleted_at IS NULL AND status IN ('new', 'assigned', 'planned', 'pending'){{end}}
{{- define "statuses"}}('new', 'assigned', 'planned', 'pending'){{end}}
{{- /* The SQLite trigger statements adding a row's counts (. is "new": +1, "old": -1), on one line: migrations split statements at lines ending with a semicolon. */}}
{{- define "add"}}{{$s := "1"}}{{if eq . "old"}}{{$s = "-1"}}{{end}} INSERT INTO ticket_flow (hour, organization_id, opened) SELECT CAST(strftime('%s', {{.}}.created_at) AS INTEGER) / 3600, {{.}}.organization_id, {{$s}} WHERE {{.}}.deleted_at IS NULL ON CONFLICT (hour, organization_id) DO UPDATE SET opened = opened + excluded.opened; INSERT INTO ticket_flow (hour, organization_id, solved, solved_due, solved_met) SELECT CAST(strftime('%s', {{.}}.solved_at) AS INTEGER) / 3600, {{.}}.organization_id, {{$s}}, CASE WHEN {{.}}.ttr_due_at IS NOT NULL THEN {{$s}} ELSE 0 END, CASE WHEN {{.}}.solved_at <= {{.}}.ttr_due_at THEN {{$s}} ELSE 0 END WHERE {{.}}.deleted_at IS NULL AND {{.}}.solved_at IS NOT NULL ON CONFLICT (hour, organization_id) DO UPDATE SET solved = solved + excluded.solved, solved_due = solved_due + excluded.solved_due, solved_met = solved_met + excluded.solved_met; INSERT INTO ticket_open (organization_id, group_id, user_id, n) SELECT {{.}}.organization_id, COALESCE({{.}}.assigned_group_id, 0), COALESCE({{.}}.assigned_user_id, 0), {{$s}} WHERE {{.}}.deleted_at IS NULL AND {{.}}.status IN {{template "statuses"}} ON CONFLICT (organization_id, group_id, user_id) DO UPDATE SET n = n + excluded.n; {{end}}
{{- define "changed"}}{{$ne := "IS NOT"}}{{if .Postgres}}{{$ne = "IS DISTINCT FROM"}}{{end}}old.organization_id {{$ne}} new.organization_id OR old.created_at {{$ne}} new.created_at OR old.solved_at {{$ne}} new.solved_at OR old.ttr_due_at {{$ne}} new.ttr_due_at OR old.deleted_at {{$ne}} new.deleted_at OR old.status {{$ne}} new.status OR old.assigned_group_id {{$ne}} new.assigned_group_id OR old.assigned_user_id {{$ne}} new.assigned_user_id{{end}}
-- Supervisor's home (internal/dashboard): counters kept exact by triggers in the
-- transaction of every write to tickets (create, edit, move, trash, restore,
-- purge, a group or user deleted), so that the home page reads a few hundred
-- rows instead of counting a million tickets.
-- Per organisation and hour (UTC; days in whole-hour time zones are sums of
-- hours): live tickets created, solved, solved with a resolution due time, and
-- solved by that due time.
CREATE TABLE ticket_flow (
    hour {{.BigInt}} NOT NULL,
    organization_id {{.BigInt}} NOT NULL,
    opened {{.BigInt}} NOT NULL DEFAULT 0,
    solved {{.BigInt}} NOT NULL DEFAULT 0,
    solved_due {{.BigInt}} NOT NULL DEFAULT 0,
    solved_met {{.BigInt}} NOT NULL DEFAULT 0,
    PRIMARY KEY (hour, organization_id)
);
-- Open tickets per organisation, group and technician (0: none).
CREATE TABLE ticket_open (
    organization_id {{.BigInt}} NOT NULL,
    group_id {{.BigInt}} NOT NULL,
    user_id {{.BigInt}} NOT NULL,
    n {{.BigInt}} NOT NULL DEFAULT 0,
    PRIMARY KEY (organization_id, group_id, user_id)
);
INSERT INTO ticket_flow (hour, organization_id, opened, solved, solved_due, solved_met)
SELECT h, organization_id, SUM(o), SUM(s), SUM(sd), SUM(sm) FROM (
    SELECT {{if .Postgres}}CAST(floor(extract(epoch FROM created_at) / 3600) AS BIGINT){{else}}CAST(strftime('%s', created_at) AS INTEGER) / 3600{{end}} AS h, organization_id, 1 AS o, 0 AS s, 0 AS sd, 0 AS sm FROM tickets WHERE deleted_at IS NULL
    UNION ALL
    SELECT {{if .Postgres}}CAST(floor(extract(epoch FROM solved_at) / 3600) AS BIGINT){{else}}CAST(strftime('%s', solved_at) AS INTEGER) / 3600{{end}}, organization_id, 0, 1,
        CASE WHEN ttr_due_at IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN solved_at <= ttr_due_at THEN 1 ELSE 0 END
    FROM tickets WHERE deleted_at IS NULL AND solved_at IS NOT NULL
) f GROUP BY h, organization_id;
INSERT INTO ticket_open (organization_id, group_id, user_id, n)
SELECT organization_id, COALESCE(assigned_group_id, 0), COALESCE(assigned_user_id, 0), COUNT(*) FROM tickets WHERE {{template "open"}}
GROUP BY organization_id, COALESCE(assigned_group_id, 0), COALESCE(assigned_user_id, 0);
{{- if .Postgres}}
CREATE FUNCTION ticket_counts_add(r tickets, s integer) RETURNS void LANGUAGE plpgsql AS $$ BEGIN IF r.deleted_at IS NOT NULL THEN RETURN; END IF; INSERT INTO ticket_flow (hour, organization_id, opened) VALUES (CAST(floor(extract(epoch FROM r.created_at) / 3600) AS BIGINT), r.organization_id, s) ON CONFLICT (hour, organization_id) DO UPDATE SET opened = ticket_flow.opened + excluded.opened; IF r.solved_at IS NOT NULL THEN INSERT INTO ticket_flow (hour, organization_id, solved, solved_due, solved_met) VALUES (CAST(floor(extract(epoch FROM r.solved_at) / 3600) AS BIGINT), r.organization_id, s, CASE WHEN r.ttr_due_at IS NOT NULL THEN s ELSE 0 END, CASE WHEN r.solved_at <= r.ttr_due_at THEN s ELSE 0 END) ON CONFLICT (hour, organization_id) DO UPDATE SET solved = ticket_flow.solved + excluded.solved, solved_due = ticket_flow.solved_due + excluded.solved_due, solved_met = ticket_flow.solved_met + excluded.solved_met; END IF; IF r.status IN {{template "statuses"}} THEN INSERT INTO ticket_open (organization_id, group_id, user_id, n) VALUES (r.organization_id, COALESCE(r.assigned_group_id, 0), COALESCE(r.assigned_user_id, 0), s) ON CONFLICT (organization_id, group_id, user_id) DO UPDATE SET n = ticket_open.n + excluded.n; END IF; END $$;
CREATE FUNCTION ticket_counts_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP <> 'INSERT' THEN PERFORM ticket_counts_add(OLD, -1); END IF; IF TG_OP <> 'DELETE' THEN PERFORM ticket_counts_add(NEW, 1); END IF; RETURN NULL; END $$;
CREATE TRIGGER ticket_counts_insdel AFTER INSERT OR DELETE ON tickets FOR EACH ROW EXECUTE FUNCTION ticket_counts_sync();
CREATE TRIGGER ticket_counts_upd AFTER UPDATE ON tickets FOR EACH ROW WHEN ({{template "changed" .}}) EXECUTE FUNCTION ticket_counts_sync();
{{- else}}
CREATE TRIGGER ticket_counts_ins AFTER INSERT ON tickets BEGIN {{template "add" "new"}} END;
CREATE TRIGGER ticket_counts_del AFTER DELETE ON tickets BEGIN {{template "add" "old"}} END;
CREATE TRIGGER ticket_counts_upd AFTER UPDATE ON tickets WHEN {{template "changed" .}} BEGIN {{template "add" "old"}} {{template "add" "new"}} END;
{{- end}}
-- The list of "my groups' tickets" (filters my_groups and open, sorted by
-- resolution due time): the open tickets of a group in due order, under the
-- same predicate as the list's "open" filter so that both stores use it.
CREATE INDEX tickets_open_group_due ON tickets(assigned_group_id, ttr_due_at, id) WHERE deleted_at IS NULL AND status NOT IN ('solved', 'closed');
