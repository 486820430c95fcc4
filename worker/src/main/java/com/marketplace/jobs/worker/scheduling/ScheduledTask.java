package com.marketplace.jobs.worker.scheduling;

import com.marketplace.jobs.common.JobType;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * A checked schedule: what the worker creates or updates in Temporal.
 *
 * @param cron empty when the schedule fires by {@code interval}
 * @param interval null when it fires by {@code cron}
 * @param paused null: keep the schedule's own paused state
 */
public record ScheduledTask(
    String id,
    String workflowType,
    JobType jobType,
    String taskQueue,
    List<String> cron,
    Duration interval,
    ZoneId timeZone,
    ScheduleOverlapPolicy overlap,
    Duration catchupWindow,
    Boolean paused) {

  public ScheduledTask {
    cron = List.copyOf(cron);
  }
}
