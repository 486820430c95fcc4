package com.marketplace.jobs.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.marketplace.jobs.devstack.MailgunSink;
import com.marketplace.jobs.http.OutboundHttpProperties;
import com.marketplace.jobs.testsupport.MigratedPostgres;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The company notice's email on real PostgreSQL and the Mailgun sink: once per notice job. */
class CompanyMailerTest {

  private static final long COMPANY_ID = 101;

  private static MigratedPostgres database;
  private static JdbcClient jdbc;

  private MailgunSink sink;
  private CompanyMailer mailer;

  @BeforeAll
  static void startDatabase() {
    database = MigratedPostgres.start();
    jdbc = database.jdbc();
    jdbc.sql("INSERT INTO tenants (id, name, plan, vehicle_limit) VALUES (1, 'Sunny', 'pro', 5)")
        .update();
    jdbc.sql(
            "INSERT INTO companies (id, tenant_id, name, email)"
                + " VALUES (:id, 1, 'Sunny Cars', 'contact@sunny-cars.test')")
        .param("id", COMPANY_ID)
        .update();
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    database.close();
  }

  @BeforeEach
  void setUp() {
    sink = new MailgunSink("mg.example.com", "test-key").start(0);
    MailgunProperties properties =
        new MailgunProperties(
            URI.create(sink.baseUrl()),
            "mg.example.com",
            "test-key",
            "Rentals <no-reply@mg.example.com>",
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofMillis(500),
            Duration.ofSeconds(2),
            Duration.ofMillis(200));
    mailer =
        new CompanyMailer(
            jdbc,
            new EmailTemplates(),
            new MailgunMailSender(
                properties, OutboundHttpProperties.WORKER_DEFAULT, new EmailSends(jdbc)),
            new EmailDeliveries(jdbc));
  }

  @AfterEach
  void stopSink() {
    sink.close();
  }

  @Test
  void aNoticeWhoseAnswerCameAfterTheTimeoutIsNotSentAgainByTheRetry() {
    String jobId = UUID.randomUUID().toString();
    sink.delayNext(1, Duration.ofSeconds(3));

    ApplicationFailure lost =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> mailer.send(jobId, COMPANY_ID, "company_banned", "unpaid fees"));
    String messageId = mailer.send(jobId, COMPANY_ID, "company_banned", "unpaid fees");

    assertThat(lost).isNotNull();
    assertThat(lost.isNonRetryable()).isFalse();
    List<MailgunSink.Received> sent = sink.receivedForJob(jobId);
    assertThat(sent).as("one email to the company, not two").hasSize(1);
    assertThat(sent.get(0).form()).containsEntry("to", "contact@sunny-cars.test");
    assertThat(messageId).isEqualTo(sent.get(0).messageId());
    List<Map<String, Object>> deliveries =
        jdbc.sql(
                "SELECT company_id, template, provider_message_id FROM email_deliveries"
                    + " WHERE job_id = CAST(:id AS uuid)")
            .param("id", jobId)
            .query()
            .listOfRows();
    assertThat(deliveries)
        .containsExactly(
            Map.of(
                "company_id",
                COMPANY_ID,
                "template",
                "company_banned",
                "provider_message_id",
                messageId));
  }
}
