package com.marketplace.jobs.notifications;

import com.marketplace.jobs.devstack.MailgunSink;
import com.marketplace.jobs.http.OutboundHttpProperties;
import java.net.URI;
import java.time.Duration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Mailers with the real templates over a given sender, for tests in other packages. */
public final class TestMailers {

  private TestMailers() {}

  /** The real Mailgun sender (batches included) over {@code jdbc}'s {@code email_sends}. */
  public static BatchMailSender mailgun(
      MailgunProperties properties, org.springframework.jdbc.core.simple.JdbcClient jdbc) {
    return new MailgunMailSender(
        properties, new com.marketplace.jobs.http.OutboundHttpProperties(8), new EmailSends(jdbc));
  }

  public static StaffMailer staffMailer(MailSender sender) {
    return new StaffMailer(new EmailTemplates(), sender);
  }

  /** The real staff mailer sending through the real Mailgun client to {@code sink}. */
  public static StaffMailer staffMailer(JdbcClient jdbc, MailgunSink sink) {
    return new StaffMailer(
        new EmailTemplates(),
        new MailgunMailSender(
            sinkProperties(sink), OutboundHttpProperties.WORKER_DEFAULT, new EmailSends(jdbc)));
  }

  /** The real company mailer sending through the real Mailgun client to {@code sink}. */
  public static CompanyMailer companyMailer(JdbcClient jdbc, MailgunSink sink) {
    MailgunProperties properties = sinkProperties(sink);
    return new CompanyMailer(
        jdbc,
        new EmailTemplates(),
        new MailgunMailSender(
            properties, OutboundHttpProperties.WORKER_DEFAULT, new EmailSends(jdbc)),
        new EmailDeliveries(jdbc));
  }

  private static MailgunProperties sinkProperties(MailgunSink sink) {
    return new MailgunProperties(
        URI.create(sink.baseUrl()),
        sink.domain(),
        sink.apiKey(),
        "Rentals <no-reply@" + sink.domain() + ">",
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Duration.ofMillis(500),
        Duration.ofSeconds(2),
        Duration.ofMillis(200));
  }
}
