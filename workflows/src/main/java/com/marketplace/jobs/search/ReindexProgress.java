package com.marketplace.jobs.search;

/**
 * Where a re-index is, as its {@code progress} query answers.
 *
 * @param scope the {@link SearchScope} id
 * @param completed rows done so far
 * @param total rows counted when the job began (0 until counted)
 * @param cursor the highest id done
 */
public record ReindexProgress(String scope, long completed, long total, long cursor) {}
