-- Two-factor sign-in (TOTP, RFC 6238) with recovery codes, sessions' sign-in
-- stage, profiles that require a second factor, API tokens' scope.
-- user_totp.secret is sealed by internal/secret; last_step is the last time step
-- whose code was accepted, so that a code is never accepted twice.
CREATE TABLE user_totp (
    user_id {{.BigInt}} PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret TEXT NOT NULL,
    confirmed_at {{.TS}},
    last_step {{.BigInt}} NOT NULL DEFAULT 0,
    created_at {{.TS}} NOT NULL
);

CREATE TABLE user_recovery_codes (
    id {{.ID}},
    user_id {{.BigInt}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at {{.TS}}
);
CREATE INDEX user_recovery_codes_user ON user_recovery_codes(user_id);

-- stage: '' signed in; 'code' the password was right, the second factor is
-- awaited; 'enrol' the user's profile requires a second factor not yet set up.
ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT '';

ALTER TABLE profiles ADD COLUMN two_factor_required {{.Bool}} NOT NULL DEFAULT {{.False}};

-- scope: '' everything the user may do; 'read' reads only; 'types:a,b' those
-- record types only.
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT '';
