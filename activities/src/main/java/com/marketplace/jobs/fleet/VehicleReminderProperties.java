package com.marketplace.jobs.fleet;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Vehicle reminders ({@code jobs.vehicle-reminders.*}).
 *
 * @param leadDays how many days before a due date its reminder is sent (its reminder day)
 * @param catchUpDays how many days after its reminder day a reminder is still sent (late) when the
 *     run of that day was missed; a due date whose reminder day lies further back gets none
 * @param timeZone the zone whose calendar days "today" and the reminder day are (companies have no
 *     zone of their own)
 */
@Validated
@ConfigurationProperties("jobs.vehicle-reminders")
public record VehicleReminderProperties(
    @DefaultValue("7") @Min(1) @Max(365) int leadDays,
    @DefaultValue("1") @Min(0) @Max(30) int catchUpDays,
    @DefaultValue("UTC") @NotNull ZoneId timeZone) {

  public VehicleReminderProperties {
    if (leadDays >= 1 && catchUpDays >= leadDays) {
      throw new IllegalArgumentException(
          "jobs.vehicle-reminders.catch-up-days ("
              + catchUpDays
              + ") must be smaller than lead-days ("
              + leadDays
              + "): a reminder is never sent on or after its due date");
    }
  }
}
