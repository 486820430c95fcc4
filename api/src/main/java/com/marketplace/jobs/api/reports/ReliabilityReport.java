package com.marketplace.jobs.api.reports;

import java.time.LocalDate;
import java.util.List;

/**
 * The business's reliability figures for the jobs accepted from {@code from} to {@code to} (UTC
 * days, inclusive), overall and per job type.
 *
 * @param overall every job type together
 * @param byType one entry per job type with any figure, by type id
 * @param warnings what could not be counted (Temporal did not answer: no schedule figures)
 */
public record ReliabilityReport(
    LocalDate from, LocalDate to, Figures overall, List<Figures> byType, List<String> warnings) {

  /**
   * Rates are rounded to 4 decimals and null when their denominator is 0; figures that do not apply
   * to a job type (payments for a notification) are null.
   *
   * @param type the job type id; null for the overall figures
   * @param accepted jobs accepted in the period (retries of a job count once: it is one job)
   * @param completed of those, jobs that completed, at their first try or after retries
   * @param failed jobs whose retries all failed (resolved by hand or not)
   * @param cancelled jobs cancelled on request
   * @param unfinished jobs still pending or processing
   * @param successRate completed / accepted
   * @param neededRetry jobs that needed a retry: an attempt failed, or an operator retried them
   *     (cancelled jobs excluded)
   * @param recoveredByRetry of those, jobs that completed
   * @param retryResolutionRate recoveredByRetry / neededRetry
   * @param meanTimeToRecoverySeconds mean time from a recovered job's first failure to its success
   * @param scheduledRunsExpected runs the type's schedules were due to start in the period
   * @param scheduledRunsExecuted of those, runs the run log has
   * @param scheduledTaskReliability executed / expected
   * @param payments Stripe payments first seen in the period
   * @param paymentsCaptured of those, payments whose money was collected (succeeded, refunded later
   *     or not)
   * @param paymentCaptureRate paymentsCaptured / payments
   * @param touchpointsSent reminder emails due in the period that went out
   * @param touchpointsDelivered of those, emails Mailgun reported delivered
   * @param touchpointDeliveryRate touchpointsDelivered / touchpointsSent
   */
  public record Figures(
      String type,
      long accepted,
      long completed,
      long failed,
      long cancelled,
      long unfinished,
      Double successRate,
      long neededRetry,
      long recoveredByRetry,
      Double retryResolutionRate,
      Double meanTimeToRecoverySeconds,
      Integer scheduledRunsExpected,
      Integer scheduledRunsExecuted,
      Double scheduledTaskReliability,
      Long payments,
      Long paymentsCaptured,
      Double paymentCaptureRate,
      Long touchpointsSent,
      Long touchpointsDelivered,
      Double touchpointDeliveryRate) {}
}
