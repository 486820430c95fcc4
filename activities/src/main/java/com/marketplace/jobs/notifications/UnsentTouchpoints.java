package com.marketplace.jobs.notifications;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The touchpoints (V16) of one kind claimed but neither sent nor given up on: what a reminder or
 * notice run still owes, walked by id so a run can page through them and a retry resumes.
 */
public final class UnsentTouchpoints {

  private UnsentTouchpoints() {}

  /** Up to {@code limit} ids of unsent {@code kind} touchpoints after {@code afterId}, in order. */
  public static List<Long> after(JdbcClient jdbc, String kind, long afterId, int limit) {
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
}
