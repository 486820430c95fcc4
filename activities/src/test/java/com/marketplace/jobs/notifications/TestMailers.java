package com.marketplace.jobs.notifications;

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
}
