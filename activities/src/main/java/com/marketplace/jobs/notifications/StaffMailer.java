package com.marketplace.jobs.notifications;

import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Emails the business's own people (the finance contact): renders a template written for that
 * audience and hands it to the {@link MailSender}. Recording the send, and so sending once per job,
 * is the caller's part.
 */
@Component
public class StaffMailer {

  private final EmailTemplates templates;
  private final MailSender mail;

  StaffMailer(EmailTemplates templates, MailSender mail) {
    this.templates = templates;
    this.mail = mail;
  }

  /**
   * @return the provider's message id
   */
  public String send(
      String to,
      String templateId,
      EmailTemplate.Audience audience,
      Map<String, Object> scope,
      String jobId) {
    EmailTemplate template = templates.find(templateId, audience);
    return mail.send(templates.compose(template, to, scope, jobId));
  }
}
