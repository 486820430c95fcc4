package com.marketplace.jobs.worker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marketplace.jobs.common.JobType;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * {@code jobs.schedules} as an operator writes it (kebab-case properties, bound as the worker binds
 * them at start, with the worker's registrations read from {@code spring.temporal.workers}): what a
 * valid task becomes, and that each mistake is reported naming its property, all at once.
 */
class ScheduleTasksTest {

  private static final String TASK = "jobs.schedules.tasks.birthday-reminders";

  private final Map<String, String> properties = new LinkedHashMap<>();

  ScheduleTasksTest() {
    properties.put("spring.temporal.workers[0].task-queue", "background-jobs");
    properties.put(
        "spring.temporal.workers[0].workflow-classes[0]",
        "com.marketplace.jobs.scheduling.ScheduleRunsRetentionWorkflowImpl");
    properties.put(
        "spring.temporal.workers[0].workflow-classes[1]",
        "com.marketplace.jobs.notifications.NotificationWorkflowImpl");
  }

  private List<ScheduledTask> check() {
    return SchedulesCheck.check(
        new Binder(new MapConfigurationPropertySource(properties)), getClass().getClassLoader());
  }

  private List<String> problems() {
    try {
      check();
    } catch (InvalidSchedulesException e) {
      return e.problems();
    }
    throw new AssertionError("the configuration was accepted: " + properties);
  }

  private void validTask() {
    properties.put(TASK + ".workflow-type", "ScheduleRunsRetentionWorkflow");
    properties.put(TASK + ".cron[0]", "0 6 * * *");
  }

  @Test
  void aTaskWithOnlyTheRequiredSettingsGetsTheDefaults() {
    validTask();

    List<ScheduledTask> tasks = check();

    assertThat(tasks)
        .containsExactly(
            new ScheduledTask(
                "birthday-reminders",
                "ScheduleRunsRetentionWorkflow",
                JobType.SCHEDULE_RUNS_RETENTION,
                "background-jobs",
                List.of("0 6 * * *"),
                null,
                ZoneId.of("UTC"),
                ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP,
                Duration.ofHours(1),
                null));
  }

  @Test
  void everySettingIsTakenAsWritten() {
    properties.put(TASK + ".workflow-type", "ScheduleRunsRetentionWorkflow");
    properties.put(TASK + ".interval", "90s");
    properties.put(TASK + ".time-zone", "Europe/Berlin");
    properties.put(TASK + ".overlap", "BUFFER_ONE");
    properties.put(TASK + ".catchup-window", "15m");
    properties.put(TASK + ".paused", "false");
    properties.put("jobs.schedules.tasks.nightly.workflow-type", "ScheduleRunsRetentionWorkflow");
    properties.put("jobs.schedules.tasks.nightly.cron[0]", "@daily");
    properties.put("jobs.schedules.tasks.nightly.cron[1]", "30 12 1-15/2 JAN,jul mon-fri");

    List<ScheduledTask> tasks = check();

    assertThat(tasks)
        .extracting(ScheduledTask::id)
        .containsExactly("birthday-reminders", "nightly");
    ScheduledTask birthday = tasks.get(0);
    assertThat(birthday.interval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(birthday.cron()).isEmpty();
    assertThat(birthday.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(birthday.overlap())
        .isEqualTo(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE);
    assertThat(birthday.catchupWindow()).isEqualTo(Duration.ofMinutes(15));
    assertThat(birthday.paused()).isFalse();
    assertThat(tasks.get(1).cron()).containsExactly("@daily", "30 12 1-15/2 JAN,jul mon-fri");
  }

  @Test
  void noTasksIsValid() {
    assertThat(check()).isEmpty();
  }

  @Test
  void aBadCronExpressionIsNamedByItsIndex() {
    validTask();
    properties.put(TASK + ".cron[1]", "61 * * * *");

    assertThat(problems())
        .containsExactly(TASK + ".cron[1]: '61 * * * *': minute '61' is not a number from 0 to 59");
  }

  @Test
  void cronExpressionsOutsideTheClassicFiveFieldsAreRefused() {
    validTask();
    properties.put(TASK + ".cron[0]", "0 0 6 * * *");
    properties.put(TASK + ".cron[1]", "@every 5m");
    properties.put(TASK + ".cron[2]", "CRON_TZ=Europe/Berlin 0 6 * * *");
    properties.put(TASK + ".cron[3]", "0 6 * * funday");
    properties.put(TASK + ".cron[4]", "0 18-6 * * *");
    properties.put(TASK + ".cron[5]", "*/0 * * * *");

    assertThat(problems())
        .containsExactly(
            TASK
                + ".cron[0]: '0 0 6 * * *' has 6 fields; a cron expression has 5: minute hour"
                + " day-of-month month day-of-week",
            TASK
                + ".cron[1]: '@every 5m' is not a cron macro (one of @annually @daily @hourly"
                + " @midnight @monthly @weekly @yearly; use interval for @every)",
            TASK
                + ".cron[2]: 'CRON_TZ=Europe/Berlin 0 6 * * *': set the zone with time-zone, not"
                + " in the expression",
            TASK
                + ".cron[3]: '0 6 * * funday': day of week 'funday' is not a number from 0 to 7"
                + " or a name (sun, …)",
            TASK + ".cron[4]: '0 18-6 * * *': hour range '18-6' ends before it starts",
            TASK + ".cron[5]: '*/0 * * * *': minute step '0' must be a positive number");
  }

  @Test
  void anUnknownTimeZoneIsRefused() {
    validTask();
    properties.put(TASK + ".time-zone", "Europe/Atlantis");

    assertThat(problems())
        .containsExactly(
            TASK
                + ".time-zone: 'Europe/Atlantis' is not an IANA time zone (such as Europe/Berlin"
                + " or UTC)");
  }

  @Test
  void bothOrNeitherOfCronAndIntervalIsRefused() {
    validTask();
    properties.put(TASK + ".interval", "1h");
    properties.put("jobs.schedules.tasks.other.workflow-type", "ScheduleRunsRetentionWorkflow");

    assertThat(problems())
        .containsExactly(
            TASK + ": set exactly one of cron (a list of expressions) and interval",
            "jobs.schedules.tasks.other: set exactly one of cron (a list of expressions) and"
                + " interval");
  }

  @Test
  void anUnknownOverlapPolicyIsRefusedListingTheKnownOnes() {
    validTask();
    properties.put(TASK + ".overlap", "SCHEDULE_OVERLAP_POLICY_SKIP");

    assertThat(problems())
        .containsExactly(
            TASK
                + ".overlap: 'SCHEDULE_OVERLAP_POLICY_SKIP' is not one of SKIP, BUFFER_ONE,"
                + " BUFFER_ALL, CANCEL_OTHER, TERMINATE_OTHER, ALLOW_ALL");
  }

  @Test
  void aWorkflowTypeTheWorkerDoesNotRegisterIsRefused() {
    properties.put(TASK + ".workflow-type", "BirthdayReminderWorkflow");
    properties.put(TASK + ".cron[0]", "0 6 * * *");
    properties.put("jobs.schedules.tasks.elsewhere.workflow-type", "NotificationWorkflow");
    properties.put("jobs.schedules.tasks.elsewhere.task-queue", "other-queue");
    properties.put("jobs.schedules.tasks.elsewhere.interval", "1h");

    assertThat(problems())
        .containsExactly(
            TASK
                + ".workflow-type: BirthdayReminderWorkflow is not a workflow type this worker"
                + " registers on task queue background-jobs (it registers: NotificationWorkflow,"
                + " ScheduleRunsRetentionWorkflow)",
            "jobs.schedules.tasks.elsewhere.workflow-type: NotificationWorkflow is not a workflow"
                + " type this worker registers on task queue other-queue (it registers: )");
  }

  @Test
  void aRegisteredWorkflowTypeWithoutAJobTypeIsRefused() {
    SchedulesProperties.Task task =
        new SchedulesProperties.Task(
            "UnlistedWorkflow", null, List.of("0 6 * * *"), null, null, null, null, null);

    assertThatThrownBy(
            () ->
                ScheduleTasks.validate(
                    new SchedulesProperties("background-jobs", false, Map.of("unlisted", task)),
                    Map.of("background-jobs", Set.of("UnlistedWorkflow"))))
        .isInstanceOfSatisfying(
            InvalidSchedulesException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "jobs.schedules.tasks.unlisted.workflow-type: UnlistedWorkflow has no"
                            + " entry in JobType, so its runs would have no ledger row"));
  }

  @Test
  void durationsTooShortAndUnreadableAreRefused() {
    validTask();
    properties.remove(TASK + ".cron[0]");
    properties.put(TASK + ".interval", "500ms");
    properties.put(TASK + ".catchup-window", "5s");

    assertThat(problems())
        .containsExactly(
            TASK + ".interval: must be at least 1s, not PT0.5S",
            TASK + ".catchup-window: must be at least 10s (Temporal's minimum), not PT5S");

    properties.put(TASK + ".interval", "soon");
    assertThat(problems()).hasSize(1);
    assertThat(problems().get(0)).startsWith(TASK + ".interval: 'soon' cannot be read");
  }

  @Test
  void scheduleIdsAreLimitedToWhatTheApiAccepts() {
    properties.put("jobs.schedules.tasks.[-odd id].workflow-type", "ScheduleRunsRetentionWorkflow");
    properties.put("jobs.schedules.tasks.[-odd id].interval", "1h");

    assertThat(problems())
        .containsExactly(
            "jobs.schedules.tasks.-odd id: a schedule id is 1 to 200 letters, digits, '.', '_' or"
                + " '-', starting with a letter or digit");
  }

  @Test
  void aMissingWorkflowTypeAndABlankOwnerAreBothReported() {
    properties.put("jobs.schedules.owner", " ");
    properties.put(TASK + ".cron[0]", "@hourly");

    assertThat(problems())
        .containsExactly(
            "jobs.schedules.owner: must not be blank", TASK + ".workflow-type: is required");
  }
}
