package com.marketplace.jobs.api.scheduling;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.api.testsupport.TrustedCaller;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@Import(TrustedCaller.class)
@WebMvcTest(ScheduleController.class)
class ScheduleControllerTest {

  private static final String PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON.toString();
  private static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");

  @Autowired private MockMvc mvc;

  @MockitoBean private TemporalSchedules schedules;
  @MockitoBean private ScheduleRunLog runLog;

  private static ScheduleView view(String id, RunView lastRun) {
    return new ScheduleView(
        id,
        "BirthdayReminderWorkflow",
        "background-jobs",
        new ScheduleView.Spec(List.of("0 6 * * *"), List.of(), "Europe/Berlin"),
        false,
        null,
        "SKIP",
        "PT1H",
        "background-jobs",
        List.of(T0.plusSeconds(86_400)),
        3,
        0,
        0,
        lastRun);
  }

  private static RunView run(Instant scheduledAt, long latenessMillis, String outcome) {
    return new RunView(
        "birthday-reminders-" + scheduledAt,
        "run",
        scheduledAt,
        scheduledAt.plusMillis(latenessMillis),
        scheduledAt.plusSeconds(30),
        latenessMillis,
        outcome,
        null,
        null,
        UUID.nameUUIDFromBytes(scheduledAt.toString().getBytes()));
  }

  @Test
  void theListShowsEachScheduleWithItsLastRun() throws Exception {
    RunView last = run(T0, 420, "COMPLETED");
    when(schedules.ids()).thenReturn(List.of("birthday-reminders"));
    when(runLog.last("birthday-reminders")).thenReturn(Optional.of(last));
    when(schedules.describe("birthday-reminders", last))
        .thenReturn(view("birthday-reminders", last));

    mvc.perform(get("/api/schedules"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$[0].id").value("birthday-reminders"))
        .andExpect(jsonPath("$[0].spec.cron[0]").value("0 6 * * *"))
        .andExpect(jsonPath("$[0].spec.timeZone").value("Europe/Berlin"))
        .andExpect(jsonPath("$[0].nextRunTimes[0]").value("2026-12-02T06:00:00Z"))
        .andExpect(jsonPath("$[0].lastRun.scheduledAt").value("2026-12-01T06:00:00Z"))
        .andExpect(jsonPath("$[0].lastRun.latenessMillis").value(420))
        .andExpect(jsonPath("$[0].lastRun.outcome").value("COMPLETED"));
  }

  @Test
  void theRunsReportCountsExpectedExecutedAndManualRunsAndTheirLateness() throws Exception {
    Instant from = T0.minusSeconds(3600);
    Instant to = T0.plusSeconds(7200);
    List<Instant> expected = List.of(T0, T0.plusSeconds(3600), T0.plusSeconds(7200));
    when(schedules.describe("hourly", null)).thenReturn(view("hourly", null));
    when(schedules.matchingTimes("hourly", from, to)).thenReturn(expected);
    when(runLog.between("hourly", from, to))
        .thenReturn(
            List.of(
                run(T0, 100, "COMPLETED"),
                run(T0.plusSeconds(1234), 5, "COMPLETED"),
                run(T0.plusSeconds(3600), 2000, "FAILED")));

    mvc.perform(
            get("/api/schedules/hourly/runs")
                .param("from", from.toString())
                .param("to", to.toString()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.expected").value(3))
        .andExpect(jsonPath("$.executed").value(2))
        .andExpect(jsonPath("$.manual").value(1))
        .andExpect(jsonPath("$.reliability").value(2.0 / 3))
        .andExpect(jsonPath("$.lateness.p50Millis").value(100))
        .andExpect(jsonPath("$.lateness.p95Millis").value(2000))
        .andExpect(jsonPath("$.lateness.maxMillis").value(2000))
        .andExpect(jsonPath("$.runs[1].manual").value(true))
        .andExpect(jsonPath("$.runs[2].outcome").value("FAILED"));
  }

  @Test
  void aTriggerIsAcceptedAndRunsTheSchedule() throws Exception {
    when(schedules.describe("birthday-reminders", null))
        .thenReturn(view("birthday-reminders", null));

    mvc.perform(post("/api/schedules/birthday-reminders/trigger"))
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.scheduleId").value("birthday-reminders"))
        .andExpect(jsonPath("$.status").value("TRIGGERED"))
        .andExpect(jsonPath("$.runsUrl").isString());
    verify(schedules).trigger("birthday-reminders");
  }

  @Test
  void anUnknownScheduleIsA404ProblemAndNothingIsTriggered() throws Exception {
    when(schedules.describe(eq("nope"), isNull()))
        .thenThrow(ApiProblem.notFound("No schedule with this id."));

    mvc.perform(post("/api/schedules/nope/trigger"))
        .andExpect(status().isNotFound())
        .andExpect(content().contentTypeCompatibleWith(PROBLEM_JSON));
    verify(schedules, never()).trigger(any());
  }

  @Test
  void anIdNoScheduleCanHaveIsA404WithoutAskingTemporal() throws Exception {
    mvc.perform(post("/api/schedules/{id}/trigger", "-dash first"))
        .andExpect(status().isNotFound())
        .andExpect(content().contentTypeCompatibleWith(PROBLEM_JSON));
    verifyNoInteractions(schedules);
  }

  @Test
  void aPeriodThatIsNotOneIsA400NamingTheParameter() throws Exception {
    mvc.perform(get("/api/schedules/hourly/runs").param("from", "yesterday"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(PROBLEM_JSON))
        .andExpect(jsonPath("$.errors[0].field").value("from"));
    mvc.perform(
            get("/api/schedules/hourly/runs")
                .param("from", "2026-12-02T00:00:00Z")
                .param("to", "2026-12-01T00:00:00Z"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].message").value("must be before to"));
    mvc.perform(
            get("/api/schedules/hourly/runs")
                .param("from", "2026-01-01T00:00:00Z")
                .param("to", "2026-12-01T00:00:00Z"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].message").value("must be at most 31 days before to"));
    verifyNoInteractions(schedules);
  }
}
