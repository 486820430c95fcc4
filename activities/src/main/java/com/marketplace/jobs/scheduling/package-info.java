/**
 * The run log of Temporal Schedules in PostgreSQL ({@code schedule_runs}): what the scheduled-run
 * interceptor records of each run (and the job ledger row each run gets), and the retention that
 * keeps the log to {@code jobs.schedules.run-log-retention}.
 */
package com.marketplace.jobs.scheduling;
