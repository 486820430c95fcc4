package com.marketplace.jobs.notifications;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One email to a company about a ban or unban that committed, as its own job (type {@code
 * company_notice}, the moderation job's follow-up): retried for over an hour through a Mailgun
 * outage, failed at once by a permanent refusal, and in either case visible on the moderation job
 * without touching what it did.
 */
@WorkflowInterface
public interface CompanyNoticeWorkflow {

  @WorkflowMethod
  String send(CompanyNoticeRequest request);
}
