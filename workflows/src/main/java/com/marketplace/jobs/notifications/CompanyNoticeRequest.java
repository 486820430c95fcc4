package com.marketplace.jobs.notifications;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * An email to a company about a moderation job that committed (banned, unbanned): its own job, sent
 * and retried apart from the moderation saga, so an undeliverable address never undoes a ban.
 *
 * @param jobId the notice's own job id, derived from the moderation job's (one notice per job)
 * @param moderationJobId the ban or unban it tells of
 * @param template a {@link EmailTemplate.Audience#COMPANY} template id
 * @param reason shown where the template has one (the ban's reason); may be null
 */
public record CompanyNoticeRequest(
    String jobId, String moderationJobId, long companyId, String template, String reason) {

  /**
   * The notice of a moderation job. Its job id is a name-based UUID of the moderation job's id:
   * deterministic (so workflow code may call this, and a re-run of the moderation job asks for the
   * same notice), and never equal to a random job id.
   */
  public static CompanyNoticeRequest of(
      String moderationJobId, long companyId, EmailTemplate template, String reason) {
    String noticeJobId =
        UUID.nameUUIDFromBytes(
                ("company_notice:" + moderationJobId).getBytes(StandardCharsets.UTF_8))
            .toString();
    return new CompanyNoticeRequest(noticeJobId, moderationJobId, companyId, template.id(), reason);
  }
}
