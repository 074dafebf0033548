-- 014_api_tokens.sql: API tokens expire and can be listed and revoked by the admin. A token
-- from before this migration gets the default lifetime from its creation.
ALTER TABLE api_token ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0; -- unix seconds
ALTER TABLE api_token ADD COLUMN label TEXT NOT NULL DEFAULT '';
UPDATE api_token SET expires_at = created_at + 90 * 86400 WHERE expires_at = 0;
