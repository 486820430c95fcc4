package com.marketplace.jobs.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.marketplace.jobs.common.JobType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Accepts a job on behalf of another job that committed (its follow-up): a PENDING ledger row
 * linked to the parent, which a relay starts like any accepted job. The follow-up's id is chosen by
 * the caller (derived from the parent's), so accepting it twice is one job.
 */
@Component
public class FollowUpJobs {

  /** As the relay reads workflow inputs: Jackson 2 (the SDK's), sorted keys. */
  private static final ObjectMapper PAYLOADS =
      JsonMapper.builder()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .findAndAddModules()
          .build();

  private final JdbcClient jdbc;
  private final JobMetrics metrics;

  public FollowUpJobs(JdbcClient jdbc, JobMetrics metrics) {
    this.jdbc = jdbc;
    this.metrics = metrics;
  }

  /**
   * @param input the workflow's input
   * @return whether this call accepted it (false: it was accepted before)
   */
  public boolean accept(
      JobType type, UUID jobId, UUID parentJobId, Object input, Long tenantId, Long companyId) {
    String payload;
    try {
      payload = PAYLOADS.writeValueAsString(input);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("a workflow input must be JSON", e);
    }
    int inserted =
        jdbc.sql(
                """
                INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type,
                                  task_queue, payload, content_hash, tenant_id, company_id,
                                  parent_job_id)
                VALUES (:id, :type, 'PENDING', :priority, :workflowId, :workflowType, :taskQueue,
                        CAST(:payload AS jsonb), :hash, :tenantId, :companyId, :parent)
                ON CONFLICT (id) DO NOTHING
                """)
            .param("id", jobId)
            .param("type", type.id())
            .param("priority", type.priority().key())
            .param("workflowId", type.workflowIdFor(jobId.toString()))
            .param("workflowType", type.workflowType())
            .param("taskQueue", type.taskQueue())
            .param("payload", payload)
            .param("hash", sha256(type.id() + "\n" + payload))
            .param("tenantId", tenantId)
            .param("companyId", companyId)
            .param("parent", parentJobId)
            .update();
    if (inserted > 0) {
      // Wakes the workers' relays at once; without it their next poll (1 s) finds the job.
      jdbc.sql("SELECT pg_notify('jobs_pending', '')").query().singleValue();
      metrics.accepted(type);
    }
    return inserted > 0;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
