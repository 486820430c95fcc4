package com.marketplace.jobs.moderation;

/**
 * A step of a tenant's marketplace toggle to {@code enabled}; {@code progress} (null for the count)
 * says where its count goes on the job's ledger row.
 */
public record ToggleStep(String jobId, long tenantId, boolean enabled, BatchProgress progress) {}
