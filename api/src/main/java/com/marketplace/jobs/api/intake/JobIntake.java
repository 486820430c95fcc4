package com.marketplace.jobs.api.intake;

import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.common.JobType;
import com.marketplace.jobs.relay.WorkflowPayloads;
import com.marketplace.jobs.relay.WorkflowStartRelay;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accepts a job: one short transaction writes its PENDING ledger row, and the caller answers 202
 * once it commits. The workflow is started afterwards by a {@link WorkflowStartRelay} (a worker's,
 * woken by a NOTIFY once this transaction commits ({@link RelayWakeUp}); this api's only while no
 * worker's relay is up), so a slow or unreachable Temporal server never delays an answer and a job
 * that got its 202 is never lost.
 *
 * <p>Duplicates: with an Idempotency-Key, the key decides (same key and same content: the existing
 * job, whatever its status; same key, other content: 422). Without one, {@link NewJob#sameContent}
 * decides: a notification joins a job of the same content within the duplicate window; a
 * state-changing command joins only an <em>unfinished</em> job of the same content (repeating a
 * finished command means it), or is refused with 409 while that job is unfinished (a re-index).
 *
 * <p>A job whose trigger asked for a delay ({@link JobDelay}, checked by {@link DueTimes}) gets its
 * due time in {@code not_before}; the relay starts it at once with Temporal's start delay, and it
 * stays PENDING until then.
 *
 * <p>A new job counts in {@code jobs.accepted} ({@link JobCounters}) once its row committed.
 *
 * <p>{@link NewJob#workflowInput} runs inside the transaction, after the locks and the checks of
 * earlier jobs, so a controller can read the state its job depends on (a company's status, the ban
 * an unban reverses) consistently and refuse there.
 */
@Service
public class JobIntake {

  /** A NUL character as JSON escapes it ({@code \u0000} after an even run of backslashes). */
  private static final java.util.regex.Pattern ESCAPED_NUL =
      java.util.regex.Pattern.compile("(?<!\\\\)(\\\\\\\\)*\\\\u0000");

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final IntakeProperties properties;
  private final RelayWakeUp relayWakeUp;
  private final DueTimes dueTimes;
  private final JobCounters counters;

  JobIntake(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      IntakeProperties properties,
      RelayWakeUp relayWakeUp,
      DueTimes dueTimes,
      JobCounters counters) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.properties = properties;
    this.relayWakeUp = relayWakeUp;
    this.dueTimes = dueTimes;
    this.counters = counters;
  }

  public AcceptedJob accept(NewJob job) {
    Instant dueAt = dueTimes.dueAt(job.delay()).orElse(null);
    String contentHash = contentHash(job);
    AcceptedJob accepted =
        transactions.execute(status -> acceptInTransaction(job, contentHash, dueAt));
    if (!accepted.replayed()) {
      // Counted once committed: a replay (same Idempotency-Key, same content) is not a new job.
      counters.accepted(job.type());
      relayWakeUp.jobAccepted();
    }
    return accepted;
  }

  private AcceptedJob acceptInTransaction(NewJob job, String contentHash, Instant dueAt) {
    if (job.idempotencyKey() != null) {
      Optional<AcceptedJob> existing = byIdempotencyKey(job, contentHash);
      if (existing.isPresent()) {
        return existing.get();
      }
    }
    boolean exclusive = !job.exclusiveWith().isEmpty() && job.tenantId() != null;
    // Locks in one order (tenant, then content), so two kinds of request never deadlock.
    if (exclusive) {
      lockTenant(job.tenantId());
    }
    if (job.sameContent() == NewJob.SameContent.REFUSED_WHILE_UNFINISHED) {
      lockContent(contentHash);
      refuseIfSameContentUnfinished(job, contentHash);
    } else if (job.idempotencyKey() == null) {
      lockContent(contentHash);
      Optional<AcceptedJob> earlier =
          earlierWithSameContent(
              contentHash, job.sameContent() == NewJob.SameContent.SAME_JOB_WHILE_UNFINISHED);
      if (earlier.isPresent()) {
        return earlier.get();
      }
    }
    if (exclusive) {
      refuseIfAnotherIsUnfinished(job);
    }
    UUID jobId = job.jobId() != null ? job.jobId() : UUID.randomUUID();
    String workflowId = job.type().workflowIdFor(jobId.toString());
    String payload = WorkflowPayloads.toJson(job.workflowInput().apply(jobId));
    if (ESCAPED_NUL.matcher(payload).find()) {
      // PostgreSQL's jsonb cannot hold the NUL character; refuse it rather than fail the insert.
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "Invalid request",
          "A text value contains the NUL character (\\u0000), which is not accepted.");
    }
    int inserted =
        jdbc.sql(
                """
                INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type, task_queue,
                                  payload, content_hash, idempotency_key, tenant_id, company_id,
                                  not_before)
                VALUES (:id, :type, 'PENDING', :priority, :workflowId, :workflowType, :taskQueue,
                        CAST(:payload AS jsonb), :hash, :key, :tenantId, :companyId, :notBefore)
                ON CONFLICT DO NOTHING
                """)
            .param("id", jobId)
            .param("type", job.type().id())
            .param("priority", job.type().priority().key())
            .param("workflowId", workflowId)
            .param("workflowType", job.type().workflowType())
            .param("taskQueue", job.type().taskQueue())
            .param("payload", payload)
            .param("hash", contentHash)
            .param("key", job.idempotencyKey())
            .param("tenantId", job.tenantId())
            .param("companyId", job.companyId())
            .param(
                "notBefore", dueAt == null ? null : OffsetDateTime.ofInstant(dueAt, ZoneOffset.UTC))
            .update();
    if (inserted == 0) {
      // A concurrent request with the same Idempotency-Key (or, for a derived job id, the same
      // id) committed first.
      return byIdempotencyKey(job, contentHash).orElseThrow();
    }
    return new AcceptedJob(
        jobId,
        workflowId,
        "PENDING",
        false,
        dueAt == null ? null : OffsetDateTime.ofInstant(dueAt, ZoneOffset.UTC));
  }

  /** Serialises identical requests only, so the checks on earlier jobs cannot race. */
  private void lockContent(String contentHash) {
    jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:hash, 0))")
        .param("hash", contentHash)
        .query()
        .singleValue();
  }

  private void refuseIfSameContentUnfinished(NewJob job, String contentHash) {
    jdbc.sql(
            """
            SELECT id FROM jobs
             WHERE content_hash = :hash AND status IN ('PENDING', 'PROCESSING')
             ORDER BY created_at LIMIT 1
            """)
        .param("hash", contentHash)
        .query(UUID.class)
        .optional()
        .ifPresent(
            running -> {
              throw new ApiProblem(
                  HttpStatus.CONFLICT,
                  "Another job is running",
                  "The same "
                      + job.type().id()
                      + " job is already unfinished ("
                      + running
                      + "); wait for it to finish.",
                  Map.of("jobId", running));
            });
  }

  /**
   * Serialises a tenant's exclusive jobs, so two concurrent requests cannot both pass. Billion
   * bookings take the same lock ({@code MarketplaceBookings.lockTenant}, module activities).
   */
  private void lockTenant(long tenantId) {
    jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended('tenant:' || :tenant, 0))")
        .param("tenant", tenantId)
        .query()
        .singleValue();
  }

  /**
   * Serialised per tenant by {@link #lockTenant}, so two concurrent requests cannot both pass. A
   * company's job conflicts with jobs for that company and with tenant-wide ones; a tenant-wide job
   * with every job of the tenant.
   *
   * <p>Its twin: {@code MarketplaceBookings.unfinishedModeration} (module activities) runs the same
   * query under the same tenant lock before it decides a Billion booking: change them together.
   */
  private void refuseIfAnotherIsUnfinished(NewJob job) {
    jdbc.sql(
            """
            SELECT id, type, company_id FROM jobs
             WHERE tenant_id = :tenant AND type IN (:types)
               AND status IN ('PENDING', 'PROCESSING')
               AND (CAST(:company AS bigint) IS NULL OR company_id IS NULL
                    OR company_id = :company)
             ORDER BY created_at LIMIT 1
            """)
        .param("tenant", job.tenantId())
        .param("company", job.companyId())
        .param("types", job.exclusiveWith().stream().map(JobType::id).toList())
        .query(
            (rs, row) ->
                new Unfinished(
                    rs.getObject("id", UUID.class),
                    rs.getString("type"),
                    rs.getObject("company_id", Long.class)))
        .optional()
        .ifPresent(
            running -> {
              String subject =
                  job.companyId() != null
                      ? "Company " + job.companyId()
                      : "Tenant " + job.tenantId();
              String where;
              if (running.companyId() == null) {
                where = job.companyId() == null ? "" : " for its tenant " + job.tenantId();
              } else {
                where =
                    running.companyId().equals(job.companyId())
                        ? ""
                        : " for its company " + running.companyId();
              }
              throw new ApiProblem(
                  HttpStatus.CONFLICT,
                  "Another job is running",
                  subject
                      + " already has an unfinished "
                      + running.type()
                      + " job ("
                      + running.id()
                      + ")"
                      + where
                      + "; wait for it to finish.",
                  Map.of("jobId", running.id()));
            });
  }

  private record Unfinished(UUID id, String type, Long companyId) {}

  private Optional<AcceptedJob> byIdempotencyKey(NewJob job, String contentHash) {
    return jdbc.sql(
            """
            SELECT id, workflow_id, status, content_hash, not_before FROM jobs
             WHERE type = :type AND idempotency_key = :key
            """)
        .param("type", job.type().id())
        .param("key", job.idempotencyKey())
        .query(
            (rs, row) -> {
              if (!rs.getString("content_hash").equals(contentHash)) {
                throw new ApiProblem(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "Idempotency-Key reused",
                    "This Idempotency-Key was already used for a different request.",
                    Map.of("jobId", rs.getObject("id", UUID.class)));
              }
              return new AcceptedJob(
                  rs.getObject("id", UUID.class),
                  rs.getString("workflow_id"),
                  rs.getString("status"),
                  true,
                  rs.getObject("not_before", OffsetDateTime.class));
            })
        .optional();
  }

  /**
   * The newest job of the same content: within the duplicate window, or, for commands, only while
   * it is unfinished (a person who repeats a finished command means it).
   */
  private Optional<AcceptedJob> earlierWithSameContent(String contentHash, boolean unfinishedOnly) {
    return jdbc.sql(
            """
            SELECT id, workflow_id, status, not_before FROM jobs
             WHERE content_hash = :hash
               AND CASE WHEN :unfinishedOnly THEN status IN ('PENDING', 'PROCESSING')
                        ELSE created_at > now() - make_interval(secs => :window) END
             ORDER BY created_at DESC LIMIT 1
            """)
        .param("hash", contentHash)
        .param("unfinishedOnly", unfinishedOnly)
        .param("window", properties.duplicateWindow().toMillis() / 1000.0)
        .query(
            (rs, row) ->
                new AcceptedJob(
                    rs.getObject("id", UUID.class),
                    rs.getString("workflow_id"),
                    rs.getString("status"),
                    true,
                    rs.getObject("not_before", OffsetDateTime.class)))
        .optional();
  }

  /**
   * The type and the content, and the delay as the trigger gave it if it gave one (so a job without
   * a delay hashes as it always did): the same request with another delay is another job, the same
   * request with the same {@code delaySeconds} repeated a moment later the same job.
   */
  private static String contentHash(NewJob job) {
    String canonical = job.type().id() + "\n" + WorkflowPayloads.toJson(job.content());
    if (job.delay().requested()) {
      JobDelay delay = job.delay();
      canonical +=
          delay.notBefore() != null
              ? "\nnotBefore=" + delay.notBefore()
              : "\ndelaySeconds=" + delay.delaySeconds();
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
