package com.marketplace.jobs.notifications;

import org.springframework.stereotype.Component;

/** Company notices through the {@link CompanyMailer}: one email per notice job. */
@Component
public class CompanyNoticeActivitiesImpl implements CompanyNoticeActivities {

  private final CompanyMailer mailer;

  CompanyNoticeActivitiesImpl(CompanyMailer mailer) {
    this.mailer = mailer;
  }

  @Override
  public String sendCompanyNotice(CompanyNoticeRequest request) {
    return mailer.send(request.jobId(), request.companyId(), request.template(), request.reason());
  }
}
