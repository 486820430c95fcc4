package com.marketplace.jobs.notifications;

import com.marketplace.jobs.common.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Emails a company's contact (moderation notices), once per job: the delivery is recorded under the
 * job id, and a job that already has one sends nothing.
 */
@Component
public class CompanyMailer {

  private static final Logger log = LoggerFactory.getLogger(CompanyMailer.class);

  private final JdbcClient jdbc;
  private final EmailTemplates templates;
  private final MailSender mail;
  private final EmailDeliveries deliveries;

  CompanyMailer(
      JdbcClient jdbc, EmailTemplates templates, MailSender mail, EmailDeliveries deliveries) {
    this.jdbc = jdbc;
    this.templates = templates;
    this.mail = mail;
    this.deliveries = deliveries;
  }

  /**
   * @param reason shown to the company where the template has one; may be null
   */
  public String send(String jobId, long companyId, String templateId, String reason) {
    return send(jobId, companyId, templateId, reason == null ? Map.of() : Map.of("reason", reason));
  }

  /**
   * @param params the template's values beyond {@code companyName}
   */
  public String send(String jobId, long companyId, String templateId, Map<String, ?> params) {
    var alreadySent = deliveries.providerMessageId(jobId);
    if (alreadySent.isPresent()) {
      return alreadySent.get();
    }
    EmailTemplate template = templates.find(templateId, EmailTemplate.Audience.COMPANY);
    Map<String, String> company =
        jdbc.sql("SELECT name, email FROM companies WHERE id = :id")
            .param("id", companyId)
            .query(
                (rs, row) -> Map.of("name", rs.getString("name"), "email", rs.getString("email")))
            .optional()
            .orElseThrow(
                () ->
                    ApplicationFailure.newNonRetryableFailure(
                        "company " + companyId + " does not exist", FailureType.NOT_FOUND.name()));
    Map<String, Object> scope = new HashMap<>(params);
    scope.put("companyName", company.get("name"));
    String messageId = mail.send(templates.compose(template, company.get("email"), scope, jobId));
    deliveries.recordForCompany(jobId, companyId, template.id(), messageId);
    log.info("job {}: email {} sent to company {}", jobId, messageId, companyId);
    return messageId;
  }
}
