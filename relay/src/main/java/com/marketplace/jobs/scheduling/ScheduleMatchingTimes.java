package com.marketplace.jobs.scheduling;

import com.google.protobuf.Timestamp;
import io.temporal.api.workflowservice.v1.ListScheduleMatchingTimesRequest;
import io.temporal.client.WorkflowClient;
import java.time.Instant;
import java.util.List;

/**
 * The times a Temporal Schedule's current spec gives in a span, from Temporal itself
 * (ListScheduleMatchingTimes, which the schedule client does not offer): the expected runs the
 * api's run report and the worker's missed-run check compare with the run log. Paused or not, the
 * spec's times are all there.
 */
public final class ScheduleMatchingTimes {

  private ScheduleMatchingTimes() {}

  /** The spec's times in [from, to]. Temporal's refusals come through as gRPC exceptions. */
  public static List<Instant> between(
      WorkflowClient client, String scheduleId, Instant from, Instant to) {
    return client
        .getWorkflowServiceStubs()
        .blockingStub()
        .listScheduleMatchingTimes(
            ListScheduleMatchingTimesRequest.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                .setScheduleId(scheduleId)
                .setStartTime(timestamp(from))
                .setEndTime(timestamp(to))
                .build())
        .getStartTimeList()
        .stream()
        .map(t -> Instant.ofEpochSecond(t.getSeconds(), t.getNanos()))
        .toList();
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }
}
