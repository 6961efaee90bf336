-- A user who signed in with a one-time password (the administrator of a new store)
-- must choose their own before doing anything else.
ALTER TABLE users ADD COLUMN password_change_required {{.Bool}} NOT NULL DEFAULT {{.False}};

-- Failed sign-ins past the window are deleted by their time, also while nobody
-- signs in successfully (an attack).
CREATE INDEX login_failures_at ON login_failures(at);
