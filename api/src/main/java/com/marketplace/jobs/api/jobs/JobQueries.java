package com.marketplace.jobs.api.jobs;

import com.marketplace.jobs.common.JobPriority;
import com.marketplace.jobs.ledger.JobStatusCounts;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads of the {@code jobs} ledger for the status API. */
@Repository
public class JobQueries {

  private static final String COLUMNS =
      """
      id, type, status, priority, workflow_id, run_id, attempts, created_at, started_at,
      finished_at, progress_completed, progress_total, progress_step,
      progress_batch_sizes::text AS progress_batch_sizes, last_error_type, last_error_message,
      resolution, parent_job_id, not_before, cancel_requested_at
      """;

  private final JdbcClient jdbc;

  /** Read only here: the worker folds the count changes ({@link JobStatusCounts#compact}). */
  private final JobStatusCounts allTime;

  JobQueries(JdbcClient jdbc) {
    this.jdbc = jdbc;
    this.allTime = new JobStatusCounts(jdbc);
  }

  public Optional<JobView> find(UUID jobId) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM jobs WHERE id = :id")
        .param("id", jobId)
        .query(JobQueries::view)
        .optional()
        .map(job -> job.withFollowUps(followUps(jobId)));
  }

  private List<JobView.FollowUp> followUps(UUID jobId) {
    return jdbc.sql(
            """
            SELECT id, type, status, last_error_type, last_error_message FROM jobs
             WHERE parent_job_id = :id ORDER BY created_at, id
            """)
        .param("id", jobId)
        .query(
            (rs, row) -> {
              UUID id = rs.getObject("id", UUID.class);
              String errorType = rs.getString("last_error_type");
              return new JobView.FollowUp(
                  id,
                  rs.getString("type"),
                  rs.getString("status"),
                  errorType == null
                      ? null
                      : new JobView.Error(errorType, rs.getString("last_error_message")),
                  JobLinks.statusPath(id));
            })
        .list();
  }

  /**
   * Failed jobs accepted within {@code period} (of {@code type}, if given; resolved ones too),
   * newest first, at most {@code limit}.
   */
  public List<JobView> failed(String type, StatsPeriod period, int limit) {
    Map<String, Object> params = new LinkedHashMap<>();
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM jobs WHERE "
            + failedWhere(type, period, params)
            + " ORDER BY created_at DESC, id DESC LIMIT :limit";
    params.put("limit", limit);
    return jdbc.sql(sql).params(params).query(JobQueries::view).list();
  }

  /** The failed jobs nobody retried or resolved yet, of the same filter, oldest first. */
  public List<UUID> failedUnresolvedIds(String type, StatsPeriod period) {
    Map<String, Object> params = new LinkedHashMap<>();
    String sql =
        "SELECT id FROM jobs WHERE "
            + failedWhere(type, period, params)
            + " AND resolution = 'UNRESOLVED' ORDER BY created_at, id";
    return jdbc.sql(sql).params(params).query(UUID.class).list();
  }

  private static String failedWhere(String type, StatsPeriod period, Map<String, Object> params) {
    StringBuilder where = new StringBuilder("status = 'FAILED'");
    if (type != null) {
      where.append(" AND type = :type");
      params.put("type", type);
    }
    if (period.length() != null) {
      where.append(" AND created_at > now() - make_interval(secs => :seconds)");
      params.put("seconds", (double) period.length().toSeconds());
    }
    return where.toString();
  }

  /** One retry of a job, as {@code job_retries} holds it. */
  public record Retry(OffsetDateTime at, String by, String failedRunId, String newRunId) {}

  /** A person's resolution of a failed job. */
  public record Resolution(OffsetDateTime at, String by, String comment) {}

  public List<Retry> retries(UUID jobId) {
    return jdbc.sql(
            """
            SELECT retried_at, retried_by, failed_run_id, new_run_id FROM job_retries
             WHERE job_id = :id ORDER BY retried_at, id
            """)
        .param("id", jobId)
        .query(
            (rs, row) ->
                new Retry(
                    rs.getObject("retried_at", OffsetDateTime.class),
                    rs.getString("retried_by"),
                    rs.getString("failed_run_id"),
                    rs.getString("new_run_id")))
        .list();
  }

  public Optional<Resolution> resolution(UUID jobId) {
    return jdbc.sql(
            """
            SELECT resolved_at, resolved_by, resolution_comment FROM jobs
             WHERE id = :id AND resolved_at IS NOT NULL
            """)
        .param("id", jobId)
        .query(
            (rs, row) ->
                new Resolution(
                    rs.getObject("resolved_at", OffsetDateTime.class),
                    rs.getString("resolved_by"),
                    rs.getString("resolution_comment")))
        .optional();
  }

  /**
   * Newest first. {@code beforeJob} pages by a job id (exact, even among jobs created in the same
   * microsecond); {@code beforeTime} by creation time.
   */
  List<JobView> list(
      JobStatus status, String type, int limit, UUID beforeJob, OffsetDateTime beforeTime) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM jobs WHERE true");
    Map<String, Object> params = new LinkedHashMap<>();
    if (status != null) {
      sql.append(" AND status = :status");
      params.put("status", status.name());
    }
    if (type != null) {
      sql.append(" AND type = :type");
      params.put("type", type);
    }
    if (beforeJob != null) {
      sql.append(" AND (created_at, id) < (SELECT created_at, id FROM jobs WHERE id = :beforeJob)");
      params.put("beforeJob", beforeJob);
    }
    if (beforeTime != null) {
      sql.append(" AND created_at < :beforeTime");
      params.put("beforeTime", beforeTime);
    }
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
    params.put("limit", limit);
    return jdbc.sql(sql.toString()).params(params).query(JobQueries::view).list();
  }

  /**
   * Jobs accepted within {@code period}, by status and by type then status. All time comes from the
   * counts the database keeps (V25), a period from the index on acceptance time (V20).
   */
  public JobStats stats(StatsPeriod period) {
    Map<String, Long> byStatus = zeroPerStatus();
    Map<String, Map<String, Long>> byType = new TreeMap<>();
    long[] total = {0};
    List<JobStatusCounts.Count> counts =
        period.length() == null
            ? allTime.all()
            : jdbc.sql(
                    """
                    SELECT type, status, count(*) AS n FROM jobs
                     WHERE created_at > now() - make_interval(secs => :seconds)
                     GROUP BY type, status
                    """)
                .param("seconds", (double) period.length().toSeconds())
                .query(
                    (rs, row) ->
                        new JobStatusCounts.Count(
                            rs.getString("type"), rs.getString("status"), rs.getLong("n")))
                .list();
    for (JobStatusCounts.Count count : counts) {
      total[0] += count.n();
      byStatus.merge(count.status(), count.n(), Long::sum);
      byType
          .computeIfAbsent(count.type(), t -> zeroPerStatus())
          .merge(count.status(), count.n(), Long::sum);
    }
    return new JobStats(total[0], byStatus, byType);
  }

  private static Map<String, Long> zeroPerStatus() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (JobStatus status : JobStatus.values()) {
      counts.put(status.name(), 0L);
    }
    return counts;
  }

  private static List<Integer> batchSizes(String json) {
    if (json == null || json.length() < 3) {
      return null;
    }
    return java.util.Arrays.stream(json.replaceAll("[\\[\\]\\s]", "").split(","))
        .map(Integer::valueOf)
        .toList();
  }

  private static JobView view(ResultSet rs, int row) throws SQLException {
    UUID id = rs.getObject("id", UUID.class);
    Long completed = (Long) rs.getObject("progress_completed");
    Long total = (Long) rs.getObject("progress_total");
    String errorType = rs.getString("last_error_type");
    return new JobView(
        id,
        rs.getString("type"),
        rs.getString("status"),
        JobPriority.ofKey(rs.getInt("priority")).name(),
        rs.getString("workflow_id"),
        rs.getString("run_id"),
        rs.getInt("attempts"),
        rs.getObject("created_at", OffsetDateTime.class),
        rs.getObject("started_at", OffsetDateTime.class),
        rs.getObject("finished_at", OffsetDateTime.class),
        total == null
            ? null
            : new JobView.Progress(
                completed == null ? 0 : completed,
                total,
                rs.getString("progress_step"),
                batchSizes(rs.getString("progress_batch_sizes"))),
        errorType == null ? null : new JobView.Error(errorType, rs.getString("last_error_message")),
        rs.getString("resolution"),
        JobLinks.statusPath(id),
        rs.getObject("parent_job_id", UUID.class),
        null,
        rs.getObject("not_before", OffsetDateTime.class),
        rs.getObject("cancel_requested_at", OffsetDateTime.class));
  }
}
