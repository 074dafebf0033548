-- 005_applications.sql: applications of cooperatives to calls, their audited status changes
-- with the eligibility evaluated at submission, and their evaluations: evaluators assigned,
-- their declaration of no conflict of interest, their scores per criterion.

CREATE TABLE application (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL REFERENCES program_call(id),
    cooperative_id INTEGER NOT NULL REFERENCES cooperative(id),
    region_code TEXT NOT NULL REFERENCES region(code), -- the cooperative's: the region scope
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'eligible', 'ineligible',
                                           'scored', 'selected', 'waitlisted', 'rejected',
                                           'withdrawn')),
    project_summary TEXT NOT NULL DEFAULT '',
    requested_support TEXT NOT NULL DEFAULT '',
    submitted_at TEXT, -- UTC "YYYY-MM-DDTHH:MM:SSZ": the tie-break "earlier submission"
    -- The eligibility as evaluated (at submission, or again on request): the rules version,
    -- the per-rule breakdown (eligibility_result_to_json) and the inputs it read
    -- (eligibility_input_to_json), so that the decision can be explained and replayed.
    rules_version INTEGER,
    eligibility TEXT,
    eligibility_input TEXT,
    evaluated_at TEXT,
    total INTEGER CHECK (total BETWEEN 0 AND 10000), -- hundredths, once fully scored
    created_by INTEGER REFERENCES app_user(id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (call_id, cooperative_id)
);
CREATE INDEX application_call ON application(call_id, region_code, status);
CREATE INDEX application_cooperative ON application(cooperative_id);

-- Every status change, with who, when and why: an application's history.
CREATE TABLE application_event (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES application(id),
    from_status TEXT, -- NULL for the creation
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    user_id INTEGER REFERENCES app_user(id),
    at TEXT NOT NULL
);
CREATE INDEX application_event_application ON application_event(application_id, id);

-- An evaluator assigned to an application. An evaluator sees only the applications assigned
-- to them, and scores only after declaring no conflict of interest.
CREATE TABLE evaluation (
    application_id INTEGER NOT NULL REFERENCES application(id),
    evaluator_id INTEGER NOT NULL REFERENCES app_user(id),
    assigned_by INTEGER REFERENCES app_user(id),
    assigned_at TEXT NOT NULL,
    no_conflict_at TEXT,  -- when the evaluator declared no conflict of interest
    submitted_at TEXT,    -- when every criterion was scored and the evaluation submitted
    comment TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (application_id, evaluator_id)
);
CREATE INDEX evaluation_evaluator ON evaluation(evaluator_id, application_id);

CREATE TABLE evaluation_score (
    application_id INTEGER NOT NULL,
    evaluator_id INTEGER NOT NULL,
    criterion_key TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score >= 0),
    PRIMARY KEY (application_id, evaluator_id, criterion_key),
    FOREIGN KEY (application_id, evaluator_id)
        REFERENCES evaluation(application_id, evaluator_id) ON DELETE CASCADE
);
