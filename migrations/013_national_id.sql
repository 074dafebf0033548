-- 013_national_id.sql: the national ID number encrypted at rest (issue 4, point 8).
-- national_id_box is nonce || secretbox of the number (src/core/secret.h), national_id_hash
-- the keyed BLAKE2b of its normal form, for the duplicate check and exact lookups without
-- decrypting; both NULL when the number is unknown. The key is in a file outside the
-- database. The old column person.national_id stays (SQLite cannot drop it portably) but is
-- always '': SQL cannot encrypt, so the rows of an older database are sealed by the command
-- line at the first open that has the key (person_store_key_check), which blanks the column;
-- the triggers below refuse any later write of a plain number.

ALTER TABLE person ADD COLUMN national_id_box BLOB;
ALTER TABLE person ADD COLUMN national_id_hash BLOB;
CREATE INDEX person_national_id_hash ON person (national_id_hash)
    WHERE national_id_hash IS NOT NULL;
-- Finds the rows still to seal at once (empty once they are sealed).
CREATE INDEX person_national_id_plain ON person (id) WHERE national_id <> '';

CREATE TRIGGER person_national_id_sealed_insert BEFORE INSERT ON person
    WHEN NEW.national_id <> ''
BEGIN
    SELECT RAISE(ABORT, 'person.national_id is stored encrypted, in national_id_box');
END;
CREATE TRIGGER person_national_id_sealed_update BEFORE UPDATE OF national_id ON person
    WHEN NEW.national_id <> ''
BEGIN
    SELECT RAISE(ABORT, 'person.national_id is stored encrypted, in national_id_box');
END;

-- Which key the boxes were made with (secret_key_id), written at the first open with a key:
-- a server started with another key file stops with a clear message instead of failing on
-- every record, or worse, sealing new numbers with a second key.
CREATE TABLE secret_key_check (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    key_id BLOB NOT NULL,
    created_at TEXT NOT NULL
);
