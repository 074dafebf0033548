-- 009_login_failures.sql: failed logins, for the throttling of guesses per account and per address.
-- One row per attempt that was let through to the password check and failed (an attempt is
-- recorded before its check, so parallel guesses count, and the row is cleared when the login
-- succeeds). login is as typed, for unknown logins too; at is in milliseconds since the epoch.
-- Rows older than the counting window are deleted at each new failure.

CREATE TABLE login_failure (
    login TEXT NOT NULL,
    ip TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX login_failure_login ON login_failure (login, at);
CREATE INDEX login_failure_ip ON login_failure (ip, at);
CREATE INDEX login_failure_at ON login_failure (at);
