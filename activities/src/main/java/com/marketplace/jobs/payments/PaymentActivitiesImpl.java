package com.marketplace.jobs.payments;

import com.marketplace.jobs.ledger.LedgerErrorMessages;
import com.marketplace.jobs.notifications.EmailTemplate;
import com.marketplace.jobs.notifications.StaffMailer;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

@Component
public class PaymentActivitiesImpl implements PaymentActivities {

  private static final Logger log = LoggerFactory.getLogger(PaymentActivitiesImpl.class);

  private final Payments payments;
  private final StripePayments stripe;
  private final PaymentAlerts alerts;
  private final StaffMailer mailer;
  private final PaymentProperties properties;

  PaymentActivitiesImpl(
      Payments payments,
      StripePayments stripe,
      PaymentAlerts alerts,
      StaffMailer mailer,
      PaymentProperties properties) {
    this.payments = payments;
    this.stripe = stripe;
    this.alerts = alerts;
    this.mailer = mailer;
    this.properties = properties;
  }

  @Override
  public PaymentState recordEvent(PaymentEvent event) {
    PaymentState state = payments.apply(event);
    log.info(
        "job {}: {} {} applied to payment {} (now {}, order {})",
        event.jobId(),
        event.eventType(),
        event.eventId(),
        event.paymentIntentId(),
        state.status(),
        state.orderId());
    return state;
  }

  @Override
  public PaymentState capture(CaptureRequest request) {
    PaymentState before = payments.find(request.paymentIntentId()).orElse(null);
    if (before != null && before.status().compareTo(PaymentStatus.SUCCEEDED) >= 0) {
      log.info(
          "job {}: payment {} is already {}, not capturing",
          request.jobId(),
          request.paymentIntentId(),
          before.status());
      return before;
    }
    stripe.capture(request.paymentIntentId(), request.idempotencyKey());
    PaymentState after = payments.captured(request.paymentIntentId(), request.jobId());
    log.info(
        "job {}: payment {} captured (key {})",
        request.jobId(),
        request.paymentIntentId(),
        request.idempotencyKey());
    return after;
  }

  @Override
  public void alertFinance(PaymentAlert alert) {
    if (alerts.providerMessageId(alert.jobId()).isPresent()) {
      log.info("job {}: finance already alerted, not sending again", alert.jobId());
      return;
    }
    Map<String, Object> scope = new HashMap<>();
    scope.put("jobId", alert.jobId());
    scope.put("eventId", alert.eventId());
    scope.put("eventType", alert.eventType());
    scope.put("paymentIntentId", alert.paymentIntentId());
    scope.put("orderId", alert.orderId() == null ? "unknown" : alert.orderId().toString());
    scope.put("errorType", alert.errorType());
    // The job's last error can be a library's or provider's text: the alert quotes it as the ledger
    // stores it, with email addresses masked.
    scope.put("errorMessage", LedgerErrorMessages.withoutPersonalData(alert.errorMessage()));
    String messageId =
        mailer.send(
            properties.financeEmail(),
            EmailTemplate.PAYMENT_ALERT.id(),
            EmailTemplate.Audience.FINANCE,
            scope,
            alert.jobId());
    alerts.record(alert, messageId);
    log.info("job {}: finance alerted ({})", alert.jobId(), messageId);
  }
}
