-- Ledger retention, daily roll-ups and the reliability report (issue 13).

-- When a job's first attempt failed (the first error it recorded): the start of its recovery, for
-- the report's mean time to recovery (first failure to eventual success). Set by the database when
-- last_error_type first becomes non-null, so no writer of the ledger has to remember it; never
-- moved afterwards (a retried run's failures come later). NULL for jobs that never failed, and for
-- those that failed before this migration.
ALTER TABLE jobs ADD COLUMN first_failed_at timestamptz;

CREATE FUNCTION jobs_first_failed_at() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    NEW.first_failed_at := now();
    RETURN NEW;
END
$$;

-- The WHEN clause is evaluated without calling the function: ledger writes that do not record a
-- first error cost nothing more.
CREATE TRIGGER jobs_first_failed_at
    BEFORE INSERT OR UPDATE OF last_error_type ON jobs
    FOR EACH ROW
    WHEN (NEW.last_error_type IS NOT NULL AND NEW.first_failed_at IS NULL)
    EXECUTE FUNCTION jobs_first_failed_at();

-- The /ops counts (JobQueries.stats: jobs accepted since a time, by type and status) read this
-- index alone, an index-only scan over the period's entries, instead of the table's wide rows
-- (bin/bench ops: docs/benchmarks.md).
CREATE INDEX jobs_created_type_status ON jobs (created_at, type, status);

-- Retention finds the expired jobs by their end: finished ones only, oldest first.
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE status IN ('COMPLETED', 'CANCELLED', 'FAILED');

-- Mailgun events about a job's single email go with the job.
CREATE INDEX mailgun_events_job ON mailgun_events (job_id) WHERE job_id IS NOT NULL;

-- One row per UTC day of acceptance, job type and priority: what became of the jobs accepted that
-- day, as the ledger said when the row was computed (recomputed daily for the last
-- jobs.retention.recompute-days days, then final). The reliability report and the /ops counts read
-- it for days whose ledger rows may be gone. Durations are in seconds.
CREATE TABLE job_daily_rollups (
    day                   date             NOT NULL,
    type                  text             NOT NULL,
    priority              smallint         NOT NULL,
    accepted              bigint           NOT NULL,
    -- jobs whose first activity ran
    started               bigint           NOT NULL,
    completed             bigint           NOT NULL,
    failed                bigint           NOT NULL,
    cancelled             bigint           NOT NULL,
    -- PENDING or PROCESSING when computed
    unfinished            bigint           NOT NULL,
    -- jobs that needed a retry: an attempt failed (an error recorded), or an operator retried them
    needed_retry          bigint           NOT NULL,
    -- of those, the ones that completed
    recovered             bigint           NOT NULL,
    -- first failure to completion, over the recovered jobs that know their first failure
    recovery_seconds_sum  double precision NOT NULL,
    recovery_count        bigint           NOT NULL,
    -- accepted to first activity, over started jobs
    start_seconds_sum     double precision NOT NULL,
    start_count           bigint           NOT NULL,
    start_p50_seconds     double precision,
    start_p95_seconds     double precision,
    -- accepted to completion, over completed jobs
    finish_seconds_sum    double precision NOT NULL,
    finish_count          bigint           NOT NULL,
    finish_p50_seconds    double precision,
    finish_p95_seconds    double precision,
    computed_at           timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (day, type, priority)
);
