package com.marketplace.jobs.moderation;

/** A step of a moderation job on one company. */
public record CompanyStep(String jobId, long companyId) {}
