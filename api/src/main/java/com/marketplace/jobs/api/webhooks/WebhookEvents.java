package com.marketplace.jobs.api.webhooks;

import com.marketplace.jobs.api.intake.AcceptedJob;
import com.marketplace.jobs.api.intake.JobIntake;
import com.marketplace.jobs.api.intake.NewJob;
import com.marketplace.jobs.api.jobs.JobLinks;
import com.marketplace.jobs.common.JobType;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A verified provider event becomes a job, or is recorded as ignored, in one transaction with its
 * {@code webhook_events} row. The job's id derives from the provider and the event id, and the
 * event id is its idempotency key, so however often and however concurrently a provider delivers an
 * event, there is one job and one workflow.
 */
@Service
public class WebhookEvents {

  private final JobIntake intake;
  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;

  WebhookEvents(JobIntake intake, JdbcClient jdbc, TransactionTemplate transactions) {
    this.intake = intake;
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  /** What makes two deliveries the same job: the event id, nothing the provider may vary. */
  record EventContent(String eventId) {}

  /** The job id of a provider's event: a name-based UUID of {@code <provider>:<event id>}. */
  public static UUID jobIdFor(String provider, String eventId) {
    return UUID.nameUUIDFromBytes((provider + ":" + eventId).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Accepts the event as a job of {@code type} (or finds the job of an earlier delivery).
   *
   * @param workflowInput the workflow's input, given the job id ({@link #jobIdFor})
   */
  public WebhookReceipt accept(
      String provider,
      String eventId,
      String eventType,
      JobType type,
      Function<UUID, Object> workflowInput) {
    UUID jobId = jobIdFor(provider, eventId);
    return transactions.execute(
        status -> {
          AcceptedJob job =
              intake.accept(
                  new NewJob(
                      type,
                      new EventContent(eventId),
                      workflowInput,
                      eventId,
                      null,
                      null,
                      Set.of(),
                      NewJob.SameContent.SAME_JOB_WITHIN_WINDOW,
                      jobId));
          record(provider, eventId, eventType, "ACCEPTED", job.jobId());
          return new WebhookReceipt(
              eventId,
              "accepted",
              job.jobId().toString(),
              job.workflowId(),
              JobLinks.statusPath(job.jobId()));
        });
  }

  /** Records an event no job handles; a redelivery counts up its deliveries. */
  public WebhookReceipt ignore(String provider, String eventId, String eventType) {
    record(provider, eventId, eventType, "IGNORED", null);
    return new WebhookReceipt(eventId, "ignored", null, null, null);
  }

  private void record(String provider, String eventId, String type, String outcome, UUID jobId) {
    jdbc.sql(
            """
            INSERT INTO webhook_events (provider, event_id, event_type, outcome, job_id)
            VALUES (:provider, :eventId, :type, :outcome, :jobId)
            ON CONFLICT (provider, event_id) DO UPDATE
               SET deliveries = webhook_events.deliveries + 1, last_received_at = now()
            """)
        .param("provider", provider)
        .param("eventId", eventId)
        .param("type", type)
        .param("outcome", outcome)
        .param("jobId", jobId)
        .update();
  }
}
