package com.marketplace.jobs.api.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.marketplace.jobs.api.intake.AcceptedJob;
import com.marketplace.jobs.api.intake.JobIntake;
import com.marketplace.jobs.api.intake.NewJob;
import com.marketplace.jobs.api.limits.RequestLimitFilter;
import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.api.testsupport.TrustedCaller;
import com.marketplace.jobs.common.JobType;
import com.marketplace.jobs.notifications.NotificationRequest;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

@Import(TrustedCaller.class)
@WebMvcTest(NotificationController.class)
class NotificationControllerTest {

  private static final UUID JOB_ID = UUID.fromString("0b6f7d1e-5d2a-4c7e-9a51-3f1c2b4d6e8f");
  private static final String WORKFLOW_ID = "notification-" + JOB_ID;
  private static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

  @Autowired private MockMvc mvc;

  @MockitoBean private JobIntake intake;

  @MockitoBean private CustomerLookup customers;

  private ResultActions send(String body) throws Exception {
    return mvc.perform(
        post("/api/notifications").contentType(MediaType.APPLICATION_JSON).content(body));
  }

  private ResultActions send(String body, String idempotencyKey) throws Exception {
    return mvc.perform(
        post("/api/notifications")
            .contentType(MediaType.APPLICATION_JSON)
            .header("Idempotency-Key", idempotencyKey)
            .content(body));
  }

  private void customerExists(long customerId, long tenantId) {
    when(customers.tenantOf(customerId)).thenReturn(Optional.of(tenantId));
  }

  private void intakeAnswers(boolean replayed) {
    when(intake.accept(any()))
        .thenReturn(new AcceptedJob(JOB_ID, WORKFLOW_ID, "PENDING", replayed));
  }

  @Test
  void acceptsAValidRequestWith202AndTheJobsLinks() throws Exception {
    customerExists(42, 7);
    intakeAnswers(false);

    send("{\"customerId\": 42, \"template\": \"welcome\"}", "welcome-42")
        .andExpect(status().isAccepted())
        .andExpect(header().string("Location", "/api/jobs/" + JOB_ID))
        .andExpect(header().doesNotExist("Idempotent-Replayed"))
        .andExpect(jsonPath("$.jobId").value(JOB_ID.toString()))
        .andExpect(jsonPath("$.workflowId").value(WORKFLOW_ID))
        .andExpect(jsonPath("$.status").value("PENDING"))
        .andExpect(jsonPath("$.statusUrl").value("/api/jobs/" + JOB_ID));

    ArgumentCaptor<NewJob> accepted = ArgumentCaptor.forClass(NewJob.class);
    verify(intake).accept(accepted.capture());
    NewJob job = accepted.getValue();
    assertThat(job.type()).isEqualTo(JobType.NOTIFICATION);
    assertThat(job.idempotencyKey()).isEqualTo("welcome-42");
    assertThat(job.tenantId()).isEqualTo(7L);
    assertThat(job.companyId()).isNull();
    UUID newJobId = UUID.randomUUID();
    assertThat(job.workflowInput().apply(newJobId))
        .isEqualTo(new NotificationRequest(newJobId.toString(), 42L, "welcome", Map.of()));
  }

  @Test
  void passesTheTemplateParamsToTheWorkflowInput() throws Exception {
    customerExists(42, 7);
    intakeAnswers(false);

    send("""
            {"customerId": 42, "template": "order_confirmation",
             "params": {"vehicleName": "VW Golf", "orderId": "9001"}}
            """)
        .andExpect(status().isAccepted());

    ArgumentCaptor<NewJob> accepted = ArgumentCaptor.forClass(NewJob.class);
    verify(intake).accept(accepted.capture());
    NewJob job = accepted.getValue();
    assertThat(job.idempotencyKey()).isNull();
    UUID newJobId = UUID.randomUUID();
    assertThat(job.workflowInput().apply(newJobId))
        .isEqualTo(
            new NotificationRequest(
                newJobId.toString(),
                42L,
                "order_confirmation",
                Map.of("orderId", "9001", "vehicleName", "VW Golf")));
  }

  @Test
  void aReplayedJobIsMarkedWithIdempotentReplayed() throws Exception {
    customerExists(42, 7);
    intakeAnswers(true);

    send("{\"customerId\": 42, \"template\": \"welcome\"}", "welcome-42")
        .andExpect(status().isAccepted())
        .andExpect(header().string("Idempotent-Replayed", "true"))
        .andExpect(header().string("Location", "/api/jobs/" + JOB_ID))
        .andExpect(jsonPath("$.jobId").value(JOB_ID.toString()))
        .andExpect(jsonPath("$.workflowId").value(WORKFLOW_ID));
  }

  @Test
  void unknownCustomerIs404() throws Exception {
    when(customers.tenantOf(anyLong())).thenReturn(Optional.empty());

    send("{\"customerId\": 999, \"template\": \"welcome\"}")
        .andExpect(status().isNotFound())
        .andExpect(header().string("Content-Type", PROBLEM_JSON.toString()))
        .andExpect(jsonPath("$.status").value(404))
        .andExpect(jsonPath("$.title").value("Not found"))
        .andExpect(jsonPath("$.detail").value("No customer with id 999."));

    verify(customers).tenantOf(999L);
    verify(intake, never()).accept(any());
  }

  @Test
  void malformedJsonIs400() throws Exception {
    send("{\"customerId\": 42, \"template\": ")
        .andExpect(status().isBadRequest())
        .andExpect(header().string("Content-Type", PROBLEM_JSON.toString()))
        .andExpect(jsonPath("$.status").value(400))
        .andExpect(jsonPath("$.title").value("Malformed request body"))
        .andExpect(jsonPath("$.detail").value("The body is not valid JSON."));

    verify(intake, never()).accept(any());
  }

  @Test
  void missingBodyIs400() throws Exception {
    send("")
        .andExpect(status().isBadRequest())
        .andExpect(header().string("Content-Type", PROBLEM_JSON.toString()))
        .andExpect(jsonPath("$.detail").value("The request body is missing or unreadable."));

    verify(intake, never()).accept(any());
  }

  @Test
  void missingFieldsAre400NamingEachField() throws Exception {
    send("{}")
        .andExpect(status().isBadRequest())
        .andExpect(header().string("Content-Type", PROBLEM_JSON.toString()))
        .andExpect(jsonPath("$.status").value(400))
        .andExpect(jsonPath("$.title").value("Invalid request"))
        .andExpect(jsonPath("$.errors", hasSize(2)))
        .andExpect(jsonPath("$.errors[0].field").value("customerId"))
        .andExpect(jsonPath("$.errors[0].message").isNotEmpty())
        .andExpect(jsonPath("$.errors[1].field").value("template"))
        .andExpect(jsonPath("$.errors[1].message").isNotEmpty())
        .andExpect(jsonPath("$.detail", containsString("customerId")))
        .andExpect(jsonPath("$.detail", containsString("template")));

    verify(intake, never()).accept(any());
  }

  @Test
  void nonPositiveCustomerIdIs400() throws Exception {
    send("{\"customerId\": 0, \"template\": \"welcome\"}")
        .andExpect(status().isBadRequest())
        .andExpect(header().string("Content-Type", PROBLEM_JSON.toString()))
        .andExpect(jsonPath("$.errors", hasSize(1)))
        .andExpect(jsonPath("$.errors[0].field").value("customerId"));

    verify(intake, never()).accept(any());
  }

  @Test
  void wrongTypeIs400NamingTheField() throws Exception {
    send("{\"customerId\": \"forty-two\", \"template\": \"welcome\"}")
        .andExpect(status().isBadRequest())
        .andExpect(header().string("Content-Type", PROBLEM_JSON.toString()))
        .andExpect(jsonPath("$.title").value("Invalid request"))
        .andExpect(jsonPath("$.errors", hasSize(1)))
        .andExpect(jsonPath("$.errors[0].field").value("customerId"))
        .andExpect(jsonPath("$.errors[0].message").value("must be an integer"))
        .andExpect(jsonPath("$.detail").value("Invalid fields: customerId must be an integer"))
        // The submitted value may be personal data: it is never echoed.
        .andExpect(jsonPath("$.detail", not(containsString("forty-two"))));

    verify(intake, never()).accept(any());
  }

  @Test
  void unknownFieldIs400NamingIt() throws Exception {
    send("{\"customerId\": 42, \"template\": \"welcome\", \"priority\": \"high\"}")
        .andExpect(status().isBadRequest())
        .andExpect(header().string("Content-Type", PROBLEM_JSON.toString()))
        .andExpect(jsonPath("$.errors", hasSize(1)))
        .andExpect(jsonPath("$.errors[0].field").value("priority"))
        .andExpect(jsonPath("$.errors[0].message").value("is not a known field"));

    verify(intake, never()).accept(any());
  }

  /** A client's values may be personal data: no 400 echoes one, whatever is wrong with it. */
  @Test
  void noProblemEchoesASubmittedValue() throws Exception {
    customerExists(42, 7);
    String email = "annelie.berger@example.com";

    send("{\"customerId\": \"" + email + "\", \"template\": \"welcome\"}")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("customerId"))
        .andExpect(jsonPath("$.errors[0].message").value("must be an integer"))
        .andExpect(content().string(not(containsString("annelie"))));
    send("{\"customerId\": 42, \"template\": [\"" + email + "\"]}")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("template"))
        .andExpect(jsonPath("$.errors[0].message").value("must be a string"))
        .andExpect(content().string(not(containsString("annelie"))));
    send("{\"customerId\": 42, \"template\": " + email + "}")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value("The body is not valid JSON."))
        .andExpect(content().string(not(containsString("annelie"))));
    send("{\"customerId\": 42, \"template\": \"" + email + "\"}")
        .andExpect(status().isBadRequest())
        .andExpect(content().string(not(containsString("annelie"))));
    send("{\"customerId\": 42, \"template\": \"welcome\", \"params\": \"" + email + "\"}")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("params"))
        .andExpect(jsonPath("$.errors[0].message").value("must be an object"))
        .andExpect(content().string(not(containsString("annelie"))));

    verify(intake, never()).accept(any());
  }

  /** Field names are the client's too: an address sent as a key is masked, not echoed. */
  @Test
  void anAddressSentAsAFieldNameIsMasked() throws Exception {
    customerExists(42, 7);

    send("{\"customerId\": 42, \"template\": \"welcome\", \"annelie.berger@example.com\": 1}")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("<email>"))
        .andExpect(jsonPath("$.errors[0].message").value("is not a known field"))
        .andExpect(content().string(not(containsString("annelie"))));
    send("{\"customerId\": 42, \"template\": \"welcome\", \"params\":"
            + " {\"annelie.berger@example.com\": null}}")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("params.<email>"))
        .andExpect(content().string(not(containsString("annelie"))));

    verify(intake, never()).accept(any());
  }

  @Test
  void unknownTemplateIs400ListingTheKnownOnes() throws Exception {
    customerExists(42, 7);

    send("{\"customerId\": 42, \"template\": \"farewell\"}")
        .andExpect(status().isBadRequest())
        .andExpect(header().string("Content-Type", PROBLEM_JSON.toString()))
        .andExpect(jsonPath("$.title").value("Invalid request"))
        .andExpect(
            jsonPath("$.detail")
                .value(
                    "Unknown template. Known templates: welcome, birthday,"
                        + " order_confirmation."));

    verify(intake, never()).accept(any());
  }

  @Test
  void missingTemplateParamsAre400NamingThem() throws Exception {
    customerExists(42, 7);

    send("""
            {"customerId": 42, "template": "order_confirmation", "params": {"vehicleName": " "}}
            """)
        .andExpect(status().isBadRequest())
        .andExpect(header().string("Content-Type", PROBLEM_JSON.toString()))
        .andExpect(
            jsonPath("$.detail")
                .value("Template 'order_confirmation' needs params: orderId, vehicleName."));

    verify(intake, never()).accept(any());
  }

  @Test
  void tooManyParamsAre400NamingTheField() throws Exception {
    customerExists(42, 7);
    StringBuilder params = new StringBuilder();
    for (int i = 0; i <= NotificationController.MAX_PARAMS; i++) {
      params.append(i == 0 ? "" : ", ").append("\"p").append(i).append("\": \"v\"");
    }

    send("{\"customerId\": 42, \"template\": \"welcome\", \"params\": {" + params + "}}")
        .andExpect(status().isBadRequest())
        .andExpect(header().string("Content-Type", PROBLEM_JSON.toString()))
        .andExpect(jsonPath("$.errors[0].field").value("params"))
        .andExpect(jsonPath("$.errors[0].message").value("must have at most 20 entries"));

    verify(intake, never()).accept(any());
  }

  @Test
  void anOverlongParamValueIs400NamingItWithoutEchoingIt() throws Exception {
    customerExists(42, 7);
    String value = "v".repeat(NotificationController.MAX_PARAM_VALUE_LENGTH + 1);

    send("{\"customerId\": 42, \"template\": \"order_confirmation\", \"params\":"
            + " {\"orderId\": \"7\", \"vehicleName\": \""
            + value
            + "\"}}")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("params.vehicleName"))
        .andExpect(jsonPath("$.errors[0].message").value("must be at most 1000 characters"))
        .andExpect(content().string(not(containsString(value))));

    verify(intake, never()).accept(any());
  }

  @Test
  void anOverlongParamNameIs400() throws Exception {
    customerExists(42, 7);

    send("{\"customerId\": 42, \"template\": \"welcome\", \"params\": {\""
            + "n".repeat(65)
            + "\": \"v\"}}")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("params"));

    verify(intake, never()).accept(any());
  }

  @Test
  void overlongIdempotencyKeyIs400() throws Exception {
    customerExists(42, 7);

    send(
            "{\"customerId\": 42, \"template\": \"welcome\"}",
            "k".repeat(RequestLimitFilter.MAX_IDEMPOTENCY_KEY_LENGTH + 1))
        .andExpect(status().isBadRequest())
        .andExpect(header().string("Content-Type", PROBLEM_JSON.toString()))
        .andExpect(
            jsonPath("$.detail").value("The Idempotency-Key header must be 1 to 255 characters."));

    verify(intake, never()).accept(any());
  }

  @Test
  void aBlankIdempotencyKeyIs400() throws Exception {
    customerExists(42, 7);

    send("{\"customerId\": 42, \"template\": \"welcome\"}", "   ")
        .andExpect(status().isBadRequest())
        .andExpect(header().string("Content-Type", PROBLEM_JSON.toString()))
        .andExpect(
            jsonPath("$.detail").value("The Idempotency-Key header must be 1 to 255 characters."));

    verify(intake, never()).accept(any());
  }

  @Test
  void aReusedIdempotencyKeyRefusedByTheIntakeIs422() throws Exception {
    customerExists(42, 7);
    when(intake.accept(any()))
        .thenThrow(
            new ApiProblem(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "Idempotency-Key reused",
                "This Idempotency-Key was already used for a different request.",
                Map.of("jobId", JOB_ID)));

    send("{\"customerId\": 42, \"template\": \"birthday\"}", "welcome-42")
        .andExpect(status().isUnprocessableContent())
        .andExpect(header().string("Content-Type", PROBLEM_JSON.toString()))
        .andExpect(header().doesNotExist("Location"))
        .andExpect(jsonPath("$.status").value(422))
        .andExpect(jsonPath("$.title").value("Idempotency-Key reused"))
        .andExpect(
            jsonPath("$.detail")
                .value("This Idempotency-Key was already used for a different request."))
        .andExpect(jsonPath("$.jobId").value(JOB_ID.toString()));
  }

  @Test
  void anIdempotencyKeyOfTheMaximumLengthIsAccepted() throws Exception {
    customerExists(42, 7);
    intakeAnswers(false);
    String key = "k".repeat(RequestLimitFilter.MAX_IDEMPOTENCY_KEY_LENGTH);

    send("{\"customerId\": 42, \"template\": \"welcome\"}", key).andExpect(status().isAccepted());

    ArgumentCaptor<NewJob> accepted = ArgumentCaptor.forClass(NewJob.class);
    verify(intake).accept(accepted.capture());
    assertThat(accepted.getValue().idempotencyKey()).isEqualTo(key);
  }
}
