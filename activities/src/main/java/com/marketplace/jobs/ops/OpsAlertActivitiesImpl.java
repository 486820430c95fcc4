package com.marketplace.jobs.ops;

import com.marketplace.jobs.common.FailureType;
import com.marketplace.jobs.ledger.LedgerErrorMessages;
import com.marketplace.jobs.notifications.EmailTemplate;
import com.marketplace.jobs.notifications.StaffMailer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Claims alert conditions in {@code ops_alerts} and delivers each alert by email (Mailgun, through
 * the {@link StaffMailer}) and webhook. Reads the ledger, never writes it. Logs ids only.
 */
@Component
public class OpsAlertActivitiesImpl implements OpsAlertActivities {

  /** Counter of alerts delivered (Prometheus {@code jobs_alerts_sent_total}). */
  public static final String SENT_COUNTER = "jobs.alerts.sent";

  private static final Logger log = LoggerFactory.getLogger(OpsAlertActivitiesImpl.class);

  private final JdbcClient jdbc;
  private final AlertSources sources;
  private final AlertsProperties properties;
  private final StaffMailer mailer;
  private final AlertWebhook webhook;
  private final MeterRegistry meters;

  public OpsAlertActivitiesImpl(
      JdbcClient jdbc,
      AlertSources sources,
      AlertsProperties properties,
      StaffMailer mailer,
      AlertWebhook webhook,
      MeterRegistry meters) {
    this.jdbc = jdbc;
    this.sources = sources;
    this.properties = properties;
    this.mailer = mailer;
    this.webhook = webhook;
    this.meters = meters;
  }

  @Override
  public List<OpsAlert> claimOpsAlerts(int limit) {
    // A retried job that fails again is a new failure: its run is part of the subject.
    int failed =
        jdbc.sql(
                """
                INSERT INTO ops_alerts (id, condition, subject, job_id, job_type, reason,
                                        error_type, error_message)
                SELECT gen_random_uuid(), 'job_failed', j.id::text || '/' || coalesce(j.run_id, ''),
                       j.id, j.type,
                       'failed after ' || j.attempts || ' attempt'
                           || CASE WHEN j.attempts = 1 THEN '' ELSE 's' END,
                       j.last_error_type, j.last_error_message
                  FROM jobs j
                 WHERE j.status = 'FAILED'
                   AND j.finished_at >= now() - make_interval(secs => :lookback)
                   AND NOT EXISTS (SELECT 1 FROM ops_alerts a
                                    WHERE a.condition = 'job_failed'
                                      AND a.subject = j.id::text || '/' || coalesce(j.run_id, ''))
                ON CONFLICT (condition, subject) DO NOTHING
                """)
            .param("lookback", properties.lookback().toSeconds())
            .update();
    int others = 0;
    for (AlertCandidate candidate : sources.currentConditions()) {
      others +=
          jdbc.sql(
                  """
                  INSERT INTO ops_alerts (id, condition, subject, job_id, job_type, reason,
                                          error_type, error_message)
                  VALUES (:id, :condition, :subject, :jobId, :jobType, :reason, :errorType,
                          :errorMessage)
                  ON CONFLICT (condition, subject) DO NOTHING
                  """)
              .param("id", UUID.randomUUID())
              .param("condition", candidate.condition().id())
              .param("subject", candidate.subject())
              .param("jobId", candidate.jobId() == null ? null : UUID.fromString(candidate.jobId()))
              .param("jobType", candidate.jobType())
              .param("reason", candidate.reason())
              .param("errorType", candidate.errorType())
              .param(
                  "errorMessage", LedgerErrorMessages.withoutPersonalData(candidate.errorMessage()))
              .update();
    }
    List<OpsAlert> unsent =
        jdbc.sql(
                """
                SELECT id, condition, subject, job_id, job_type, reason, error_type, error_message
                  FROM ops_alerts
                 WHERE email_sent_at IS NULL OR (webhook_sent_at IS NULL AND :webhook)
                 ORDER BY detected_at
                 LIMIT :limit
                """)
            .param("webhook", properties.webhookEnabled())
            .param("limit", limit)
            .query(
                (rows, i) -> {
                  AlertCondition condition = AlertCondition.byId(rows.getString("condition"));
                  UUID jobId = rows.getObject("job_id", UUID.class);
                  String subject = rows.getString("subject");
                  return new OpsAlert(
                      rows.getObject("id", UUID.class).toString(),
                      condition,
                      subject,
                      jobId == null ? null : jobId.toString(),
                      rows.getString("job_type"),
                      rows.getString("reason"),
                      rows.getString("error_type"),
                      LedgerErrorMessages.withoutPersonalData(rows.getString("error_message")),
                      properties.publicBaseUrl() + linkPath(condition, jobId, subject));
                })
            .list();
    if (failed + others > 0 || !unsent.isEmpty()) {
      log.info(
          "ops alerts: {} failed jobs and {} other conditions claimed, {} alerts to send",
          failed,
          others,
          unsent.size());
    }
    return unsent;
  }

  @Override
  public void emailOpsAlert(OpsAlert alert) {
    if (alreadySent(alert, "email_sent_at")) {
      return;
    }
    if (properties.email() == null || properties.email().isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "jobs.alerts.email is not set", FailureType.INVALID_INPUT.name());
    }
    Map<String, Object> scope = new LinkedHashMap<>();
    scope.put("title", title(alert));
    scope.put("condition", alert.condition().title());
    scope.put("jobId", alert.jobId());
    scope.put("jobType", alert.jobType());
    scope.put("subject", alert.subject());
    scope.put("reason", alert.reason());
    scope.put("errorType", alert.errorType());
    scope.put("errorMessage", alert.errorMessage());
    scope.put("link", alert.link());
    String messageId =
        mailer.send(
            properties.email(),
            EmailTemplate.OPS_ALERT.id(),
            EmailTemplate.Audience.OPERATIONS,
            scope,
            alert.alertId());
    int recorded =
        jdbc.sql(
                """
                UPDATE ops_alerts SET email_sent_at = now(), email_message_id = :messageId
                 WHERE id = :id AND email_sent_at IS NULL
                """)
            .param("messageId", messageId)
            .param("id", UUID.fromString(alert.alertId()))
            .update();
    if (recorded == 1) {
      sent(alert, "email");
      log.info("alert {} ({}): emailed ({})", alert.alertId(), alert.condition().id(), messageId);
    }
  }

  @Override
  public void postOpsAlertToWebhook(OpsAlert alert) {
    if (!properties.webhookEnabled() || alreadySent(alert, "webhook_sent_at")) {
      return;
    }
    webhook.post(payload(alert));
    int recorded =
        jdbc.sql(
                "UPDATE ops_alerts SET webhook_sent_at = now()"
                    + " WHERE id = :id AND webhook_sent_at IS NULL")
            .param("id", UUID.fromString(alert.alertId()))
            .update();
    if (recorded == 1) {
      sent(alert, "webhook");
      log.info("alert {} ({}): posted to the webhook", alert.alertId(), alert.condition().id());
    }
  }

  /**
   * Slack's incoming-webhook payload: {@code text} (the notification's fallback) and {@code blocks}
   * (a header, the fields, the link).
   */
  static Map<String, Object> payload(OpsAlert alert) {
    List<Map<String, Object>> fields = new ArrayList<>();
    if (alert.jobId() != null) {
      fields.add(mrkdwn("*Job*\n" + alert.jobId()));
    }
    if (alert.jobType() != null) {
      fields.add(mrkdwn("*Type*\n" + alert.jobType()));
    }
    fields.add(mrkdwn("*Why*\n" + alert.reason()));
    if (alert.errorType() != null) {
      fields.add(
          mrkdwn(
              "*Error*\n"
                  + alert.errorType()
                  + (alert.errorMessage() == null ? "" : ": " + alert.errorMessage())));
    }
    String text =
        title(alert)
            + ": "
            + alert.reason()
            + (alert.errorType() == null ? "" : " (" + alert.errorType() + ")")
            + " "
            + alert.link();
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("text", text);
    payload.put(
        "blocks",
        List.of(
            Map.of("type", "header", "text", Map.of("type", "plain_text", "text", title(alert))),
            Map.of("type", "section", "fields", fields),
            Map.of("type", "section", "text", mrkdwn("<" + alert.link() + "|Open in /ops>"))));
    return payload;
  }

  private static Map<String, Object> mrkdwn(String text) {
    return Map.of("type", "mrkdwn", "text", text);
  }

  /** "Job failed: notification 3f2c…", "Scheduled run missed: birthday-reminders@…". */
  static String title(OpsAlert alert) {
    String what =
        switch (alert.condition()) {
          case JOB_FAILED, JOB_STUCK -> alert.jobType() + " job " + alert.jobId();
          case TYPE_FAILING -> alert.jobType();
          case SCHEDULE_MISSED -> alert.subject();
        };
    return alert.condition().title() + ": " + what;
  }

  private static String linkPath(AlertCondition condition, UUID jobId, String subject) {
    return switch (condition) {
      case JOB_FAILED, JOB_STUCK -> "/ops/jobs/" + jobId;
      case TYPE_FAILING -> "/ops/stuck";
      case SCHEDULE_MISSED ->
          "/api/schedules/" + subject.substring(0, subject.indexOf('@')) + "/runs";
    };
  }

  private boolean alreadySent(OpsAlert alert, String column) {
    return jdbc.sql("SELECT " + column + " IS NOT NULL FROM ops_alerts WHERE id = :id")
        .param("id", UUID.fromString(alert.alertId()))
        .query(Boolean.class)
        .optional()
        .orElse(true);
  }

  private void sent(OpsAlert alert, String channel) {
    Counter.builder(SENT_COUNTER)
        .description("Operations alerts delivered, by condition and channel")
        .tag("condition", alert.condition().id())
        .tag("channel", channel)
        .register(meters)
        .increment();
  }
}
