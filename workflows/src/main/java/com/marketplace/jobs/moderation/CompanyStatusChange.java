package com.marketplace.jobs.moderation;

/** A company's status set to {@code to} by a job, if it is {@code from}. */
public record CompanyStatusChange(
    String jobId, long companyId, CompanyStatus from, CompanyStatus to) {}
