package com.marketplace.jobs.api.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marketplace.jobs.api.problems.ApiProblem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DueTimesTest {

  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  private final DueTimes dueTimes =
      new DueTimes(
          new IntakeProperties(Duration.ofMinutes(10), Duration.ofDays(30), Duration.ofMinutes(5)),
          Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void noDelayMeansDueAtOnce() {
    assertThat(dueTimes.dueAt(JobDelay.NONE)).isEmpty();
    assertThat(dueTimes.dueAt(null)).isEmpty();
  }

  @Test
  void delaySecondsCountFromNow() {
    assertThat(dueTimes.dueAt(new JobDelay(null, 20L))).contains(NOW.plusSeconds(20));
    assertThat(dueTimes.dueAt(new JobDelay(null, 0L))).contains(NOW);
    assertThat(dueTimes.dueAt(new JobDelay(null, Duration.ofDays(30).toSeconds())))
        .contains(NOW.plus(Duration.ofDays(30)));
  }

  @Test
  void notBeforeIsTheDueTimeUpToTheMaximumAheadAndWithinTheGraceBehind() {
    Instant inAnHour = NOW.plus(Duration.ofHours(1));
    assertThat(dueTimes.dueAt(new JobDelay(inAnHour, null))).contains(inAnHour);
    Instant aMinuteAgo = NOW.minusSeconds(60);
    assertThat(dueTimes.dueAt(new JobDelay(aMinuteAgo, null))).contains(aMinuteAgo);
  }

  @Test
  void bothFieldsAreRefusedNamingNotBefore() {
    assertRefused(
        new JobDelay(NOW.plusSeconds(60), 60L),
        "notBefore",
        "must not be given together with delaySeconds: give one of them");
  }

  @Test
  void aNegativeDelayIsRefused() {
    assertRefused(new JobDelay(null, -1L), "delaySeconds", "must not be negative");
  }

  @Test
  void aDelayBeyondTheMaximumIsRefusedWithoutOverflowingForHugeValues() {
    assertRefused(
        new JobDelay(null, Duration.ofDays(30).toSeconds() + 1),
        "delaySeconds",
        "must be at most 2592000 (30 days)");
    assertRefused(
        new JobDelay(null, Long.MAX_VALUE), "delaySeconds", "must be at most 2592000 (30 days)");
    assertRefused(
        new JobDelay(NOW.plus(Duration.ofDays(31)), null),
        "notBefore",
        "must be at most 30 days from now");
    assertRefused(new JobDelay(Instant.MAX, null), "notBefore", "must be at most 30 days from now");
  }

  @Test
  void aNotBeforeFarInThePastIsRefused() {
    assertRefused(
        new JobDelay(NOW.minus(Duration.ofMinutes(6)), null),
        "notBefore",
        "must not be more than 5 minutes in the past");
    assertRefused(
        new JobDelay(Instant.EPOCH, null),
        "notBefore",
        "must not be more than 5 minutes in the past");
  }

  private void assertRefused(JobDelay delay, String field, String message) {
    assertThatThrownBy(() -> dueTimes.dueAt(delay))
        .isInstanceOfSatisfying(
            ApiProblem.class,
            problem -> {
              assertThat(problem.status().value()).isEqualTo(400);
              assertThat(problem.properties())
                  .containsEntry("errors", List.of(Map.of("field", field, "message", message)));
            });
  }
}
