package com.marketplace.jobs.api.moderation;

import com.marketplace.jobs.api.intake.JobDelay;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;

/**
 * The body of {@code POST /api/tenants/{tenantId}/marketplace}; {@code notBefore} or {@code
 * delaySeconds} delays the toggle ({@link JobDelay}).
 */
record ToggleMarketplace(@NotNull Boolean enabled, Instant notBefore, Long delaySeconds) {

  JobDelay delay() {
    return new JobDelay(notBefore, delaySeconds);
  }
}
