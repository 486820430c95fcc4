-- Operators' actions on failed jobs (the /ops page and POST /api/jobs/{id}/retry|resolve).
-- A retry re-runs the job's workflow (a reset to its first workflow task): one row per retry links
-- the failed run to the new one and says who asked. A person who fixed a failure by hand marks the
-- job RESOLVED with a comment.
CREATE TABLE job_retries (
    id           bigserial   PRIMARY KEY,
    job_id       uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    retried_at   timestamptz NOT NULL DEFAULT now(),
    -- The /ops user, or the api caller's token subject.
    retried_by   text        NOT NULL,
    failed_run_id text,
    new_run_id   text        NOT NULL
);
CREATE INDEX job_retries_job ON job_retries (job_id, retried_at);

ALTER TABLE jobs ADD COLUMN resolved_by text;
ALTER TABLE jobs ADD COLUMN resolved_at timestamptz;
ALTER TABLE jobs ADD COLUMN resolution_comment text;

-- The /ops page's failed-jobs list, newest first, per type.
CREATE INDEX jobs_failed ON jobs (created_at DESC) WHERE status = 'FAILED';
