-- Delayed jobs and cancellation.
--
-- not_before: the job's due time when its trigger asked for a delay ("notBefore" or
-- "delaySeconds"); NULL for a job due at once. The relay starts the workflow at once with
-- Temporal's start delay (not_before minus now), so the Temporal server keeps the durable timer and
-- the row stays PENDING until the first activity runs.
--
-- cancel_requested_at: when POST /api/jobs/{id}/cancel asked for the job to be cancelled. A job
-- not yet handed to Temporal becomes CANCELLED at once; a started one becomes CANCELLED when its
-- workflow closes cancelled (or terminated, or rolled back by its saga) while this is set.
ALTER TABLE jobs ADD COLUMN not_before timestamptz;
ALTER TABLE jobs ADD COLUMN cancel_requested_at timestamptz;

ALTER TABLE jobs DROP CONSTRAINT jobs_status_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_status_check
    CHECK (status IN ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED'));
