package com.marketplace.jobs.moderation;

/**
 * A step of an unban that reverses exactly what ban {@code banJobId} recorded; {@code progress}
 * (null for the count) says where its count goes on the job's ledger row.
 */
public record BanReversalStep(String jobId, String banJobId, BatchProgress progress) {}
