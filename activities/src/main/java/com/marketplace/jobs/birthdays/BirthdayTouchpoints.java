package com.marketplace.jobs.birthdays;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Birthday reminders in the {@code touchpoints} table (kind {@code birthday_reminder}, subject key
 * {@code customer:<id>:<year>}). Set-based: claims are inserted from arrays in one statement per
 * chunk, batches are handed out and settled with one statement each.
 */
@Repository
class BirthdayTouchpoints {

  static final String KIND = "birthday_reminder";

  /** Rows inserted per statement when claiming. */
  private static final int CLAIM_CHUNK = 5_000;

  private static final Logger log = LoggerFactory.getLogger(BirthdayTouchpoints.class);

  /** A claimed reminder and where it goes. Never logged: only its id is. */
  record Recipient(long touchpointId, String email, String firstName) {}

  /** A reminder owed now, ready to be inserted. */
  private record Claim(long customerId, long tenantId, BirthdayRules.Due due) {}

  private final JdbcClient jdbc;

  BirthdayTouchpoints(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Inserts a touchpoint for every customer whose reminder {@link BirthdayRules#due} says is owed
   * at {@code now} and who has none this year. Customers are prefiltered in SQL by birthday (the
   * two or three calendar days that are today somewhere) and by a recent touchpoint; a time zone
   * that is not an IANA name counts as UTC (its customer ids are logged).
   *
   * @return the touchpoints inserted
   */
  int claim(Instant now, BirthdayProperties window) {
    List<Claim> claims = new ArrayList<>();
    List<Long> unknownZones = new ArrayList<>();
    String days =
        BirthdayRules.candidateMonthDays(now).stream()
            .map(String::valueOf)
            .collect(Collectors.joining(",", "{", "}"));
    jdbc.sql(
            """
            SELECT c.id, c.tenant_id, c.birth_date, c.time_zone
              FROM customers c
             WHERE c.birth_date IS NOT NULL
               AND birthday_month_day(c.birth_date) = ANY(:days::integer[])
               AND NOT EXISTS (SELECT 1 FROM touchpoints t
                                WHERE t.customer_id = c.id AND t.kind = :kind
                                  AND t.due_on >= (:now::timestamptz AT TIME ZONE 'UTC')::date - 2)
            """)
        .param("days", days)
        .param("kind", KIND)
        .param("now", now.toString())
        .query(
            rs -> {
              long customerId = rs.getLong("id");
              long tenantId = rs.getLong("tenant_id");
              Optional<ZoneId> zone = BirthdayRules.ianaZone(rs.getString("time_zone"));
              if (zone.isEmpty()) {
                unknownZones.add(customerId);
              }
              BirthdayRules.due(
                      rs.getObject("birth_date", LocalDate.class),
                      zone.orElse(ZoneOffset.UTC),
                      now,
                      window.windowStart(),
                      window.windowEnd())
                  .ifPresent(due -> claims.add(new Claim(customerId, tenantId, due)));
            });
    if (!unknownZones.isEmpty()) {
      log.warn(
          "{} customers have a time zone that is not an IANA name; their birthdays count in UTC"
              + " (ids, at most 20: {})",
          unknownZones.size(),
          unknownZones.subList(0, Math.min(20, unknownZones.size())));
    }
    int inserted = 0;
    for (int from = 0; from < claims.size(); from += CLAIM_CHUNK) {
      inserted += insert(claims.subList(from, Math.min(claims.size(), from + CLAIM_CHUNK)));
    }
    return inserted;
  }

  private int insert(List<Claim> claims) {
    StringJoiner customers = new StringJoiner(",", "{", "}");
    StringJoiner tenants = new StringJoiner(",", "{", "}");
    StringJoiner days = new StringJoiner(",", "{", "}");
    StringJoiner dueBy = new StringJoiner(",", "{", "}");
    StringJoiner sendUntil = new StringJoiner(",", "{", "}");
    for (Claim claim : claims) {
      customers.add(Long.toString(claim.customerId()));
      tenants.add(Long.toString(claim.tenantId()));
      days.add(claim.due().day().toString());
      dueBy.add(claim.due().dueBy().toString());
      sendUntil.add(claim.due().sendUntil().toString());
    }
    return jdbc.sql(
            """
            INSERT INTO touchpoints
                   (kind, subject_key, tenant_id, customer_id, due_on, due_by, send_until)
            SELECT :kind, 'customer:' || x.customer || ':' || EXTRACT(YEAR FROM x.day)::integer,
                   x.tenant, x.customer, x.day, x.due_by, x.send_until
              FROM unnest(:customers::bigint[], :tenants::bigint[], :days::date[],
                          :dueBy::timestamptz[], :sendUntil::timestamptz[])
                   AS x(customer, tenant, day, due_by, send_until)
            ON CONFLICT (kind, subject_key) DO NOTHING
            """)
        .param("kind", KIND)
        .param("customers", customers.toString())
        .param("tenants", tenants.toString())
        .param("days", days.toString())
        .param("dueBy", dueBy.toString())
        .param("sendUntil", sendUntil.toString())
        .update();
  }

  /** Unsent reminders that may still go out: their local day has not ended. */
  int owedNow(Instant now) {
    return jdbc.sql(
            """
            SELECT count(*) FROM touchpoints
             WHERE kind = :kind AND sent_at IS NULL AND delivery_status IS NULL
               AND (batch_id IS NOT NULL OR send_until > :now::timestamptz)
            """)
        .param("kind", KIND)
        .param("now", now.toString())
        .query(Integer.class)
        .single();
  }

  /**
   * A batch an earlier attempt began and did not settle (its answer lost, the attempt killed): it
   * is finished before any new one, whatever the hour, since Mailgun may have taken it. A run takes
   * its own such batches at once, another run's only once {@code orphanedAfter} has passed since it
   * began (that run has died), so two runs at once never send one batch twice.
   */
  Optional<UUID> unsettledBatch(String owner, Instant now, Duration orphanedAfter) {
    return jdbc.sql(
            """
            SELECT batch_id FROM touchpoints
             WHERE kind = :kind AND sent_at IS NULL AND delivery_status IS NULL
               AND batch_id IS NOT NULL
               AND (batch_owner = :owner OR batch_owner IS NULL
                    OR batch_started_at < :orphanedBefore::timestamptz)
             ORDER BY batch_owner = :owner DESC
             LIMIT 1
            """)
        .param("kind", KIND)
        .param("owner", owner)
        .param("orphanedBefore", now.minus(orphanedAfter).toString())
        .query(UUID.class)
        .optional();
  }

  /**
   * Gives up to {@code size} unsent reminders still owed today the new batch id, oldest first, as
   * {@code owner}'s; committed before the batch is sent.
   *
   * @return how many it took (0: none left)
   */
  int startBatch(UUID batchId, String owner, int size, Instant now) {
    return jdbc.sql(
            """
            UPDATE touchpoints
               SET batch_id = :batchId, batch_owner = :owner,
                   batch_started_at = :now::timestamptz
             WHERE id IN (SELECT id FROM touchpoints
                           WHERE kind = :kind AND sent_at IS NULL AND delivery_status IS NULL
                             AND batch_id IS NULL AND send_until > :now::timestamptz
                           ORDER BY id LIMIT :size FOR UPDATE SKIP LOCKED)
            """)
        .param("batchId", batchId)
        .param("owner", owner)
        .param("now", now.toString())
        .param("kind", KIND)
        .param("size", size)
        .update();
  }

  /** The batch's unsent reminders with each customer's address and first name, by id. */
  List<Recipient> recipients(UUID batchId) {
    return jdbc.sql(
            """
            SELECT t.id, c.email, c.first_name
              FROM touchpoints t JOIN customers c ON c.id = t.customer_id
             WHERE t.batch_id = :batchId AND t.sent_at IS NULL AND t.delivery_status IS NULL
             ORDER BY t.id
            """)
        .param("batchId", batchId)
        .query(
            (rs, row) ->
                new Recipient(rs.getLong("id"), rs.getString("email"), rs.getString("first_name")))
        .list();
  }

  /** Takes reminders out of a batch before it is sent (a second recipient with one address). */
  void release(List<Long> touchpointIds) {
    jdbc.sql(
            "UPDATE touchpoints SET batch_id = NULL, batch_owner = NULL, batch_started_at = NULL"
                + " WHERE id = ANY(:ids::bigint[])")
        .param("ids", ids(touchpointIds))
        .update();
  }

  /** The sent and the late ones among them. */
  record Settled(int sent, int late) {}

  /** Mailgun accepted the batch: sent {@code now}, late if past each one's due-by. */
  Settled sent(UUID batchId, String providerMessageId, Instant now) {
    List<Boolean> late =
        jdbc.sql(
                """
                UPDATE touchpoints
                   SET sent_at = :now::timestamptz, late = :now::timestamptz > due_by,
                       provider_message_id = :messageId
                 WHERE batch_id = :batchId AND sent_at IS NULL AND delivery_status IS NULL
                RETURNING late
                """)
            .param("batchId", batchId)
            .param("messageId", providerMessageId)
            .param("now", now.toString())
            .query(Boolean.class)
            .list();
    return new Settled(late.size(), (int) late.stream().filter(Boolean::booleanValue).count());
  }

  /** Mailgun refused the batch's content: its reminders are failed and not sent again. */
  int rejected(UUID batchId) {
    return jdbc.sql(
            """
            UPDATE touchpoints
               SET delivery_status = 'FAILED', failed_at = now(), failure_reason = 'rejected'
             WHERE batch_id = :batchId AND sent_at IS NULL AND delivery_status IS NULL
            """)
        .param("batchId", batchId)
        .update();
  }

  private static String ids(List<Long> ids) {
    return ids.stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
  }
}
