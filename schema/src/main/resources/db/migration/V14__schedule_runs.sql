-- The run log of Temporal Schedules: one row per workflow run a schedule started (on its own or
-- triggered by hand), written by the worker's scheduled-run interceptor when the run's first
-- workflow task executes and again when the run ends. From it GET /api/schedules/{id}/runs counts
-- executed runs against the schedule's expected times and computes lateness (started_at minus
-- scheduled_at). Each run also has a row in jobs (type of its workflow, id derived from the
-- workflow id), so /ops and GET /api/jobs/{id} show scheduled runs like every other job.
CREATE TABLE schedule_runs (
    workflow_id         text        NOT NULL,
    run_id              text        NOT NULL,
    schedule_id         text        NOT NULL,
    workflow_type       text        NOT NULL,
    -- The schedule's nominal time for this run (TemporalScheduledStartTime): for a run triggered by
    -- hand, the time of the trigger.
    scheduled_at        timestamptz NOT NULL,
    -- When Temporal started the workflow, and when a worker first ran it (the lateness counts
    -- from scheduled_at to started_at).
    workflow_started_at timestamptz NOT NULL,
    started_at          timestamptz NOT NULL,
    finished_at         timestamptz,
    outcome             text        NOT NULL DEFAULT 'RUNNING'
        CHECK (outcome IN ('RUNNING', 'COMPLETED', 'FAILED', 'CANCELED')),
    error_type          text,
    PRIMARY KEY (workflow_id, run_id)
);

CREATE INDEX schedule_runs_schedule ON schedule_runs (schedule_id, scheduled_at DESC);
