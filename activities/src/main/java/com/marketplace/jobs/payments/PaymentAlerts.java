package com.marketplace.jobs.payments;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code payment_alerts} table: the finance alert sent for a job, one per job. */
@Repository
class PaymentAlerts {

  private final JdbcClient jdbc;

  PaymentAlerts(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<String> providerMessageId(String jobId) {
    return jdbc.sql("SELECT provider_message_id FROM payment_alerts WHERE job_id = :jobId")
        .param("jobId", UUID.fromString(jobId))
        .query(String.class)
        .optional();
  }

  void record(PaymentAlert alert, String providerMessageId) {
    jdbc.sql(
            """
            INSERT INTO payment_alerts (job_id, event_id, payment_intent_id, provider_message_id)
            VALUES (:jobId, :eventId, :pi, :messageId)
            ON CONFLICT (job_id) DO NOTHING
            """)
        .param("jobId", UUID.fromString(alert.jobId()))
        .param("eventId", alert.eventId())
        .param("pi", alert.paymentIntentId())
        .param("messageId", providerMessageId)
        .update();
  }
}
