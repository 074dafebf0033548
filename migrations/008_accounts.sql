-- 008_accounts.sql: account administration: forced password change, last login, versioned edits.
-- Every column has a default, so the accounts created before stay valid.

ALTER TABLE app_user ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE app_user ADD COLUMN last_login_at TEXT;
ALTER TABLE app_user ADD COLUMN updated_at TEXT;
ALTER TABLE app_user ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
