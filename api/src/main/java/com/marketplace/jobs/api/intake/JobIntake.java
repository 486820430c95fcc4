package com.marketplace.jobs.api.intake;

import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.common.JobType;
import com.marketplace.jobs.relay.WorkflowPayloads;
import com.marketplace.jobs.relay.WorkflowStartRelay;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * job; same key, other content: 422). Without one, the same content within the duplicate window
 * returns the existing job, or, for jobs accepted with {@link
 * NewJob.SameContent#REFUSED_WHILE_UNFINISHED}, is refused with 409 while that job is unfinished.
 */
@Service
public class JobIntake {

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final IntakeProperties properties;
  private final RelayWakeUp relayWakeUp;

  JobIntake(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      IntakeProperties properties,
      RelayWakeUp relayWakeUp) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.properties = properties;
    this.relayWakeUp = relayWakeUp;
  }

  public AcceptedJob accept(NewJob job) {
    String contentHash = contentHash(job);
    AcceptedJob accepted = transactions.execute(status -> acceptInTransaction(job, contentHash));
    if (!accepted.replayed()) {
      relayWakeUp.jobAccepted();
    }
    return accepted;
  }

  private AcceptedJob acceptInTransaction(NewJob job, String contentHash) {
    if (job.idempotencyKey() != null) {
      Optional<AcceptedJob> existing = byIdempotencyKey(job, contentHash);
      if (existing.isPresent()) {
        return existing.get();
      }
    }
    if (!job.exclusiveWith().isEmpty() && job.tenantId() != null) {
      refuseIfAnotherIsUnfinished(job);
    }
    if (job.sameContent() == NewJob.SameContent.REFUSED_WHILE_UNFINISHED) {
      lockContent(contentHash);
      refuseIfSameContentUnfinished(job, contentHash);
    } else if (job.idempotencyKey() == null) {
      lockContent(contentHash);
      Optional<AcceptedJob> recent = recentWithSameContent(contentHash);
      if (recent.isPresent()) {
        return recent.get();
      }
    }
    UUID jobId = job.jobId() != null ? job.jobId() : UUID.randomUUID();
    String workflowId = job.type().workflowIdFor(jobId.toString());
    int inserted =
        jdbc.sql(
                """
                INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type, task_queue,
                                  payload, content_hash, idempotency_key, tenant_id, company_id)
                VALUES (:id, :type, 'PENDING', :priority, :workflowId, :workflowType, :taskQueue,
                        CAST(:payload AS jsonb), :hash, :key, :tenantId, :companyId)
                ON CONFLICT DO NOTHING
                """)
            .param("id", jobId)
            .param("type", job.type().id())
            .param("priority", job.type().priority().key())
            .param("workflowId", workflowId)
            .param("workflowType", job.type().workflowType())
            .param("taskQueue", job.type().taskQueue())
            .param("payload", WorkflowPayloads.toJson(job.workflowInput().apply(jobId)))
            .param("hash", contentHash)
            .param("key", job.idempotencyKey())
            .param("tenantId", job.tenantId())
            .param("companyId", job.companyId())
            .update();
    if (inserted == 0) {
      // A concurrent request with the same Idempotency-Key (or, for a derived job id, the same
      // id) committed first.
      return byIdempotencyKey(job, contentHash).orElseThrow();
    }
    return new AcceptedJob(jobId, workflowId, "PENDING", false);
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
   * Serialised per tenant by an advisory lock, so two concurrent requests cannot both pass. A
   * company's job conflicts with jobs for that company and with tenant-wide ones; a tenant-wide job
   * with every job of the tenant.
   */
  private void refuseIfAnotherIsUnfinished(NewJob job) {
    jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended('tenant:' || :tenant, 0))")
        .param("tenant", job.tenantId())
        .query()
        .singleValue();
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
            SELECT id, workflow_id, status, content_hash FROM jobs
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
                  true);
            })
        .optional();
  }

  private Optional<AcceptedJob> recentWithSameContent(String contentHash) {
    return jdbc.sql(
            """
            SELECT id, workflow_id, status FROM jobs
             WHERE content_hash = :hash AND created_at > now() - make_interval(secs => :window)
             ORDER BY created_at DESC LIMIT 1
            """)
        .param("hash", contentHash)
        .param("window", properties.duplicateWindow().toMillis() / 1000.0)
        .query(
            (rs, row) ->
                new AcceptedJob(
                    rs.getObject("id", UUID.class),
                    rs.getString("workflow_id"),
                    rs.getString("status"),
                    true))
        .optional();
  }

  private static String contentHash(NewJob job) {
    String canonical = job.type().id() + "\n" + WorkflowPayloads.toJson(job.content());
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
