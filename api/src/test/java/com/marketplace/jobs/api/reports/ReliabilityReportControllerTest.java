package com.marketplace.jobs.api.reports;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.api.scheduling.ScheduleReliability;
import com.marketplace.jobs.api.testsupport.TrustedCaller;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The reliability report over a constructed ledger, roll-ups, payments and touchpoints with known
 * outcomes on PostgreSQL (Temporal's schedule times stand in through a mock): the exact figures.
 */
@Import({TrustedCaller.class, ReliabilityReports.class})
@WebMvcTest(ReliabilityReportController.class)
class ReliabilityReportControllerTest {

  private static final String PERIOD = "?from=2026-02-28&to=2026-03-02";

  @Autowired private MockMvc mvc;
  @Autowired private JdbcClient jdbc;
  @MockitoBean private ScheduleReliability schedules;

  /** A job accepted at {@code created}; {@code set} adds columns (offsets from created_at). */
  private void job(String type, String status, String created, String set) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            """
            INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type, task_queue,
                              payload, content_hash, created_at, finished_at)
            VALUES (:id, :type, :status, 2, :wf, 'W', 'background-jobs', '{}', 'h',
                    CAST(:created AS timestamptz),
                    CASE WHEN :status IN ('COMPLETED', 'FAILED', 'CANCELLED')
                         THEN CAST(:created AS timestamptz) + interval '70 seconds' END)
            """)
        .param("id", id)
        .param("type", type)
        .param("status", status)
        .param("wf", type + "-" + id)
        .param("created", created)
        .update();
    if (set != null) {
      jdbc.sql("UPDATE jobs SET " + set + " WHERE id = :id").param("id", id).update();
    }
  }

  private void rollup(
      String day, long accepted, long completed, long failed, long neededRetry, long recovered) {
    jdbc.sql(
            """
            INSERT INTO job_daily_rollups (day, type, priority, accepted, started, completed,
                failed, cancelled, unfinished, needed_retry, recovered, recovery_seconds_sum,
                recovery_count, start_seconds_sum, start_count, finish_seconds_sum, finish_count)
            VALUES (CAST(:day AS date), 'notification', 2, :accepted, :accepted, :completed,
                    :failed, 0, 0, :needed, :recovered, 30, :recovered, 0, 0, 0, 0)
            """)
        .param("day", day)
        .param("accepted", accepted)
        .param("completed", completed)
        .param("failed", failed)
        .param("needed", neededRetry)
        .param("recovered", recovered)
        .update();
  }

  private void payment(String id, String status, String created) {
    jdbc.sql(
            """
            INSERT INTO payments (payment_intent_id, status, last_event_id, last_event_type,
                                  created_at)
            VALUES (:id, :status, 'evt', 'payment_intent.x', CAST(:created AS timestamptz))
            """)
        .param("id", id)
        .param("status", status)
        .param("created", created)
        .update();
  }

  private int key;

  private void touchpoint(String kind, String day, boolean sent, boolean delivered) {
    jdbc.sql(
            """
            INSERT INTO touchpoints (kind, subject_key, due_on, due_by, sent_at, delivery_status,
                                     delivered_at)
            VALUES (:kind, :key, CAST(:day AS date), CAST(:day AS date) + time '09:00',
                    CASE WHEN :sent THEN now() END, CASE WHEN :delivered THEN 'DELIVERED' END,
                    CASE WHEN :delivered THEN now() END)
            """)
        .param("kind", kind)
        .param("key", "reliability-test:" + (++key))
        .param("day", day)
        .param("sent", sent)
        .param("delivered", delivered)
        .update();
  }

  @BeforeEach
  void constructedHistory() {
    jdbc.sql("DELETE FROM jobs").update();
    jdbc.sql("DELETE FROM job_daily_rollups").update();
    jdbc.sql("DELETE FROM payments").update();
    jdbc.sql("DELETE FROM touchpoints").update();
    // 28 February: the retention removed its ledger rows; only its roll-up remains.
    rollup("2026-02-28", 10, 8, 2, 3, 1);
    // 1 March, notifications: completed at once; completed 60 s after its first failure;
    // retried by an operator and completed 70 s after its first failure; failed for good;
    // cancelled; still pending.
    String march1 = "2026-03-01T10:00:00Z";
    job("notification", "COMPLETED", march1, null);
    job(
        "notification",
        "COMPLETED",
        march1,
        "last_error_type = 'MAILGUN_UNAVAILABLE', first_failed_at = created_at + interval '10 s'");
    job(
        "notification",
        "COMPLETED",
        march1,
        "last_error_type = 'MAILGUN_UNAVAILABLE', resolution = 'RETRIED',"
            + " first_failed_at = created_at");
    job("notification", "FAILED", march1, "last_error_type = 'INVALID_INPUT'");
    job("notification", "CANCELLED", march1, "last_error_type = 'CANCELLED'");
    job("notification", "PENDING", march1, null);
    // 1 March, payment events: one completed, one failed.
    job("payment_event", "COMPLETED", march1, null);
    job("payment_event", "FAILED", march1, "last_error_type = 'STRIPE_UNAVAILABLE'");
    // 2 March: a roll-up computed early (1 job, none completed) and the ledger, which has more
    // and fresher rows: the ledger counts.
    rollup("2026-03-02", 1, 0, 0, 0, 0);
    job("notification", "COMPLETED", "2026-03-02T08:00:00Z", null);
    job("notification", "COMPLETED", "2026-03-02T23:59:59Z", null);
    // Outside the period (UTC): 3 March 00:00.
    job("notification", "FAILED", "2026-03-03T00:00:00Z", "last_error_type = 'X'");

    payment("pi_1", "SUCCEEDED", march1);
    payment("pi_2", "FAILED", march1);
    payment("pi_3", "REFUNDED", march1);
    payment("pi_4", "AUTHORIZED", march1);
    payment("pi_5", "SUCCEEDED", "2026-03-10T10:00:00Z");

    touchpoint("birthday_reminder", "2026-03-01", true, true);
    touchpoint("birthday_reminder", "2026-03-01", true, true);
    touchpoint("birthday_reminder", "2026-03-01", true, false);
    touchpoint("birthday_reminder", "2026-03-01", false, false);
    touchpoint("vehicle_reminder", "2026-03-02", true, false);
    touchpoint("vehicle_reminder", "2026-03-04", true, true);

    when(schedules.between(
            Instant.parse("2026-02-28T00:00:00Z"), Instant.parse("2026-03-03T00:00:00Z")))
        .thenReturn(
            List.of(
                new ScheduleReliability.Figures(
                    "birthday-reminders", "BirthdayReminderWorkflow", 288, 286),
                new ScheduleReliability.Figures(
                    "schedule-runs-retention", "ScheduleRunsRetentionWorkflow", 3, 3)));
  }

  @Test
  void theFiguresOfAConstructedHistoryAreExactlyTheExpectedOnes() throws Exception {
    mvc.perform(get("/api/reports/reliability" + PERIOD))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.from").value("2026-02-28"))
        .andExpect(jsonPath("$.to").value("2026-03-02"))
        // Overall: 10 + 6 + 2 notifications, 2 payment events; 8 + 3 + 2 + 1 completed.
        .andExpect(jsonPath("$.overall.accepted").value(20))
        .andExpect(jsonPath("$.overall.completed").value(14))
        .andExpect(jsonPath("$.overall.failed").value(4))
        .andExpect(jsonPath("$.overall.cancelled").value(1))
        .andExpect(jsonPath("$.overall.unfinished").value(1))
        .andExpect(jsonPath("$.overall.successRate").value(0.7))
        .andExpect(jsonPath("$.overall.neededRetry").value(7))
        .andExpect(jsonPath("$.overall.recoveredByRetry").value(3))
        .andExpect(jsonPath("$.overall.retryResolutionRate").value(0.4286))
        // (30 s from the roll-up + 60 s + 70 s) / 3
        .andExpect(jsonPath("$.overall.meanTimeToRecoverySeconds").value(53.333))
        .andExpect(jsonPath("$.overall.scheduledRunsExpected").value(291))
        .andExpect(jsonPath("$.overall.scheduledRunsExecuted").value(289))
        .andExpect(jsonPath("$.overall.scheduledTaskReliability").value(0.9931))
        .andExpect(jsonPath("$.overall.payments").value(4))
        .andExpect(jsonPath("$.overall.paymentsCaptured").value(2))
        .andExpect(jsonPath("$.overall.paymentCaptureRate").value(0.5))
        .andExpect(jsonPath("$.overall.touchpointsSent").value(4))
        .andExpect(jsonPath("$.overall.touchpointsDelivered").value(2))
        .andExpect(jsonPath("$.overall.touchpointDeliveryRate").value(0.5))
        .andExpect(jsonPath("$.warnings.length()").value(0))
        .andExpect(
            jsonPath("$.byType[*].type")
                .value(
                    org.hamcrest.Matchers.contains(
                        "birthday_reminders",
                        "notification",
                        "payment_event",
                        "schedule_runs_retention",
                        "vehicle_reminders")))
        .andExpect(jsonPath("$.byType[0].scheduledTaskReliability").value(0.9931))
        .andExpect(jsonPath("$.byType[0].touchpointDeliveryRate").value(0.6667))
        .andExpect(jsonPath("$.byType[0].successRate").doesNotExist())
        .andExpect(jsonPath("$.byType[1].accepted").value(18))
        .andExpect(jsonPath("$.byType[1].completed").value(13))
        .andExpect(jsonPath("$.byType[1].successRate").value(0.7222))
        .andExpect(jsonPath("$.byType[1].neededRetry").value(6))
        .andExpect(jsonPath("$.byType[1].recoveredByRetry").value(3))
        .andExpect(jsonPath("$.byType[1].retryResolutionRate").value(0.5))
        .andExpect(jsonPath("$.byType[1].meanTimeToRecoverySeconds").value(53.333))
        .andExpect(jsonPath("$.byType[1].paymentCaptureRate").doesNotExist())
        .andExpect(jsonPath("$.byType[2].accepted").value(2))
        .andExpect(jsonPath("$.byType[2].successRate").value(0.5))
        .andExpect(jsonPath("$.byType[2].retryResolutionRate").value(0.0))
        .andExpect(jsonPath("$.byType[2].meanTimeToRecoverySeconds").doesNotExist())
        .andExpect(jsonPath("$.byType[2].paymentCaptureRate").value(0.5))
        .andExpect(jsonPath("$.byType[3].scheduledTaskReliability").value(1.0))
        .andExpect(jsonPath("$.byType[4].touchpointsSent").value(1))
        .andExpect(jsonPath("$.byType[4].touchpointDeliveryRate").value(0.0));
  }

  @Test
  void withoutTemporalTheReportSaysSoAndLeavesOutOnlyTheScheduleFigures() throws Exception {
    when(schedules.between(any(), any()))
        .thenThrow(
            new ApiProblem(
                HttpStatus.SERVICE_UNAVAILABLE, "Temporal unavailable", "Temporal did not answer"));

    mvc.perform(get("/api/reports/reliability" + PERIOD))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.overall.accepted").value(20))
        .andExpect(jsonPath("$.overall.scheduledTaskReliability").doesNotExist())
        .andExpect(
            jsonPath("$.warnings[0]").value(org.hamcrest.Matchers.containsString("Temporal")));
  }

  @Test
  void missingBadReversedAndTooLongPeriodsAreRefusedWith400() throws Exception {
    for (String query :
        new String[] {
          "",
          "?from=2026-03-01",
          "?from=yesterday&to=2026-03-02",
          "?from=2026-02-30&to=2026-03-02",
          "?from=2026-03-03&to=2026-03-02",
          "?from=2025-01-01&to=2026-03-02",
          "?from=0001-01-01&to=0001-01-02",
          "?from=%2B999999999-12-30&to=%2B999999999-12-31"
        }) {
      mvc.perform(get("/api/reports/reliability" + query))
          .andExpect(status().isBadRequest())
          .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
          .andExpect(jsonPath("$.errors[0].field").exists());
    }
  }

  @Test
  void withoutATokenTheReportIsRefused() throws Exception {
    mvc.perform(get("/api/reports/reliability" + PERIOD).requestAttr(TrustedCaller.ANONYMOUS, true))
        .andExpect(status().isUnauthorized());
  }
}
