package com.marketplace.jobs.birthdays;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Birthday reminders ({@code jobs.birthdays.*}).
 *
 * @param sendWindowStart local time from which a customer's reminder is sent on their birthday
 *     (HH:mm, default 06:00)
 * @param sendWindowEnd local time by which it should have been sent; later counts as late (HH:mm,
 *     default 09:00)
 * @param batchSize recipients per Mailgun call, 1 to 1,000 (Mailgun's limit)
 */
@Validated
@ConfigurationProperties("jobs.birthdays")
public record BirthdayProperties(
    @DefaultValue("06:00") String sendWindowStart,
    @DefaultValue("09:00") String sendWindowEnd,
    @DefaultValue("1000") @Min(1) @Max(1000) int batchSize) {

  public BirthdayProperties {
    LocalTime start = parse("send-window-start", sendWindowStart);
    LocalTime end = parse("send-window-end", sendWindowEnd);
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException(
          "jobs.birthdays.send-window-start (%s) must be before jobs.birthdays.send-window-end (%s)"
              .formatted(start, end));
    }
  }

  public LocalTime windowStart() {
    return LocalTime.parse(sendWindowStart);
  }

  public LocalTime windowEnd() {
    return LocalTime.parse(sendWindowEnd);
  }

  private static LocalTime parse(String name, String value) {
    try {
      return LocalTime.parse(value);
    } catch (DateTimeParseException | NullPointerException e) {
      throw new IllegalArgumentException(
          "jobs.birthdays." + name + " must be a local time such as 06:00, not '" + value + "'");
    }
  }
}
