-- A ticket category of an organisation may be shared with its sub-organisations
-- (an ESN's categories serve every client): their requesters then read and choose it.
ALTER TABLE ticket_categories ADD COLUMN recursive {{.Bool}} NOT NULL DEFAULT {{.False}};
