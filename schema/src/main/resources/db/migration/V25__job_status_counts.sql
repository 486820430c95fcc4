-- Exact counts of jobs by type and status, kept by the database itself, so the all-time counts
-- (/ops, GET /api/jobs/stats) read a few dozen rows instead of one index entry per job
-- (bin/bench ops: docs/benchmarks.md). The period counts still count the ledger's index.
--
-- Every statement that inserts, updates or deletes jobs appends its net change per (type, status)
-- to job_status_count_changes: an append takes no row lock, so concurrent ledger writers never wait
-- for each other, as they would on one counter row per status. The worker folds the changes into
-- job_status_counts every few seconds (JobStatusCounts.compact); a reader adds both tables up in
-- one statement, so it is exact whether or not a compaction ran.

CREATE TABLE job_status_counts (
    type   text   NOT NULL,
    status text   NOT NULL,
    n      bigint NOT NULL,
    PRIMARY KEY (type, status)
);

CREATE TABLE job_status_count_changes (
    type   text   NOT NULL,
    status text   NOT NULL,
    delta  bigint NOT NULL
);

-- Statement-level triggers with transition tables: one aggregate per statement, however many rows
-- it touched (a 1,000,000-row INSERT ... SELECT appends a handful of rows). INSERT ... ON CONFLICT
-- DO UPDATE fires both the insert and the update trigger, each with its own rows.
CREATE FUNCTION jobs_count_inserted() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    INSERT INTO job_status_count_changes (type, status, delta)
    SELECT type, status, count(*) FROM inserted_jobs GROUP BY type, status;
    RETURN NULL;
END
$$;

CREATE FUNCTION jobs_count_updated() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    -- Most ledger updates (attempts, progress) keep the status: they net to zero and append nothing.
    INSERT INTO job_status_count_changes (type, status, delta)
    SELECT type, status, sum(delta)
      FROM (SELECT type, status, -1 AS delta FROM old_jobs
            UNION ALL
            SELECT type, status, 1 FROM new_jobs) changed
     GROUP BY type, status
    HAVING sum(delta) <> 0;
    RETURN NULL;
END
$$;

CREATE FUNCTION jobs_count_deleted() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    INSERT INTO job_status_count_changes (type, status, delta)
    SELECT type, status, -count(*) FROM deleted_jobs GROUP BY type, status;
    RETURN NULL;
END
$$;

CREATE FUNCTION jobs_count_truncated() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    DELETE FROM job_status_count_changes;
    DELETE FROM job_status_counts;
    RETURN NULL;
END
$$;

CREATE TRIGGER jobs_count_inserted
    AFTER INSERT ON jobs REFERENCING NEW TABLE AS inserted_jobs
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_count_inserted();

CREATE TRIGGER jobs_count_updated
    AFTER UPDATE ON jobs REFERENCING OLD TABLE AS old_jobs NEW TABLE AS new_jobs
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_count_updated();

CREATE TRIGGER jobs_count_deleted
    AFTER DELETE ON jobs REFERENCING OLD TABLE AS deleted_jobs
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_count_deleted();

CREATE TRIGGER jobs_count_truncated
    AFTER TRUNCATE ON jobs
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_count_truncated();

-- The jobs already in the ledger.
INSERT INTO job_status_counts (type, status, n)
SELECT type, status, count(*) FROM jobs GROUP BY type, status;
