package com.marketplace.jobs.api.reports;

import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.api.scheduling.ScheduleReliability;
import com.marketplace.jobs.common.JobType;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Computes the reliability report (for {@code GET /api/reports/reliability} and /ops/report).
 *
 * <p>Job figures come per UTC day of acceptance, job type and priority from the ledger, or from
 * {@code job_daily_rollups} where the roll-up counted more jobs than the ledger still holds (the
 * retention deleted some): the ledger is the fresher, the roll-up the only one that remembers.
 * Scheduled runs come from Temporal's schedule times and the run log, payments from {@code
 * payments} (by when the payment was first seen), touchpoints from {@code touchpoints} (by the day
 * each email was due); none of those three is touched by the ledger's retention.
 */
@Service
public class ReliabilityReports {

  /** The longest period one report covers, in days. */
  public static final int MAX_DAYS = 366;

  private static final Logger log = LoggerFactory.getLogger(ReliabilityReports.class);

  /** As job_daily_rollups.needed_retry counts it (JobRetentionActivitiesImpl.NEEDED_RETRY). */
  private static final String NEEDED_RETRY =
      "(status <> 'CANCELLED' AND (last_error_type IS NOT NULL OR resolution = 'RETRIED'))";

  private static final String JOB_FIGURES =
      """
      WITH ledger AS (
        SELECT (created_at AT TIME ZONE 'UTC')::date AS day, type, priority,
               count(*) AS accepted,
               count(*) FILTER (WHERE status = 'COMPLETED') AS completed,
               count(*) FILTER (WHERE status = 'FAILED') AS failed,
               count(*) FILTER (WHERE status = 'CANCELLED') AS cancelled,
               count(*) FILTER (WHERE status IN ('PENDING', 'PROCESSING')) AS unfinished,
               count(*) FILTER (WHERE %1$s) AS needed_retry,
               count(*) FILTER (WHERE %1$s AND status = 'COMPLETED') AS recovered,
               coalesce(sum(extract(epoch FROM finished_at - first_failed_at)) FILTER (
                   WHERE %1$s AND status = 'COMPLETED' AND first_failed_at IS NOT NULL),
                   0)::double precision AS recovery_seconds_sum,
               count(*) FILTER (WHERE %1$s AND status = 'COMPLETED'
                                  AND first_failed_at IS NOT NULL) AS recovery_count
          FROM jobs
         WHERE created_at >= (CAST(:from AS date)::timestamp AT TIME ZONE 'UTC')
           AND created_at < ((CAST(:to AS date) + 1)::timestamp AT TIME ZONE 'UTC')
         GROUP BY 1, 2, 3),
      rollup AS (
        SELECT day, type, priority, accepted, completed, failed, cancelled, unfinished,
               needed_retry, recovered, recovery_seconds_sum, recovery_count
          FROM job_daily_rollups
         WHERE day BETWEEN CAST(:from AS date) AND CAST(:to AS date)),
      chosen AS (
        SELECT r.* FROM rollup r LEFT JOIN ledger l USING (day, type, priority)
         WHERE l.accepted IS NULL OR r.accepted > l.accepted
        UNION ALL
        SELECT l.* FROM ledger l LEFT JOIN rollup r USING (day, type, priority)
         WHERE r.accepted IS NULL OR r.accepted <= l.accepted)
      SELECT type, sum(accepted) AS accepted, sum(completed) AS completed, sum(failed) AS failed,
             sum(cancelled) AS cancelled, sum(unfinished) AS unfinished,
             sum(needed_retry) AS needed_retry, sum(recovered) AS recovered,
             sum(recovery_seconds_sum) AS recovery_seconds_sum,
             sum(recovery_count) AS recovery_count
        FROM chosen
       GROUP BY type
      """
          .formatted(NEEDED_RETRY);

  /** Touchpoint kinds and the job types that send them. */
  private static final Map<String, String> TOUCHPOINT_TYPES =
      Map.of(
          "birthday_reminder", JobType.BIRTHDAY_REMINDERS.id(),
          "vehicle_reminder", JobType.VEHICLE_REMINDERS.id(),
          "purchase_stuck", JobType.PURCHASE_STATUS_CHECKS.id(),
          "plan_limit_warning", JobType.PLAN_LIMIT_CHECKS.id(),
          "plan_limit_reached", JobType.PLAN_LIMIT_CHECKS.id(),
          "plan_limit_lifted", JobType.PLAN_LIMIT_CHECKS.id());

  private final JdbcClient jdbc;
  private final ScheduleReliability schedules;

  ReliabilityReports(JdbcClient jdbc, ScheduleReliability schedules) {
    this.jdbc = jdbc;
    this.schedules = schedules;
  }

  /** What one job type (or all of them) adds up to; null where a figure does not apply. */
  private static final class Tally {
    long accepted;
    long completed;
    long failed;
    long cancelled;
    long unfinished;
    long neededRetry;
    long recovered;
    double recoverySeconds;
    long recoveryCount;
    Integer expected;
    Integer executed;
    Long payments;
    Long captured;
    Long sent;
    Long delivered;

    void addJobs(Tally other) {
      accepted += other.accepted;
      completed += other.completed;
      failed += other.failed;
      cancelled += other.cancelled;
      unfinished += other.unfinished;
      neededRetry += other.neededRetry;
      recovered += other.recovered;
      recoverySeconds += other.recoverySeconds;
      recoveryCount += other.recoveryCount;
    }

    void addRuns(int expectedRuns, int executedRuns) {
      expected = (expected == null ? 0 : expected) + expectedRuns;
      executed = (executed == null ? 0 : executed) + executedRuns;
    }

    void addTouchpoints(long sentEmails, long deliveredEmails) {
      sent = (sent == null ? 0 : sent) + sentEmails;
      delivered = (delivered == null ? 0 : delivered) + deliveredEmails;
    }

    ReliabilityReport.Figures figures(String type) {
      return new ReliabilityReport.Figures(
          type,
          accepted,
          completed,
          failed,
          cancelled,
          unfinished,
          rate(completed, accepted),
          neededRetry,
          recovered,
          rate(recovered, neededRetry),
          recoveryCount == 0 ? null : Math.round(recoverySeconds * 1000.0 / recoveryCount) / 1000.0,
          expected,
          executed,
          expected == null ? null : rate(executed, expected),
          payments,
          captured,
          payments == null ? null : rate(captured, payments),
          sent,
          delivered,
          sent == null ? null : rate(delivered, sent));
    }
  }

  private static Double rate(long part, long whole) {
    return whole == 0 ? null : Math.round(part * 10_000.0 / whole) / 10_000.0;
  }

  /**
   * Parses and checks a period as the report takes it.
   *
   * @throws ApiProblem 400 naming the field: missing, not a date, from after to, too long
   */
  public static LocalDate[] period(String from, String to) {
    LocalDate first = day("from", from);
    LocalDate last = day("to", to);
    if (first.isAfter(last)) {
      throw ApiProblem.invalidField("from", "must not be after to");
    }
    if (ChronoUnit.DAYS.between(first, last) + 1 > MAX_DAYS) {
      throw ApiProblem.invalidField("to", "must be at most " + MAX_DAYS + " days from from");
    }
    return new LocalDate[] {first, last};
  }

  private static LocalDate day(String name, String value) {
    if (value == null || value.isBlank()) {
      throw ApiProblem.invalidField(name, "is required (a date, YYYY-MM-DD)");
    }
    LocalDate day;
    try {
      day = LocalDate.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw ApiProblem.invalidField(name, "must be a date, YYYY-MM-DD");
    }
    if (day.getYear() < 1970 || day.getYear() > 9999) {
      throw ApiProblem.invalidField(name, "must be a date from 1970-01-01 to 9999-12-31");
    }
    return day;
  }

  /** The report for the UTC days from {@code from} to {@code to}, both inclusive. */
  public ReliabilityReport report(LocalDate from, LocalDate to) {
    Map<String, Tally> byType = new TreeMap<>();
    List<String> warnings = new ArrayList<>();
    jdbc.sql(JOB_FIGURES)
        .param("from", from)
        .param("to", to)
        .query(
            (rs, n) -> {
              Tally tally = byType.computeIfAbsent(rs.getString("type"), t -> new Tally());
              tally.accepted = rs.getLong("accepted");
              tally.completed = rs.getLong("completed");
              tally.failed = rs.getLong("failed");
              tally.cancelled = rs.getLong("cancelled");
              tally.unfinished = rs.getLong("unfinished");
              tally.neededRetry = rs.getLong("needed_retry");
              tally.recovered = rs.getLong("recovered");
              tally.recoverySeconds = rs.getDouble("recovery_seconds_sum");
              tally.recoveryCount = rs.getLong("recovery_count");
              return tally;
            })
        .list();
    Tally overall = new Tally();
    byType.values().forEach(overall::addJobs);

    try {
      var start = from.atStartOfDay().toInstant(ZoneOffset.UTC);
      var end = to.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
      overall.addRuns(0, 0);
      for (ScheduleReliability.Figures schedule : schedules.between(start, end)) {
        overall.addRuns(schedule.expected(), schedule.executed());
        JobType.byWorkflowType(schedule.workflowType())
            .ifPresent(
                type ->
                    byType
                        .computeIfAbsent(type.id(), t -> new Tally())
                        .addRuns(schedule.expected(), schedule.executed()));
      }
    } catch (ApiProblem temporalDown) {
      overall.expected = null;
      overall.executed = null;
      byType.values().forEach(tally -> tally.expected = tally.executed = null);
      warnings.add("No scheduled-task figures: " + temporalDown.getMessage());
      log.warn("reliability report without schedule figures: {}", temporalDown.getMessage());
    }

    Map<String, Object> payments =
        jdbc.sql(
                """
                SELECT count(*) AS payments,
                       count(*) FILTER (WHERE status IN ('SUCCEEDED', 'PARTIALLY_REFUNDED',
                                                         'REFUNDED')) AS captured
                  FROM payments
                 WHERE created_at >= (CAST(:from AS date)::timestamp AT TIME ZONE 'UTC')
                   AND created_at < ((CAST(:to AS date) + 1)::timestamp AT TIME ZONE 'UTC')
                """)
            .param("from", from)
            .param("to", to)
            .query()
            .singleRow();
    Tally paymentJobs = byType.computeIfAbsent(JobType.PAYMENT_EVENT.id(), t -> new Tally());
    paymentJobs.payments = ((Number) payments.get("payments")).longValue();
    paymentJobs.captured = ((Number) payments.get("captured")).longValue();
    overall.payments = paymentJobs.payments;
    overall.captured = paymentJobs.captured;

    overall.addTouchpoints(0, 0);
    jdbc.sql(
            """
            SELECT kind, count(sent_at) AS sent, count(delivered_at) AS delivered
              FROM touchpoints WHERE due_on BETWEEN :from AND :to GROUP BY kind
            """)
        .param("from", from)
        .param("to", to)
        .query(
            (rs, n) -> {
              long sent = rs.getLong("sent");
              long delivered = rs.getLong("delivered");
              overall.addTouchpoints(sent, delivered);
              String type = TOUCHPOINT_TYPES.get(rs.getString("kind"));
              if (type != null) {
                byType.computeIfAbsent(type, t -> new Tally()).addTouchpoints(sent, delivered);
              }
              return null;
            })
        .list();

    List<ReliabilityReport.Figures> types = new ArrayList<>();
    byType.forEach((type, tally) -> types.add(tally.figures(type)));
    return new ReliabilityReport(from, to, overall.figures(null), types, warnings);
  }
}
