/**
 * The relay from the job ledger to Temporal: {@link com.marketplace.jobs.relay.WorkflowStartRelay}
 * starts the workflow of every accepted job, exactly once, in priority order; workers run it with
 * eager start, the api as the safety net.
 */
package com.marketplace.jobs.relay;
