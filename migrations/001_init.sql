-- 001_init.sql: reference geography, registry (cooperatives, people, organisations), accounts.
-- Portable SQL: no SQLite-only types; booleans are 0/1 integers, dates ISO text.

CREATE TABLE region (
    code TEXT PRIMARY KEY,
    iso_code TEXT NOT NULL,
    name_ar TEXT NOT NULL,
    name_fr TEXT NOT NULL,
    name_en TEXT NOT NULL
);

CREATE TABLE province (
    code TEXT PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES region(code),
    kind TEXT NOT NULL CHECK (kind IN ('province', 'prefecture')),
    name_ar TEXT NOT NULL,
    name_fr TEXT NOT NULL
);
CREATE INDEX province_region ON province(region_code);

CREATE TABLE commune (
    code TEXT PRIMARY KEY,
    province_code TEXT NOT NULL REFERENCES province(code),
    region_code TEXT NOT NULL REFERENCES region(code),
    kind TEXT NOT NULL CHECK (kind IN ('urban', 'rural')),
    name_ar TEXT NOT NULL,
    name_fr TEXT NOT NULL
);
CREATE INDEX commune_province ON commune(province_code);

CREATE TABLE cooperative (
    id INTEGER PRIMARY KEY,
    register_number TEXT NOT NULL UNIQUE,
    name_ar TEXT NOT NULL,
    name_fr TEXT NOT NULL,
    name_fold TEXT NOT NULL,
    legal_date TEXT NOT NULL,
    activity_start_date TEXT,
    sector TEXT NOT NULL,
    activity TEXT NOT NULL DEFAULT '',
    region_code TEXT NOT NULL REFERENCES region(code),
    province_code TEXT NOT NULL REFERENCES province(code),
    commune_code TEXT REFERENCES commune(code),
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    members_total INTEGER NOT NULL CHECK (members_total >= 0),
    members_women INTEGER NOT NULL CHECK (members_women >= 0 AND members_women <= members_total),
    members_youth INTEGER NOT NULL CHECK (members_youth >= 0 AND members_youth <= members_total),
    is_soulalyate INTEGER NOT NULL DEFAULT 0 CHECK (is_soulalyate IN (0, 1)),
    is_women_only INTEGER NOT NULL DEFAULT 0 CHECK (is_women_only IN (0, 1)),
    status TEXT NOT NULL CHECK (status IN ('active', 'dormant', 'dissolved')),
    notes TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX cooperative_scope ON cooperative(region_code, province_code, sector);
CREATE INDEX cooperative_legal_date ON cooperative(legal_date);
CREATE INDEX cooperative_province_fold ON cooperative(province_code, name_fold);
CREATE INDEX cooperative_name_ar ON cooperative(name_ar, id);
CREATE INDEX cooperative_name_fr ON cooperative(name_fr COLLATE NOCASE, id);
CREATE INDEX cooperative_members ON cooperative(members_total, id);

CREATE TABLE person (
    id INTEGER PRIMARY KEY,
    name_ar TEXT NOT NULL,
    name_fr TEXT NOT NULL,
    name_fold TEXT NOT NULL,
    sex TEXT NOT NULL CHECK (sex IN ('F', 'M')),
    birth_date TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    national_id TEXT NOT NULL DEFAULT '',
    region_code TEXT NOT NULL REFERENCES region(code),
    province_code TEXT REFERENCES province(code),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX person_region ON person(region_code);
CREATE INDEX person_name_fr ON person(name_fr COLLATE NOCASE, id);
CREATE INDEX person_name_ar ON person(name_ar, id);

CREATE TABLE membership (
    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    cooperative_id INTEGER NOT NULL REFERENCES cooperative(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('president', 'treasurer', 'secretary', 'member')),
    PRIMARY KEY (person_id, cooperative_id)
);
CREATE INDEX membership_cooperative ON membership(cooperative_id);

CREATE TABLE organisation (
    id INTEGER PRIMARY KEY,
    name_ar TEXT NOT NULL,
    name_fr TEXT NOT NULL,
    name_fold TEXT NOT NULL,
    acronym TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('partner', 'funder', 'public_body', 'association',
                                       'university', 'other')),
    region_code TEXT REFERENCES region(code),
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE app_user (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'program_manager', 'regional_officer', 'coach',
                                       'viewer')),
    lang TEXT NOT NULL DEFAULT 'ar', -- a catalog's code; checked by the program
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE user_region (
    user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    region_code TEXT NOT NULL REFERENCES region(code),
    PRIMARY KEY (user_id, region_code)
);

CREATE TABLE session (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen INTEGER NOT NULL
);

CREATE TABLE api_token (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);
