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
    FOREIGN KEY (draw_id, position) REFERENCES draw_entry(draw_id, position)
);
