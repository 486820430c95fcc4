package com.marketplace.jobs.api.notifications;

import com.marketplace.jobs.api.intake.JobDelay;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Instant;
import java.util.Map;

/**
 * The body of {@code POST /api/notifications}; {@code notBefore} or {@code delaySeconds} delays the
 * email ({@link JobDelay}).
 */
record SendNotification(
    @NotNull @Positive Long customerId,
    @NotBlank String template,
    Map<String, String> params,
    Instant notBefore,
    Long delaySeconds) {

  JobDelay delay() {
    return new JobDelay(notBefore, delaySeconds);
  }
}
