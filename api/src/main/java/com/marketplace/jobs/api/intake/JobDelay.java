package com.marketplace.jobs.api.intake;

import java.time.Instant;

/**
 * The delay a trigger asked for, as its body gave it: {@code "notBefore"} (an ISO-8601 instant) or
 * {@code "delaySeconds"} (a whole number), or neither. Every HTTP trigger's body carries these two
 * optional fields; {@link DueTimes} checks them and turns them into the job's due time.
 *
 * <p>The delay as given is part of the job's content ({@link JobIntake}): the same request with
 * another delay is another job, while a client repeating a request with {@code "delaySeconds": 60}
 * a second later joins the first job rather than making one due a second after it.
 */
public record JobDelay(Instant notBefore, Long delaySeconds) {

  /** No delay: the job is due at once. */
  public static final JobDelay NONE = new JobDelay(null, null);

  public boolean requested() {
    return notBefore != null || delaySeconds != null;
  }
}
