package com.marketplace.jobs.api.webhooks;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a webhook answers with its 200: the event, whether it became a job, and the job's links.
 *
 * @param outcome {@code accepted} (a job; also for a redelivered event) or {@code ignored}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookReceipt(
    String eventId, String outcome, String jobId, String workflowId, String statusUrl) {}
