/**
 * How a job gets from an HTTP request into Temporal without ever being lost: {@link
 * com.marketplace.jobs.api.intake.JobIntake} writes the PENDING ledger row in one short transaction
 * (the request answers 202 once it commits), and {@link
 * com.marketplace.jobs.api.intake.WorkflowStartRelay} starts the workflow right after, or later if
 * Temporal was unreachable, in priority order with bounded concurrency.
 */
package com.marketplace.jobs.api.intake;
