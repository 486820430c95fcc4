package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marketplace.jobs.devstack.LocalStack;
import com.marketplace.jobs.devstack.MarketplaceFake;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Billion's events through HTTP, signed as docs/integrations/billion-marketplace.md says, with the
 * real dev server, PostgreSQL and the marketplace fake: the rows each type leaves, the answers the
 * marketplace receives, refusals and redeliveries. The tests use a tenant of their own (9), so the
 * orders and companies other system tests count stay as the demo data made them.
 */
class MarketplaceEventsIT extends StackTest {

  private static final long COMPANY = 901;
  private static final long BANNED_COMPANY = 902;
  private static final long PUBLISHED = 901_001;
  private static final long UNPUBLISHED = 901_002;
  private static final long OF_BANNED_COMPANY = 902_001;
  private static final long MODERATED_COMPANY = 903;
  private static final long OF_MODERATED_COMPANY = 903_001;

  /** Published; the listing-removal test has Billion take it down, so it is no longer bookable. */
  private static final long TAKEN_DOWN = 901_003;

  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

  @BeforeEach
  void ownTenant() {
    sql.update(
        "INSERT INTO tenants (id, name, plan, vehicle_limit) VALUES (9, 'Event Rentals', 'pro', 10)"
            + " ON CONFLICT (id) DO NOTHING");
    sql.update(
        "INSERT INTO companies (id, tenant_id, name, email, status, marketplace_enabled) VALUES"
            + " (901, 9, 'Event Rentals', 'events@rentals.example', 'ACTIVE', true),"
            + " (902, 9, 'Event Rentals Banned', 'banned@rentals.example', 'ACTIVE', true),"
            + " (903, 9, 'Event Rentals Moderated', 'moderated@rentals.example', 'ACTIVE', true)"
            + " ON CONFLICT (id) DO NOTHING");
    sql.update(
        "INSERT INTO vehicle_models (id, tenant_id, name, marketplace_enabled)"
            + " VALUES (91, 9, 'Hatchback', true) ON CONFLICT (id) DO NOTHING");
    sql.update(
        "INSERT INTO vehicles (id, company_id, model_id, published) VALUES"
            + " (901001, 901, 91, true), (901002, 901, 91, false), (902001, 902, 91, true),"
            + " (901003, 901, 91, true), (903001, 903, 91, true)"
            + " ON CONFLICT (id) DO NOTHING");
  }

  private static String unique(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
  }

  /** {@code v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>}, computed here on its own. */
  private static String signature(String secret, long timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      return "v1=" + HexFormat.of().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonHttp.Response deliver(String body, String secret, long timestamp) {
    return api.post(
        "/webhooks/marketplace",
        body,
        Map.of(
            "Billion-Timestamp",
            Long.toString(timestamp),
            "Billion-Signature",
            signature(secret, timestamp, body)));
  }

  private JsonHttp.Response deliver(String body) {
    return deliver(
        body, LocalStack.MARKETPLACE_WEBHOOK_SECRETS.get(0), Instant.now().getEpochSecond());
  }

  private static String event(String id, String type, String data) {
    return """
        {"id": "%s", "type": "%s", "created": %d, "data": %s}
        """
        .formatted(id, type, Instant.now().getEpochSecond(), data);
  }

  private static String bookingCreated(String eventId, String bookingId, long vehicleId) {
    return event(
        eventId,
        "booking.created",
        "{\"bookingId\": \"%s\", \"vehicleId\": %d}".formatted(bookingId, vehicleId));
  }

  private static String bookingCancelled(String eventId, String bookingId) {
    return event(eventId, "booking.cancelled", "{\"bookingId\": \"%s\"}".formatted(bookingId));
  }

  /** Delivers the event, expects a job, waits until it finished and returns its status view. */
  private JsonNode processed(String body) {
    JsonHttp.Response response = deliver(body);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.json().path("outcome").asText()).isEqualTo("accepted");
    return awaitFinished(response.json().path("jobId").asText(), JOB_TIMEOUT);
  }

  private List<Map<String, Object>> orders(String bookingId) {
    return sql.rows(
        "SELECT id, company_id, vehicle_id, status FROM orders WHERE marketplace_booking_id = ?",
        bookingId);
  }

  private Map<String, Object> booking(String bookingId) {
    return sql.rows("SELECT * FROM marketplace_bookings WHERE booking_id = ?", bookingId).get(0);
  }

  private List<MarketplaceFake.Received> answersReceived(String bookingId) {
    return stack.marketplace().receivedBookingAnswers().stream()
        .filter(r -> r.path().contains("/" + bookingId + "/"))
        .toList();
  }

  @Test
  void aBookingOfAPublishedVehicleBecomesAnOrderConfirmedAtTheMarketplaceThenCancelled() {
    String bookingId = unique("bk");
    String created = unique("evt");

    JsonNode job = processed(bookingCreated(created, bookingId, PUBLISHED));

    assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("COMPLETED");
    assertThat(job.path("type").asText()).isEqualTo("marketplace_event");
    List<Map<String, Object>> orders = orders(bookingId);
    assertThat(orders).hasSize(1);
    long orderId = (Long) orders.get(0).get("id");
    assertThat(orderId).isGreaterThanOrEqualTo(9_000_000_000_000L);
    assertThat(orders.get(0))
        .containsEntry("company_id", COMPANY)
        .containsEntry("vehicle_id", PUBLISHED)
        .containsEntry("status", "ACTIVE");
    assertThat(booking(bookingId))
        .containsEntry("status", "CONFIRMED")
        .containsEntry("order_id", orderId)
        .containsEntry("created_event_id", created)
        .containsEntry("answer", "CONFIRM");
    assertThat(booking(bookingId).get("answered_at")).isNotNull();
    assertThat(stack.marketplace().bookingAnswer(bookingId))
        .hasValue(
            new MarketplaceFake.BookingAnswer(
                bookingId, "confirm", orderId, null, "booking-confirm-" + created));

    String cancelled = unique("evt");
    JsonNode cancellation = processed(bookingCancelled(cancelled, bookingId));

    assertThat(cancellation.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(orders(bookingId).get(0)).containsEntry("status", "CANCELLED");
    assertThat(booking(bookingId))
        .containsEntry("status", "CANCELLED")
        .containsEntry("cancelled_event_id", cancelled)
        .containsEntry("order_id", orderId);
    assertThat(answersReceived(bookingId)).as("a cancellation is not answered").hasSize(1);
  }

  @Test
  void aBookingForABannedCompanysVehicleIsRejectedAtTheMarketplaceWithoutAnOrder() {
    sql.update("UPDATE companies SET status = 'BANNED' WHERE id = ?", BANNED_COMPANY);
    String bookingId = unique("bk");
    String created = unique("evt");

    JsonNode job = processed(bookingCreated(created, bookingId, OF_BANNED_COMPANY));

    assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("COMPLETED");
    assertThat(orders(bookingId)).isEmpty();
    assertThat(booking(bookingId))
        .containsEntry("status", "REFUSED")
        .containsEntry("reason", "company_banned")
        .containsEntry("order_id", null)
        .containsEntry("answer", "REJECT");
    assertThat(stack.marketplace().bookingAnswer(bookingId))
        .hasValue(
            new MarketplaceFake.BookingAnswer(
                bookingId, "reject", null, "company_banned", "booking-reject-" + created));
  }

  /**
   * A ban accepted before the booking arrives, and not finished when the booking is decided (the
   * worker is down while both are accepted, and the booking, in a higher priority tier, runs
   * first): the booking is refused, whatever the ban has changed by then.
   */
  @Test
  void aBookingWhileABanOfTheCompanyIsUnfinishedIsRejectedWithoutAnOrder() {
    stack.marketplace().seed(MODERATED_COMPANY, List.of(OF_MODERATED_COMPANY));
    String bookingId = unique("bk");
    String created = unique("evt");
    String banJob;
    String bookingJob;
    stack.worker().stop();
    try {
      JsonHttp.Response ban =
          api.post("/api/companies/903/ban", BanReasons.body("Fraud review during a booking"));
      assertThat(ban.status()).as(ban.body()).isEqualTo(202);
      banJob = ban.json().path("jobId").asText();

      JsonHttp.Response booking = deliver(bookingCreated(created, bookingId, OF_MODERATED_COMPANY));
      assertThat(booking.status()).as(booking.body()).isEqualTo(200);
      bookingJob = booking.json().path("jobId").asText();
      assertThat(jobRow(banJob).get("status")).isEqualTo("PENDING");
    } finally {
      stack.worker().start().awaitHealthy(Duration.ofMinutes(2));
    }

    JsonNode job = awaitFinished(bookingJob, JOB_TIMEOUT);
    assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("COMPLETED");
    assertThat(orders(bookingId)).isEmpty();
    assertThat(booking(bookingId))
        .containsEntry("status", "REFUSED")
        .containsEntry("reason", "moderation_in_progress")
        .containsEntry("order_id", null)
        .containsEntry("answer", "REJECT");
    assertThat(stack.marketplace().bookingAnswer(bookingId))
        .hasValue(
            new MarketplaceFake.BookingAnswer(
                bookingId, "reject", null, "moderation_in_progress", "booking-reject-" + created));

    // The ban went through; the unban puts company 903 back as it was.
    assertThat(awaitFinished(banJob, JOB_TIMEOUT).path("status").asText()).isEqualTo("COMPLETED");
    JsonHttp.Response unban = api.post("/api/companies/903/unban", "");
    assertThat(unban.status()).as(unban.body()).isEqualTo(202);
    assertThat(
            awaitFinished(unban.json().path("jobId").asText(), JOB_TIMEOUT).path("status").asText())
        .isEqualTo("COMPLETED");
    assertThat(sql.rows("SELECT status FROM companies WHERE id = 903").get(0))
        .containsEntry("status", "ACTIVE");
    assertThat(sql.rows("SELECT published FROM vehicles WHERE id = 903001").get(0))
        .containsEntry("published", true);
  }

  @Test
  void aBookingOfAnUnpublishedVehicleIsRejected() {
    String bookingId = unique("bk");

    processed(bookingCreated(unique("evt"), bookingId, UNPUBLISHED));

    assertThat(orders(bookingId)).isEmpty();
    assertThat(stack.marketplace().bookingAnswer(bookingId).orElseThrow().reason())
        .isEqualTo("vehicle_unpublished");
  }

  @Test
  void aCancellationAheadOfItsBookingMakesTheLateBookingEndWithoutOrderOrAnswer() {
    String bookingId = unique("bk");

    processed(bookingCancelled(unique("evt"), bookingId));
    JsonNode late = processed(bookingCreated(unique("evt"), bookingId, PUBLISHED));

    assertThat(late.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(orders(bookingId)).isEmpty();
    assertThat(booking(bookingId))
        .containsEntry("status", "CANCELLED")
        .containsEntry("reason", "cancelled_before_created");
    assertThat(answersReceived(bookingId)).isEmpty();
  }

  @Test
  void aListingRemovalSignedWithTheNextSecretIsRecordedAndTheVehicleStaysPublished() {
    String eventId = unique("evt");
    String body =
        event(
            eventId,
            "listing.removed",
            "{\"vehicleId\": %d, \"companyId\": %d, \"reason\": \"photos missing\"}"
                .formatted(TAKEN_DOWN, COMPANY));

    JsonHttp.Response response =
        deliver(
            body, LocalStack.MARKETPLACE_WEBHOOK_SECRETS.get(1), Instant.now().getEpochSecond());
    assertThat(response.status()).isEqualTo(200);
    JsonNode job = awaitFinished(response.json().path("jobId").asText(), JOB_TIMEOUT);

    assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("COMPLETED");
    assertThat(
            sql.rows(
                "SELECT vehicle_id, company_id, reason FROM marketplace_listing_removals"
                    + " WHERE event_id = ?",
                eventId))
        .containsExactly(
            Map.of("vehicle_id", TAKEN_DOWN, "company_id", COMPANY, "reason", "photos missing"));
    Map<String, Object> vehicle =
        sql.rows("SELECT published, marketplace_removed_at FROM vehicles WHERE id = ?", TAKEN_DOWN)
            .get(0);
    assertThat(vehicle.get("published")).isEqualTo(true);
    assertThat(vehicle.get("marketplace_removed_at")).isNotNull();
  }

  @Test
  void aBadSignatureIs400WithARefusalRowAndStartsNothing() {
    long jobsBefore = sql.count("SELECT count(*) FROM jobs");
    long refusalsBefore = sql.count("SELECT count(*) FROM security_log WHERE channel = 'billion'");
    String bookingId = unique("bk");
    String body = bookingCreated(unique("evt"), bookingId, PUBLISHED);
    long now = Instant.now().getEpochSecond();

    JsonHttp.Response forged = deliver(body, "not-billions-secret", now);
    JsonHttp.Response stale =
        deliver(body, LocalStack.MARKETPLACE_WEBHOOK_SECRETS.get(0), now - 400);
    JsonHttp.Response unsigned = api.post("/webhooks/marketplace", body);

    for (JsonHttp.Response refused : List.of(forged, stale, unsigned)) {
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
      assertThat(refused.json().path("title").asText()).isEqualTo("Webhook signature not verified");
    }
    assertThat(sql.count("SELECT count(*) FROM jobs")).isEqualTo(jobsBefore);
    assertThat(sql.count("SELECT count(*) FROM security_log WHERE channel = 'billion'"))
        .isEqualTo(refusalsBefore + 3);
    assertThat(
            sql.rows(
                "SELECT reason, source_address FROM security_log WHERE channel = 'billion'"
                    + " ORDER BY id DESC LIMIT 3"))
        .extracting(row -> (String) row.get("reason"))
        .anySatisfy(reason -> assertThat(reason).contains("no signature matches"))
        .anySatisfy(reason -> assertThat(reason).contains("in the past"))
        .anySatisfy(reason -> assertThat(reason).contains("missing Billion-Timestamp"));
    assertThat(orders(bookingId)).isEmpty();
    assertThat(answersReceived(bookingId)).isEmpty();
  }

  @Test
  void anEventDeliveredTwentyTimesConcurrentlyIsOneJobOneOrderAndOneAnswer() throws Exception {
    String bookingId = unique("bk");
    String body = bookingCreated(unique("evt"), bookingId, PUBLISHED);
    ExecutorService pool = Executors.newFixedThreadPool(20);
    List<Future<JsonHttp.Response>> deliveries = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        deliveries.add(pool.submit(() -> deliver(body)));
      }
      List<String> jobIds = new ArrayList<>();
      for (Future<JsonHttp.Response> delivery : deliveries) {
        JsonHttp.Response response = delivery.get();
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        jobIds.add(response.json().path("jobId").asText());
      }
      assertThat(jobIds).containsOnly(jobIds.get(0));
      JsonNode job = awaitFinished(jobIds.get(0), JOB_TIMEOUT);
      assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
    } finally {
      pool.shutdownNow();
    }

    assertThat(sql.count("SELECT count(*) FROM jobs WHERE payload->>'bookingId' = ?", bookingId))
        .isEqualTo(1);
    assertThat(orders(bookingId)).hasSize(1);
    assertThat(answersReceived(bookingId)).hasSize(1);
    JsonHttp.Response replay = deliver(body);
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.json().path("status").isMissingNode()).isTrue();
  }

  @Test
  void anUnknownEventTypeIsAnsweredWith200AndRecordedAsIgnored() {
    String eventId = unique("evt");

    JsonHttp.Response response = deliver(event(eventId, "payout.sent", "{\"amount\": 10}"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().path("outcome").asText()).isEqualTo("ignored");
    assertThat(
            sql.rows(
                "SELECT outcome, job_id FROM webhook_events"
                    + " WHERE provider = 'billion' AND event_id = ?",
                eventId))
        .singleElement()
        .satisfies(row -> assertThat(row).containsEntry("outcome", "IGNORED"));
  }
}
