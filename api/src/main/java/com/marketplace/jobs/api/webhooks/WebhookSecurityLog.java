package com.marketplace.jobs.api.webhooks;

import com.marketplace.jobs.api.problems.ApiProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code webhook_refusals} table: when, from where and why a webhook call was refused. The
 * payload and the header values are never kept.
 */
@Repository
public class WebhookSecurityLog {

  private static final Logger log = LoggerFactory.getLogger(WebhookSecurityLog.class);

  private final JdbcClient jdbc;

  WebhookSecurityLog(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Logs the refusal and returns the 400 to throw: the same for every failed check, so the caller
   * learns nothing about which one failed.
   *
   * @param detail what the provider's caller may be told: every check, none singled out
   */
  public ApiProblem refused(
      String provider, String sourceAddress, WebhookRefusal refusal, String detail) {
    log.warn("{} webhook from {} refused: {}", provider, sourceAddress, refusal.reason());
    jdbc.sql(
            """
            INSERT INTO webhook_refusals (provider, source_address, reason)
            VALUES (:provider, :source, :reason)
            """)
        .param("provider", provider)
        .param("source", sourceAddress == null ? "unknown" : sourceAddress)
        .param("reason", refusal.reason())
        .update();
    return new ApiProblem(HttpStatus.BAD_REQUEST, "Webhook signature not verified", detail);
  }
}
