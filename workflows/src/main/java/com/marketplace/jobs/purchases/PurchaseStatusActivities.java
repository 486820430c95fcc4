package com.marketplace.jobs.purchases;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** The purchase-status checks' steps (see {@link PurchaseStatusCheckWorkflow}). */
@ActivityInterface
public interface PurchaseStatusActivities {

  /**
   * Asks the purchase provider about the PENDING purchases with an id above {@code afterId}, at
   * most {@code limit} of them, in id order, and records each answer at once: completed →
   * COMPLETED, failed → FAILED with the provider's reason, pending → unchanged (last checked now).
   * A refusal for one purchase (a 4xx other than 401/403, or an answer that is not a purchase
   * status) is kept on that row ({@code last_check_error}) and the others go on.
   *
   * <p>Idempotent: a row only ever leaves PENDING ({@code UPDATE ... WHERE status = 'PENDING'}), so
   * a retry re-asks at most the purchases still pending; it heartbeats the progress and a retried
   * attempt goes on after the last purchase the previous one recorded. 5xx, 429, timeouts and
   * unreachable hosts fail the call (retried by its retry policy); 401/403 (our credentials) fail
   * it for good, as every purchase would be refused alike.
   */
  @ActivityMethod
  PurchaseCheckBatch purchasesCheckBatch(long afterId, int limit);

  /**
   * Flags every purchase PENDING for longer than {@code jobs.purchases.stuck-after} and not yet
   * flagged, and writes in the same statement the touchpoint that owes its company one email
   * ({@code purchase_stuck}, subject {@code vehicle-purchase:<id>}). Idempotent: a flagged purchase
   * is never flagged again, and the touchpoint is unique per purchase.
   *
   * @return how many purchases were flagged now
   */
  @ActivityMethod
  int purchasesFlagStuck();

  /**
   * The ids of stuck-purchase touchpoints still unsent (this run's and any an earlier run left
   * behind), above {@code afterId}, in id order, at most {@code limit}.
   */
  @ActivityMethod
  List<Long> purchasesUnsentStuckNotices(long afterId, int limit);

  /**
   * Emails each stuck purchase's company, skipping the ones already sent. Idempotency key: the
   * touchpoint id (the email's send is keyed by it, so a retry after a lost answer finds the
   * accepted message instead of sending again). Mailgun's temporary failures fail the call
   * (retried; what was sent stays sent); a permanent refusal marks that one touchpoint FAILED and
   * goes on.
   */
  @ActivityMethod
  StuckNoticeBatch purchasesSendStuckNotices(List<Long> touchpointIds);
}
