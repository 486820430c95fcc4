package com.marketplace.jobs.moderation;

/**
 * What a ban or unban changed.
 *
 * @param vehicles vehicles unpublished (ban) or republished (unban)
 * @param orders orders deactivated (ban) or reactivated (unban)
 */
public record ModerationResult(String jobId, long companyId, long vehicles, long orders) {}
