package com.marketplace.jobs.payments;

import com.marketplace.jobs.http.ProviderFailures;
import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCaptureParams;
import io.temporal.failure.ApplicationFailure;
import org.springframework.stereotype.Component;

/**
 * {@link StripePayments} through stripe-java's {@link StripeClient}, at the configured API base.
 * The client's own network retries are off: the activity's retry policy is the only one, so the
 * retry budget is what the workflow says. Messages carry the HTTP status, Stripe's error code and
 * request id, never Stripe's message (it can quote customer data).
 */
@Component
class StripeJavaPayments implements StripePayments {

  private final StripeClient stripe;

  StripeJavaPayments(StripeProperties properties) {
    String base = properties.apiBase().toString();
    this.stripe =
        StripeClient.builder()
            .setApiKey(properties.apiKey())
            .setApiBase(base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
            .setConnectTimeout((int) properties.connectTimeout().toMillis())
            .setReadTimeout((int) properties.readTimeout().toMillis())
            .setMaxNetworkRetries(0)
            .build();
  }

  @Override
  public void capture(String paymentIntentId, String idempotencyKey) {
    try {
      stripe
          .v1()
          .paymentIntents()
          .capture(
              paymentIntentId,
              PaymentIntentCaptureParams.builder().build(),
              RequestOptions.builder().setIdempotencyKey(idempotencyKey).build());
    } catch (StripeException e) {
      if (alreadyCaptured(e)) {
        // Another event's capture (or an earlier attempt whose answer was lost) won: the money
        // is captured, which is all this call was for.
        return;
      }
      throw failureFor("capture of " + paymentIntentId, e);
    }
  }

  /**
   * Stripe's answer to capturing a PaymentIntent that has succeeded already: 400 {@code
   * payment_intent_unexpected_state}, with the intent in the error showing {@code succeeded}.
   */
  static boolean alreadyCaptured(StripeException e) {
    return e instanceof InvalidRequestException
        && "payment_intent_unexpected_state".equals(e.getCode())
        && e.getStripeError() != null
        && e.getStripeError().getPaymentIntent() != null
        && "succeeded".equals(e.getStripeError().getPaymentIntent().getStatus());
  }

  static ApplicationFailure failureFor(String what, StripeException e) {
    if (e instanceof ApiConnectionException) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return ProviderFailures.unreachable(
          "Stripe unreachable during " + what + ": " + cause.getClass().getSimpleName(), null);
    }
    Integer status = e.getStatusCode();
    String detail =
        "HTTP "
            + status
            + (e.getCode() == null ? "" : " (" + e.getCode() + ")")
            + (e.getRequestId() == null ? "" : ", request " + e.getRequestId());
    // Stripe's own addition: 409 is a concurrent request on the same object (retry), unless it is
    // an idempotency key reused with other parameters.
    boolean retryable =
        status == null
            || ProviderFailures.retryable(status)
            || (status == 409 && !(e instanceof IdempotencyException));
    return ProviderFailures.of(
        retryable,
        retryable
            ? "Stripe answered " + detail + " to the " + what
            : "Stripe refused the " + what + ": " + detail,
        null);
  }
}
