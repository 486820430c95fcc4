-- A job another job accepted once it committed (the email to a company about its ban): the ledger
-- links the two, so the moderation job shows how its follow-up went and an operator can retry the
-- follow-up on its own.
ALTER TABLE jobs ADD COLUMN parent_job_id uuid REFERENCES jobs (id);

CREATE INDEX jobs_parent ON jobs (parent_job_id) WHERE parent_job_id IS NOT NULL;
