package com.marketplace.jobs.purchases;

import com.marketplace.jobs.notifications.CompanyMailer;
import com.marketplace.jobs.notifications.EmailTemplate;
import com.marketplace.jobs.notifications.TouchpointSends;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
public class PurchaseStatusActivitiesImpl implements PurchaseStatusActivities {

  /** The touchpoint kind of the one email per stuck purchase. */
  static final String KIND = "purchase_stuck";

  private static final Logger log = LoggerFactory.getLogger(PurchaseStatusActivitiesImpl.class);

  private final JdbcClient jdbc;
  private final PurchaseProvider provider;
  private final CompanyMailer mailer;
  private final PurchaseProperties properties;

  PurchaseStatusActivitiesImpl(
      JdbcClient jdbc,
      PurchaseProvider provider,
      CompanyMailer mailer,
      PurchaseProperties properties) {
    this.jdbc = jdbc;
    this.provider = provider;
    this.mailer = mailer;
    this.properties = properties;
  }

  private record Pending(long id, String reference) {}

  @Override
  public PurchaseCheckBatch purchasesCheckBatch(long afterId, int limit) {
    var context = Activity.getExecutionContext();
    // A retried attempt goes on after the last purchase the previous attempt recorded.
    PurchaseCheckBatch done =
        context
            .getHeartbeatDetails(PurchaseCheckBatch.class)
            .orElse(PurchaseCheckBatch.from(afterId));
    List<Pending> pending =
        jdbc.sql(
                """
                SELECT id, provider_reference FROM vehicle_purchases
                 WHERE status = 'PENDING' AND id > :after
                 ORDER BY id LIMIT :limit
                """)
            .param("after", done.lastId())
            .param("limit", Math.max(0, limit - done.checked()))
            .query((rs, row) -> new Pending(rs.getLong("id"), rs.getString("provider_reference")))
            .list();
    for (Pending purchase : pending) {
      PurchaseProvider.Answer answer = provider.status(purchase.reference());
      done = record(purchase.id(), answer, done);
      context.heartbeat(done);
    }
    if (done.checked() > 0) {
      log.info(
          "purchase checks: {} checked up to id {}: {} completed, {} failed, {} refused",
          done.checked(),
          done.lastId(),
          done.completed(),
          done.failed(),
          done.refused());
    }
    return done;
  }

  /** Records the answer about one purchase; only a PENDING row changes. */
  private PurchaseCheckBatch record(
      long id, PurchaseProvider.Answer answer, PurchaseCheckBatch done) {
    int completed = 0;
    int failed = 0;
    int refused = 0;
    if (answer instanceof PurchaseProvider.Refused refusal) {
      refused =
          jdbc.sql(
                  """
                  UPDATE vehicle_purchases SET last_checked_at = now(), last_check_error = :error
                   WHERE id = :id AND status = 'PENDING'
                  """)
              .param("id", id)
              .param("error", refusal.message())
              .update();
      log.warn("purchase {}: not checked, {}", id, refusal.message());
    } else if (answer instanceof PurchaseProvider.Known known
        && known.status() == PurchaseProvider.Status.COMPLETED) {
      completed =
          jdbc.sql(
                  """
                  UPDATE vehicle_purchases
                     SET status = 'COMPLETED', completed_at = now(), last_checked_at = now(),
                         last_check_error = NULL
                   WHERE id = :id AND status = 'PENDING'
                  """)
              .param("id", id)
              .update();
      log.info("purchase {}: completed", id);
    } else if (answer instanceof PurchaseProvider.Known known
        && known.status() == PurchaseProvider.Status.FAILED) {
      failed =
          jdbc.sql(
                  """
                  UPDATE vehicle_purchases
                     SET status = 'FAILED', failed_at = now(), failure_reason = :reason,
                         last_checked_at = now(), last_check_error = NULL
                   WHERE id = :id AND status = 'PENDING'
                  """)
              .param("id", id)
              .param("reason", known.reason())
              .update();
      log.info("purchase {}: failed", id);
    } else {
      jdbc.sql(
              """
              UPDATE vehicle_purchases SET last_checked_at = now(), last_check_error = NULL
               WHERE id = :id AND status = 'PENDING'
              """)
          .param("id", id)
          .update();
    }
    return new PurchaseCheckBatch(
        id,
        done.checked() + 1,
        done.completed() + completed,
        done.failed() + failed,
        done.refused() + refused);
  }

  /**
   * The touchpoint's day is today in UTC; its email counts as late when sent more than a day after
   * the flag (a Mailgun outage longer than the retries ride out).
   */
  @Override
  public int purchasesFlagStuck() {
    int flagged =
        jdbc.sql(
                """
                WITH flagged AS (
                  UPDATE vehicle_purchases SET stuck_flagged_at = now()
                   WHERE status = 'PENDING' AND stuck_flagged_at IS NULL
                     AND requested_at < now() - make_interval(secs => :stuckAfterSeconds)
                  RETURNING id, company_id
                ), owed AS (
                  INSERT INTO touchpoints (kind, subject_key, tenant_id, company_id, due_on, due_by)
                  SELECT :kind, 'vehicle-purchase:' || f.id, c.tenant_id, f.company_id,
                         (now() AT TIME ZONE 'UTC')::date, now() + interval '1 day'
                    FROM flagged f JOIN companies c ON c.id = f.company_id
                  ON CONFLICT (kind, subject_key) DO NOTHING
                )
                SELECT count(*) FROM flagged
                """)
            .param("stuckAfterSeconds", (double) properties.stuckAfter().toSeconds())
            .param("kind", KIND)
            .query(Integer.class)
            .single();
    if (flagged > 0) {
      log.info(
          "purchase checks: {} purchases pending longer than {} flagged",
          flagged,
          properties.stuckAfter());
    }
    return flagged;
  }

  @Override
  public List<Long> purchasesUnsentStuckNotices(long afterId, int limit) {
    return TouchpointSends.unsentAfter(jdbc, KIND, afterId, limit);
  }

  @Override
  public StuckNoticeBatch purchasesSendStuckNotices(List<Long> touchpointIds) {
    var context = Activity.getExecutionContext();
    int sent = 0;
    int refused = 0;
    for (long id : touchpointIds) {
      Notice notice = unsent(id);
      if (notice == null) {
        continue;
      }
      try {
        String messageId =
            mailer.send(
                TouchpointSends.sendKey(KIND, id),
                notice.companyId(),
                EmailTemplate.PURCHASE_STUCK.id(),
                params(notice));
        TouchpointSends.markSent(jdbc, id, messageId);
        sent++;
        log.info(
            "stuck purchase {}: email {} sent to company {}",
            notice.purchaseId(),
            messageId,
            notice.companyId());
      } catch (ApplicationFailure failure) {
        if (!failure.isNonRetryable()) {
          throw failure;
        }
        TouchpointSends.markRefused(jdbc, id);
        refused++;
        log.warn(
            "stuck purchase {}: not emailed to company {}, refused for good ({})",
            notice.purchaseId(),
            notice.companyId(),
            failure.getType());
      }
      context.heartbeat(id);
    }
    return new StuckNoticeBatch(sent, refused);
  }

  private record Notice(
      long companyId,
      long purchaseId,
      long vehicleId,
      String modelName,
      String reference,
      OffsetDateTime requestedAt,
      OffsetDateTime now) {}

  private Notice unsent(long touchpointId) {
    return jdbc.sql(
            """
            SELECT t.company_id, p.id AS purchase_id, p.vehicle_id, m.name AS model_name,
                   p.provider_reference, p.requested_at, now() AS now
              FROM touchpoints t
              JOIN vehicle_purchases p ON t.subject_key = 'vehicle-purchase:' || p.id
              JOIN vehicles v ON v.id = p.vehicle_id
              JOIN vehicle_models m ON m.id = v.model_id
             WHERE t.id = :id AND t.kind = :kind AND t.sent_at IS NULL
               AND t.delivery_status IS NULL
            """)
        .param("id", touchpointId)
        .param("kind", KIND)
        .query(
            (rs, row) ->
                new Notice(
                    rs.getLong("company_id"),
                    rs.getLong("purchase_id"),
                    rs.getLong("vehicle_id"),
                    rs.getString("model_name"),
                    rs.getString("provider_reference"),
                    rs.getObject("requested_at", OffsetDateTime.class),
                    rs.getObject("now", OffsetDateTime.class)))
        .optional()
        .orElse(null);
  }

  private static Map<String, Object> params(Notice notice) {
    return Map.of(
        "vehicleName",
        notice.modelName() + " #" + notice.vehicleId(),
        "providerReference",
        notice.reference(),
        "requestedOn",
        notice
            .requestedAt()
            .withOffsetSameInstant(ZoneOffset.UTC)
            .format(DateTimeFormatter.ISO_LOCAL_DATE),
        "pendingDays",
        Long.toString(Duration.between(notice.requestedAt(), notice.now()).toDays()));
  }
}
