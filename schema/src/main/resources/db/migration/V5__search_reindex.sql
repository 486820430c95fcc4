-- Bulk search re-index (issue 4): one row per batch a re-index job finished, written right after
-- OpenSearch accepted the batch's bulk request. A retried attempt (a worker killed mid-run) resumes
-- after the job's highest last_id, so a finished batch is never redone; operators see here what a
-- re-index did, batch by batch, and by which attempt.

CREATE TABLE search_reindex_batches (
    id          bigserial   PRIMARY KEY,
    job_id      uuid        NOT NULL,
    scope       text        NOT NULL CHECK (scope IN ('vehicles', 'companies')),
    -- The batch's key range: ids first_id..last_id of the scope's table, in key order.
    first_id    bigint      NOT NULL,
    last_id     bigint      NOT NULL,
    -- Rows in the batch: indexed (published vehicles, every company) plus removed (unpublished).
    documents   integer     NOT NULL,
    indexed     integer     NOT NULL,
    removed     integer     NOT NULL,
    -- The activity attempt that did the batch: above 1 after a retry (a killed worker, say).
    attempt     integer     NOT NULL,
    took_ms     integer     NOT NULL,
    executed_at timestamptz NOT NULL DEFAULT now(),
    CHECK (first_id <= last_id AND documents = indexed + removed)
);

CREATE INDEX search_reindex_batches_job ON search_reindex_batches (job_id, last_id);
