package com.marketplace.jobs.moderation;

import com.marketplace.jobs.common.FailureType;
import io.temporal.failure.ApplicationFailure;

/** Assertion helpers shared by the moderation workflow tests. */
final class ModerationFailures {

  private ModerationFailures() {}

  /** The ApplicationFailure of {@code type} in {@code thrown}'s cause chain; fails if none. */
  static ApplicationFailure failureOfType(Throwable thrown, FailureType type) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure failure && type.name().equals(failure.getType())) {
        return failure;
      }
    }
    throw new AssertionError("no ApplicationFailure of type " + type + " in " + thrown, thrown);
  }

  /** A failure the workflow must not retry, so a test sees exactly one attempt. */
  static ApplicationFailure conflict(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.CONFLICT.name());
  }
}
