package com.marketplace.jobs.retention;

/**
 * What one retention run did.
 *
 * @param daysRolledUp days whose roll-ups were written (recomputed or filled in)
 * @param jobsDeleted ledger rows deleted, each with the records that belonged only to it
 * @param rollupsDeleted roll-up rows older than {@code jobs.retention.rollups-kept} deleted
 */
public record RetentionResult(int daysRolledUp, long jobsDeleted, long rollupsDeleted) {}
