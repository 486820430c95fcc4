package com.marketplace.jobs.purchases;

import com.marketplace.jobs.http.OutboundHttp;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The purchase provider and the purchase-status checks ({@code jobs.purchases.*}, or
 * PURCHASE_PROVIDER_* environment variables).
 *
 * @param baseUrl the provider's API root, e.g. {@code https://api.purchases.example}; may carry a
 *     path prefix; a local fake in development and tests
 * @param apiKey sent as {@code Authorization: Bearer <apiKey>}; from the environment, never from a
 *     committed file
 * @param timeout the deadline of each phase of one call (pool, connect, TLS handshake, read)
 * @param stuckAfter a purchase still pending this long after it was requested is flagged to its
 *     company and on /ops, once
 */
@Validated
@ConfigurationProperties("jobs.purchases")
public record PurchaseProperties(
    @NotNull URI baseUrl,
    @NotBlank String apiKey,
    @DefaultValue("10s") @NotNull Duration timeout,
    @DefaultValue("7d") @NotNull Duration stuckAfter) {

  public PurchaseProperties {
    if (timeout != null
        && (timeout.isNegative()
            || timeout.isZero()
            || OutboundHttp.Deadlines.uniform(timeout)
                    .worstCase()
                    .compareTo(PurchaseStatusCheckWorkflowImpl.CHECK_HEARTBEAT_TIMEOUT)
                >= 0)) {
      throw new IllegalArgumentException(
          "jobs.purchases.timeout ("
              + timeout
              + ") must be positive and below "
              + PurchaseStatusCheckWorkflowImpl.CHECK_HEARTBEAT_TIMEOUT.dividedBy(4)
              + ": one provider call (four times the timeout at worst) must end within the"
              + " check's heartbeat timeout of "
              + PurchaseStatusCheckWorkflowImpl.CHECK_HEARTBEAT_TIMEOUT);
    }
    if (stuckAfter != null && (stuckAfter.isNegative() || stuckAfter.isZero())) {
      throw new IllegalArgumentException(
          "jobs.purchases.stuck-after (" + stuckAfter + ") must be positive");
    }
  }

  @Override
  public String toString() {
    // The key must never reach a log line.
    return "PurchaseProperties[baseUrl=%s, timeout=%s, stuckAfter=%s]"
        .formatted(baseUrl, timeout, stuckAfter);
  }
}
