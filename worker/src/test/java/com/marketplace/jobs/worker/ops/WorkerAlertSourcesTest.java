package com.marketplace.jobs.worker.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.marketplace.jobs.ledger.StuckJob;
import com.marketplace.jobs.ledger.StuckJobs;
import com.marketplace.jobs.ledger.StuckJobsGauge;
import com.marketplace.jobs.ledger.StuckJobsProperties;
import com.marketplace.jobs.ledger.StuckReason;
import com.marketplace.jobs.ops.AlertCandidate;
import com.marketplace.jobs.ops.AlertCondition;
import com.marketplace.jobs.ops.AlertsProperties;
import com.marketplace.jobs.worker.scheduling.MissedScheduledRuns;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The alert subjects the worker derives from the shared stuck rules and the missed runs: one per
 * stuck job, one per failing type per window (the same all window long, a new one in the next), one
 * per missed scheduled time, each with the job type; and the gauge set from the same check.
 */
class WorkerAlertSourcesTest {

  private static final Instant NOW = Instant.parse("2026-12-01T12:07:30Z");
  private static final UUID JOB = UUID.fromString("0b7c2d1e-0000-4000-8000-000000000013");

  private final StuckJobs stuckJobs = mock(StuckJobs.class);
  private final MissedScheduledRuns missedRuns = mock(MissedScheduledRuns.class);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private List<AlertCandidate> conditionsAt(Instant now) {
    when(stuckJobs.properties())
        .thenReturn(
            new StuckJobsProperties(
                Duration.ofMinutes(10),
                Duration.ofMinutes(15),
                2,
                50,
                5,
                Duration.ofMinutes(15),
                200));
    return new WorkerAlertSources(
            stuckJobs,
            new StuckJobsGauge(meters),
            missedRuns,
            new AlertsProperties(
                "ops@test",
                null,
                "http://ops.test",
                Duration.ofHours(1),
                Duration.ofMinutes(5),
                Duration.ofSeconds(5)),
            Clock.fixed(now, ZoneOffset.UTC))
        .currentConditions();
  }

  @Test
  void eachStuckJobFailingTypeAndMissedRunBecomesOneCandidateWithItsSubject() {
    when(stuckJobs.find())
        .thenReturn(
            List.of(
                new StuckJob(
                    JOB,
                    "company_notice",
                    "company_notice-" + JOB,
                    StuckReason.ACTIVITY_RETRYING,
                    "activity SendCompanyNotice retrying, attempt 3",
                    NOW,
                    "PROVIDER_UNAVAILABLE",
                    "Mailgun answered HTTP 503"),
                new StuckJob(
                    null,
                    "notification",
                    null,
                    StuckReason.TYPE_FAILING,
                    "7 jobs failed in the last 15 min",
                    NOW,
                    "NOT_FOUND",
                    "no customer 9")));
    when(missedRuns.find(any(), any(), any()))
        .thenReturn(
            List.of(
                new MissedScheduledRuns.Missed(
                    "vehicle-reminders",
                    "VehicleReminderWorkflow",
                    Instant.parse("2026-12-01T06:00:00Z"))));

    List<AlertCandidate> candidates = conditionsAt(NOW);

    assertThat(candidates)
        .extracting(AlertCandidate::condition, AlertCandidate::subject, AlertCandidate::jobType)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                AlertCondition.JOB_STUCK, JOB.toString(), "company_notice"),
            org.assertj.core.groups.Tuple.tuple(
                AlertCondition.TYPE_FAILING, "notification@2026-12-01T12:00:00Z", "notification"),
            org.assertj.core.groups.Tuple.tuple(
                AlertCondition.SCHEDULE_MISSED,
                "vehicle-reminders@2026-12-01T06:00:00Z",
                "vehicle_reminders"));
    assertThat(candidates.get(2).reason()).contains("not in the run log 5 min later");
    assertThat(meters.get(StuckJobsGauge.NAME).tag("reason", "activity_retrying").gauge().value())
        .isEqualTo(1.0);
  }

  @Test
  void aTypeFailingAllWindowLongKeepsItsSubjectAndTheNextWindowGivesANewOne() {
    StuckJob failing =
        new StuckJob(
            null,
            "payment_event",
            null,
            StuckReason.TYPE_FAILING,
            "5 jobs failed",
            NOW,
            null,
            null);
    when(stuckJobs.find()).thenReturn(List.of(failing));
    when(missedRuns.find(any(), any(), any())).thenReturn(List.of());

    String early = conditionsAt(Instant.parse("2026-12-01T12:00:01Z")).get(0).subject();
    String late = conditionsAt(Instant.parse("2026-12-01T12:14:59Z")).get(0).subject();
    String next = conditionsAt(Instant.parse("2026-12-01T12:15:00Z")).get(0).subject();

    assertThat(early).isEqualTo(late).isEqualTo("payment_event@2026-12-01T12:00:00Z");
    assertThat(next).isEqualTo("payment_event@2026-12-01T12:15:00Z");
  }
}
