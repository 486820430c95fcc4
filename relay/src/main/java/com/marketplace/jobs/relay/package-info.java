/**
 * The relay from the job ledger to Temporal: {@link com.marketplace.jobs.relay.WorkflowStartRelay}
 * starts the workflow of every accepted job, exactly once, in priority order; workers run it with
 * eager start, the api as the safety net. Its parts: {@code PendingStartClaims} (which rows are
 * due, claimed how), {@code PrimaryRelayLock} (which relay starts them: primaries and the standby)
 * and {@code StartDispatcher} (the StartWorkflow calls, their concurrency and the pause during an
 * outage).
 */
package com.marketplace.jobs.relay;
