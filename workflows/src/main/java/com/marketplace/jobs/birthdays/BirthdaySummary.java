package com.marketplace.jobs.birthdays;

/**
 * What a birthday run did.
 *
 * @param due reminders owed when the run began (claimed now or left unsent by an earlier run)
 * @param sent reminders Mailgun accepted in this run
 * @param late of those, sent after the send window's end
 * @param batches Mailgun calls that carried them
 * @param rejected reminders whose batch Mailgun refused as invalid (HTTP 400): not sent, marked
 *     failed
 */
public record BirthdaySummary(int due, int sent, int late, int batches, int rejected) {

  public static BirthdaySummary none() {
    return new BirthdaySummary(0, 0, 0, 0, 0);
  }

  public BirthdaySummary withDue(int due) {
    return new BirthdaySummary(due, sent, late, batches, rejected);
  }

  public BirthdaySummary plus(BatchProgress progress) {
    return new BirthdaySummary(
        due,
        sent + progress.sent(),
        late + progress.late(),
        batches + progress.batches(),
        rejected + progress.rejected());
  }
}
