-- E-mail: per-user opt-out of notifications, the outbox of notifications (queued in
-- the transaction of the change that caused them), the mails the gateway processed
-- (so that a mail is never turned into two tickets) and the attachments it kept.
ALTER TABLE users ADD COLUMN notify_by_mail {{.Bool}} NOT NULL DEFAULT {{.True}};

-- state: queued, sending (claimed by a sender; back to due after a lease), sent, failed.
CREATE TABLE mail_outbox (
    id {{.ID}},
    message_id TEXT NOT NULL,
    ticket_id {{.BigInt}} REFERENCES tickets(id) ON DELETE SET NULL,
    user_id {{.BigInt}} REFERENCES users(id) ON DELETE SET NULL,
    event TEXT NOT NULL,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    lang TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    claim {{.BigInt}} NOT NULL DEFAULT 0,
    next_attempt_at {{.TS}} NOT NULL,
    last_error TEXT,
    created_at {{.TS}} NOT NULL,
    sent_at {{.TS}}
);
CREATE UNIQUE INDEX mail_outbox_message_id ON mail_outbox(message_id);
CREATE INDEX mail_outbox_due ON mail_outbox(state, next_attempt_at);
CREATE INDEX mail_outbox_ticket ON mail_outbox(ticket_id);

-- message_key: the Message-ID, else a digest of the raw mail. outcome: ticket,
-- followup, ignored (auto-reply, bounce, loop), refused (unknown sender, too big,
-- no right), malformed.
CREATE TABLE mail_inbound (
    id {{.ID}},
    message_key TEXT NOT NULL,
    message_id TEXT,
    mailbox TEXT NOT NULL,
    uid_validity {{.BigInt}},
    uid {{.BigInt}},
    sender TEXT,
    subject TEXT,
    outcome TEXT NOT NULL,
    reason TEXT,
    ticket_id {{.BigInt}} REFERENCES tickets(id) ON DELETE SET NULL,
    followup_id {{.BigInt}} REFERENCES ticket_followups(id) ON DELETE SET NULL,
    created_at {{.TS}} NOT NULL
);
CREATE UNIQUE INDEX mail_inbound_key ON mail_inbound(message_key);
CREATE INDEX mail_inbound_message_id ON mail_inbound(message_id);

-- Files that came with a mail; kept in the database so that they commit with the
-- ticket or follow-up they belong to.
CREATE TABLE ticket_attachments (
    id {{.ID}},
    organization_id {{.BigInt}} NOT NULL REFERENCES organizations(id),
    ticket_id {{.BigInt}} NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    followup_id {{.BigInt}} REFERENCES ticket_followups(id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size {{.BigInt}} NOT NULL,
    sha256 TEXT NOT NULL,
    content {{.Blob}} NOT NULL,
    created_at {{.TS}} NOT NULL
);
CREATE INDEX ticket_attachments_ticket ON ticket_attachments(ticket_id, id);
