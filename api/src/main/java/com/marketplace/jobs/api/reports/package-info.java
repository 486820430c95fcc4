/**
 * Reports over what the service did. {@code GET /api/reports/touchpoints?from=&to=} counts the
 * {@code touchpoints} rows per day (the day each email is for, in its recipient's own calendar) and
 * kind: due (rows, i.e. reminders owed), sent, delivered, failed, late and the delivery rate.
 * {@code GET /api/reports/reliability?from=&to=} ({@link
 * com.marketplace.jobs.api.reports.ReliabilityReports}) gives the business's reliability figures
 * per job type and overall, from the ledger and the daily roll-ups, the schedule run log with
 * Temporal's schedule times, payments and touchpoints; /ops shows it too.
 */
package com.marketplace.jobs.api.reports;
