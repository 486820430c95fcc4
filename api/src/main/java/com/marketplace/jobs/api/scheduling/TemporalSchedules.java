package com.marketplace.jobs.api.scheduling;

import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.scheduling.ScheduleMatchingTimes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleCalendarSpec;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleRange;
import io.temporal.client.schedules.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/** The api's reads and triggers of Temporal Schedules; Temporal's refusals become problems. */
@Component
class TemporalSchedules {

  /** The memo key the worker marks its schedules with (ScheduleReconciler.MANAGED_BY). */
  static final String MANAGED_BY = "managed-by";

  private static final String OVERLAP_PREFIX = "SCHEDULE_OVERLAP_POLICY_";
  private static final int NEXT_RUN_TIMES = 5;

  private final ScheduleClient schedules;
  private final WorkflowClient client;

  TemporalSchedules(
      @Qualifier(ScheduleClientConfig.SCHEDULE_CLIENT) ScheduleClient schedules,
      WorkflowClient client) {
    this.schedules = schedules;
    this.client = client;
  }

  /** The ids of every schedule in the namespace, sorted. */
  List<String> ids() {
    return temporal(
        () -> {
          try (var stream = schedules.listSchedules()) {
            return stream.map(ScheduleListDescription::getScheduleId).sorted().toList();
          }
        });
  }

  /** The schedule with this id; a 404 problem when there is none. */
  ScheduleView describe(String id, RunView lastRun) {
    ScheduleDescription description = temporal(() -> schedules.getHandle(id).describe());
    var schedule = description.getSchedule();
    String workflowType = null;
    String taskQueue = null;
    if (schedule.getAction() instanceof ScheduleActionStartWorkflow start) {
      workflowType = start.getWorkflowType();
      taskQueue = start.getOptions() == null ? null : start.getOptions().getTaskQueue();
    }
    var policy = schedule.getPolicy();
    var state = schedule.getState();
    var info = description.getInfo();
    return new ScheduleView(
        id,
        workflowType,
        taskQueue,
        spec(schedule.getSpec()),
        state != null && state.isPaused(),
        state == null || state.getNote() == null || state.getNote().isEmpty()
            ? null
            : state.getNote(),
        policy == null || policy.getOverlap() == null
            ? null
            : policy.getOverlap().name().replace(OVERLAP_PREFIX, ""),
        policy == null || policy.getCatchupWindow() == null
            ? null
            : policy.getCatchupWindow().toString(),
        managedBy(description),
        info.getNextActionTimes().stream().limit(NEXT_RUN_TIMES).toList(),
        info.getNumActions(),
        info.getNumActionsMissedCatchupWindow(),
        info.getNumActionsSkippedOverlap(),
        lastRun);
  }

  /** Temporal's times for the schedule in [from, to], from its current spec. */
  List<Instant> matchingTimes(String id, Instant from, Instant to) {
    return temporal(() -> ScheduleMatchingTimes.between(client, id, from, to));
  }

  /** One run now, under the schedule's own overlap policy. */
  void trigger(String id) {
    temporal(
        () -> {
          schedules.getHandle(id).trigger();
          return null;
        });
  }

  private static String managedBy(ScheduleDescription description) {
    try {
      Object owner = description.getMemo(MANAGED_BY, String.class);
      return owner instanceof String text ? text : null;
    } catch (RuntimeException unreadable) {
      // Made by someone else, with a memo under other keys than ours: not ours.
      return null;
    }
  }

  private static ScheduleView.Spec spec(ScheduleSpec spec) {
    if (spec == null) {
      return new ScheduleView.Spec(List.of(), List.of(), null);
    }
    List<String> cron = new ArrayList<>();
    if (spec.getCronExpressions() != null) {
      cron.addAll(spec.getCronExpressions());
    }
    if (spec.getCalendars() != null) {
      spec.getCalendars().stream().map(TemporalSchedules::cron).forEach(cron::add);
    }
    List<String> intervals =
        spec.getIntervals() == null
            ? List.of()
            : spec.getIntervals().stream()
                .map(ScheduleIntervalSpec::getEvery)
                .map(Duration::toString)
                .toList();
    String zone =
        spec.getTimeZoneName() == null || spec.getTimeZoneName().isEmpty()
            ? "UTC"
            : spec.getTimeZoneName();
    return new ScheduleView.Spec(cron, intervals, zone);
  }

  /**
   * A calendar as cron text: minute hour day-of-month month day-of-week, seconds first if not 0.
   */
  static String cron(ScheduleCalendarSpec calendar) {
    String seconds = field(calendar.getSeconds(), 0, 59);
    String fields =
        String.join(
            " ",
            field(calendar.getMinutes(), 0, 59),
            field(calendar.getHour(), 0, 23),
            field(calendar.getDayOfMonth(), 1, 31),
            field(calendar.getMonth(), 1, 12),
            field(calendar.getDayOfWeek(), 0, 6));
    return seconds.equals("0") ? fields : seconds + " " + fields;
  }

  private static String field(List<ScheduleRange> ranges, int min, int max) {
    if (ranges == null || ranges.isEmpty()) {
      return "*";
    }
    return ranges.stream()
        .map(
            range -> {
              int end = Math.max(range.getEnd(), range.getStart());
              int step = Math.max(range.getStep(), 1);
              if (range.getStart() == min && end >= max) {
                return step == 1 ? "*" : "*/" + step;
              }
              String text =
                  end == range.getStart() ? Integer.toString(end) : range.getStart() + "-" + end;
              return step == 1 ? text : text + "/" + step;
            })
        .collect(Collectors.joining(","));
  }

  /** Temporal's answer, or a problem: no such schedule (404), Temporal unreachable (503). */
  private static <T> T temporal(Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      Status.Code code = statusCode(e);
      if (code == Status.Code.NOT_FOUND || code == Status.Code.INVALID_ARGUMENT) {
        throw ApiProblem.notFound("No schedule with this id.");
      }
      if (code != null) {
        throw new ApiProblem(
            HttpStatus.SERVICE_UNAVAILABLE,
            "Temporal unavailable",
            "Temporal did not answer (" + code + "); try again shortly.");
      }
      throw e;
    }
  }

  private static Status.Code statusCode(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StatusRuntimeException status) {
        return status.getStatus().getCode();
      }
    }
    return null;
  }
}
