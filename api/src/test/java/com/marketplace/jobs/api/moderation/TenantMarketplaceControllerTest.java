package com.marketplace.jobs.api.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.marketplace.jobs.api.intake.AcceptedJob;
import com.marketplace.jobs.api.intake.JobDelay;
import com.marketplace.jobs.api.intake.JobIntake;
import com.marketplace.jobs.api.intake.NewJob;
import com.marketplace.jobs.api.testsupport.TrustedCaller;
import com.marketplace.jobs.common.JobType;
import com.marketplace.jobs.moderation.MarketplaceToggleRequest;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

@Import(TrustedCaller.class)
@WebMvcTest(TenantMarketplaceController.class)
class TenantMarketplaceControllerTest {

  private static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
  private static final UUID JOB_ID = UUID.fromString("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");

  @Autowired private MockMvc mvc;
  @MockitoBean private JobIntake intake;
  @MockitoBean private Tenants tenants;

  private ResultActions toggle(String tenant, String body) throws Exception {
    return mvc.perform(
        post("/api/tenants/" + tenant + "/marketplace")
            .contentType(MediaType.APPLICATION_JSON)
            .content(body));
  }

  /** The tenant exists, and the intake (like the real one) builds the workflow input first. */
  private void tenant(Tenants.Tenant tenant) {
    when(tenants.exists(tenant.id())).thenReturn(true);
    when(tenants.find(tenant.id())).thenReturn(Optional.of(tenant));
    when(intake.accept(any()))
        .thenAnswer(
            call -> {
              NewJob job = call.getArgument(0);
              job.workflowInput().apply(JOB_ID);
              return new AcceptedJob(JOB_ID, "marketplace_toggle-" + JOB_ID, "PENDING", false);
            });
  }

  @Test
  void aToggleIsAcceptedAsATenantWideModerationJob() throws Exception {
    tenant(new Tenants.Tenant(1, 2, 1, 3, 0));

    toggle("1", "{\"enabled\": true}")
        .andExpect(status().isAccepted())
        .andExpect(header().string("Location", "/api/jobs/" + JOB_ID))
        .andExpect(jsonPath("$.workflowId").value("marketplace_toggle-" + JOB_ID));

    ArgumentCaptor<NewJob> job = ArgumentCaptor.forClass(NewJob.class);
    verify(intake).accept(job.capture());
    assertThat(job.getValue().type()).isEqualTo(JobType.MARKETPLACE_TOGGLE);
    assertThat(job.getValue().tenantId()).isEqualTo(1L);
    assertThat(job.getValue().companyId()).isNull();
    assertThat(job.getValue().exclusiveWith())
        .isEqualTo(Set.of(JobType.COMPANY_BAN, JobType.COMPANY_UNBAN, JobType.MARKETPLACE_TOGGLE));
    assertThat(job.getValue().sameContent())
        .isEqualTo(NewJob.SameContent.SAME_JOB_WHILE_UNFINISHED);
    assertThat(job.getValue().workflowInput().apply(JOB_ID))
        .isEqualTo(new MarketplaceToggleRequest(JOB_ID.toString(), 1, true));
  }

  @Test
  void aToggleCarriesItsDelayToTheIntake() throws Exception {
    tenant(new Tenants.Tenant(1, 2, 1, 3, 0));

    toggle("1", "{\"enabled\": true, \"delaySeconds\": 600}").andExpect(status().isAccepted());

    ArgumentCaptor<NewJob> job = ArgumentCaptor.forClass(NewJob.class);
    verify(intake).accept(job.capture());
    assertThat(job.getValue().delay()).isEqualTo(new JobDelay(null, 600L));
  }

  @Test
  void aToggleThatWouldChangeNothingIs409() throws Exception {
    tenant(new Tenants.Tenant(1, 3, 0, 4, 0));

    toggle("1", "{\"enabled\": true}")
        .andExpect(status().isConflict())
        .andExpect(header().string("Content-Type", PROBLEM_JSON.toString()))
        .andExpect(
            jsonPath("$.detail")
                .value(
                    "Every company and vehicle model of tenant 1 is already on the marketplace."));
  }

  @Test
  void anUnknownTenantIs404() throws Exception {
    when(tenants.exists(404)).thenReturn(false);

    toggle("404", "{\"enabled\": false}")
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.detail").value("No tenant with id 404."));
    verify(intake, never()).accept(any());
  }

  @Test
  void aMissingOrNonBooleanEnabledIs400NamingIt() throws Exception {
    tenant(new Tenants.Tenant(1, 2, 1, 3, 0));
    for (String body : new String[] {"{}", "{\"enabled\": null}", "{\"enabled\": \"maybe\"}"}) {
      toggle("1", body)
          .andExpect(status().isBadRequest())
          .andExpect(header().string("Content-Type", PROBLEM_JSON.toString()))
          .andExpect(jsonPath("$.errors[0].field").value("enabled"));
    }
    toggle("x", "{\"enabled\": true}")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("tenantId"));
    verify(intake, never()).accept(any());
  }
}
