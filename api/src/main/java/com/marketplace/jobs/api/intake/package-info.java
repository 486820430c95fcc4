/**
 * How a job gets from an HTTP request into the ledger without ever being lost: {@link
 * com.marketplace.jobs.api.intake.JobIntake} writes the PENDING row in one short transaction (the
 * request answers 202 once it commits); then {@link com.marketplace.jobs.api.intake.RelayWakeUp}
 * NOTIFYs the relays ({@link com.marketplace.jobs.relay.WorkflowStartRelay}), which start the
 * workflow right after, or later if Temporal was unreachable.
 */
package com.marketplace.jobs.api.intake;
