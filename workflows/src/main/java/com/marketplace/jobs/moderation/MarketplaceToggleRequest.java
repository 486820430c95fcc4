package com.marketplace.jobs.moderation;

/** Puts tenant {@code tenantId}'s companies and vehicle models on the marketplace or off it. */
public record MarketplaceToggleRequest(String jobId, long tenantId, boolean enabled) {}
