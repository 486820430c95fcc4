/**
 * The marketplace's search index of vehicles: {@link com.marketplace.jobs.search.SearchIndex} is
 * the port the moderation sagas and re-indexing use, {@link
 * com.marketplace.jobs.search.OpenSearchIndex} writes it to OpenSearch through the bulk API (one
 * request per batch, create-or-replace and delete by vehicle id, so every call is idempotent) and
 * maps OpenSearch's answers to the jobs' failure types.
 */
package com.marketplace.jobs.search;
