-- One in-app notification mechanism (internal/notify): a notification is about a
-- ticket (ticket_id) or about any other record (record_type + record_id: a
-- contract's notice, a licence's expiry, a loan's return date), in the record's
-- organisation. Contracts' notifications had their own column (contract_id,
-- migration 0029) and licences' their own table (record_notifications, 0031):
-- both move here. event_key makes a record's notification sent once per user
-- and event ("contract_notice:2027-09-30"); rows moved from before have none.
{{if .Postgres}}
ALTER TABLE notifications ADD COLUMN record_type TEXT;
ALTER TABLE notifications ADD COLUMN record_id BIGINT;
ALTER TABLE notifications ADD COLUMN event_key TEXT;
ALTER TABLE notifications ADD COLUMN detail TEXT;
UPDATE notifications SET record_type = 'contracts', record_id = contract_id WHERE contract_id IS NOT NULL;
DROP INDEX notifications_contract;
ALTER TABLE notifications DROP COLUMN contract_id;
{{else}}
CREATE TABLE notifications_rebuilt (
    id {{.ID}},
    user_id {{.BigInt}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    ticket_id {{.BigInt}} REFERENCES tickets(id) ON DELETE CASCADE,
    record_type TEXT,
    record_id {{.BigInt}},
    event TEXT NOT NULL,
    event_key TEXT,
    detail TEXT,
    actor_name TEXT,
    created_at {{.TS}} NOT NULL,
    read_at {{.TS}}
);
INSERT INTO notifications_rebuilt (id, user_id, organization_id, ticket_id, record_type, record_id, event, actor_name, created_at, read_at)
    SELECT id, user_id, organization_id, ticket_id, CASE WHEN contract_id IS NULL THEN NULL ELSE 'contracts' END, contract_id, event, actor_name, created_at, read_at
    FROM notifications ORDER BY id;
DROP TABLE notifications;
ALTER TABLE notifications_rebuilt RENAME TO notifications;
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id, id) WHERE read_at IS NULL;
CREATE INDEX notifications_ticket ON notifications(ticket_id);
{{end}}
INSERT INTO notifications (user_id, organization_id, record_type, record_id, event, detail, created_at, read_at)
    SELECT user_id, organization_id, record_type, record_id, event, detail, created_at, read_at FROM record_notifications ORDER BY id;
DROP TABLE record_notifications;
CREATE INDEX notifications_record ON notifications(record_type, record_id, user_id) WHERE record_type IS NOT NULL;
CREATE UNIQUE INDEX notifications_once ON notifications(user_id, record_type, record_id, event_key) WHERE event_key IS NOT NULL;

-- Loans: the day the overdue notice was sent (the reminder before the return date
-- has reminded_at, migration 0032).
ALTER TABLE reservations ADD COLUMN overdue_notified_at {{.TS}};
