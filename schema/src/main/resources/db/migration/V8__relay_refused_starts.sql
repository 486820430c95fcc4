-- Starts Temporal refused with an error no retry heals (INVALID_ARGUMENT: an input over the
-- server's blob size limit, say). After jobs.relay.max-refused-starts of them the relay marks the
-- job FAILED (START_REFUSED) and moves relay_next_attempt_at to 'infinity', so it is never claimed
-- again.
ALTER TABLE jobs ADD COLUMN relay_refused_starts integer NOT NULL DEFAULT 0;
