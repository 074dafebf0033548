-- 002_draws.sql: publicly verifiable draws (RFC 3797): a pool published first, random sources
-- announced in advance, then entered; the key and the selection are stored as computed.

CREATE TABLE draw (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    select_count INTEGER NOT NULL CHECK (select_count >= 1),
    sources_announced TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'drawn')),
    sources TEXT NOT NULL DEFAULT '',
    key_string TEXT NOT NULL DEFAULT '',
    published_at TEXT,
    drawn_at TEXT,
    created_by INTEGER REFERENCES app_user(id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE draw_entry (
    draw_id INTEGER NOT NULL REFERENCES draw(id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 1),
    label TEXT NOT NULL,
    PRIMARY KEY (draw_id, position)
);

CREATE TABLE draw_result (
    draw_id INTEGER NOT NULL REFERENCES draw(id) ON DELETE CASCADE,
    rank INTEGER NOT NULL CHECK (rank >= 1),
    position INTEGER NOT NULL,
    PRIMARY KEY (draw_id, rank),
    UNIQUE (draw_id, position),
    FOREIGN KEY (draw_id, position) REFERENCES draw_entry(draw_id, position)
);

-- The record is public and frozen step by step; the triggers keep it so whatever writes to the
-- database (the stores check the same before writing: these only catch a bug).
-- A status only moves forward: draft -> published -> drawn.
CREATE TRIGGER draw_status_forward BEFORE UPDATE OF status ON draw
WHEN NOT (NEW.status = OLD.status
          OR (OLD.status = 'draft' AND NEW.status = 'published')
          OR (OLD.status = 'published' AND NEW.status = 'drawn'))
BEGIN
    SELECT RAISE(ABORT, 'a draw moves only from draft to published to drawn');
END;

-- Once published: the number to select, the announced sources and the publication date stay.
CREATE TRIGGER draw_published_frozen BEFORE UPDATE ON draw
WHEN OLD.status <> 'draft'
     AND (NEW.select_count IS NOT OLD.select_count
          OR NEW.sources_announced IS NOT OLD.sources_announced
          OR NEW.published_at IS NOT OLD.published_at)
BEGIN
    SELECT RAISE(ABORT, 'a published draw keeps what it announced');
END;

-- Once drawn: the entered sources, the key and the date stay (a draw is drawn once).
CREATE TRIGGER draw_drawn_frozen BEFORE UPDATE ON draw
WHEN OLD.status = 'drawn'
     AND (NEW.sources IS NOT OLD.sources OR NEW.key_string IS NOT OLD.key_string
          OR NEW.drawn_at IS NOT OLD.drawn_at)
BEGIN
    SELECT RAISE(ABORT, 'a draw is drawn once');
END;

-- Only a draft may be deleted (its pool and result go with it).
CREATE TRIGGER draw_delete_draft_only BEFORE DELETE ON draw
WHEN OLD.status <> 'draft'
BEGIN
    SELECT RAISE(ABORT, 'a published draw stays');
END;

-- The pool of a published draw is frozen: no entry added, changed or removed.
CREATE TRIGGER draw_entry_insert_frozen BEFORE INSERT ON draw_entry
WHEN (SELECT status FROM draw WHERE id = NEW.draw_id) IS NOT 'draft'
BEGIN
    SELECT RAISE(ABORT, 'the pool of a published draw is frozen');
END;

CREATE TRIGGER draw_entry_update_frozen BEFORE UPDATE ON draw_entry
WHEN (SELECT status FROM draw WHERE id = OLD.draw_id) IS NOT 'draft'
     OR NEW.draw_id IS NOT OLD.draw_id
BEGIN
    SELECT RAISE(ABORT, 'the pool of a published draw is frozen');
END;

CREATE TRIGGER draw_entry_delete_frozen BEFORE DELETE ON draw_entry
WHEN (SELECT status FROM draw WHERE id = OLD.draw_id) IN ('published', 'drawn')
BEGIN
    SELECT RAISE(ABORT, 'the pool of a published draw is frozen');
END;

-- The result is written once, in the transaction that marks the draw drawn, with at most
-- select_count ranks (one position each), and never changed or removed.
CREATE TRIGGER draw_result_insert_once BEFORE INSERT ON draw_result
WHEN (SELECT status FROM draw WHERE id = NEW.draw_id) IS NOT 'drawn'
     OR NEW.rank > (SELECT select_count FROM draw WHERE id = NEW.draw_id)
BEGIN
    SELECT RAISE(ABORT, 'the result of a draw is written once');
END;

CREATE TRIGGER draw_result_update_never BEFORE UPDATE ON draw_result
BEGIN
    SELECT RAISE(ABORT, 'the result of a draw is written once');
END;

CREATE TRIGGER draw_result_delete_never BEFORE DELETE ON draw_result
WHEN (SELECT status FROM draw WHERE id = OLD.draw_id) = 'drawn'
BEGIN
    SELECT RAISE(ABORT, 'the result of a draw is written once');
END;
