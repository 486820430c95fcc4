package com.marketplace.jobs.moderation;

/**
 * What a marketplace toggle changed.
 *
 * @param companies companies whose {@code marketplace_enabled} it switched
 * @param models vehicle models whose {@code marketplace_enabled} it switched
 * @param listings vehicles it listed on the marketplace (enable) or withdrew from it (disable)
 */
public record MarketplaceToggleResult(
    String jobId, long tenantId, boolean enabled, long companies, long models, long listings) {}
