/**
 * {@code POST /api/search/reindex}: the HTTP side of the bulk search re-index. The workflow and its
 * activities live in the workflows and activities modules under the same package name.
 */
package com.marketplace.jobs.api.search;
