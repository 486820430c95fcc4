package com.marketplace.jobs.marketplace;

import com.marketplace.jobs.common.FailureType;
import com.marketplace.jobs.common.JobType;
import io.temporal.failure.ApplicationFailure;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
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
 * it, never halfway. A booking's creation also takes the api's per-tenant moderation intake lock,
 * so it is decided either before a ban, unban or marketplace toggle of its company is accepted or
 * after, never while such a job is unfinished (it is then refused).
 */
@Repository
class MarketplaceBookings {

  /** Why a booking is refused: the codes Billion receives in the rejection. */
  static final String VEHICLE_NOT_FOUND = "vehicle_not_found";

  static final String VEHICLE_UNPUBLISHED = "vehicle_unpublished";
  static final String COMPANY_BANNED = "company_banned";

  /** A ban, unban or marketplace toggle of the company or its tenant is unfinished. */
  static final String MODERATION_IN_PROGRESS = "moderation_in_progress";

  /** The vehicle's company is off the marketplace ({@code companies.marketplace_enabled}). */
  static final String COMPANY_MARKETPLACE_DISABLED = "company_marketplace_disabled";

  /** The vehicle's model is off the marketplace ({@code vehicle_models.marketplace_enabled}). */
  static final String MODEL_MARKETPLACE_DISABLED = "model_marketplace_disabled";

  /** Billion itself took the vehicle down ({@code vehicles.marketplace_removed_at}). */
  static final String LISTING_REMOVED = "listing_removed";

  static final String CANCELLED_BEFORE_CREATED = "cancelled_before_created";

  /** The jobs that change what a booking depends on, and so must not run while it is decided. */
  private static final List<String> MODERATION_TYPES =
      List.of(
          JobType.COMPANY_BAN.id(), JobType.COMPANY_UNBAN.id(), JobType.MARKETPLACE_TOGGLE.id());

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
          // The tenant's moderation intake lock first (the same lock, in the same order before any
          // row lock, as the api's JobIntake), then the vehicle, its company and model under a
          // share lock until this commits. So a ban, unban or toggle is either accepted before
          // this booking (and refuses it below), or after its order committed: an ACTIVE order
          // that the job then changes like any other, and that its rollback restores.
          jdbc.sql(
                  """
                  SELECT c.tenant_id FROM vehicles v JOIN companies c ON c.id = v.company_id
                   WHERE v.id = :id
                  """)
              .param("id", event.vehicleId())
              .query(Long.class)
              .optional()
              .ifPresent(this::lockTenant);
          Optional<Subject> subject =
              jdbc.sql(
                      """
                      SELECT v.company_id, c.tenant_id, v.published,
                             v.marketplace_removed_at IS NOT NULL AS listing_removed,
                             c.status, c.marketplace_enabled AS company_on_marketplace,
                             m.marketplace_enabled AS model_on_marketplace
                        FROM vehicles v
                        JOIN companies c ON c.id = v.company_id
                        JOIN vehicle_models m ON m.id = v.model_id
                       WHERE v.id = :id
                         FOR SHARE OF v, c, m
                      """)
                  .param("id", event.vehicleId())
                  .query(
                      (rs, row) ->
                          new Subject(
                              rs.getLong("company_id"),
                              rs.getLong("tenant_id"),
                              rs.getBoolean("published"),
                              rs.getBoolean("listing_removed"),
                              rs.getString("status"),
                              rs.getBoolean("company_on_marketplace"),
                              rs.getBoolean("model_on_marketplace")))
                  .optional();
          boolean moderationUnfinished =
              subject.isPresent()
                  && unfinishedModeration(subject.get().tenantId(), subject.get().companyId());
          String refusal = refusal(subject, moderationUnfinished);
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

  /**
   * Why the booking is refused, or null. An unfinished moderation job comes before the rows it is
   * changing (a ban may have banned the company but not yet unpublished its vehicles, or be about
   * to be rolled back); then the company, the vehicle, the marketplace flags of the company and of
   * the model, and Billion's own take-down.
   */
  private static String refusal(Optional<Subject> subject, boolean moderationUnfinished) {
    if (subject.isEmpty()) {
      return VEHICLE_NOT_FOUND;
    }
    Subject s = subject.get();
    if (moderationUnfinished) {
      return MODERATION_IN_PROGRESS;
    }
    if ("BANNED".equals(s.companyStatus())) {
      return COMPANY_BANNED;
    }
    if (!s.published()) {
      return VEHICLE_UNPUBLISHED;
    }
    if (!s.companyOnMarketplace()) {
      return COMPANY_MARKETPLACE_DISABLED;
    }
    if (!s.modelOnMarketplace()) {
      return MODEL_MARKETPLACE_DISABLED;
    }
    if (s.listingRemoved()) {
      return LISTING_REMOVED;
    }
    return null;
  }

  /**
   * Whether a ban, unban or marketplace toggle of this company, or a tenant-wide job of its tenant,
   * is accepted and not finished. Called under {@link #lockTenant}, so no such job can be accepted
   * between this check and the commit.
   *
   * <p>The same query as the api's {@code JobIntake.refuseIfAnotherIsUnfinished} (module api, which
   * this module cannot see): change them together.
   */
  private boolean unfinishedModeration(long tenantId, long companyId) {
    return jdbc.sql(
            """
            SELECT EXISTS (
              SELECT 1 FROM jobs
               WHERE tenant_id = :tenant AND type IN (:types)
                 AND status IN ('PENDING', 'PROCESSING')
                 AND (company_id IS NULL OR company_id = :company))
            """)
        .param("tenant", tenantId)
        .param("company", companyId)
        .param("types", MODERATION_TYPES)
        .query(Boolean.class)
        .single();
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

  /**
   * The api's per-tenant lock that serialises the intake of moderation jobs ({@code
   * JobIntake.lockTenant}): the same key, so a booking and a ban, unban or toggle of the tenant are
   * decided one after the other.
   */
  private void lockTenant(long tenantId) {
    jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended('tenant:' || :tenant, 0))")
        .param("tenant", tenantId)
        .query()
        .singleValue();
  }

  private static OffsetDateTime eventTime(MarketplaceEvent event) {
    return OffsetDateTime.ofInstant(Instant.ofEpochSecond(event.eventCreated()), ZoneOffset.UTC);
  }

  private record Subject(
      long companyId,
      long tenantId,
      boolean published,
      boolean listingRemoved,
      String companyStatus,
      boolean companyOnMarketplace,
      boolean modelOnMarketplace) {}

  private static BookingDecision decision(ResultSet rs, int row) throws SQLException {
    return new BookingDecision(
        rs.getString("booking_id"),
        BookingStatus.valueOf(rs.getString("status")),
        rs.getObject("order_id", Long.class),
        rs.getString("reason"),
        rs.getString("created_event_id"));
  }
}
