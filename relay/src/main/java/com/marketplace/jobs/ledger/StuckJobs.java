package com.marketplace.jobs.ledger;

import io.grpc.StatusRuntimeException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The stuck jobs, by the rules of {@link StuckReason} and the thresholds of {@link
 * StuckJobsProperties}: the one definition that the /ops stuck page (api), the operations alerts
 * and the {@code jobs.stuck} gauge (worker) read. Overdue and quiet jobs come from the ledger;
 * retrying ones are ledger rows with a failed attempt whose workflow Temporal shows with an
 * activity at attempt 2 or later; failing types are counted from the ledger's FAILED rows in the
 * window.
 */
public class StuckJobs {

  private static final Logger log = LoggerFactory.getLogger(StuckJobs.class);

  private final JdbcClient jdbc;
  private final PendingActivities temporal;
  private final StuckJobsProperties properties;

  public StuckJobs(JdbcClient jdbc, PendingActivities temporal, StuckJobsProperties properties) {
    this.jdbc = jdbc;
    this.temporal = temporal;
    this.properties = properties;
  }

  public StuckJobsProperties properties() {
    return properties;
  }

  /**
   * Every stuck job and failing type now, at most {@code jobs.stuck.limit}, each with its reason.
   */
  public List<StuckJob> find() {
    List<StuckJob> stuck = new ArrayList<>(overdueOrQuiet());
    stuck.addAll(retrying());
    stuck.addAll(failingTypes());
    return stuck.size() > properties.limit() ? stuck.subList(0, properties.limit()) : stuck;
  }

  private List<StuckJob> overdueOrQuiet() {
    return jdbc.sql(
            """
            SELECT id, type, workflow_id, status, last_error_type, last_error_message,
                   CASE WHEN status = 'PENDING' THEN coalesce(not_before, created_at)
                        ELSE updated_at END AS since
              FROM jobs
             WHERE (status = 'PENDING' AND started_at IS NULL AND cancel_requested_at IS NULL
                    AND coalesce(not_before, created_at)
                        < now() - make_interval(secs => :pendingGrace))
                OR (status = 'PROCESSING'
                    AND updated_at < now() - make_interval(secs => :processingQuiet))
             ORDER BY since
             LIMIT :limit
            """)
        .param("pendingGrace", properties.pendingGrace().toSeconds())
        .param("processingQuiet", properties.processingQuiet().toSeconds())
        .param("limit", properties.limit())
        .query(
            (rows, i) -> {
              Instant since = instant(rows, "since");
              boolean pending = "PENDING".equals(rows.getString("status"));
              String waited = minutes(Duration.between(since, Instant.now()));
              return new StuckJob(
                  rows.getObject("id", UUID.class),
                  rows.getString("type"),
                  rows.getString("workflow_id"),
                  pending ? StuckReason.PENDING_OVERDUE : StuckReason.NO_PROGRESS,
                  pending
                      ? "pending, not started " + waited + " after its due time"
                      : "processing, no progress for " + waited,
                  since,
                  rows.getString("last_error_type"),
                  rows.getString("last_error_message"));
            })
        .list();
  }

  private List<StuckJob> retrying() {
    if (properties.retryingLookups() == 0) {
      return List.of();
    }
    List<Candidate> candidates =
        jdbc.sql(
                """
                SELECT id, type, workflow_id, updated_at, last_error_type, last_error_message
                  FROM jobs
                 WHERE status = 'PROCESSING' AND last_error_type IS NOT NULL
                   AND updated_at >= now() - make_interval(secs => :processingQuiet)
                 ORDER BY updated_at
                 LIMIT :lookups
                """)
            .param("processingQuiet", properties.processingQuiet().toSeconds())
            .param("lookups", properties.retryingLookups())
            .query(
                (rows, i) ->
                    new Candidate(
                        rows.getObject("id", UUID.class),
                        rows.getString("type"),
                        rows.getString("workflow_id"),
                        instant(rows, "updated_at"),
                        rows.getString("last_error_type"),
                        rows.getString("last_error_message")))
            .list();
    List<StuckJob> retrying = new ArrayList<>();
    for (Candidate job : candidates) {
      try {
        temporal
            .retrying(job.workflowId(), properties.retryingAttempt())
            .ifPresent(
                activity ->
                    retrying.add(
                        new StuckJob(
                            job.id(),
                            job.type(),
                            job.workflowId(),
                            StuckReason.ACTIVITY_RETRYING,
                            "activity "
                                + activity.activityType()
                                + " retrying, attempt "
                                + activity.attempt(),
                            job.updatedAt(),
                            job.errorType(),
                            LedgerErrorMessages.withoutPersonalData(
                                activity.lastFailure() != null
                                    ? activity.lastFailure()
                                    : job.errorMessage()))));
      } catch (StatusRuntimeException e) {
        // One unanswered describe must not hide the other stuck jobs; the next check asks again.
        log.warn("workflow {}: could not read its pending activities", job.workflowId(), e);
      }
    }
    return retrying;
  }

  private List<StuckJob> failingTypes() {
    return jdbc.sql(
            """
            SELECT type, count(*) AS failures, max(finished_at) AS newest,
                   (array_agg(last_error_type ORDER BY finished_at DESC))[1] AS error_type,
                   (array_agg(last_error_message ORDER BY finished_at DESC))[1] AS error_message
              FROM jobs
             WHERE status = 'FAILED'
               AND finished_at >= now() - make_interval(secs => :window)
             GROUP BY type
            HAVING count(*) >= :count
             ORDER BY type
            """)
        .param("window", properties.failingTypeWindow().toSeconds())
        .param("count", properties.failingTypeCount())
        .query(
            (rows, i) ->
                new StuckJob(
                    null,
                    rows.getString("type"),
                    null,
                    StuckReason.TYPE_FAILING,
                    rows.getLong("failures")
                        + " jobs failed in the last "
                        + minutes(properties.failingTypeWindow()),
                    instant(rows, "newest"),
                    rows.getString("error_type"),
                    rows.getString("error_message")))
        .list();
  }

  private record Candidate(
      UUID id,
      String type,
      String workflowId,
      Instant updatedAt,
      String errorType,
      String errorMessage) {}

  private static Instant instant(ResultSet rows, String column) throws SQLException {
    Timestamp value = rows.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }

  private static String minutes(Duration duration) {
    long minutes = duration.toMinutes();
    return minutes >= 1 ? minutes + " min" : Math.max(0, duration.toSeconds()) + " s";
  }
}
