-- 007_selection.sql: selection runs of a call, recorded with their inputs so that anyone can
-- replay them, their outcome per application, and the draws that broke ties.

CREATE TABLE selection_run (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL REFERENCES program_call(id),
    number INTEGER NOT NULL CHECK (number >= 1), -- 1, 2... within the call
    rules_version INTEGER NOT NULL,
    -- JSON: the candidates as ranked (id, region, total, gender mean, women and members,
    -- submission time, eligible, fully scored), the seats, the minimum score, the national
    -- pool flag and the drawn orders of tied groups: everything selection_run() read.
    input TEXT NOT NULL,
    -- JSON: the outcomes (status, reason, rank, waitlist positions) and the regions' seats.
    result TEXT NOT NULL,
    is_current INTEGER NOT NULL DEFAULT 1 CHECK (is_current IN (0, 1)),
    run_by INTEGER REFERENCES app_user(id),
    run_at TEXT NOT NULL,
    UNIQUE (call_id, number)
);

CREATE TABLE selection_outcome (
    run_id INTEGER NOT NULL REFERENCES selection_run(id),
    application_id INTEGER NOT NULL REFERENCES application(id),
    region_code TEXT NOT NULL,
    status TEXT NOT NULL,  -- selection_status_code()
    reason TEXT NOT NULL,  -- selection_reason_code()
    rank INTEGER NOT NULL, -- 0 when not ranked
    total INTEGER NOT NULL,
    waitlist INTEGER NOT NULL DEFAULT 0,
    region_waitlist INTEGER NOT NULL DEFAULT 0,
    separated_by TEXT NOT NULL DEFAULT '', -- selection_by_code()
    PRIMARY KEY (run_id, application_id)
);
CREATE INDEX selection_outcome_application ON selection_outcome(application_id);

-- A tied group of a call and the publicly verifiable draw that orders it. The group is named by
-- its application ids, ascending and comma-separated (the draw's pool, in that order).
CREATE TABLE selection_tie (
    call_id INTEGER NOT NULL REFERENCES program_call(id),
    group_ids TEXT NOT NULL,
    total INTEGER NOT NULL,
    draw_id INTEGER NOT NULL REFERENCES draw(id),
    PRIMARY KEY (call_id, group_ids)
);
