package com.marketplace.jobs.api.calendar;

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

/** {@code GET /api/calendar/conflicts} over real rows on PostgreSQL, with the real security. */
@Import({TrustedCaller.class, CalendarConflicts.class})
@WebMvcTest(CalendarConflictController.class)
class CalendarConflictControllerTest {

  @Autowired private MockMvc mvc;
  @Autowired private JdbcClient jdbc;

  @BeforeEach
  void rows() {
    CalendarConflictRows.insert(jdbc);
  }

  @Test
  void openConflictsNewestFirstByDefault() throws Exception {
    mvc.perform(get("/api/calendar/conflicts"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("open"))
        .andExpect(jsonPath("$.count").value(3))
        .andExpect(jsonPath("$.conflicts[0].id").value(4))
        .andExpect(jsonPath("$.conflicts[1].id").value(2))
        .andExpect(jsonPath("$.conflicts[2].id").value(1))
        .andExpect(jsonPath("$.conflicts[2].status").value("open"))
        .andExpect(jsonPath("$.conflicts[2].companyId").value(7101))
        .andExpect(jsonPath("$.conflicts[2].vehicleId").value(710001))
        .andExpect(jsonPath("$.conflicts[2].orderId").value(7100001))
        .andExpect(jsonPath("$.conflicts[2].orderStatus").value("ACTIVE"))
        .andExpect(jsonPath("$.conflicts[2].googleEventId").value("evt-one-a"))
        .andExpect(jsonPath("$.conflicts[2].blockStartsAt").value("2027-05-01T09:00:00Z"))
        .andExpect(jsonPath("$.conflicts[2].orderEndsAt").value("2027-05-01T14:00:00Z"))
        .andExpect(jsonPath("$.conflicts[2].clearedAt").doesNotExist());
  }

  @Test
  void clearedAndAllAndOneCompany() throws Exception {
    mvc.perform(get("/api/calendar/conflicts?status=cleared"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.count").value(1))
        .andExpect(jsonPath("$.conflicts[0].id").value(3))
        .andExpect(jsonPath("$.conflicts[0].status").value("cleared"))
        .andExpect(jsonPath("$.conflicts[0].clearedReason").value("ORDER_NOT_ACTIVE"))
        .andExpect(jsonPath("$.conflicts[0].orderStatus").value("CANCELLED"));
    mvc.perform(get("/api/calendar/conflicts?status=all&companyId=7101"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.companyId").value(7101))
        .andExpect(jsonPath("$.count").value(3));
    mvc.perform(get("/api/calendar/conflicts?companyId=7102&limit=1"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.count").value(1))
        .andExpect(jsonPath("$.conflicts[0].id").value(4));
  }

  @Test
  void badParametersAreRefusedWithAProblemNamingTheField() throws Exception {
    String[][] cases = {
      {"?status=closed", "status"},
      {"?companyId=abc", "companyId"},
      {"?companyId=-3", "companyId"},
      {"?limit=0", "limit"},
      {"?limit=5000", "limit"}
    };
    for (String[] c : cases) {
      mvc.perform(get("/api/calendar/conflicts" + c[0]))
          .andExpect(status().isBadRequest())
          .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
          .andExpect(jsonPath("$.errors[0].field").value(c[1]));
    }
  }

  @Test
  void withoutATokenTheConflictsAreRefused() throws Exception {
    mvc.perform(get("/api/calendar/conflicts").requestAttr(TrustedCaller.ANONYMOUS, true))
        .andExpect(status().isUnauthorized());
  }
}
