-- When the ledger reconciler last asked Temporal about this unfinished job's workflow. Its claims
-- take the rows asked about longest ago (never first), and skip rows asked about within the last
-- jobs.ledger.reconcile-interval, so reconcilers in several workers never ask about the same row
-- in the same round.
ALTER TABLE jobs ADD COLUMN reconcile_checked_at timestamptz;
