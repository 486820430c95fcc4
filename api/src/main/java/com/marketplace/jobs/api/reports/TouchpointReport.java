package com.marketplace.jobs.api.reports;

import java.time.LocalDate;
import java.util.List;

/**
 * Touchpoints per day and kind.
 *
 * @param from the first day (inclusive)
 * @param to the last day (inclusive)
 * @param days one row per day and kind that has touchpoints, by day then kind
 */
public record TouchpointReport(LocalDate from, LocalDate to, List<Row> days) {

  /**
   * @param day the day the emails were for, in each recipient's own calendar
   * @param kind {@code birthday_reminder}, {@code vehicle_reminder}, {@code plan_limit_warning},
   *     {@code plan_limit_reached}, {@code plan_limit_lifted}
   * @param due emails owed that day (touchpoint rows)
   * @param sent accepted by Mailgun
   * @param delivered reported delivered by Mailgun (a complaint implies delivery)
   * @param failed reported failed permanently or bounced by Mailgun, or refused in their batch
   * @param late sent after their due-by time
   * @param complained marked as spam by their recipient
   * @param deliveryRate delivered / sent, null when nothing was sent
   */
  public record Row(
      LocalDate day,
      String kind,
      long due,
      long sent,
      long delivered,
      long failed,
      long late,
      long complained,
      Double deliveryRate) {}
}
