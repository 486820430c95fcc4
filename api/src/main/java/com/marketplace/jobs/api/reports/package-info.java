/**
 * Reports over what the service did. {@code GET /api/reports/touchpoints?from=&to=} counts the
 * {@code touchpoints} rows per day (the day each email is for, in its recipient's own calendar) and
 * kind: due (rows, i.e. reminders owed), sent, delivered, failed, late and the delivery rate.
 */
package com.marketplace.jobs.api.reports;
