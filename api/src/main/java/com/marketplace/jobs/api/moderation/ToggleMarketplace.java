package com.marketplace.jobs.api.moderation;

import jakarta.validation.constraints.NotNull;

/** The body of {@code POST /api/tenants/{tenantId}/marketplace}. */
record ToggleMarketplace(@NotNull Boolean enabled) {}
