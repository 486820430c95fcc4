package com.marketplace.jobs.birthdays;

/**
 * What one {@code sendDueBatches} call sent; also its heartbeat details, so a retried attempt
 * continues the count.
 *
 * @param more whether unsent reminders remain (the call stopped at its batch or time limit)
 */
public record BatchProgress(int sent, int late, int batches, int rejected, boolean more) {

  public static BatchProgress none() {
    return new BatchProgress(0, 0, 0, 0, false);
  }

  public BatchProgress plus(int sentNow, int lateNow, int rejectedNow) {
    return new BatchProgress(
        sent + sentNow, late + lateNow, batches + 1, rejected + rejectedNow, more);
  }

  public BatchProgress withMore(boolean more) {
    return new BatchProgress(sent, late, batches, rejected, more);
  }
}
