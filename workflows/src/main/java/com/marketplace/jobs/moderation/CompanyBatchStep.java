package com.marketplace.jobs.moderation;

/**
 * A bulk step of a ban on one company's rows, in batches; {@code progress} says where its count
 * goes on the job's ledger row after every batch.
 */
public record CompanyBatchStep(String jobId, long companyId, BatchProgress progress) {}
