-- A moderation job's rollback fences its run before undoing anything: from then on no forward
-- step of that run may change a row or call the search index or the marketplace, so an attempt
-- that timed out and still runs cannot write after the compensation (ModerationChanges).
CREATE TABLE moderation_fences (
    job_id    uuid        NOT NULL,
    -- The Temporal run that rolled back: a reset starts a new run, which may apply the job again.
    run_id    text        NOT NULL,
    fenced_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, run_id)
);

-- Re-applying a restored change (a reset of a rolled-back job) looks for the job's restored rows.
CREATE INDEX moderation_changes_restored ON moderation_changes (job_id) WHERE restored_at IS NOT NULL;
