package com.marketplace.jobs.notifications;

import com.marketplace.jobs.common.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

@Component
public class NotificationActivitiesImpl implements NotificationActivities {

  private static final Logger log = LoggerFactory.getLogger(NotificationActivitiesImpl.class);

  private final CustomerDirectory customers;
  private final EmailTemplates templates;
  private final MailSender mail;
  private final EmailDeliveries deliveries;

  NotificationActivitiesImpl(
      CustomerDirectory customers,
      EmailTemplates templates,
      MailSender mail,
      EmailDeliveries deliveries) {
    this.customers = customers;
    this.templates = templates;
    this.mail = mail;
    this.deliveries = deliveries;
  }

  @Override
  public DeliveryReceipt deliverEmail(NotificationRequest request) {
    Optional<String> alreadySent = deliveries.providerMessageId(request.jobId());
    if (alreadySent.isPresent()) {
      log.info("job {}: email already delivered, not sending again", request.jobId());
      return new DeliveryReceipt(request.jobId(), alreadySent.get());
    }
    EmailTemplate template = templates.find(request.template(), EmailTemplate.Audience.CUSTOMER);
    Customer customer =
        customers
            .find(request.customerId())
            .orElseThrow(
                () ->
                    ApplicationFailure.newNonRetryableFailure(
                        "customer " + request.customerId() + " does not exist",
                        FailureType.NOT_FOUND.name()));
    Map<String, Object> scope = new HashMap<>();
    if (request.params() != null) {
      scope.putAll(request.params());
    }
    scope.put("firstName", customer.firstName());
    String messageId =
        mail.send(templates.compose(template, customer.email(), scope, request.jobId()));
    deliveries.record(request.jobId(), customer.id(), template.id(), messageId);
    log.info("job {}: email {} sent to customer {}", request.jobId(), messageId, customer.id());
    return new DeliveryReceipt(request.jobId(), messageId);
  }
}
