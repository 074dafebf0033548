-- 003_programs.sql: support programs (Mourafaka...), their partners, pillars and components,
-- tranches and phases with targets, and the cooperatives each program accompanies.

CREATE TABLE program (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_ar TEXT NOT NULL,
    name_fr TEXT NOT NULL,
    name_en TEXT NOT NULL,
    operator_id INTEGER REFERENCES organisation(id),
    description TEXT NOT NULL DEFAULT '',
    start_year INTEGER NOT NULL CHECK (start_year BETWEEN 1990 AND 2100),
    end_year INTEGER NOT NULL CHECK (end_year >= start_year AND end_year <= 2100),
    target_total INTEGER NOT NULL DEFAULT 0 CHECK (target_total >= 0),
    target_per_year INTEGER NOT NULL DEFAULT 0 CHECK (target_per_year >= 0),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- The organisations that take part, each in a role (one organisation may hold several).
CREATE TABLE program_partner (
    program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisation(id),
    role TEXT NOT NULL CHECK (role IN ('funder', 'academic_partner', 'implementer',
                                       'technical_partner', 'public_partner', 'other')),
    position INTEGER NOT NULL DEFAULT 1 CHECK (position >= 1), -- the order the program lists them
    PRIMARY KEY (program_id, organisation_id, role)
);

-- Pillars such as governance, innovation, marketing, in the order the program lists them.
CREATE TABLE program_pillar (
    program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 1),
    code TEXT NOT NULL,
    name_ar TEXT NOT NULL,
    name_fr TEXT NOT NULL,
    name_en TEXT NOT NULL,
    PRIMARY KEY (program_id, code)
);

-- Components of the accompaniment; sessions and months matter for coaching (12 over 24).
CREATE TABLE program_component (
    program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('strategic_diagnosis', 'collective_training',
                                       'individual_coaching', 'access_to_financing')),
    sessions INTEGER NOT NULL DEFAULT 0 CHECK (sessions >= 0),
    months INTEGER NOT NULL DEFAULT 0 CHECK (months >= 0),
    PRIMARY KEY (program_id, kind)
);

CREATE TABLE tranche (
    id INTEGER PRIMARY KEY,
    program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,
    number INTEGER NOT NULL CHECK (number >= 1),
    start_year INTEGER NOT NULL CHECK (start_year BETWEEN 1990 AND 2100),
    end_year INTEGER NOT NULL CHECK (end_year >= start_year AND end_year <= 2100),
    target_total INTEGER NOT NULL DEFAULT 0 CHECK (target_total >= 0),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (program_id, number)
);

CREATE TABLE phase (
    id INTEGER PRIMARY KEY,
    tranche_id INTEGER NOT NULL REFERENCES tranche(id) ON DELETE CASCADE,
    number INTEGER NOT NULL CHECK (number >= 1),
    year INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    target_total INTEGER NOT NULL DEFAULT 0 CHECK (target_total >= 0),
    UNIQUE (tranche_id, number)
);

-- Cooperatives a tranche aims to accompany in each region.
CREATE TABLE tranche_region_target (
    tranche_id INTEGER NOT NULL REFERENCES tranche(id) ON DELETE CASCADE,
    region_code TEXT NOT NULL REFERENCES region(code),
    target INTEGER NOT NULL CHECK (target >= 0),
    PRIMARY KEY (tranche_id, region_code)
);

-- The cooperatives a program accompanies (selected by a call, or recorded from before murafiq):
-- what "targets against reached" counts, and what the "not already accompanied" rule reads.
CREATE TABLE program_cooperative (
    program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,
    cooperative_id INTEGER NOT NULL REFERENCES cooperative(id),
    tranche_id INTEGER REFERENCES tranche(id),
    region_code TEXT NOT NULL REFERENCES region(code),
    since TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('selection', 'record')),
    PRIMARY KEY (program_id, cooperative_id)
);
CREATE INDEX program_cooperative_coop ON program_cooperative(cooperative_id);
CREATE INDEX program_cooperative_tranche ON program_cooperative(tranche_id, region_code);
