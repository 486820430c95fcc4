package com.marketplace.jobs.relay;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;

/** What a failed StartWorkflow call means for the relay, by the gRPC status Temporal answered. */
enum StartFailure {

  /** UNAVAILABLE or DEADLINE_EXCEEDED: the server did not answer. The whole relay pauses. */
  UNREACHABLE,

  /**
   * INVALID_ARGUMENT: the server checked this request and refused its content (the input over its
   * blob size limit, an id or a search attribute value it does not accept). The same row builds the
   * same request, so no retry heals it: after {@code max-refused-starts} the job is FAILED. The
   * bound is above one because a server misconfigured for a moment (a search attribute not yet
   * registered) refuses with the same code.
   *
   * <p>Not NOT_FOUND (an unknown namespace), PERMISSION_DENIED or UNAUTHENTICATED: those refuse
   * this process, not this job, and every start alike until someone fixes the namespace, the role
   * or the credentials. Failing jobs for them would fail the whole backlog within seconds of a bad
   * deploy; backing off keeps the jobs PENDING, and they start once the configuration is fixed.
   */
  REFUSED,

  /** Anything else (rate limits, a namespace failing over): this job backs off and is retried. */
  OTHER;

  static StartFailure of(Throwable failure) {
    return grpcStatus(failure)
        .map(
            status ->
                switch (status.getCode()) {
                  case UNAVAILABLE, DEADLINE_EXCEEDED -> UNREACHABLE;
                  case INVALID_ARGUMENT -> REFUSED;
                  default -> OTHER;
                })
        .orElse(OTHER);
  }

  /** The status of the first gRPC error in the cause chain (the SDK wraps it). */
  static Optional<Status> grpcStatus(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException status) {
        return Optional.of(status.getStatus());
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Optional.empty();
  }
}
