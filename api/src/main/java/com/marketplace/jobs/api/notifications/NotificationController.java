package com.marketplace.jobs.api.notifications;

import com.marketplace.jobs.api.intake.AcceptedJob;
import com.marketplace.jobs.api.intake.JobIntake;
import com.marketplace.jobs.api.intake.NewJob;
import com.marketplace.jobs.api.intake.TriggerResponse;
import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.common.JobType;
import com.marketplace.jobs.common.PersonalData;
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

  /** Bounds on {@code params}: templates need a few short values, never documents. */
  static final int MAX_PARAMS = 20;

  static final int MAX_PARAM_NAME_LENGTH = 64;
  static final int MAX_PARAM_VALUE_LENGTH = 1000;

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
    checkParams(body.params());
    EmailTemplate template =
        EmailTemplate.byId(body.template())
            .filter(known -> known.audience() == EmailTemplate.Audience.CUSTOMER)
            .orElseThrow(
                () ->
                    ApiProblem.badRequest(
                        "Unknown template. Known templates: "
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
                    new NotificationContent(body.customerId(), template.id(), params),
                    jobId ->
                        new NotificationRequest(
                            jobId.toString(), body.customerId(), template.id(), params),
                    idempotencyKey,
                    tenantId,
                    null)
                .withDelay(body.delay()));
    return TriggerResponse.of(job);
  }

  /**
   * What makes two notification requests the same job (with the delay, which the intake adds):
   * hashed as this record always was, so duplicate detection spans the change.
   */
  record NotificationContent(Long customerId, String template, Map<String, String> params) {}

  /** 400 naming the field; values are never echoed (they may be personal data). */
  private static void checkParams(Map<String, String> params) {
    if (params == null) {
      return;
    }
    if (params.size() > MAX_PARAMS) {
      throw ApiProblem.invalidField("params", "must have at most " + MAX_PARAMS + " entries");
    }
    for (Map.Entry<String, String> param : new TreeMap<>(params).entrySet()) {
      // A key is the client's text too: named in a problem with any address in it masked.
      String name = PersonalData.maskEmails(param.getKey());
      if (param.getKey().isBlank() || param.getKey().length() > MAX_PARAM_NAME_LENGTH) {
        throw ApiProblem.invalidField(
            "params", "names must be 1 to " + MAX_PARAM_NAME_LENGTH + " characters");
      }
      if (param.getValue() == null) {
        throw ApiProblem.invalidField("params." + name, "must not be null");
      }
      if (param.getValue().length() > MAX_PARAM_VALUE_LENGTH) {
        throw ApiProblem.invalidField(
            "params." + name, "must be at most " + MAX_PARAM_VALUE_LENGTH + " characters");
      }
    }
  }
}
