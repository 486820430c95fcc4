package com.marketplace.jobs.notifications;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code email_deliveries} table: one row per notification job that Mailgun accepted. */
@Repository
class EmailDeliveries {

  private final JdbcClient jdbc;

  EmailDeliveries(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<String> providerMessageId(String jobId) {
    return jdbc.sql("SELECT provider_message_id FROM email_deliveries WHERE job_id = :jobId")
        .param("jobId", UUID.fromString(jobId))
        .query(String.class)
        .optional();
  }

  void recordForCompany(String jobId, long companyId, String template, String providerMessageId) {
    jdbc.sql(
            """
            INSERT INTO email_deliveries (job_id, company_id, template, provider_message_id)
            VALUES (:jobId, :companyId, :template, :messageId)
            ON CONFLICT (job_id) DO NOTHING
            """)
        .param("jobId", UUID.fromString(jobId))
        .param("companyId", companyId)
        .param("template", template)
        .param("messageId", providerMessageId)
        .update();
  }

  void record(String jobId, long customerId, String template, String providerMessageId) {
    jdbc.sql(
            """
            INSERT INTO email_deliveries (job_id, customer_id, template, provider_message_id)
            VALUES (:jobId, :customerId, :template, :messageId)
            ON CONFLICT (job_id) DO NOTHING
            """)
        .param("jobId", UUID.fromString(jobId))
        .param("customerId", customerId)
        .param("template", template)
        .param("messageId", providerMessageId)
        .update();
  }
}
