-- 010_audit.sql: the audit trail. One table, appended to by per-connection triggers on every
-- audited table (core/audit.c generates them from the schema) and by audit_event. Each entry
-- carries the hash of the one before it, so an edit or a deletion in the middle breaks the
-- chain that `murafiq audit verify` recomputes.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,                  -- UTC, YYYY-MM-DDTHH:MM:SS.sssZ
    user_id INTEGER,                   -- NULL: no logged-in user (failed login, command line)
    login TEXT NOT NULL DEFAULT '',    -- as it was at the time, or "cli:NAME"
    ip TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,              -- insert, update, delete, login, login_failed, ...
    entity TEXT NOT NULL DEFAULT '',   -- the table of the record, or ''
    entity_id INTEGER,
    detail TEXT NOT NULL DEFAULT '{}', -- JSON
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);
CREATE INDEX audit_log_user ON audit_log (user_id, id);
CREATE INDEX audit_log_at ON audit_log (at);

-- Append-only for everyone who goes through SQLite, the sqlite3 shell included. Dropping these
-- triggers is possible for someone with the file, which is what the hash chain is for.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
