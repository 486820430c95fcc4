package com.marketplace.jobs.api.moderation;

import com.marketplace.jobs.api.intake.JobDelay;
import java.time.Instant;

/**
 * The optional body of {@code POST /api/companies/{companyId}/unban}: {@code notBefore} or {@code
 * delaySeconds} delays the unban ({@link JobDelay}).
 */
record UnbanCompany(Instant notBefore, Long delaySeconds) {

  JobDelay delay() {
    return new JobDelay(notBefore, delaySeconds);
  }
}
