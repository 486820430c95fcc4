package com.marketplace.jobs.api.notifications;

import com.marketplace.jobs.api.intake.AcceptedJob;
import com.marketplace.jobs.api.intake.JobIntake;
import com.marketplace.jobs.api.intake.NewJob;
import com.marketplace.jobs.api.intake.TriggerResponse;
import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.common.JobType;
import com.marketplace.jobs.notifications.EmailTemplate;
import com.marketplace.jobs.notifications.NotificationRequest;
import jakarta.validation.Valid;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/notifications}: validates, checks the customer and the template, accepts the job
 * into the ledger and answers 202. Nothing is written for a refused request.
 */
@RestController
class NotificationController {

  static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

  private final JobIntake intake;
  private final CustomerLookup customers;

  NotificationController(JobIntake intake, CustomerLookup customers) {
    this.intake = intake;
    this.customers = customers;
  }

  @PostMapping("/api/notifications")
  ResponseEntity<TriggerResponse> send(
      @Valid @RequestBody SendNotification body,
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
    if (idempotencyKey != null
        && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_LENGTH)) {
      throw ApiProblem.badRequest(
          "The Idempotency-Key header must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters.");
    }
    EmailTemplate template =
        EmailTemplate.byId(body.template())
            .filter(known -> known.audience() == EmailTemplate.Audience.CUSTOMER)
            .orElseThrow(
                () ->
                    ApiProblem.badRequest(
                        "Unknown template '"
                            + body.template()
                            + "'. Known templates: "
                            + EmailTemplate.forAudience(EmailTemplate.Audience.CUSTOMER).stream()
                                .map(EmailTemplate::id)
                                .collect(Collectors.joining(", "))
                            + "."));
    List<String> missing = template.missingParams(body.params());
    if (!missing.isEmpty()) {
      throw ApiProblem.badRequest(
          "Template '" + template.id() + "' needs params: " + String.join(", ", missing) + ".");
    }
    Long tenantId =
        customers
            .tenantOf(body.customerId())
            .orElseThrow(
                () -> ApiProblem.notFound("No customer with id " + body.customerId() + "."));

    Map<String, String> params = body.params() == null ? Map.of() : new TreeMap<>(body.params());
    AcceptedJob job =
        intake.accept(
            new NewJob(
                JobType.NOTIFICATION,
                new SendNotification(body.customerId(), template.id(), params),
                jobId ->
                    new NotificationRequest(
                        jobId.toString(), body.customerId(), template.id(), params),
                idempotencyKey,
                tenantId,
                null));
    return TriggerResponse.of(job);
  }
}
