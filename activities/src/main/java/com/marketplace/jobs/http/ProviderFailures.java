package com.marketplace.jobs.http;

import com.marketplace.jobs.common.FailureType;
import io.temporal.failure.ApplicationFailure;

/**
 * The one place that says which provider answers a retry can heal, for every adapter (Mailgun, the
 * marketplace, Stripe, the search index): 429 and 5xx, timeouts and unreachable hosts are {@code
 * PROVIDER_UNAVAILABLE} and retried by the activity's retry policy; any other 4xx (a bad address,
 * an unknown id, a wrong key) is {@code PROVIDER_REJECTED} and fails at once. Messages carry the
 * status and our own words only: providers' error bodies can echo personal data.
 */
public final class ProviderFailures {

  private ProviderFailures() {}

  /** Whether an answer with this HTTP status is worth trying again. */
  public static boolean retryable(int status) {
    return status == 429 || status >= 500;
  }

  /**
   * The failure for a provider's HTTP error status, worded "{provider} answered HTTP {status}" when
   * a retry may heal it, "{provider} refused {what}: HTTP {status}" when not.
   */
  public static ApplicationFailure forStatus(String provider, String what, int status) {
    return retryable(status)
        ? of(true, provider + " answered HTTP " + status, null)
        : of(false, provider + " refused " + what + ": HTTP " + status, null);
  }

  /** A provider that did not answer (connection refused, timed out): always retryable. */
  public static ApplicationFailure unreachable(String message, Exception cause) {
    return of(true, message, cause);
  }

  /** The failure, retryable or not, with its cause if there is one. */
  public static ApplicationFailure of(boolean retryable, String message, Exception cause) {
    return retryable
        ? ApplicationFailure.newFailureWithCause(
            message, FailureType.PROVIDER_UNAVAILABLE.name(), cause)
        : ApplicationFailure.newNonRetryableFailureWithCause(
            message, FailureType.PROVIDER_REJECTED.name(), cause);
  }
}
