package com.marketplace.jobs.worker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** Which failures of the start's reconciliation are worth asking Temporal again. */
class SchedulingConfigTest {

  @Test
  void aSlowOrUnreachableServerIsAskedAgainWhereverTheGrpcFailureSits() {
    assertThat(
            SchedulingConfig.transientTemporalFailure(
                new IllegalStateException(
                    "create failed",
                    Status.DEADLINE_EXCEEDED.withDescription("system info").asRuntimeException())))
        .isTrue();
    assertThat(SchedulingConfig.transientTemporalFailure(Status.UNAVAILABLE.asRuntimeException()))
        .isTrue();
    assertThat(
            SchedulingConfig.transientTemporalFailure(
                Status.RESOURCE_EXHAUSTED.asRuntimeException()))
        .isTrue();
  }

  @Test
  void aRefusalOrAnyOtherFailureStopsTheStart() {
    assertThat(
            SchedulingConfig.transientTemporalFailure(
                Status.INVALID_ARGUMENT.withDescription("bad spec").asRuntimeException()))
        .isFalse();
    assertThat(
            SchedulingConfig.transientTemporalFailure(
                Status.PERMISSION_DENIED.asRuntimeException()))
        .isFalse();
    assertThat(SchedulingConfig.transientTemporalFailure(new IllegalStateException("no")))
        .isFalse();
  }
}
