package com.marketplace.jobs.ledger;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the worker's {@link LedgerReconciler} keeps unfinished ledger rows in line with Temporal
 * ({@code jobs.ledger.*}).
 *
 * @param reconcileEnabled whether this process runs the reconciler
 * @param reconcileInterval the pause between two passes; also how long a row asked about is left
 *     alone, by every worker's reconciler
 * @param reconcileQuietTime how long a row must have been unchanged (its {@code updated_at}) before
 *     Temporal is asked about it, so the reconciler never races the ledger interceptor's own writes
 * @param reconcileBatchSize the most rows one pass asks Temporal about, oldest first
 */
@ConfigurationProperties("jobs.ledger")
public record LedgerReconcileProperties(
    @DefaultValue("true") boolean reconcileEnabled,
    @DefaultValue("30s") Duration reconcileInterval,
    @DefaultValue("30s") Duration reconcileQuietTime,
    @DefaultValue("200") int reconcileBatchSize) {

  public LedgerReconcileProperties {
    if (reconcileInterval.isNegative()
        || reconcileInterval.isZero()
        || reconcileQuietTime.isNegative()
        || reconcileBatchSize < 1) {
      throw new IllegalArgumentException(
          "jobs.ledger.reconcile-interval must be positive, jobs.ledger.reconcile-quiet-time not"
              + " negative and jobs.ledger.reconcile-batch-size at least 1");
    }
  }
}
