package com.marketplace.jobs.notifications;

/** Mailers with the real templates over a given sender, for tests in other packages. */
public final class TestMailers {

  private TestMailers() {}

  public static StaffMailer staffMailer(MailSender sender) {
    return new StaffMailer(new EmailTemplates(), sender);
  }
}
