package com.marketplace.jobs.api.jobs;

import java.util.List;

/**
 * One page of {@code GET /api/jobs}, newest first.
 *
 * @param nextBefore pass as {@code before} to get the next page; null on the last page
 */
public record JobPage(List<JobView> jobs, String nextBefore) {}
