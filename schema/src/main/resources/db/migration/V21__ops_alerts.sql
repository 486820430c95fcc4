-- Operations alerts: one row per subject and condition, so a condition seen by every check (each
-- minute) is alerted once. The ops-alerts schedule claims a row with INSERT ... ON CONFLICT DO
-- NOTHING, then sends it by email and to the webhook; each channel's time is set once it went out,
-- so a later check sends only what is still owed and never again what was sent.
--
-- subject: the job id (job_failed, job_stuck), the job type (type_failing, with its window's start)
-- or the schedule id and its missed time (schedule_missed). No personal data: ids, types and the
-- ledger's masked error only.
CREATE TABLE ops_alerts (
    id               uuid        PRIMARY KEY,
    condition        text        NOT NULL
        CHECK (condition IN ('job_failed', 'job_stuck', 'type_failing', 'schedule_missed')),
    subject          text        NOT NULL,
    job_id           uuid,
    job_type         text,
    reason           text        NOT NULL,
    error_type       text,
    error_message    text,
    detected_at      timestamptz NOT NULL DEFAULT now(),
    email_sent_at    timestamptz,
    email_message_id text,
    webhook_sent_at  timestamptz,
    UNIQUE (condition, subject)
);

-- What the next check still has to send.
CREATE INDEX ops_alerts_unsent ON ops_alerts (detected_at)
    WHERE email_sent_at IS NULL OR webhook_sent_at IS NULL;
-- The failed jobs not yet alerted are found from the ledger's newest failures.
CREATE INDEX jobs_finished_failed ON jobs (finished_at) WHERE status = 'FAILED';
