/**
 * The ledger's retention and daily roll-ups over PostgreSQL ({@link
 * com.marketplace.jobs.retention.JobRetentionActivitiesImpl}); docs/operations.md#retention says
 * which records go with a job and which stay.
 */
package com.marketplace.jobs.retention;
