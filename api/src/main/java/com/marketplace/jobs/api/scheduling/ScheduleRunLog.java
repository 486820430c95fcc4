package com.marketplace.jobs.api.scheduling;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads the run log ({@code schedule_runs}, written by the worker). A run the log still has as
 * RUNNING whose ledger row ended (the reconciler follows Temporal's close status: terminated, timed
 * out) shows how the ledger has it.
 */
@Repository
class ScheduleRunLog {

  /** The most runs one report reads; a longer period must be asked for in parts. */
  static final int MAX_RUNS = 10_000;

  private static final String RUN_COLUMNS =
      """
      SELECT r.workflow_id, r.run_id, r.scheduled_at, r.started_at,
             coalesce(r.finished_at, CASE WHEN j.status IN ('COMPLETED', 'FAILED')
                                          THEN j.finished_at END) AS finished_at,
             CASE WHEN r.outcome <> 'RUNNING' THEN r.outcome
                  WHEN j.status = 'COMPLETED' THEN 'COMPLETED'
                  WHEN j.status = 'FAILED' AND j.last_error_type IN ('TERMINATED', 'TIMED_OUT',
                                                                     'CANCELED')
                    THEN j.last_error_type
                  WHEN j.status = 'FAILED' THEN 'FAILED'
                  ELSE 'RUNNING' END AS outcome,
             coalesce(r.error_type, CASE WHEN j.status = 'FAILED' THEN j.last_error_type END)
               AS error_type,
             j.id AS job_id
        FROM schedule_runs r LEFT JOIN jobs j ON j.workflow_id = r.workflow_id
      """;

  private final JdbcClient jdbc;

  ScheduleRunLog(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<RunView> last(String scheduleId) {
    return jdbc.sql(
            RUN_COLUMNS
                + " WHERE r.schedule_id = :scheduleId ORDER BY r.scheduled_at DESC, r.started_at"
                + " DESC LIMIT 1")
        .param("scheduleId", scheduleId)
        .query(ScheduleRunLog::run)
        .optional();
  }

  /** Runs scheduled in [from, to], oldest first; at most {@link #MAX_RUNS} + 1. */
  List<RunView> between(String scheduleId, Instant from, Instant to) {
    return jdbc.sql(
            RUN_COLUMNS
                + " WHERE r.schedule_id = :scheduleId AND r.scheduled_at BETWEEN :from AND :to"
                + " ORDER BY r.scheduled_at, r.started_at LIMIT :limit")
        .param("scheduleId", scheduleId)
        .param("from", Timestamp.from(from))
        .param("to", Timestamp.from(to))
        .param("limit", MAX_RUNS + 1)
        .query(ScheduleRunLog::run)
        .list();
  }

  private static RunView run(ResultSet row, int number) throws SQLException {
    Instant scheduledAt = row.getTimestamp("scheduled_at").toInstant();
    Instant startedAt = row.getTimestamp("started_at").toInstant();
    Timestamp finishedAt = row.getTimestamp("finished_at");
    return new RunView(
        row.getString("workflow_id"),
        row.getString("run_id"),
        scheduledAt,
        startedAt,
        finishedAt == null ? null : finishedAt.toInstant(),
        startedAt.toEpochMilli() - scheduledAt.toEpochMilli(),
        row.getString("outcome"),
        row.getString("error_type"),
        null,
        row.getObject("job_id", UUID.class));
  }
}
