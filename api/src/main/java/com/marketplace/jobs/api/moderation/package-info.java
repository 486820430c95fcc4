/**
 * {@code POST /api/companies/{companyId}/ban} and {@code /unban}: the HTTP side of company
 * moderation. The sagas live in the workflows and activities modules under the same package name.
 */
package com.marketplace.jobs.api.moderation;
