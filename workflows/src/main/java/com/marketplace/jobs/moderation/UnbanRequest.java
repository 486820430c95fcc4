package com.marketplace.jobs.moderation;

/**
 * Lift a company's ban.
 *
 * @param jobId the ledger's job id: the key of every change the unban records
 * @param companyId the company to reactivate
 * @param banJobId the job whose recorded changes the unban reverses (the company's latest completed
 *     ban), or null when the company was banned outside this service
 */
public record UnbanRequest(String jobId, long companyId, String banJobId) {}
