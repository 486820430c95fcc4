package com.marketplace.jobs.moderation;

/**
 * The input of a moderation step that needs only its job: the job id is the key of every change the
 * job records, and of the step's idempotency.
 */
public record JobStep(String jobId) {}
