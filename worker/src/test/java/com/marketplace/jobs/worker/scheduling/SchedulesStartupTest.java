package com.marketplace.jobs.worker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marketplace.jobs.worker.WorkerApplication;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The real worker application, started as {@code main} starts it with its own application.yaml plus
 * one bad schedule: it stops before any bean exists (PostgreSQL and Temporal point at a closed port
 * and are never reached), with Spring Boot's "APPLICATION FAILED TO START" naming the property.
 */
@ExtendWith(OutputCaptureExtension.class)
class SchedulesStartupTest {

  private static void start(String... schedule) {
    List<String> arguments = new ArrayList<>();
    arguments.add("--spring.profiles.active=dev");
    arguments.add("--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/postgres");
    arguments.add("--spring.temporal.connection.target=127.0.0.1:1");
    arguments.add("--server.port=0");
    arguments.addAll(List.of(schedule));
    new SpringApplicationBuilder(WorkerApplication.class)
        .run(arguments.toArray(String[]::new))
        .close();
  }

  @Test
  void aBadCronExpressionStopsTheStartNamingTheProperty(CapturedOutput output) {
    assertThatThrownBy(
            () ->
                start(
                    "--jobs.schedules.tasks.birthday-reminders.workflow-type="
                        + "ScheduleRunsRetentionWorkflow",
                    "--jobs.schedules.tasks.birthday-reminders.cron[0]=0 25 * * *",
                    "--jobs.schedules.tasks.birthday-reminders.time-zone=Mars/Olympus"))
        .isInstanceOf(InvalidSchedulesException.class);

    assertThat(output)
        .contains(
            "APPLICATION FAILED TO START",
            "- jobs.schedules.tasks.birthday-reminders.cron[0]: '0 25 * * *': hour '25' is not a"
                + " number from 0 to 23",
            "- jobs.schedules.tasks.birthday-reminders.time-zone: 'Mars/Olympus' is not an IANA"
                + " time zone")
        .doesNotContain("HikariPool", "Flyway");
  }

  @Test
  void aWorkflowTypeTheWorkerDoesNotRunStopsTheStart(CapturedOutput output) {
    assertThatThrownBy(
            () ->
                start(
                    "--jobs.schedules.tasks.vehicle-reminders.workflow-type=NoSuchWorkflow",
                    "--jobs.schedules.tasks.vehicle-reminders.interval=1d"))
        .isInstanceOf(InvalidSchedulesException.class);

    assertThat(output)
        .contains(
            "APPLICATION FAILED TO START",
            "- jobs.schedules.tasks.vehicle-reminders.workflow-type: NoSuchWorkflow is not a"
                + " workflow type this worker registers on task queue background-jobs");
  }
}
