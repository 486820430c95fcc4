package com.marketplace.jobs.moderation;

/**
 * Where a bulk step reports its progress: the job's overall progress before the step began, and its
 * total, so the activity can write {@code offset + done} of {@code total} after every batch.
 */
public record BatchProgress(String step, long offset, long total) {}
