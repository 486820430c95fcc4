package com.marketplace.jobs.api.jobs;

import java.util.Map;

/** Counts of jobs by status, and by type then status. Every status appears, zero or not. */
public record JobStats(
    long total, Map<String, Long> byStatus, Map<String, Map<String, Long>> byType) {}
