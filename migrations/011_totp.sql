-- 011_totp.sql: the second factor (TOTP, RFC 6238), its one-time recovery codes, the policy of
-- which roles must use it, and logins waiting for their second step.
-- Secret columns are named so that the audit trail records them as changed, never their value.

-- One row per user who has started or finished enrolment. secret is the base32 TOTP key:
-- confirmed_at is NULL while the user has not yet typed a code from it (the factor is off).
-- last_step is the highest time step (unix time / 30) accepted, so that a code is used once.
CREATE TABLE user_totp (
    user_id INTEGER PRIMARY KEY REFERENCES app_user(id) ON DELETE CASCADE,
    secret TEXT NOT NULL,
    confirmed_at TEXT,
    last_step INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

-- One-time recovery codes: only their hash is kept; used_at is set when one is spent.
CREATE TABLE user_recovery_code (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX user_recovery_code_user ON user_recovery_code (user_id);

-- Which roles must have the second factor on. The admin edits it (/admin/security); the demo
-- generator makes it optional for every role.
CREATE TABLE second_factor_policy (
    role TEXT PRIMARY KEY CHECK (role IN ('admin', 'program_manager', 'regional_officer', 'coach',
                                          'viewer')),
    required INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1))
);
INSERT INTO second_factor_policy (role, required) VALUES
    ('admin', 1), ('program_manager', 1), ('regional_officer', 0), ('coach', 0), ('viewer', 0);

-- A login whose password was right and whose second step is awaited: only the hash of the
-- browser's cookie is kept; created_at is unix seconds (the state expires after a few minutes).
CREATE TABLE login_pending (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    next_path TEXT NOT NULL DEFAULT '/',
    created_at INTEGER NOT NULL
);
CREATE INDEX login_pending_user ON login_pending (user_id);
