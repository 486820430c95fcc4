package com.marketplace.jobs.marketplace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.marketplace.jobs.devstack.MarketplaceFake;
import com.marketplace.jobs.testsupport.MigratedPostgres;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The marketplace event activities against a real PostgreSQL and the Billion fake (through the real
 * signed client): the rows each event leaves, and the answers Billion receives.
 */
class MarketplaceEventActivitiesImplTest {

  private static final String API_KEY = "bln_activities_key";
  private static final String SECRET = "bln-activities-signing-secret";
  private static final long ACTIVE_COMPANY = 101;
  private static final long BANNED_COMPANY = 102;
  private static final long PUBLISHED = 1;
  private static final long UNPUBLISHED = 2;
  private static final long OF_BANNED_COMPANY = 3;
  private static final long OF_COMPANY_OFF_MARKETPLACE = 4;
  private static final long OF_MODEL_OFF_MARKETPLACE = 5;
  private static final long TAKEN_DOWN_BY_BILLION = 6;
  private static final long OF_NEIGHBOUR = 7;
  private static final long OF_MODERATED_COMPANY = 8;
  private static final long OF_OTHER_TENANT = 9;

  /** Published; the listing-removal tests take it down (so the bookable vehicle stays bookable). */
  private static final long TO_BE_TAKEN_DOWN = 10;

  private static final long TENANT = 1;
  private static final long MODERATED_COMPANY = 105;
  private static final long CREATED = 1_767_225_600L;
  private static final AtomicInteger IDS = new AtomicInteger();

  private static MigratedPostgres database;
  private static JdbcClient jdbc;
  private static MarketplaceFake billion;
  private static MarketplaceEventActivitiesImpl activities;

  @BeforeAll
  static void start() {
    database = MigratedPostgres.start();
    jdbc = database.jdbc();
    billion = new MarketplaceFake(API_KEY, SECRET).start(0);
    jdbc.sql("INSERT INTO tenants VALUES (1, 'Sunny Rentals', 'pro', 100)").update();
    jdbc.sql("INSERT INTO tenants VALUES (2, 'Alpine Cars', 'pro', 100)").update();
    jdbc.sql(
            """
            INSERT INTO companies (id, tenant_id, name, email, status, marketplace_enabled) VALUES
              (101, 1, 'Sunny', 's@x.test', 'ACTIVE', true),
              (102, 1, 'Shady', 'b@x.test', 'BANNED', true),
              (103, 1, 'Offline', 'o@x.test', 'ACTIVE', false),
              (104, 1, 'Neighbour', 'n@x.test', 'ACTIVE', true),
              (105, 1, 'Moderated', 'm@x.test', 'ACTIVE', true),
              (201, 2, 'Alpine', 'a@x.test', 'ACTIVE', true)
            """)
        .update();
    jdbc.sql(
            """
            INSERT INTO vehicle_models (id, tenant_id, name, marketplace_enabled) VALUES
              (1, 1, 'Golf', true), (2, 1, 'Hearse', false), (3, 2, 'Van', true)
            """)
        .update();
    jdbc.sql(
            """
            INSERT INTO vehicles (id, company_id, model_id, published, marketplace_removed_at)
            VALUES (1, 101, 1, true, NULL), (2, 101, 1, false, NULL), (3, 102, 1, true, NULL),
                   (4, 103, 1, true, NULL), (5, 101, 2, true, NULL), (6, 101, 1, true, now()),
                   (7, 104, 1, true, NULL), (8, 105, 1, true, NULL), (9, 201, 3, true, NULL),
                   (10, 101, 1, true, NULL)
            """)
        .update();
    MarketplaceClient client =
        new BillionMarketplaceClient(
            new MarketplaceProperties(
                URI.create(billion.baseUrl()), API_KEY, SECRET, Duration.ofSeconds(5)));
    activities =
        new MarketplaceEventActivitiesImpl(
            new MarketplaceBookings(
                jdbc,
                new TransactionTemplate(new DataSourceTransactionManager(database.dataSource()))),
            client);
  }

  @AfterAll
  static void stop() throws Exception {
    billion.close();
    database.close();
  }

  @BeforeEach
  void freshFake() {
    billion.reset();
  }

  private static String eventId() {
    return "evt_" + IDS.incrementAndGet() + "_" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String bookingId() {
    return "bk_" + IDS.incrementAndGet() + "_" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String jobId() {
    return UUID.randomUUID().toString();
  }

  private static MarketplaceEvent created(String bookingId, long vehicleId) {
    return MarketplaceEvent.bookingCreated(jobId(), eventId(), CREATED, bookingId, vehicleId);
  }

  private static MarketplaceEvent cancelled(String bookingId) {
    return MarketplaceEvent.bookingCancelled(jobId(), eventId(), CREATED + 60, bookingId);
  }

  private static Map<String, Object> booking(String bookingId) {
    return jdbc.sql("SELECT * FROM marketplace_bookings WHERE booking_id = :id")
        .param("id", bookingId)
        .query()
        .singleRow();
  }

  private static List<Map<String, Object>> orders(String bookingId) {
    return jdbc.sql(
            "SELECT id, company_id, vehicle_id, status FROM orders"
                + " WHERE marketplace_booking_id = :id")
        .param("id", bookingId)
        .query()
        .listOfRows();
  }

  @Test
  void aListingRemovalIsRecordedOnceAndTheVehicleStaysPublished() {
    MarketplaceEvent removal =
        MarketplaceEvent.listingRemoved(
            jobId(), eventId(), CREATED, TO_BE_TAKEN_DOWN, ACTIVE_COMPANY, "photos missing");

    activities.recordListingRemoval(removal);
    activities.recordListingRemoval(removal);

    assertThat(
            jdbc.sql(
                    "SELECT vehicle_id, company_id, reason, removed_at, job_id"
                        + " FROM marketplace_listing_removals WHERE event_id = :id")
                .param("id", removal.eventId())
                .query()
                .listOfRows())
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row)
                  .containsEntry("vehicle_id", TO_BE_TAKEN_DOWN)
                  .containsEntry("company_id", ACTIVE_COMPANY)
                  .containsEntry("reason", "photos missing")
                  .containsEntry("job_id", UUID.fromString(removal.jobId()));
              assertThat(((Timestamp) row.get("removed_at")).toInstant().getEpochSecond())
                  .isEqualTo(CREATED);
            });
    Map<String, Object> vehicle =
        jdbc.sql("SELECT published, marketplace_removed_at FROM vehicles WHERE id = 10")
            .query()
            .singleRow();
    assertThat(vehicle.get("published")).isEqualTo(true);
    assertThat(((Timestamp) vehicle.get("marketplace_removed_at")).toInstant().getEpochSecond())
        .isGreaterThanOrEqualTo(CREATED);
  }

  @Test
  void anOlderRemovalArrivingLateDoesNotMoveTheRemovalTimeBack() {
    activities.recordListingRemoval(
        MarketplaceEvent.listingRemoved(
            jobId(), eventId(), CREATED + 3600, UNPUBLISHED, ACTIVE_COMPANY, null));
    activities.recordListingRemoval(
        MarketplaceEvent.listingRemoved(
            jobId(), eventId(), CREATED, UNPUBLISHED, ACTIVE_COMPANY, "older"));

    OffsetDateTime removedAt =
        jdbc.sql("SELECT marketplace_removed_at FROM vehicles WHERE id = 2")
            .query(OffsetDateTime.class)
            .single();
    assertThat(removedAt.toEpochSecond()).isEqualTo(CREATED + 3600);
    assertThat(
            jdbc.sql("SELECT count(*) FROM marketplace_listing_removals WHERE vehicle_id = 2")
                .query(Long.class)
                .single())
        .isEqualTo(2);
  }

  @Test
  void aRemovalOfAnUnknownVehicleOrOfAnotherCompanysFailsWithoutRetry() {
    ApplicationFailure unknown =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                activities.recordListingRemoval(
                    MarketplaceEvent.listingRemoved(
                        jobId(), eventId(), CREATED, 999, ACTIVE_COMPANY, null)));
    ApplicationFailure mismatch =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                activities.recordListingRemoval(
                    MarketplaceEvent.listingRemoved(
                        jobId(), eventId(), CREATED, PUBLISHED, BANNED_COMPANY, null)));

    assertThat(unknown.getType()).isEqualTo("NOT_FOUND");
    assertThat(unknown.isNonRetryable()).isTrue();
    assertThat(mismatch.getType()).isEqualTo("INVALID_INPUT");
    assertThat(mismatch.isNonRetryable()).isTrue();
  }

  @Test
  void aBookingOfAPublishedVehicleCreatesOneActiveOrderInTheMarketplaceRange() {
    String bookingId = bookingId();
    MarketplaceEvent event = created(bookingId, PUBLISHED);

    BookingDecision decision = activities.decideBooking(event);
    BookingDecision again = activities.decideBooking(event);
    BookingDecision redelivered = activities.decideBooking(created(bookingId, PUBLISHED));

    assertThat(decision.status()).isEqualTo(BookingStatus.CONFIRMED);
    assertThat(decision.orderId()).isGreaterThanOrEqualTo(9_000_000_000_000L);
    assertThat(decision.createdEventId()).isEqualTo(event.eventId());
    assertThat(again).isEqualTo(decision);
    assertThat(redelivered).as("another event for the same booking").isEqualTo(decision);
    assertThat(orders(bookingId))
        .containsExactly(
            Map.of(
                "id",
                decision.orderId(),
                "company_id",
                ACTIVE_COMPANY,
                "vehicle_id",
                PUBLISHED,
                "status",
                "ACTIVE"));
    assertThat(booking(bookingId))
        .containsEntry("status", "CONFIRMED")
        .containsEntry("order_id", decision.orderId())
        .containsEntry("vehicle_id", PUBLISHED)
        .containsEntry("company_id", ACTIVE_COMPANY)
        .containsEntry("created_event_id", event.eventId());
  }

  @Test
  void bookingsAreRefusedWithoutAnOrderForEachReasonTheVehicleCannotBeBooked() {
    Map<Long, String> expected =
        Map.of(
            UNPUBLISHED,
            "vehicle_unpublished",
            OF_BANNED_COMPANY,
            "company_banned",
            999L,
            "vehicle_not_found",
            OF_COMPANY_OFF_MARKETPLACE,
            "company_marketplace_disabled",
            OF_MODEL_OFF_MARKETPLACE,
            "model_marketplace_disabled",
            TAKEN_DOWN_BY_BILLION,
            "listing_removed");

    expected.forEach(
        (vehicle, reason) -> {
          String bookingId = bookingId();
          BookingDecision decision = activities.decideBooking(created(bookingId, vehicle));

          assertThat(decision.status()).as("vehicle %d", vehicle).isEqualTo(BookingStatus.REFUSED);
          assertThat(decision.reason()).as("vehicle %d", vehicle).isEqualTo(reason);
          assertThat(decision.orderId()).isNull();
          assertThat(orders(bookingId)).isEmpty();
          assertThat(booking(bookingId))
              .containsEntry("status", "REFUSED")
              .containsEntry("reason", reason);
        });
  }

  /** A moderation job in the ledger, as the api's intake writes it. */
  private static UUID moderationJob(String type, String status, long tenantId, Long companyId) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            """
            INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type, task_queue,
                              payload, content_hash, tenant_id, company_id)
            VALUES (:id, :type, :status, 3, :type || '-' || :id, 'W', 'background-jobs',
                    '{}'::jsonb, CAST(:id AS text), :tenant, :company)
            """)
        .param("id", id)
        .param("type", type)
        .param("status", status)
        .param("tenant", tenantId)
        .param("company", companyId)
        .update();
    return id;
  }

  private static void finish(UUID job) {
    jdbc.sql("UPDATE jobs SET status = 'COMPLETED', finished_at = now() WHERE id = :id")
        .param("id", job)
        .update();
  }

  @Test
  void aBookingIsRefusedWhileABanUnbanOrToggleOfItsCompanyOrTenantIsUnfinished() {
    record Case(String type, String status, Long company) {}
    List<Case> unfinished =
        List.of(
            new Case("company_ban", "PENDING", MODERATED_COMPANY),
            new Case("company_unban", "PROCESSING", MODERATED_COMPANY),
            new Case("marketplace_toggle", "PROCESSING", MODERATED_COMPANY),
            new Case("marketplace_toggle", "PENDING", null));

    for (Case job : unfinished) {
      UUID jobId = moderationJob(job.type(), job.status(), TENANT, job.company());
      try {
        String bookingId = bookingId();
        BookingDecision decision =
            activities.decideBooking(created(bookingId, OF_MODERATED_COMPANY));

        assertThat(decision.status()).as(job.toString()).isEqualTo(BookingStatus.REFUSED);
        assertThat(decision.reason()).as(job.toString()).isEqualTo("moderation_in_progress");
        assertThat(orders(bookingId)).isEmpty();
      } finally {
        finish(jobId);
      }
    }
  }

  @Test
  void finishedModerationJobsAndThoseOfOtherCompaniesOrTenantsDoNotRefuseABooking() {
    List<UUID> jobs =
        List.of(
            moderationJob("company_ban", "COMPLETED", TENANT, MODERATED_COMPANY),
            moderationJob("company_unban", "FAILED", TENANT, MODERATED_COMPANY),
            moderationJob("company_ban", "PROCESSING", TENANT, 104L),
            moderationJob("marketplace_toggle", "PENDING", 2, null),
            // Not a moderation job: a re-index or a notification of the company.
            moderationJob("search_reindex", "PROCESSING", TENANT, null),
            moderationJob("company_notice", "PENDING", TENANT, MODERATED_COMPANY));
    try {
      String bookingId = bookingId();
      BookingDecision decision = activities.decideBooking(created(bookingId, OF_MODERATED_COMPANY));

      assertThat(decision.status()).isEqualTo(BookingStatus.CONFIRMED);
      assertThat(orders(bookingId))
          .singleElement()
          .satisfies(o -> assertThat(o).containsEntry("status", "ACTIVE"));
      // And the neighbour whose ban is unfinished is refused meanwhile.
      assertThat(activities.decideBooking(created(bookingId(), OF_NEIGHBOUR)).reason())
          .isEqualTo("moderation_in_progress");
      assertThat(activities.decideBooking(created(bookingId(), OF_OTHER_TENANT)).reason())
          .isEqualTo("moderation_in_progress");
    } finally {
      jobs.forEach(MarketplaceEventActivitiesImplTest::finish);
    }
  }

  /**
   * A ban accepted concurrently: the api's intake holds the tenant lock while it checks and inserts
   * the PENDING ban. A booking decided meanwhile waits for that lock, then sees the ban and is
   * refused; it cannot slip in between the check and the commit.
   */
  @Test
  void aBookingDecidedWhileABanIsBeingAcceptedWaitsForTheIntakeAndIsRefused() throws Exception {
    TransactionTemplate intake =
        new TransactionTemplate(new DataSourceTransactionManager(database.dataSource()));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch commit = new CountDownLatch(1);
    UUID[] ban = new UUID[1];
    Future<?> accepting =
        pool.submit(
            () ->
                intake.executeWithoutResult(
                    tx -> {
                      // What JobIntake does for a ban: the tenant lock, the check, the insert.
                      jdbc.sql(
                              "SELECT pg_advisory_xact_lock(hashtextextended('tenant:' || :tenant, 0))")
                          .param("tenant", TENANT)
                          .query()
                          .singleValue();
                      ban[0] = moderationJob("company_ban", "PENDING", TENANT, MODERATED_COMPANY);
                      locked.countDown();
                      await(commit);
                    }));
    ExecutorService booker = Executors.newSingleThreadExecutor();
    try {
      await(locked);
      String bookingId = bookingId();
      Future<BookingDecision> decision =
          booker.submit(() -> activities.decideBooking(created(bookingId, OF_MODERATED_COMPANY)));
      // Let the intake commit only once the booking waits for it (or has decided without waiting).
      awaitWaitingOnAdvisoryLockOrDone(decision);
      commit.countDown();
      accepting.get(10, TimeUnit.SECONDS);

      assertThat(decision.get(10, TimeUnit.SECONDS).reason()).isEqualTo("moderation_in_progress");
      assertThat(orders(bookingId)).isEmpty();
    } finally {
      commit.countDown();
      pool.shutdownNow();
      booker.shutdownNow();
      if (ban[0] != null) {
        finish(ban[0]);
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void awaitWaitingOnAdvisoryLockOrDone(Future<?> task) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline && !task.isDone()) {
      long waiting =
          jdbc.sql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
              .query(Long.class)
              .single();
      if (waiting > 0) {
        return;
      }
      Thread.sleep(20);
    }
  }

  @Test
  void twentyConcurrentDeliveriesOfABookingCreateOneOrder() throws Exception {
    String bookingId = bookingId();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<BookingDecision>> decisions = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        Callable<BookingDecision> call =
            () -> activities.decideBooking(created(bookingId, PUBLISHED));
        decisions.add(pool.submit(call));
      }
      BookingDecision first = decisions.get(0).get();
      for (Future<BookingDecision> decision : decisions) {
        assertThat(decision.get()).isEqualTo(first);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(orders(bookingId)).hasSize(1);
  }

  @Test
  void aConfirmationReachesBillionWithTheOrderAndIsRecorded() {
    String bookingId = bookingId();
    MarketplaceEvent event = created(bookingId, PUBLISHED);
    BookingDecision decision = activities.decideBooking(event);

    activities.answerBooking(BookingAnswer.forDecision(event.jobId(), decision));
    activities.answerBooking(BookingAnswer.forDecision(event.jobId(), decision));

    assertThat(billion.bookingAnswers())
        .containsExactly(
            new MarketplaceFake.BookingAnswer(
                bookingId,
                "confirm",
                decision.orderId(),
                null,
                "booking-confirm-" + event.eventId()));
    assertThat(billion.receivedBookingAnswers()).hasSize(2).allMatch(r -> r.accepted());
    assertThat(booking(bookingId)).containsEntry("answer", "CONFIRM");
    assertThat(booking(bookingId).get("answered_at")).isNotNull();
  }

  @Test
  void aRefusalReachesBillionAsARejectionWithItsReason() {
    String bookingId = bookingId();
    MarketplaceEvent event = created(bookingId, OF_BANNED_COMPANY);

    activities.answerBooking(
        BookingAnswer.forDecision(event.jobId(), activities.decideBooking(event)));

    assertThat(billion.bookingAnswer(bookingId))
        .hasValue(
            new MarketplaceFake.BookingAnswer(
                bookingId, "reject", null, "company_banned", "booking-reject-" + event.eventId()));
    assertThat(booking(bookingId)).containsEntry("answer", "REJECT");
  }

  @Test
  void anAnswerBillionCannotTakeNowIsRetryableAndNotRecorded() {
    String bookingId = bookingId();
    MarketplaceEvent event = created(bookingId, PUBLISHED);
    BookingAnswer answer =
        BookingAnswer.forDecision(event.jobId(), activities.decideBooking(event));
    billion.failNext(1, 503);

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.answerBooking(answer));

    assertThat(failure.getType()).isEqualTo("PROVIDER_UNAVAILABLE");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(booking(bookingId).get("answered_at")).isNull();
    assertThat(billion.bookingAnswers()).isEmpty();
  }

  @Test
  void aCancellationCancelsAnActiveOrDeactivatedOrderButNotACompletedOne() {
    Map<String, String> afterCancellation =
        Map.of("ACTIVE", "CANCELLED", "DEACTIVATED", "CANCELLED", "COMPLETED", "COMPLETED");

    afterCancellation.forEach(
        (before, after) -> {
          String bookingId = bookingId();
          long order = activities.decideBooking(created(bookingId, PUBLISHED)).orderId();
          jdbc.sql("UPDATE orders SET status = :status WHERE id = :id")
              .param("status", before)
              .param("id", order)
              .update();
          MarketplaceEvent cancellation = cancelled(bookingId);

          BookingDecision decision = activities.cancelBooking(cancellation);
          activities.cancelBooking(cancellation);

          assertThat(decision.status()).isEqualTo(BookingStatus.CANCELLED);
          assertThat(orders(bookingId).get(0).get("status")).as(before).isEqualTo(after);
          assertThat(booking(bookingId))
              .containsEntry("status", "CANCELLED")
              .containsEntry("cancelled_event_id", cancellation.eventId())
              .containsEntry(
                  "reason", before.equals("COMPLETED") ? "order_already_completed" : null);
        });
  }

  @Test
  void aCancellationAheadOfItsBookingMakesTheLateCreationARefusalWithoutAnOrder() {
    String bookingId = bookingId();
    MarketplaceEvent cancellation = cancelled(bookingId);
    MarketplaceEvent creation = created(bookingId, PUBLISHED);

    BookingDecision cancelled = activities.cancelBooking(cancellation);
    BookingDecision decision = activities.decideBooking(creation);

    assertThat(cancelled.status()).isEqualTo(BookingStatus.CANCELLED);
    assertThat(decision.status()).isEqualTo(BookingStatus.CANCELLED);
    assertThat(decision.reason()).isEqualTo("cancelled_before_created");
    assertThat(decision.orderId()).isNull();
    assertThat(orders(bookingId)).isEmpty();
    assertThat(booking(bookingId))
        .containsEntry("created_event_id", creation.eventId())
        .containsEntry("cancelled_event_id", cancellation.eventId())
        .containsEntry("vehicle_id", PUBLISHED);
  }
}
