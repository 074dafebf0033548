-- 004_calls.sql: calls for applications of a tranche, their versioned eligibility rules, their
-- scoring grid and their seats per region.

CREATE TABLE program_call (
    id INTEGER PRIMARY KEY,
    tranche_id INTEGER NOT NULL REFERENCES tranche(id),
    code TEXT NOT NULL UNIQUE,
    title_ar TEXT NOT NULL,
    title_fr TEXT NOT NULL,
    title_en TEXT NOT NULL,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL CHECK (closes_on >= opens_on),
    reference_date TEXT NOT NULL,
    min_score INTEGER NOT NULL DEFAULT 0 CHECK (min_score BETWEEN 0 AND 10000), -- hundredths
    national_pool INTEGER NOT NULL DEFAULT 1 CHECK (national_pool IN (0, 1)),
    disagreement_gap INTEGER NOT NULL DEFAULT 1500 CHECK (disagreement_gap >= 0), -- hundredths
    rules_version INTEGER NOT NULL DEFAULT 1 CHECK (rules_version >= 1),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX program_call_tranche ON program_call(tranche_id);

-- Every version of a call's eligibility rules, kept: an evaluation names the version it used.
CREATE TABLE call_rules (
    call_id INTEGER NOT NULL REFERENCES program_call(id) ON DELETE CASCADE,
    version INTEGER NOT NULL CHECK (version >= 1),
    rules TEXT NOT NULL, -- JSON array, as eligibility_rules_to_json writes it
    changed_by INTEGER REFERENCES app_user(id),
    changed_at TEXT NOT NULL,
    PRIMARY KEY (call_id, version)
);

CREATE TABLE call_criterion (
    call_id INTEGER NOT NULL REFERENCES program_call(id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 1),
    key TEXT NOT NULL,
    label_ar TEXT NOT NULL,
    label_fr TEXT NOT NULL,
    label_en TEXT NOT NULL,
    weight INTEGER NOT NULL CHECK (weight >= 1),
    max_score INTEGER NOT NULL CHECK (max_score >= 1),
    PRIMARY KEY (call_id, key)
);

CREATE TABLE call_seat (
    call_id INTEGER NOT NULL REFERENCES program_call(id) ON DELETE CASCADE,
    region_code TEXT NOT NULL REFERENCES region(code),
    seats INTEGER NOT NULL CHECK (seats >= 0),
    PRIMARY KEY (call_id, region_code)
);
