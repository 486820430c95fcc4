package com.marketplace.jobs.purchases;

/**
 * What a run did so far (its result, its progress query, and what a continued run carries on with).
 *
 * @param phase {@code CHECKING} the pending purchases, then {@code NOTIFYING} the companies of the
 *     stuck ones, then {@code DONE}
 * @param cursor the last purchase id checked (CHECKING) or touchpoint id notified (NOTIFYING)
 * @param checked pending purchases the provider was asked about
 * @param completed purchases that became COMPLETED
 * @param failed purchases that became FAILED
 * @param refused purchases the provider refused to answer about (recorded on their rows)
 * @param flagged purchases flagged as stuck by this run (each is flagged once, ever)
 * @param notified emails about stuck purchases sent (new ones and any an earlier run left unsent)
 * @param notRefused emails about stuck purchases Mailgun refused for good
 */
public record PurchaseStatusCheckRun(
    String phase,
    long cursor,
    int checked,
    int completed,
    int failed,
    int refused,
    int flagged,
    int notified,
    int notRefused) {

  public static final String CHECKING = "CHECKING";
  public static final String NOTIFYING = "NOTIFYING";
  public static final String DONE = "DONE";

  public static PurchaseStatusCheckRun start() {
    return new PurchaseStatusCheckRun(CHECKING, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  PurchaseStatusCheckRun plus(PurchaseCheckBatch batch) {
    return new PurchaseStatusCheckRun(
        phase,
        batch.lastId(),
        checked + batch.checked(),
        completed + batch.completed(),
        failed + batch.failed(),
        refused + batch.refused(),
        flagged,
        notified,
        notRefused);
  }

  /** On to the emails, with {@code newlyFlagged} purchases flagged. */
  PurchaseStatusCheckRun notifying(int newlyFlagged) {
    return new PurchaseStatusCheckRun(
        NOTIFYING, 0, checked, completed, failed, refused, newlyFlagged, notified, notRefused);
  }

  PurchaseStatusCheckRun plus(StuckNoticeBatch batch, long lastTouchpointId) {
    return new PurchaseStatusCheckRun(
        phase,
        lastTouchpointId,
        checked,
        completed,
        failed,
        refused,
        flagged,
        notified + batch.sent(),
        notRefused + batch.refused());
  }

  PurchaseStatusCheckRun done() {
    return new PurchaseStatusCheckRun(
        DONE, cursor, checked, completed, failed, refused, flagged, notified, notRefused);
  }
}
