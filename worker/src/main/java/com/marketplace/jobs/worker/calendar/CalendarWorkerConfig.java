package com.marketplace.jobs.worker.calendar;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The calendar sync's start-up check ({@link CalendarScheduleCheck}). */
@Configuration(proxyBeanMethods = false)
class CalendarWorkerConfig {

  @Bean
  static CalendarScheduleCheck calendarScheduleCheck() {
    return new CalendarScheduleCheck();
  }
}
