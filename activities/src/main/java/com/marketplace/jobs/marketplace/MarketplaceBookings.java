package com.marketplace.jobs.marketplace;

import com.marketplace.jobs.common.FailureType;
import io.temporal.failure.ApplicationFailure;
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
 * The rows Billion's events change: {@code marketplace_listing_removals}, {@code
 * vehicles.marketplace_removed_at}, {@code marketplace_bookings} and the orders made for bookings.
 * Each event is one transaction. Events about one booking are serialised by a transaction-scoped
 * advisory lock on the booking id, so a cancellation racing its creation is applied before or after
 * it, never halfway.
 */
@Repository
class MarketplaceBookings {

  /** Why a booking is refused: the codes Billion receives in the rejection. */
  static final String VEHICLE_NOT_FOUND = "vehicle_not_found";

  static final String VEHICLE_UNPUBLISHED = "vehicle_unpublished";
  static final String COMPANY_BANNED = "company_banned";
  static final String CANCELLED_BEFORE_CREATED = "cancelled_before_created";

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;

  MarketplaceBookings(JdbcClient jdbc, TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  /** Records the removal; false when this event was recorded before. */
  boolean recordListingRemoval(MarketplaceEvent event) {
    OffsetDateTime removedAt = eventTime(event);
    return Boolean.TRUE.equals(
        transactions.execute(
            tx -> {
              Long company =
                  jdbc.sql("SELECT company_id FROM vehicles WHERE id = :id FOR UPDATE")
                      .param("id", event.vehicleId())
                      .query(Long.class)
                      .optional()
                      .orElseThrow(
                          () ->
                              ApplicationFailure.newNonRetryableFailure(
                                  "Marketplace event "
                                      + event.eventId()
                                      + ": no vehicle "
                                      + event.vehicleId(),
                                  FailureType.NOT_FOUND.name()));
              if (!company.equals(event.companyId())) {
                throw ApplicationFailure.newNonRetryableFailure(
                    "Marketplace event "
                        + event.eventId()
                        + ": vehicle "
                        + event.vehicleId()
                        + " belongs to company "
                        + company
                        + ", not "
                        + event.companyId(),
                    FailureType.INVALID_INPUT.name());
              }
              int inserted =
                  jdbc.sql(
                          """
                          INSERT INTO marketplace_listing_removals
                                 (event_id, job_id, vehicle_id, company_id, reason, removed_at)
                          VALUES (:eventId, :jobId, :vehicleId, :companyId, :reason, :removedAt)
                          ON CONFLICT (event_id) DO NOTHING
                          """)
                      .param("eventId", event.eventId())
                      .param("jobId", UUID.fromString(event.jobId()))
                      .param("vehicleId", event.vehicleId())
                      .param("companyId", event.companyId())
                      .param("reason", event.reason())
                      .param("removedAt", removedAt)
                      .update();
              // Events may arrive out of order: the latest removal wins.
              jdbc.sql(
                      """
                      UPDATE vehicles SET marketplace_removed_at = :removedAt
                       WHERE id = :id
                         AND (marketplace_removed_at IS NULL OR marketplace_removed_at < :removedAt)
                      """)
                  .param("removedAt", removedAt)
                  .param("id", event.vehicleId())
                  .update();
              return inserted == 1;
            }));
  }

  /** Creates the booking's order or refuses it; a booking decided before keeps its decision. */
  BookingDecision decide(MarketplaceEvent event) {
    return transactions.execute(
        tx -> {
          lockBooking(event.bookingId());
          Optional<BookingDecision> known = find(event.bookingId());
          if (known.isPresent() && known.get().createdEventId() != null) {
            return known.get();
          }
          if (known.isPresent()) {
            // Billion cancelled the booking before its creation reached us.
            jdbc.sql(
                    """
                    UPDATE marketplace_bookings
                       SET created_event_id = :eventId, vehicle_id = :vehicleId,
                           company_id = (SELECT company_id FROM vehicles WHERE id = :vehicleId),
                           reason = :reason, updated_at = now()
                     WHERE booking_id = :bookingId
                    """)
                .param("eventId", event.eventId())
                .param("vehicleId", event.vehicleId())
                .param("reason", CANCELLED_BEFORE_CREATED)
                .param("bookingId", event.bookingId())
                .update();
            return find(event.bookingId()).orElseThrow();
          }
          // Locks the vehicle and its company against a concurrent ban until this commits.
          Optional<Subject> subject =
              jdbc.sql(
                      """
                      SELECT v.company_id, v.published, c.status
                        FROM vehicles v JOIN companies c ON c.id = v.company_id
                       WHERE v.id = :id
                         FOR SHARE OF v, c
                      """)
                  .param("id", event.vehicleId())
                  .query(
                      (rs, row) ->
                          new Subject(
                              rs.getLong("company_id"),
                              rs.getBoolean("published"),
                              rs.getString("status")))
                  .optional();
          String refusal = refusal(subject);
          Long orderId = null;
          if (refusal == null) {
            orderId =
                jdbc.sql(
                        """
                        INSERT INTO orders (id, company_id, vehicle_id, status,
                                            marketplace_booking_id)
                        VALUES (nextval('marketplace_order_ids'), :companyId, :vehicleId,
                                'ACTIVE', :bookingId)
                        RETURNING id
                        """)
                    .param("companyId", subject.orElseThrow().companyId())
                    .param("vehicleId", event.vehicleId())
                    .param("bookingId", event.bookingId())
                    .query(Long.class)
                    .single();
          }
          jdbc.sql(
                  """
                  INSERT INTO marketplace_bookings (booking_id, vehicle_id, company_id, order_id,
                                                    status, reason, created_event_id)
                  VALUES (:bookingId, :vehicleId, :companyId, :orderId, :status, :reason,
                          :eventId)
                  """)
              .param("bookingId", event.bookingId())
              .param("vehicleId", event.vehicleId())
              .param("companyId", subject.map(Subject::companyId).orElse(null))
              .param("orderId", orderId)
              .param(
                  "status",
                  (refusal == null ? BookingStatus.CONFIRMED : BookingStatus.REFUSED).name())
              .param("reason", refusal)
              .param("eventId", event.eventId())
              .update();
          return find(event.bookingId()).orElseThrow();
        });
  }

  private static String refusal(Optional<Subject> subject) {
    if (subject.isEmpty()) {
      return VEHICLE_NOT_FOUND;
    }
    if ("BANNED".equals(subject.get().companyStatus())) {
      return COMPANY_BANNED;
    }
    if (!subject.get().published()) {
      return VEHICLE_UNPUBLISHED;
    }
    return null;
  }

  /**
   * Cancels the booking and its order (if ACTIVE or DEACTIVATED); records an unknown booking as
   * cancelled.
   */
  BookingDecision cancel(MarketplaceEvent event) {
    return transactions.execute(
        tx -> {
          lockBooking(event.bookingId());
          Optional<BookingDecision> known = find(event.bookingId());
          if (known.isEmpty()) {
            jdbc.sql(
                    """
                    INSERT INTO marketplace_bookings (booking_id, status, cancelled_event_id)
                    VALUES (:bookingId, 'CANCELLED', :eventId)
                    """)
                .param("bookingId", event.bookingId())
                .param("eventId", event.eventId())
                .update();
            return find(event.bookingId()).orElseThrow();
          }
          BookingDecision booking = known.get();
          if (booking.status() == BookingStatus.CANCELLED) {
            return booking;
          }
          String note = null;
          if (booking.orderId() != null) {
            int cancelled =
                jdbc.sql(
                        """
                        UPDATE orders SET status = 'CANCELLED'
                         WHERE id = :id AND status IN ('ACTIVE', 'DEACTIVATED')
                        """)
                    .param("id", booking.orderId())
                    .update();
            if (cancelled == 0) {
              note =
                  "order_already_"
                      + jdbc.sql("SELECT lower(status) FROM orders WHERE id = :id")
                          .param("id", booking.orderId())
                          .query(String.class)
                          .single();
            }
          }
          jdbc.sql(
                  """
                  UPDATE marketplace_bookings
                     SET status = 'CANCELLED', cancelled_event_id = :eventId,
                         reason = coalesce(:note, reason), updated_at = now()
                   WHERE booking_id = :bookingId
                  """)
              .param("eventId", event.eventId())
              .param("note", note)
              .param("bookingId", event.bookingId())
              .update();
          return find(event.bookingId()).orElseThrow();
        });
  }

  /** Billion accepted our answer. */
  void answered(String bookingId, boolean confirmed) {
    jdbc.sql(
            """
            UPDATE marketplace_bookings
               SET answer = :answer, answered_at = coalesce(answered_at, now()), updated_at = now()
             WHERE booking_id = :bookingId
            """)
        .param("answer", confirmed ? "CONFIRM" : "REJECT")
        .param("bookingId", bookingId)
        .update();
  }

  Optional<BookingDecision> find(String bookingId) {
    return jdbc.sql(
            """
            SELECT booking_id, status, order_id, reason, created_event_id
              FROM marketplace_bookings WHERE booking_id = :bookingId
            """)
        .param("bookingId", bookingId)
        .query(MarketplaceBookings::decision)
        .optional();
  }

  private void lockBooking(String bookingId) {
    jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended('marketplace-booking:' || :id, 0))")
        .param("id", bookingId)
        .query()
        .singleValue();
  }

  private static OffsetDateTime eventTime(MarketplaceEvent event) {
    return OffsetDateTime.ofInstant(Instant.ofEpochSecond(event.eventCreated()), ZoneOffset.UTC);
  }

  private record Subject(long companyId, boolean published, String companyStatus) {}

  private static BookingDecision decision(ResultSet rs, int row) throws SQLException {
    return new BookingDecision(
        rs.getString("booking_id"),
        BookingStatus.valueOf(rs.getString("status")),
        rs.getObject("order_id", Long.class),
        rs.getString("reason"),
        rs.getString("created_event_id"));
  }
}
