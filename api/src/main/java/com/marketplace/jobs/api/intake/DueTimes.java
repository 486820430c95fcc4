package com.marketplace.jobs.api.intake;

import com.marketplace.jobs.api.problems.ApiProblem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Checks a trigger's {@link JobDelay} and gives the job's due time, for every trigger alike: one of
 * {@code notBefore} and {@code delaySeconds} at most; {@code delaySeconds} not negative; the due
 * time at most {@code jobs.intake.max-delay} ahead; a {@code notBefore} in the past by at most
 * {@code jobs.intake.not-before-grace} (a caller's clock a little ahead of ours: due at once),
 * further back refused. Each refusal is a 400 naming the field.
 */
@Component
public class DueTimes {

  private final IntakeProperties properties;
  private final Clock clock;

  @Autowired
  DueTimes(IntakeProperties properties) {
    this(properties, Clock.systemUTC());
  }

  DueTimes(IntakeProperties properties, Clock clock) {
    this.properties = properties;
    this.clock = clock;
  }

  /** The due time the delay asks for, or empty for a job due at once (no delay asked for). */
  public Optional<Instant> dueAt(JobDelay delay) {
    if (delay == null || !delay.requested()) {
      return Optional.empty();
    }
    if (delay.notBefore() != null && delay.delaySeconds() != null) {
      throw ApiProblem.invalidField(
          "notBefore", "must not be given together with delaySeconds: give one of them");
    }
    Instant now = clock.instant();
    Duration max = properties.maxDelay();
    if (delay.delaySeconds() != null) {
      long seconds = delay.delaySeconds();
      if (seconds < 0) {
        throw ApiProblem.invalidField("delaySeconds", "must not be negative");
      }
      if (seconds > max.toSeconds()) {
        throw ApiProblem.invalidField(
            "delaySeconds", "must be at most " + max.toSeconds() + " (" + describe(max) + ")");
      }
      return Optional.of(now.plusSeconds(seconds).truncatedTo(ChronoUnit.MICROS));
    }
    Instant notBefore = delay.notBefore();
    if (notBefore.isAfter(now.plus(max))) {
      throw ApiProblem.invalidField("notBefore", "must be at most " + describe(max) + " from now");
    }
    Duration grace = properties.notBeforeGrace();
    if (notBefore.isBefore(now.minus(grace))) {
      throw ApiProblem.invalidField(
          "notBefore", "must not be more than " + describe(grace) + " in the past");
    }
    // The ledger keeps microseconds: answer with the due time it will show.
    return Optional.of(notBefore.truncatedTo(ChronoUnit.MICROS));
  }

  /** "30 days", "5 minutes", "90 seconds". */
  static String describe(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds % 86_400 == 0) {
      return plural(seconds / 86_400, "day");
    }
    if (seconds % 3_600 == 0) {
      return plural(seconds / 3_600, "hour");
    }
    if (seconds % 60 == 0) {
      return plural(seconds / 60, "minute");
    }
    return plural(seconds, "second");
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }
}
