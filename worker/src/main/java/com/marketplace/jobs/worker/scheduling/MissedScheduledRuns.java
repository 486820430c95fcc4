package com.marketplace.jobs.worker.scheduling;

import com.marketplace.jobs.scheduling.ScheduleMatchingTimes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Scheduled runs that should have happened and did not: for each configured, unpaused schedule, the
 * times Temporal's ListScheduleMatchingTimes gives for its spec since it was created or last
 * updated (at most {@code lookback} back), up to {@code grace} ago, that have no row in the run log
 * ({@code schedule_runs}). A run skipped by its overlap policy, or not started while the workers
 * were down, is missed; one merely late is missed only once it is later than the grace.
 *
 * <p>A paused schedule is not checked, and its times up to the last check that saw it paused are
 * not expected once it is unpaused ({@code schedule_pause_sightings}): Temporal keeps no time of an
 * unpause. A pause shorter than the time between two checks goes unseen, and a run it held back is
 * reported missed, which it was.
 */
public class MissedScheduledRuns {

  /** One expected run not in the run log. */
  public record Missed(String scheduleId, String workflowType, Instant scheduledAt) {}

  private static final Logger log = LoggerFactory.getLogger(MissedScheduledRuns.class);

  private final WorkflowClient client;
  private final ScheduleClient schedules;
  private final SchedulesProperties properties;
  private final JdbcClient jdbc;
  private final Set<String> ignoredWorkflowTypes;

  /**
   * @param ignoredWorkflowTypes schedules of these workflow types are not checked (the alerts' own
   *     check: a run it skips is made up by the next, a minute later)
   */
  public MissedScheduledRuns(
      WorkflowClient client,
      SchedulesProperties properties,
      JdbcClient jdbc,
      Set<String> ignoredWorkflowTypes) {
    this.client = client;
    this.schedules = ScheduleReconciler.scheduleClientLike(client);
    this.properties = properties;
    this.jdbc = jdbc;
    this.ignoredWorkflowTypes = ignoredWorkflowTypes;
  }

  /** The missed runs between {@code now - lookback} and {@code now - grace}. */
  public List<Missed> find(Instant now, Duration lookback, Duration grace) {
    List<Missed> missed = new ArrayList<>();
    Instant to = now.minus(grace);
    for (Map.Entry<String, SchedulesProperties.Task> task : properties.tasks().entrySet()) {
      String id = task.getKey();
      if (ignoredWorkflowTypes.contains(task.getValue().workflowType())) {
        continue;
      }
      try {
        ScheduleDescription description = schedules.getHandle(id).describe();
        if (description.getSchedule().getState() != null
            && description.getSchedule().getState().isPaused()) {
          sawPaused(id, now);
          continue;
        }
        Instant from = latest(now.minus(lookback), description.getInfo());
        Instant lastSeenPaused = lastSeenPaused(id);
        if (lastSeenPaused != null && lastSeenPaused.isAfter(from)) {
          from = lastSeenPaused;
        }
        if (!from.isBefore(to)) {
          continue;
        }
        Set<Instant> ran =
            new HashSet<>(
                jdbc.sql(
                        """
                        SELECT scheduled_at FROM schedule_runs
                         WHERE schedule_id = :id AND scheduled_at BETWEEN :from AND :to
                        """)
                    .param("id", id)
                    .param("from", java.sql.Timestamp.from(from))
                    .param("to", java.sql.Timestamp.from(to))
                    .query((rows, i) -> rows.getTimestamp(1).toInstant())
                    .list());
        for (Instant expected : ScheduleMatchingTimes.between(client, id, from, to)) {
          if (!ran.contains(expected)) {
            missed.add(new Missed(id, task.getValue().workflowType(), expected));
          }
        }
      } catch (RuntimeException e) {
        // One schedule Temporal cannot describe (deleted by hand, say) must not hide the others.
        log.warn("schedule {}: could not check for missed runs", id, e);
      }
    }
    return missed;
  }

  private void sawPaused(String id, Instant now) {
    jdbc.sql(
            """
            INSERT INTO schedule_pause_sightings (schedule_id, seen_paused_at) VALUES (:id, :now)
            ON CONFLICT (schedule_id) DO UPDATE SET seen_paused_at = EXCLUDED.seen_paused_at
             WHERE schedule_pause_sightings.seen_paused_at < EXCLUDED.seen_paused_at
            """)
        .param("id", id)
        .param("now", java.sql.Timestamp.from(now))
        .update();
  }

  private Instant lastSeenPaused(String id) {
    return jdbc.sql("SELECT seen_paused_at FROM schedule_pause_sightings WHERE schedule_id = :id")
        .param("id", id)
        .query((rows, i) -> rows.getTimestamp(1).toInstant())
        .optional()
        .orElse(null);
  }

  private static Instant latest(Instant from, ScheduleInfo info) {
    Instant latest = from;
    if (info.getCreatedAt() != null && info.getCreatedAt().isAfter(latest)) {
      latest = info.getCreatedAt();
    }
    // An update (every worker start reconciles) can change the spec: earlier times are not its.
    if (info.getLastUpdatedAt() != null && info.getLastUpdatedAt().isAfter(latest)) {
      latest = info.getLastUpdatedAt();
    }
    return latest;
  }
}
