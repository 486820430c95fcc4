-- The job ledger: one row per accepted job. The api writes it (PENDING) before answering 202,
-- its relay hands the job to Temporal, and the worker's ledger interceptor keeps status,
-- attempts, progress and errors current. Temporal stays the source of truth for execution;
-- this table is for audit, reporting and the status API.

CREATE TABLE jobs (
    id                    uuid PRIMARY KEY,
    type                  text        NOT NULL,
    status                text        NOT NULL DEFAULT 'PENDING'
        CHECK (status IN ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED')),
    -- 1 payment, 2 customer-facing, 3 internal: lower goes first.
    priority              smallint    NOT NULL CHECK (priority BETWEEN 1 AND 3),
    workflow_id           text        NOT NULL UNIQUE,
    workflow_type         text        NOT NULL,
    task_queue            text        NOT NULL,
    run_id                text,
    -- The workflow's input, so the relay can start it at any later time.
    payload               jsonb       NOT NULL,
    content_hash          text        NOT NULL,
    idempotency_key       text,
    tenant_id             bigint,
    company_id            bigint,
    attempts              integer     NOT NULL DEFAULT 0,
    progress_completed    bigint,
    progress_total        bigint,
    last_error_type       text,
    last_error_message    text,
    resolution            text CHECK (resolution IN ('UNRESOLVED', 'RETRIED', 'RESOLVED')),
    created_at            timestamptz NOT NULL DEFAULT now(),
    -- Set once Temporal has the workflow; NULL means the relay still owes the start.
    workflow_started_at   timestamptz,
    started_at            timestamptz,
    finished_at           timestamptz,
    updated_at            timestamptz NOT NULL DEFAULT now(),
    -- Relay bookkeeping: a claim is a lease until this time; failed starts back off through it.
    relay_attempts        integer     NOT NULL DEFAULT 0,
    relay_next_attempt_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX jobs_idempotency_key ON jobs (type, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobs_content_hash ON jobs (content_hash, created_at DESC);
CREATE INDEX jobs_relay_queue ON jobs (priority, created_at) WHERE workflow_started_at IS NULL;
CREATE INDEX jobs_created ON jobs (created_at DESC, id DESC);
CREATE INDEX jobs_status_created ON jobs (status, created_at DESC);
CREATE INDEX jobs_type_created ON jobs (type, created_at DESC);

-- Emails handed to Mailgun, one per notification job: the job id makes a retried send a no-op.
CREATE TABLE email_deliveries (
    job_id              uuid PRIMARY KEY,
    customer_id         bigint      NOT NULL,
    template            text        NOT NULL,
    provider_message_id text        NOT NULL,
    sent_at             timestamptz NOT NULL DEFAULT now()
);
