package com.marketplace.jobs.worker.scheduling;

import com.marketplace.jobs.common.JobType;
import com.marketplace.jobs.common.TaskQueues;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks {@code jobs.schedules} as a whole and turns it into {@link ScheduledTask}s: every problem
 * is reported at once, each naming its property, and nothing is returned unless all is well.
 */
public final class ScheduleTasks {

  /** Schedule ids the configuration (and the schedules API) accepts. */
  public static final Pattern SCHEDULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

  static final Duration DEFAULT_CATCHUP_WINDOW = Duration.ofHours(1);
  static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
  private static final String OVERLAP_PREFIX = "SCHEDULE_OVERLAP_POLICY_";

  private ScheduleTasks() {}

  /**
   * @param registered the workflow types this worker registers, by task queue
   * @throws InvalidSchedulesException listing every problem
   */
  public static List<ScheduledTask> validate(
      SchedulesProperties properties, Map<String, Set<String>> registered) {
    List<String> problems = new ArrayList<>();
    if (properties.owner() == null || properties.owner().isBlank()) {
      problems.add(SchedulesProperties.PREFIX + ".owner: must not be blank");
    }
    List<ScheduledTask> tasks = new ArrayList<>();
    properties
        .tasks()
        .forEach((id, task) -> task(id, task, registered, problems).ifPresent(tasks::add));
    if (!problems.isEmpty()) {
      throw new InvalidSchedulesException(problems);
    }
    return List.copyOf(tasks);
  }

  private static Optional<ScheduledTask> task(
      String id,
      SchedulesProperties.Task task,
      Map<String, Set<String>> registered,
      List<String> problems) {
    String prefix = SchedulesProperties.PREFIX + ".tasks." + id;
    int before = problems.size();
    if (!SCHEDULE_ID.matcher(id).matches()) {
      problems.add(
          prefix
              + ": a schedule id is 1 to 200 letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit");
    }
    if (task == null) {
      problems.add(prefix + ": has no settings (workflow-type and cron or interval are required)");
      return Optional.empty();
    }

    String taskQueue =
        task.taskQueue() == null || task.taskQueue().isBlank() ? TaskQueues.JOBS : task.taskQueue();
    JobType jobType = null;
    if (task.workflowType() == null || task.workflowType().isBlank()) {
      problems.add(prefix + ".workflow-type: is required");
    } else {
      Set<String> onQueue = registered.getOrDefault(taskQueue, Set.of());
      if (!onQueue.contains(task.workflowType())) {
        problems.add(
            prefix
                + ".workflow-type: "
                + task.workflowType()
                + " is not a workflow type this worker registers on task queue "
                + taskQueue
                + " (it registers: "
                + String.join(", ", new TreeSet<>(onQueue))
                + ")");
      } else {
        jobType = JobType.byWorkflowType(task.workflowType()).orElse(null);
        if (jobType == null) {
          problems.add(
              prefix
                  + ".workflow-type: "
                  + task.workflowType()
                  + " has no entry in JobType, so its runs would have no ledger row");
        }
      }
    }

    List<String> cron = task.cron() == null ? List.of() : task.cron();
    if (cron.isEmpty() == (task.interval() == null)) {
      problems.add(prefix + ": set exactly one of cron (a list of expressions) and interval");
    }
    for (int i = 0; i < cron.size(); i++) {
      int index = i;
      CronExpressions.problem(cron.get(i))
          .ifPresent(problem -> problems.add(prefix + ".cron[" + index + "]: " + problem));
    }
    if (task.interval() != null && task.interval().compareTo(MIN_INTERVAL) < 0) {
      problems.add(prefix + ".interval: must be at least 1s, not " + task.interval());
    }

    ZoneId zone = ZoneId.of("UTC");
    if (task.timeZone() != null) {
      if (task.timeZone().equals("UTC") || ZoneId.getAvailableZoneIds().contains(task.timeZone())) {
        zone = ZoneId.of(task.timeZone());
      } else {
        problems.add(
            prefix
                + ".time-zone: '"
                + task.timeZone()
                + "' is not an IANA time zone (such as Europe/Berlin or UTC)");
      }
    }

    ScheduleOverlapPolicy overlap = ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP;
    if (task.overlap() != null) {
      Optional<ScheduleOverlapPolicy> named = overlap(task.overlap());
      if (named.isPresent()) {
        overlap = named.get();
      } else {
        problems.add(
            prefix
                + ".overlap: '"
                + task.overlap()
                + "' is not one of "
                + String.join(", ", overlapNames()));
      }
    }

    Duration catchupWindow =
        task.catchupWindow() == null ? DEFAULT_CATCHUP_WINDOW : task.catchupWindow();
    if (catchupWindow.compareTo(Duration.ofSeconds(10)) < 0) {
      problems.add(
          prefix
              + ".catchup-window: must be at least 10s (Temporal's minimum), not "
              + catchupWindow);
    }

    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(
        new ScheduledTask(
            id,
            task.workflowType(),
            jobType,
            taskQueue,
            cron.stream().map(String::trim).toList(),
            task.interval(),
            zone,
            overlap,
            catchupWindow,
            task.paused()));
  }

  /** The overlap names the configuration accepts: Temporal's, without the prefix. */
  static List<String> overlapNames() {
    return Arrays.stream(ScheduleOverlapPolicy.values())
        .filter(
            policy ->
                policy != ScheduleOverlapPolicy.UNRECOGNIZED
                    && policy != ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_UNSPECIFIED)
        .map(policy -> policy.name().substring(OVERLAP_PREFIX.length()))
        .collect(Collectors.toList());
  }

  private static Optional<ScheduleOverlapPolicy> overlap(String name) {
    return overlapNames().contains(name)
        ? Optional.of(ScheduleOverlapPolicy.valueOf(OVERLAP_PREFIX + name))
        : Optional.empty();
  }
}
