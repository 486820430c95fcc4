package com.marketplace.jobs.notifications;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The bookkeeping of emails owed as touchpoints (V16), shared by the runs that send one email per
 * touchpoint (vehicle reminders, stuck-purchase notices): which are still owed, the idempotency key
 * each is sent under, and what became of it. Every write is safe to repeat.
 */
public final class TouchpointSends {

  private TouchpointSends() {}

  /**
   * Up to {@code limit} ids of {@code kind} touchpoints after {@code afterId} neither sent nor
   * given up on, in order: a run pages through them and a retry resumes.
   */
  public static List<Long> unsentAfter(JdbcClient jdbc, String kind, long afterId, int limit) {
    return jdbc.sql(
            """
            SELECT id FROM touchpoints
             WHERE kind = :kind AND sent_at IS NULL AND delivery_status IS NULL AND id > :after
             ORDER BY id LIMIT :limit
            """)
        .param("kind", kind)
        .param("after", afterId)
        .param("limit", limit)
        .query(Long.class)
        .list();
  }

  /**
   * The email's idempotency key, derived from the touchpoint: the same on every attempt and every
   * run, so Mailgun gets one email per touchpoint whatever is retried.
   */
  public static String sendKey(String kind, long touchpointId) {
    return UUID.nameUUIDFromBytes((kind + ":" + touchpointId).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /** Sent, with Mailgun's message id. Returns whether it went after its due-by time. */
  public static boolean markSent(JdbcClient jdbc, long touchpointId, String messageId) {
    return jdbc.sql(
            """
            UPDATE touchpoints
               SET sent_at = coalesce(sent_at, now()),
                   late = coalesce(late, now() > due_by),
                   provider_message_id = coalesce(provider_message_id, :messageId)
             WHERE id = :id
            RETURNING late
            """)
        .param("id", touchpointId)
        .param("messageId", messageId)
        .query(Boolean.class)
        .single();
  }

  /** Refused for good (a bad address, a 4xx): never tried again. */
  public static void markRefused(JdbcClient jdbc, long touchpointId) {
    jdbc.sql(
            """
            UPDATE touchpoints SET delivery_status = 'FAILED', failed_at = coalesce(failed_at, now())
             WHERE id = :id AND sent_at IS NULL
            """)
        .param("id", touchpointId)
        .update();
  }
}
