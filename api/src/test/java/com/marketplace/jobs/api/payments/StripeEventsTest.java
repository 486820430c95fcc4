package com.marketplace.jobs.api.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.marketplace.jobs.payments.PaymentEvent;
import com.marketplace.jobs.payments.PaymentStatus;
import com.stripe.net.Webhook;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How a Stripe event becomes a payment job's input, and which events are ignored. */
class StripeEventsTest {

  private static final UUID JOB = UUID.fromString("5b1c3d0e-0000-3000-8000-000000000001");

  private static Optional<PaymentEvent> map(String type, String object) {
    String json =
        """
        {"id": "evt_1", "object": "event", "created": 1767225600, "type": "%s",
         "data": {"object": %s}}
        """
            .formatted(type, object);
    return StripeEvents.toPaymentEvent(Webhook.constructEventWithoutVerification(json), JOB);
  }

  @Test
  void theJobIdDerivesFromTheEventIdAlone() {
    assertThat(StripeEvents.jobIdFor("evt_1")).isEqualTo(StripeEvents.jobIdFor("evt_1"));
    assertThat(StripeEvents.jobIdFor("evt_1")).isNotEqualTo(StripeEvents.jobIdFor("evt_2"));
  }

  @Test
  void anAuthorizedIntentCarriesItsIdAmountAndOrder() {
    PaymentEvent event =
        map(
                "payment_intent.amount_capturable_updated",
                """
                {"id": "pi_1", "object": "payment_intent", "amount": 12900, "currency": "eur",
                 "latest_charge": "ch_1", "metadata": {"order_id": "1042"}}
                """)
            .orElseThrow();

    assertThat(event)
        .isEqualTo(
            new PaymentEvent(
                JOB.toString(),
                "evt_1",
                "payment_intent.amount_capturable_updated",
                1767225600L,
                "pi_1",
                "ch_1",
                1042L,
                12900L,
                0L,
                "eur",
                null,
                null));
    assertThat(event.impliedStatus()).isEqualTo(PaymentStatus.AUTHORIZED);
  }

  @Test
  void aChargeNamesItsIntentAndSaysWhetherItIsCapturedOrRefunded() {
    PaymentEvent refund =
        map(
                "charge.refunded",
                """
                {"id": "ch_9", "object": "charge", "payment_intent": "pi_9", "amount": 5000,
                 "amount_refunded": 2000, "currency": "usd", "captured": true, "refunded": false,
                 "metadata": {}}
                """)
            .orElseThrow();

    assertThat(refund.paymentIntentId()).isEqualTo("pi_9");
    assertThat(refund.chargeId()).isEqualTo("ch_9");
    assertThat(refund.orderId()).isNull();
    assertThat(refund.amountRefunded()).isEqualTo(2000L);
    assertThat(refund.impliedStatus()).isEqualTo(PaymentStatus.PARTIALLY_REFUNDED);
  }

  @Test
  void anExpandedIntentOnAChargeIsReadByItsId() {
    assertThat(
            map(
                    "charge.succeeded",
                    """
                    {"id": "ch_2", "object": "charge", "payment_intent": {"id": "pi_2"},
                     "captured": false, "metadata": {"order_id": "not-a-number"}}
                    """)
                .orElseThrow())
        .satisfies(
            event -> {
              assertThat(event.paymentIntentId()).isEqualTo("pi_2");
              assertThat(event.orderId()).isNull();
              assertThat(event.impliedStatus()).isEqualTo(PaymentStatus.AUTHORIZED);
            });
  }

  @Test
  void otherEventTypesAndChargesWithoutAnIntentAreIgnored() {
    assertThat(map("customer.created", "{\"id\": \"cus_1\", \"object\": \"customer\"}")).isEmpty();
    assertThat(
            map(
                "charge.succeeded",
                "{\"id\": \"ch_3\", \"object\": \"charge\", \"payment_intent\": null}"))
        .isEmpty();
  }
}
