package com.marketplace.jobs.api.payments;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code webhook_refusals} table: when, from where and why a webhook call was refused. The
 * payload and the header values are never kept.
 */
@Repository
class WebhookSecurityLog {

  private static final Logger log = LoggerFactory.getLogger(WebhookSecurityLog.class);

  private final JdbcClient jdbc;

  WebhookSecurityLog(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void refused(String provider, String sourceAddress, String reason) {
    log.warn("{} webhook from {} refused: {}", provider, sourceAddress, reason);
    jdbc.sql(
            """
            INSERT INTO webhook_refusals (provider, source_address, reason)
            VALUES (:provider, :source, :reason)
            """)
        .param("provider", provider)
        .param("source", sourceAddress == null ? "unknown" : sourceAddress)
        .param("reason", reason)
        .update();
  }
}
