-- Company moderation (ban, unban): what each job changed, so that its compensation and a later
-- unban touch exactly those rows and nothing else.

CREATE TABLE moderation_changes (
    job_id         uuid        NOT NULL,
    -- COMPANY (companies.status), VEHICLE (vehicles.published), ORDER (orders.status),
    -- LISTING (a vehicle's listing on the marketplace: 'listed' or 'withdrawn'),
    -- SEARCH_DOCUMENT (a vehicle's document in the search index: 'indexed' or 'removed')
    entity         text        NOT NULL
        CHECK (entity IN ('COMPANY', 'VEHICLE', 'ORDER', 'LISTING', 'SEARCH_DOCUMENT')),
    entity_id      bigint      NOT NULL,
    previous_state text        NOT NULL,
    new_state      text        NOT NULL,
    changed_at     timestamptz NOT NULL DEFAULT now(),
    -- Set when the job's compensation put previous_state back.
    restored_at    timestamptz,
    PRIMARY KEY (job_id, entity, entity_id)
);

-- Which step a bulk job is in and the batch sizes it used, shown with its progress.
ALTER TABLE jobs ADD COLUMN progress_step text;
ALTER TABLE jobs ADD COLUMN progress_batch_sizes jsonb;

-- Emails to companies (moderation notices) are recorded like those to customers.
ALTER TABLE email_deliveries ALTER COLUMN customer_id DROP NOT NULL;
ALTER TABLE email_deliveries ADD COLUMN company_id bigint;
ALTER TABLE email_deliveries ADD CONSTRAINT email_deliveries_recipient
    CHECK (customer_id IS NOT NULL OR company_id IS NOT NULL);

CREATE INDEX jobs_company_running ON jobs (company_id, type) WHERE status IN ('PENDING', 'PROCESSING');
