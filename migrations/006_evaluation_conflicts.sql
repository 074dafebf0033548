-- 006_evaluation_conflicts.sql: an evaluator's declared conflict of interest, and the audit of
-- every change to evaluations (assignments, declarations, submissions, reopenings, removals).

-- When set, the evaluator declared a conflict of interest instead of scoring: the assignment
-- stays (so that the manager sees it) but it is not expected to be submitted.
ALTER TABLE evaluation ADD COLUMN conflict_at TEXT;
ALTER TABLE evaluation ADD COLUMN conflict_note TEXT NOT NULL DEFAULT '';

-- Who did what to whose evaluation, and why (a reopening gives its reason). An evaluation that
-- is removed loses its row in evaluation, not its history here.
CREATE TABLE evaluation_event (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES application(id),
    evaluator_id INTEGER NOT NULL REFERENCES app_user(id),
    action TEXT NOT NULL CHECK (action IN ('assigned', 'removed', 'no_conflict', 'conflict',
                                           'submitted', 'reopened')),
    reason TEXT NOT NULL DEFAULT '',
    user_id INTEGER REFERENCES app_user(id),
    at TEXT NOT NULL
);
CREATE INDEX evaluation_event_application ON evaluation_event(application_id, id);
