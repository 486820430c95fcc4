/**
 * The birthday run's activities: {@link com.marketplace.jobs.birthdays.BirthdayTouchpoints} claims
 * the reminders due now (customers prefiltered by birthday in SQL, the exact rule in Java) and
 * hands out batches of unsent ones; {@link com.marketplace.jobs.birthdays.BirthdayActivitiesImpl}
 * renders the birthday template once per batch with Mailgun's recipient placeholders and sends it
 * through {@link com.marketplace.jobs.notifications.BatchMailSender}, once per batch id.
 */
package com.marketplace.jobs.birthdays;
