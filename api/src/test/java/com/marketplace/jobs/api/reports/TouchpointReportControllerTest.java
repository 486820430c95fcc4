package com.marketplace.jobs.api.reports;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.marketplace.jobs.api.testsupport.TrustedCaller;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/** The touchpoint report over real rows on PostgreSQL, with the real security rules. */
@Import(TrustedCaller.class)
@WebMvcTest(TouchpointReportController.class)
class TouchpointReportControllerTest {

  @Autowired private MockMvc mvc;
  @Autowired private JdbcClient jdbc;

  private int key;

  private void touchpoint(
      String kind, String day, boolean sent, Boolean late, String status, boolean delivered) {
    jdbc.sql(
            """
            INSERT INTO touchpoints (kind, subject_key, due_on, due_by, sent_at, late,
                                     delivery_status, delivered_at)
            VALUES (:kind, :key, :day::date, :day::date + time '09:00',
                    CASE WHEN :sent THEN now() END, :late, :status,
                    CASE WHEN :delivered THEN now() END)
            """)
        .param("kind", kind)
        .param("key", "report-test:" + (++key))
        .param("day", day)
        .param("sent", sent)
        .param("late", late)
        .param("status", status)
        .param("delivered", delivered)
        .update();
  }

  @BeforeEach
  void rows() {
    jdbc.sql("DELETE FROM touchpoints").update();
    // 1 March: 4 birthday reminders owed; 3 sent (1 late), 2 delivered, 1 bounced, 1 never sent.
    touchpoint("birthday_reminder", "2026-03-01", true, false, "DELIVERED", true);
    touchpoint("birthday_reminder", "2026-03-01", true, true, "COMPLAINED", true);
    touchpoint("birthday_reminder", "2026-03-01", true, false, "BOUNCED", false);
    touchpoint("birthday_reminder", "2026-03-01", false, null, null, false);
    // 1 March: one vehicle reminder sent, no verdict yet; 2 March: one birthday, not sent.
    touchpoint("vehicle_reminder", "2026-03-01", true, false, null, false);
    touchpoint("birthday_reminder", "2026-03-02", false, null, null, false);
    // Outside the range.
    touchpoint("birthday_reminder", "2026-03-05", true, false, "DELIVERED", true);
  }

  @Test
  void countsPerDayAndKindWithinTheRange() throws Exception {
    mvc.perform(get("/api/reports/touchpoints?from=2026-03-01&to=2026-03-02"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.from").value("2026-03-01"))
        .andExpect(jsonPath("$.to").value("2026-03-02"))
        .andExpect(jsonPath("$.days.length()").value(3))
        .andExpect(jsonPath("$.days[0].day").value("2026-03-01"))
        .andExpect(jsonPath("$.days[0].kind").value("birthday_reminder"))
        .andExpect(jsonPath("$.days[0].due").value(4))
        .andExpect(jsonPath("$.days[0].sent").value(3))
        .andExpect(jsonPath("$.days[0].delivered").value(2))
        .andExpect(jsonPath("$.days[0].failed").value(1))
        .andExpect(jsonPath("$.days[0].late").value(1))
        .andExpect(jsonPath("$.days[0].complained").value(1))
        .andExpect(jsonPath("$.days[0].deliveryRate").value(0.6667))
        .andExpect(jsonPath("$.days[1].kind").value("vehicle_reminder"))
        .andExpect(jsonPath("$.days[1].deliveryRate").value(0.0))
        .andExpect(jsonPath("$.days[2].day").value("2026-03-02"))
        .andExpect(jsonPath("$.days[2].due").value(1))
        .andExpect(jsonPath("$.days[2].deliveryRate").doesNotExist());
  }

  @Test
  void missingBadReversedAndTooLongRangesAreRefusedWith400() throws Exception {
    for (String query :
        new String[] {
          "",
          "?from=2026-03-01",
          "?from=yesterday&to=2026-03-02",
          "?from=2026-02-30&to=2026-03-02",
          "?from=2026-03-03&to=2026-03-02",
          "?from=2025-01-01&to=2026-03-02"
        }) {
      mvc.perform(get("/api/reports/touchpoints" + query))
          .andExpect(status().isBadRequest())
          .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
          .andExpect(jsonPath("$.errors[0].field").exists());
    }
  }

  @Test
  void withoutATokenTheReportIsRefused() throws Exception {
    mvc.perform(
            get("/api/reports/touchpoints?from=2026-03-01&to=2026-03-02")
                .requestAttr(TrustedCaller.ANONYMOUS, true))
        .andExpect(status().isUnauthorized());
  }
}
