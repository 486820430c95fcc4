package com.marketplace.jobs.moderation;

/**
 * Ban one company.
 *
 * @param jobId the ledger's job id: the key of every change the ban records
 * @param companyId the company to ban
 * @param reason why, for the company's email and the audit trail
 */
public record BanRequest(String jobId, long companyId, String reason) {}
