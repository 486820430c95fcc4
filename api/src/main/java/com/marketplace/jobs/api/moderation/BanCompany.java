package com.marketplace.jobs.api.moderation;

import com.marketplace.jobs.api.intake.JobDelay;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * The body of {@code POST /api/companies/{companyId}/ban}; {@code notBefore} or {@code
 * delaySeconds} delays the ban ({@link JobDelay}).
 */
record BanCompany(@NotBlank @Size(max = 500) String reason, Instant notBefore, Long delaySeconds) {

  JobDelay delay() {
    return new JobDelay(notBefore, delaySeconds);
  }
}
