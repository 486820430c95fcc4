/**
 * The job ledger as seen from Temporal: {@link
 * com.marketplace.jobs.ledger.JobLedgerWorkerInterceptor} keeps each job's row in PostgreSQL
 * current (status, attempts, errors) for every workflow the worker runs, through local activities
 * and direct calls on the activity thread, so no job type can forget it and no extra server round
 * trip is made.
 */
package com.marketplace.jobs.ledger;
