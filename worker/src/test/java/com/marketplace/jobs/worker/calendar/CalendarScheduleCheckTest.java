package com.marketplace.jobs.worker.calendar;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marketplace.jobs.worker.scheduling.InvalidSchedulesException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class CalendarScheduleCheckTest {

  private static Binder binder(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties));
  }

  @Test
  void fifteenAndThirtyMinutesAreAccepted() {
    for (String interval : new String[] {"15m", "30m", "1m"}) {
      assertThatCode(
              () ->
                  CalendarScheduleCheck.check(
                      binder(
                          Map.of(
                              "jobs.schedules.tasks.calendar-sync.workflow-type",
                              "CalendarSyncWorkflow",
                              "jobs.schedules.tasks.calendar-sync.interval",
                              interval))))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void anIntervalAboveThirtyMinutesIsRefusedNamingTheProperty() {
    assertThatThrownBy(
            () ->
                CalendarScheduleCheck.check(
                    binder(
                        Map.of(
                            "jobs.schedules.tasks.calendar-sync.workflow-type",
                            "CalendarSyncWorkflow",
                            "jobs.schedules.tasks.calendar-sync.interval",
                            "31m"))))
        .isInstanceOf(InvalidSchedulesException.class)
        .hasMessageContaining("jobs.schedules.tasks.calendar-sync.interval: must be at most 30m");
  }

  @Test
  void aCronCalendarScheduleIsRefusedButOtherSchedulesAreNotItsBusiness() {
    assertThatThrownBy(
            () ->
                CalendarScheduleCheck.check(
                    binder(
                        Map.of(
                            "jobs.schedules.tasks.calendar-hourly.workflow-type",
                            "CalendarSyncWorkflow",
                            "jobs.schedules.tasks.calendar-hourly.cron[0]",
                            "0 * * * *"))))
        .isInstanceOf(InvalidSchedulesException.class)
        .hasMessageContaining(
            "jobs.schedules.tasks.calendar-hourly: a calendar sync must fire by interval");
    assertThatCode(
            () ->
                CalendarScheduleCheck.check(
                    binder(
                        Map.of(
                            "jobs.schedules.tasks.vehicle-reminders.workflow-type",
                            "VehicleReminderWorkflow",
                            "jobs.schedules.tasks.vehicle-reminders.interval",
                            "24h"))))
        .doesNotThrowAnyException();
  }
}
