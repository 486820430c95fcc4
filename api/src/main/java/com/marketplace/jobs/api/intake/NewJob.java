package com.marketplace.jobs.api.intake;

import com.marketplace.jobs.common.JobType;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * A job a controller wants accepted.
 *
 * @param content what makes two requests "the same job": hashed with the type for duplicate
 *     detection; must not depend on the job id
 * @param workflowInput builds the workflow's input once the job id is known; runs inside the
 *     intake's transaction after its locks and checks, so it may read the state the job depends on
 *     and refuse with an {@code ApiProblem} (nothing is written then)
 * @param idempotencyKey the client's Idempotency-Key header, or null
 * @param tenantId the tenant concerned, or null; becomes a search attribute
 * @param companyId the company concerned, or null; becomes a search attribute
 * @param exclusiveWith job types that must not run at the same time as this one on the same data
 *     (PENDING or PROCESSING): for a company's job, unfinished jobs of these types for the same
 *     company or for its whole tenant; for a tenant-wide job (no company), those for the tenant or
 *     any of its companies. A request that would break this is refused with 409.
 * @param sameContent what a request without a matching Idempotency-Key gets when an earlier job has
 *     the same content
 * @param jobId the job's id when the caller derives it (from a provider's event id, say), else null
 *     for a random one; needs an idempotency key, which then decides duplicates as usual
 * @param delay the delay the trigger asked for ({@link JobDelay#NONE} for none): checked by {@link
 *     DueTimes}, part of the job's content for duplicate detection
 */
public record NewJob(
    JobType type,
    Object content,
    Function<UUID, Object> workflowInput,
    String idempotencyKey,
    Long tenantId,
    Long companyId,
    Set<JobType> exclusiveWith,
    SameContent sameContent,
    UUID jobId,
    JobDelay delay) {

  public NewJob {
    if (jobId != null && idempotencyKey == null) {
      throw new IllegalArgumentException("a job with a given id needs an idempotency key");
    }
    if (delay == null) {
      delay = JobDelay.NONE;
    }
  }

  public NewJob(
      JobType type,
      Object content,
      Function<UUID, Object> workflowInput,
      String idempotencyKey,
      Long tenantId,
      Long companyId,
      Set<JobType> exclusiveWith,
      SameContent sameContent,
      UUID jobId) {
    this(
        type,
        content,
        workflowInput,
        idempotencyKey,
        tenantId,
        companyId,
        exclusiveWith,
        sameContent,
        jobId,
        JobDelay.NONE);
  }

  /**
   * This job, due when {@code delay} says (a trigger's {@code notBefore} or {@code delaySeconds}).
   */
  public NewJob withDelay(JobDelay delay) {
    return new NewJob(
        type,
        content,
        workflowInput,
        idempotencyKey,
        tenantId,
        companyId,
        exclusiveWith,
        sameContent,
        jobId,
        delay);
  }

  /** How the intake treats a request whose content equals an earlier job's. */
  public enum SameContent {
    /**
     * Within the duplicate window the earlier job is the answer (202, {@code Idempotent-Replayed}):
     * one job however often a client repeats itself.
     */
    SAME_JOB_WITHIN_WINDOW,
    /**
     * While the earlier job is unfinished (PENDING or PROCESSING) it is the answer (202, {@code
     * Idempotent-Replayed}); once it has finished, the same request is a new job. For commands that
     * change state (ban, unban, marketplace toggle): ban → unban → ban means three jobs.
     */
    SAME_JOB_WHILE_UNFINISHED,
    /**
     * While the earlier job is unfinished (PENDING or PROCESSING) the request is refused with 409
     * naming it; once it has finished, the same request is a new job (a re-index, say, which is
     * worth repeating).
     */
    REFUSED_WHILE_UNFINISHED
  }

  public NewJob(
      JobType type,
      Object content,
      Function<UUID, Object> workflowInput,
      String idempotencyKey,
      Long tenantId,
      Long companyId,
      Set<JobType> exclusiveWith) {
    this(
        type,
        content,
        workflowInput,
        idempotencyKey,
        tenantId,
        companyId,
        exclusiveWith,
        SameContent.SAME_JOB_WITHIN_WINDOW,
        null);
  }

  public NewJob(
      JobType type,
      Object content,
      Function<UUID, Object> workflowInput,
      String idempotencyKey,
      Long tenantId,
      Long companyId) {
    this(type, content, workflowInput, idempotencyKey, tenantId, companyId, Set.of());
  }
}
