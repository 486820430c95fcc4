-- Exact counts of jobs by type and status, kept by the database itself, so the all-time counts
-- (/ops, GET /api/jobs/stats) read a few dozen rows instead of one index entry per job
-- (bin/bench ops: docs/benchmarks.md). The period counts still count the ledger's index.
--
-- Every insert, status change and delete of jobs appends its change per (type, status) to
-- job_status_count_changes: an append takes no row lock, so concurrent ledger writers never wait
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

-- An insert and a status change append one row each, from row triggers: the ledger writes one job
-- per statement, and most of its updates (attempts, progress, heartbeats) keep the status, which
-- the WHEN clause tells without calling a function, so they cost nothing here. (Statement triggers
-- with transition tables ran on every update statement and cost the ledger's writers about 1 ms of
-- PostgreSQL CPU per notification job: bin/bench drain.) A delete appends one row per statement,
-- whatever it deleted (retention deletes in batches).
CREATE FUNCTION jobs_count_inserted() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    INSERT INTO job_status_count_changes (type, status, delta) VALUES (NEW.type, NEW.status, 1);
    RETURN NULL;
END
$$;

CREATE FUNCTION jobs_count_status_changed() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    INSERT INTO job_status_count_changes (type, status, delta)
    VALUES (OLD.type, OLD.status, -1), (NEW.type, NEW.status, 1);
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
    AFTER INSERT ON jobs
    FOR EACH ROW EXECUTE FUNCTION jobs_count_inserted();

CREATE TRIGGER jobs_count_status_changed
    AFTER UPDATE OF status, type ON jobs
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.type IS DISTINCT FROM NEW.type)
    EXECUTE FUNCTION jobs_count_status_changed();

CREATE TRIGGER jobs_count_deleted
    AFTER DELETE ON jobs REFERENCING OLD TABLE AS deleted_jobs
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_count_deleted();

CREATE TRIGGER jobs_count_truncated
    AFTER TRUNCATE ON jobs
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_count_truncated();

-- The jobs already in the ledger.
INSERT INTO job_status_counts (type, status, n)
SELECT type, status, count(*) FROM jobs GROUP BY type, status;
