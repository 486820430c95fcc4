/**
 * {@code POST /api/notifications}: the HTTP side of email notifications. The workflow and its
 * activity live in the workflows and activities modules under the same package name.
 */
package com.marketplace.jobs.api.notifications;
