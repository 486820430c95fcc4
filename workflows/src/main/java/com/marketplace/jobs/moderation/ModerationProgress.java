package com.marketplace.jobs.moderation;

/**
 * Where a ban or unban is, as its {@code progress} query answers.
 *
 * @param step the step running now (or the last one, once finished)
 * @param completed rows changed so far
 * @param total rows the job will change, counted at its start
 */
public record ModerationProgress(String step, long completed, long total) {}
