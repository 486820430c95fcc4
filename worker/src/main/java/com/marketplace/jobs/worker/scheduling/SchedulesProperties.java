package com.marketplace.jobs.worker.scheduling;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Temporal Schedules this service keeps ({@code jobs.schedules.*}), as configured; {@link
 * ScheduleTasks#validate} checks them and turns them into {@link ScheduledTask}s.
 *
 * @param owner the value of the {@value ScheduleReconciler#MANAGED_BY} memo on every schedule this
 *     service creates: the worker updates and deletes only schedules carrying it
 * @param pauseAll every schedule this worker keeps is paused at start, whatever its task says (the
 *     system tests' shared stack, whose tests count emails and jobs); a trigger still runs it
 * @param tasks the schedules, by schedule id
 */
@ConfigurationProperties("jobs.schedules")
public record SchedulesProperties(
    @DefaultValue(SchedulesProperties.DEFAULT_OWNER) String owner,
    @DefaultValue("false") boolean pauseAll,
    Map<String, Task> tasks) {

  public static final String PREFIX = "jobs.schedules";
  public static final String DEFAULT_OWNER = "background-jobs";

  public SchedulesProperties {
    tasks = tasks == null ? Map.of() : new LinkedHashMap<>(tasks);
  }

  /**
   * One schedule ({@code jobs.schedules.tasks.<schedule-id>.*}).
   *
   * @param workflowType the workflow type each run starts (it takes no arguments); registered on
   *     this worker for the task queue, with an entry in {@code JobType}
   * @param taskQueue the runs' task queue; {@code background-jobs} when absent
   * @param cron cron expressions (5 fields or a macro), the schedule fires at each; or
   * @param interval fire every this long (counted from the epoch, so restarts keep the phase)
   * @param timeZone the IANA zone the cron expressions are read in; UTC when absent
   * @param overlap Temporal's overlap policy without its prefix: SKIP (when absent), BUFFER_ONE,
   *     BUFFER_ALL, CANCEL_OTHER, TERMINATE_OTHER, ALLOW_ALL
   * @param catchupWindow how late a missed run may still start (server or workers down); 1 h when
   *     absent
   * @param paused pause (true) or unpause (false) the schedule at start; absent keeps what the
   *     schedule has (a new one starts unpaused), so an operator's pause survives a restart
   */
  public record Task(
      String workflowType,
      String taskQueue,
      List<String> cron,
      Duration interval,
      String timeZone,
      String overlap,
      Duration catchupWindow,
      Boolean paused) {}
}
