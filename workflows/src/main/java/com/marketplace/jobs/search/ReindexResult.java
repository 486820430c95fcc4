package com.marketplace.jobs.search;

/** A finished re-index: how many rows it went through (indexed, or removed when unpublished). */
public record ReindexResult(String jobId, String scope, long completed) {}
