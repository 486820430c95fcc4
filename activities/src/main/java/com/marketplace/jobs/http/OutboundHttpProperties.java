package com.marketplace.jobs.http;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The outbound HTTP pools ({@code jobs.http.*}).
 *
 * @param maxConnections connections per client (Mailgun, the marketplace): at least the activities
 *     and local activities the worker runs at once, so no call waits for another's connection (the
 *     worker's application.yaml sets the sum of its executor slots; WorkerWiringTest checks)
 */
@Validated
@ConfigurationProperties("jobs.http")
public record OutboundHttpProperties(@Min(1) int maxConnections) {

  /**
   * The worker's default (200 activity + 200 local activity slots), for clients made outside Spring
   * (tests, tools).
   */
  public static final OutboundHttpProperties WORKER_DEFAULT = new OutboundHttpProperties(400);
}
