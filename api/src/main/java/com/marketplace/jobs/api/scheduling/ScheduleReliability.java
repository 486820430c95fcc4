package com.marketplace.jobs.api.scheduling;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Executed against expected runs of every schedule in the namespace over a period, for the
 * reliability report: expected are the times Temporal lists from each schedule's current spec (as
 * {@code GET /api/schedules/{id}/runs} counts them), executed those of them the run log has a run
 * for, whatever its outcome. Runs triggered by hand are not counted.
 */
@Component
public class ScheduleReliability {

  /**
   * Temporal lists at most 1,000 matching times per call; a week of a 15-minute schedule is 672.
   */
  private static final Duration CHUNK = Duration.ofDays(7);

  private final TemporalSchedules schedules;
  private final JdbcClient jdbc;

  ScheduleReliability(TemporalSchedules schedules, JdbcClient jdbc) {
    this.schedules = schedules;
    this.jdbc = jdbc;
  }

  /**
   * @param workflowType the workflow the schedule starts (its job type's), or null if not a start
   */
  public record Figures(String scheduleId, String workflowType, int expected, int executed) {}

  /**
   * Every schedule's figures for [start, end).
   *
   * @throws com.marketplace.jobs.api.problems.ApiProblem 503 when Temporal does not answer
   */
  public List<Figures> between(Instant start, Instant end) {
    List<Figures> figures = new ArrayList<>();
    for (String id : schedules.ids()) {
      String workflowType = schedules.describe(id, null).workflowType();
      Set<Instant> expected = new HashSet<>();
      for (Instant from = start; from.isBefore(end); from = from.plus(CHUNK)) {
        Instant to = from.plus(CHUNK).isBefore(end) ? from.plus(CHUNK) : end;
        for (Instant time : schedules.matchingTimes(id, from, to)) {
          if (!time.isBefore(start) && time.isBefore(end)) {
            expected.add(time);
          }
        }
      }
      List<Instant> logged =
          jdbc.sql(
                  """
                  SELECT DISTINCT scheduled_at FROM schedule_runs
                   WHERE schedule_id = :id AND scheduled_at >= :start AND scheduled_at < :end
                  """)
              .param("id", id)
              .param("start", Timestamp.from(start))
              .param("end", Timestamp.from(end))
              .query((rs, n) -> rs.getTimestamp(1).toInstant())
              .list();
      int executed = (int) logged.stream().filter(expected::contains).count();
      figures.add(new Figures(id, workflowType, expected.size(), executed));
    }
    return figures;
  }
}
