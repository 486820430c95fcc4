package com.marketplace.jobs.notifications;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code email_sends} table: which jobs' emails were handed to Mailgun, written before each
 * POST, so that any later attempt (after a timeout, a lost answer, a killed worker) knows an
 * earlier send may have been accepted. Times are the database's, so every worker reads one clock.
 */
@Repository
class EmailSends {

  /**
   * What an earlier attempt left behind.
   *
   * @param firstStartedAt when the first send still counted began (the events search starts there)
   * @param outcomeUnknownFor how long ago the latest send's answer was lost, or null if the attempt
   *     ended without saying so (killed, timed out) or the send is still running
   * @param sinceLatestStart how long ago the latest send began
   * @param providerMessageId Mailgun's id if a send is known to have been accepted, else null
   */
  record EarlierSend(
      Instant firstStartedAt,
      Duration sinceLatestStart,
      Duration outcomeUnknownFor,
      String providerMessageId) {}

  private final JdbcClient jdbc;

  EmailSends(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<EarlierSend> find(String jobId) {
    return jdbc.sql(
            """
            SELECT first_started_at,
                   (EXTRACT(EPOCH FROM now() - started_at) * 1000)::bigint AS since_start_ms,
                   (EXTRACT(EPOCH FROM now() - outcome_unknown_at) * 1000)::bigint AS unknown_ms,
                   provider_message_id
              FROM email_sends WHERE job_id = :jobId
            """)
        .param("jobId", UUID.fromString(jobId))
        .query(
            (rs, row) -> {
              long unknownMs = rs.getLong("unknown_ms");
              Duration unknownFor = rs.wasNull() ? null : Duration.ofMillis(unknownMs);
              return new EarlierSend(
                  rs.getTimestamp("first_started_at").toInstant(),
                  Duration.ofMillis(rs.getLong("since_start_ms")),
                  unknownFor,
                  rs.getString("provider_message_id"));
            })
        .optional();
  }

  /**
   * The job's first send begins now, unless an earlier attempt began one: recorded before the
   * request leaves, committed on its own.
   *
   * @return false if an earlier send of the job is recorded (nothing was written then)
   */
  boolean beginFirst(String jobId) {
    return jdbc.sql(
                "INSERT INTO email_sends (job_id) VALUES (:jobId) ON CONFLICT (job_id) DO NOTHING")
            .param("jobId", UUID.fromString(jobId))
            .update()
        == 1;
  }

  /** Another send of the job begins now, after the earlier ones were looked for and not found. */
  void begin(String jobId) {
    jdbc.sql(
            """
            INSERT INTO email_sends (job_id) VALUES (:jobId)
            ON CONFLICT (job_id) DO UPDATE
               SET started_at = now(), sends = email_sends.sends + 1, outcome_unknown_at = NULL
            """)
        .param("jobId", UUID.fromString(jobId))
        .update();
  }

  /**
   * Mailgun took the job's email: its id, from its answer or its events. Committed without waiting
   * for the disk (asynchronous commit, this statement only): it is on every email's path, and were
   * it lost in a database crash the next attempt would find the send begun without an id and look
   * the message up in Mailgun's events, which is safe. The begin marker stays a durable commit.
   */
  void accepted(String jobId, String providerMessageId) {
    jdbc.sql(
            """
            WITH async AS (SELECT set_config('synchronous_commit', 'off', true))
            INSERT INTO email_sends (job_id, provider_message_id)
            SELECT :jobId, :messageId FROM async
            ON CONFLICT (job_id) DO UPDATE
               SET provider_message_id = :messageId, outcome_unknown_at = NULL
            """)
        .param("jobId", UUID.fromString(jobId))
        .param("messageId", providerMessageId)
        .update();
  }

  /** The latest send's answer was lost: Mailgun may or may not have taken the email. */
  void outcomeUnknown(String jobId) {
    jdbc.sql("UPDATE email_sends SET outcome_unknown_at = now() WHERE job_id = :jobId")
        .param("jobId", UUID.fromString(jobId))
        .update();
  }

  /**
   * Mailgun certainly did not take the latest send (it refused it, or it never reached Mailgun),
   * and any earlier one was already looked for and not found: the next attempt may send without
   * looking.
   */
  void notAccepted(String jobId) {
    jdbc.sql("DELETE FROM email_sends WHERE job_id = :jobId AND provider_message_id IS NULL")
        .param("jobId", UUID.fromString(jobId))
        .update();
  }
}
