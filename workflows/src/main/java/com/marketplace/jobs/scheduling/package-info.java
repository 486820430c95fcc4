/**
 * Scheduled runs as seen from Temporal. Temporal Schedules (created by the worker from {@code
 * jobs.schedules.tasks}) start workflows that take no arguments; {@link
 * com.marketplace.jobs.scheduling.ScheduledRunWorkerInterceptor} recognises such a run by the
 * {@code TemporalScheduledById} and {@code TemporalScheduledStartTime} search attributes Temporal
 * sets on it, and records it in the run log ({@code schedule_runs}) and the job ledger when its
 * first workflow task runs and again when it ends, through local activities: no job type writes
 * code for it, and no server round trip is added.
 *
 * <p>{@link com.marketplace.jobs.scheduling.ScheduleRunsRetentionWorkflow} is the service's own
 * scheduled task: it keeps the run log to its retention period.
 */
package com.marketplace.jobs.scheduling;
