package com.marketplace.jobs.payments;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code payments} table and the payment columns of {@code orders}. Each change is one
 * statement on the payment row (its row lock orders concurrent events for the same intent) and one
 * on the order, copied from the row as it stands after the change, in one transaction: so the order
 * always shows its payment's merged state, whatever order events came in.
 */
@Repository
class Payments {

  /** Status precedence in SQL: a status replaces another only if it comes later here. */
  private static final String RANK =
      "array_position(ARRAY['FAILED','AUTHORIZED','SUCCEEDED','PARTIALLY_REFUNDED','REFUNDED'], %s)";

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;

  Payments(JdbcClient jdbc, TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  /**
   * Applies an event: insert the row, or merge it into the row (precedence, first known values).
   */
  PaymentState apply(PaymentEvent event) {
    PaymentStatus status = event.impliedStatus();
    OffsetDateTime eventTime =
        OffsetDateTime.ofInstant(Instant.ofEpochSecond(event.eventCreated()), ZoneOffset.UTC);
    return transactions.execute(
        tx -> {
          Row row =
              jdbc.sql(
                      """
                      INSERT INTO payments (payment_intent_id, order_id, charge_id, amount,
                                            amount_refunded, currency, status, captured_at,
                                            last_event_id, last_event_type)
                      VALUES (:pi, :orderId, :chargeId, :amount, :refunded, :currency, :status,
                              :capturedAt, :eventId, :eventType)
                      ON CONFLICT (payment_intent_id) DO UPDATE SET
                          order_id = coalesce(payments.order_id, EXCLUDED.order_id),
                          charge_id = coalesce(payments.charge_id, EXCLUDED.charge_id),
                          amount = coalesce(payments.amount, EXCLUDED.amount),
                          currency = coalesce(payments.currency, EXCLUDED.currency),
                          amount_refunded =
                              greatest(payments.amount_refunded, EXCLUDED.amount_refunded),
                          status = CASE WHEN %s > %s THEN EXCLUDED.status
                                        ELSE payments.status END,
                          captured_at = coalesce(payments.captured_at, EXCLUDED.captured_at),
                          last_event_id = EXCLUDED.last_event_id,
                          last_event_type = EXCLUDED.last_event_type,
                          updated_at = now()
                      RETURNING payment_intent_id, order_id, status, captured_at,
                                captured_by_job_id
                      """
                          .formatted(
                              RANK.formatted("EXCLUDED.status"), RANK.formatted("payments.status")))
                  .param("pi", event.paymentIntentId())
                  .param("orderId", event.orderId())
                  .param("chargeId", event.chargeId())
                  .param("amount", event.amount())
                  .param("refunded", event.amountRefunded())
                  .param("currency", event.currency())
                  .param("status", status.name())
                  // A refund says the money was collected, not when: captured_at stays unknown.
                  .param("capturedAt", status == PaymentStatus.SUCCEEDED ? eventTime : null)
                  .param("eventId", event.eventId())
                  .param("eventType", event.eventType())
                  .query(Payments::row)
                  .single();
          copyToOrder(row);
          return row.state();
        });
  }

  /** Our capture went through: SUCCEEDED (unless already later), captured now by this job. */
  PaymentState captured(String paymentIntentId, String jobId) {
    return transactions.execute(
        tx -> {
          Row row =
              jdbc.sql(
                      """
                      UPDATE payments SET
                          status = CASE WHEN %s < %s THEN 'SUCCEEDED' ELSE status END,
                          captured_at = coalesce(captured_at, now()),
                          captured_by_job_id = coalesce(captured_by_job_id, :jobId),
                          updated_at = now()
                       WHERE payment_intent_id = :pi
                      RETURNING payment_intent_id, order_id, status, captured_at,
                                captured_by_job_id
                      """
                          .formatted(RANK.formatted("status"), RANK.formatted("'SUCCEEDED'")))
                  .param("pi", paymentIntentId)
                  .param("jobId", UUID.fromString(jobId))
                  .query(Payments::row)
                  .single();
          copyToOrder(row);
          return row.state();
        });
  }

  Optional<PaymentState> find(String paymentIntentId) {
    return jdbc.sql(
            """
            SELECT payment_intent_id, order_id, status, captured_at, captured_by_job_id
              FROM payments WHERE payment_intent_id = :pi
            """)
        .param("pi", paymentIntentId)
        .query(Payments::row)
        .optional()
        .map(Row::state);
  }

  private void copyToOrder(Row row) {
    if (row.orderId() == null) {
      return;
    }
    jdbc.sql(
            """
            UPDATE orders SET payment_status = :status, payment_intent_id = :pi,
                              paid_at = :paidAt, payment_updated_at = now()
             WHERE id = :orderId
               AND (payment_status IS DISTINCT FROM :status
                    OR payment_intent_id IS DISTINCT FROM :pi
                    OR paid_at IS DISTINCT FROM :paidAt)
            """)
        .param("status", row.status().name())
        .param("pi", row.paymentIntentId())
        .param("paidAt", row.capturedAt())
        .param("orderId", row.orderId())
        .update();
  }

  private record Row(
      String paymentIntentId,
      Long orderId,
      PaymentStatus status,
      OffsetDateTime capturedAt,
      UUID capturedBy) {

    PaymentState state() {
      return new PaymentState(paymentIntentId, orderId, status, capturedBy != null);
    }
  }

  private static Row row(ResultSet rs, int rowNumber) throws SQLException {
    return new Row(
        rs.getString("payment_intent_id"),
        rs.getObject("order_id", Long.class),
        PaymentStatus.valueOf(rs.getString("status")),
        rs.getObject("captured_at", OffsetDateTime.class),
        rs.getObject("captured_by_job_id", UUID.class));
  }
}
