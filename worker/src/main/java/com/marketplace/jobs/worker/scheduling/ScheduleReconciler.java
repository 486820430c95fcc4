package com.marketplace.jobs.worker.scheduling;

import com.marketplace.jobs.common.JobSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.client.schedules.ScheduleUpdate;
import io.temporal.common.SearchAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes Temporal's schedules match the configuration, idempotently: creates the missing ones,
 * updates the existing ones (keeping their paused state unless configuration says otherwise),
 * deletes the ones this service made ({@value #MANAGED_BY} memo = the owner) that are no longer
 * configured, and leaves every other schedule alone, including a configured id that someone else
 * made. Workers starting together may race: a create that finds the schedule made meanwhile updates
 * it, a delete that finds it gone is done.
 */
public class ScheduleReconciler {

  /** The memo key that marks a schedule as this service's; its value is the owner. */
  public static final String MANAGED_BY = "managed-by";

  private static final Logger log = LoggerFactory.getLogger(ScheduleReconciler.class);

  /** What one reconciliation did, by schedule id. */
  public record Result(
      List<String> created, List<String> updated, List<String> deleted, List<String> foreign) {}

  private final ScheduleClient schedules;
  private final String owner;
  private final boolean pauseAll;

  public ScheduleReconciler(ScheduleClient schedules, String owner, boolean pauseAll) {
    this.schedules = schedules;
    this.owner = owner;
    this.pauseAll = pauseAll;
  }

  /**
   * A schedule client that reads and writes exactly as {@code client} does: its service stubs, its
   * namespace and its data converter (which encrypts payloads, the memo among them).
   */
  public static ScheduleClient scheduleClientLike(WorkflowClient client) {
    return ScheduleClient.newInstance(
        client.getWorkflowServiceStubs(),
        ScheduleClientOptions.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setDataConverter(client.getOptions().getDataConverter())
            .setIdentity(client.getOptions().getIdentity())
            .build());
  }

  public Result reconcile(List<ScheduledTask> tasks) {
    List<String> created = new ArrayList<>();
    List<String> updated = new ArrayList<>();
    List<String> foreign = new ArrayList<>();
    Set<String> configured = new LinkedHashSet<>();
    for (ScheduledTask task : tasks) {
      configured.add(task.id());
      try {
        schedules.createSchedule(
            task.id(),
            schedule(task, pauseAll || Boolean.TRUE.equals(task.paused())),
            ScheduleOptions.newBuilder().setMemo(Map.of(MANAGED_BY, owner)).build());
        created.add(task.id());
        continue;
      } catch (ScheduleAlreadyRunningException exists) {
        // Made earlier (or just now by another worker): update it below.
      }
      ScheduleHandle handle = schedules.getHandle(task.id());
      if (!owner.equals(managedBy(handle.describe()))) {
        log.warn(
            "schedule {} is configured but was not made by this service ({} memo is not {}):"
                + " left as it is",
            task.id(),
            MANAGED_BY,
            owner);
        foreign.add(task.id());
        continue;
      }
      handle.update(
          input -> {
            ScheduleState current = input.getDescription().getSchedule().getState();
            boolean paused =
                pauseAll || (task.paused() == null ? current.isPaused() : task.paused());
            ScheduleState.Builder state = ScheduleState.newBuilder(current).setPaused(paused);
            if (paused != current.isPaused()) {
              state.setNote(paused ? pausedNote() : "unpaused by configuration");
            }
            return new ScheduleUpdate(
                Schedule.newBuilder(schedule(task, paused)).setState(state.build()).build());
          });
      updated.add(task.id());
    }

    List<String> deleted = new ArrayList<>();
    List<ScheduleListDescription> listed;
    try (var stream = schedules.listSchedules()) {
      listed = stream.collect(Collectors.toList());
    }
    for (ScheduleListDescription schedule : listed) {
      String id = schedule.getScheduleId();
      if (configured.contains(id) || !owner.equals(managedBy(schedule))) {
        continue;
      }
      try {
        schedules.getHandle(id).delete();
      } catch (RuntimeException e) {
        if (!notFound(e)) {
          throw e;
        }
      }
      deleted.add(id);
    }
    Result result = new Result(created, updated, deleted, foreign);
    log.info(
        "schedules reconciled (owner {}{}): created {}, updated {}, deleted {}, not ours {}",
        owner,
        pauseAll ? ", all paused" : "",
        created,
        updated,
        deleted,
        foreign);
    return result;
  }

  private String pausedNote() {
    return pauseAll
        ? "paused by configuration (jobs.schedules.pause-all)"
        : "paused by configuration";
  }

  /** The schedule as configuration says; the state only matters when it is created. */
  Schedule schedule(ScheduledTask task, boolean paused) {
    ScheduleSpec.Builder spec = ScheduleSpec.newBuilder().setTimeZoneName(task.timeZone().getId());
    if (task.interval() != null) {
      spec.setIntervals(List.of(new ScheduleIntervalSpec(task.interval())));
    } else {
      spec.setCronExpressions(task.cron());
    }
    WorkflowOptions workflow =
        WorkflowOptions.newBuilder()
            // Temporal appends the scheduled time to make each run's workflow id.
            .setWorkflowId(task.id())
            .setTaskQueue(task.taskQueue())
            .setTypedSearchAttributes(
                SearchAttributes.newBuilder()
                    .set(JobSearchAttributes.JOB_TYPE, task.jobType().id())
                    .build())
            .build();
    return Schedule.newBuilder()
        .setAction(
            ScheduleActionStartWorkflow.newBuilder()
                .setWorkflowType(task.workflowType())
                .setOptions(workflow)
                // Scheduled workflows take no arguments.
                .setArguments()
                .build())
        .setSpec(spec.build())
        .setPolicy(
            SchedulePolicy.newBuilder()
                .setOverlap(task.overlap())
                .setCatchupWindow(task.catchupWindow())
                .build())
        .setState(
            ScheduleState.newBuilder()
                .setPaused(paused)
                .setNote(paused ? pausedNote() : "")
                .build())
        .build();
  }

  static String managedBy(ScheduleDescription description) {
    return memo(key -> description.getMemo(key, String.class));
  }

  static String managedBy(ScheduleListDescription description) {
    return memo(key -> description.getMemo(key, String.class));
  }

  // A schedule someone else made may carry no memo, or one this service's keys cannot decrypt:
  // either way it is not ours.
  private static String memo(Function<String, Object> read) {
    try {
      Object value = read.apply(MANAGED_BY);
      return value instanceof String text ? text : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  static boolean notFound(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StatusRuntimeException status
          && status.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return true;
      }
    }
    return false;
  }
}
