package com.marketplace.jobs.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A local stand-in for the Billion marketplace's listings and bookings API, for development and
 * tests only. It answers {@code POST /v1/listings/withdraw} and {@code POST /v1/listings/publish}
 * the way Billion does (docs/integrations/billion-marketplace.md): it checks the bearer key, the
 * {@code X-Billion-Signature} (HMAC-SHA256 over {@code "<timestamp>.<body>"}) and the timestamp (at
 * most 300 s away), applies the change to the set of listed vehicles of the company and answers
 * {@code 200 {"companyId": 101, "listed": <vehicles of the company listed now>}}.
 *
 * <p>{@code POST /v1/bookings/{bookingId}/confirm {"orderId": 1}} and {@code .../reject {"reason":
 * "..."}} (signed the same way) record our answer to a booking ({@link #bookingAnswers()}): the
 * same decision again is 200, the other one 409.
 *
 * <p>{@code GET /v1/listings?companyId=101} (no auth: for looking by hand) lists a company's listed
 * vehicle ids. Tests can make it fail the next calls; {@code POST /control/fail-next?count=2&
 * status=503} does the same by hand.
 *
 * <p>Idempotency keys: a repeat with the same {@code Idempotency-Key}, path and body is answered
 * like the first accepted call without being applied again; the same key with another path or body
 * is refused with 422. Only accepted calls are remembered, so a call answered with a (simulated)
 * failure can be retried with its key.
 *
 * <p>Checks, in order: 401 for a wrong or missing bearer key, signature or timestamp; 400 for a
 * missing {@code Idempotency-Key} or a body that is not {@code {"companyId": <integer>,
 * "vehicleIds": [<1 to 100 integers>]}}; then a planned failure ({@link #failNext}, {@link
 * #failAlways}), replays included; then 422 or the replay for a known key; then the change.
 */
public final class MarketplaceFake implements AutoCloseable {

  public static final String WITHDRAW_PATH = "/v1/listings/withdraw";
  public static final String PUBLISH_PATH = "/v1/listings/publish";
  public static final String LISTINGS_PATH = "/v1/listings";

  /** {@code POST /v1/bookings/{bookingId}/confirm} and {@code .../reject}. */
  public static final String BOOKINGS_PATH = "/v1/bookings/";

  /** How far the signed timestamp may be from this fake's clock, either way. */
  public static final long TIMESTAMP_TOLERANCE_SECONDS = 300;

  public static final int MAX_VEHICLES_PER_CALL = 100;

  /**
   * One call the fake received, accepted or not.
   *
   * @param headers header names in any case ({@code headers().get("authorization")} works); the
   *     first value of each
   */
  public record Received(
      Instant at,
      String method,
      String path,
      Map<String, String> headers,
      String body,
      int answeredStatus) {

    public boolean accepted() {
      return answeredStatus == 200;
    }

    public String header(String name) {
      return headers.get(name);
    }

    public String idempotencyKey() {
      return headers.get("Idempotency-Key");
    }
  }

  /**
   * Our answer to a booking, as the fake accepted it.
   *
   * @param decision {@code confirm} or {@code reject}
   * @param orderId the order id of a confirmation, else null
   * @param reason the reason of a rejection, else null
   */
  public record BookingAnswer(
      String bookingId, String decision, Long orderId, String reason, String idempotencyKey) {}

  private record Remembered(String path, String body, int status, Map<String, Object> answer) {}

  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

  private final MockWebServer server = FakeHttp.server();
  private final String apiKey;
  private final SecretKeySpec signingKey;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  // Guarded by this: the listings, the idempotency keys and the planned failures change together.
  private final Map<Long, SortedSet<Long>> listed = new HashMap<>();
  private final Map<String, Remembered> idempotencyKeys = new HashMap<>();
  private final Map<String, BookingAnswer> bookingAnswers = new LinkedHashMap<>();
  private final FakeHttp.FailurePlan failures = new FakeHttp.FailurePlan();

  public MarketplaceFake(String apiKey, String signingSecret) {
    if (apiKey == null || apiKey.isBlank() || signingSecret == null || signingSecret.isBlank()) {
      throw new IllegalArgumentException("The API key and the signing secret must not be blank");
    }
    this.apiKey = apiKey;
    this.signingKey =
        new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return answer(request);
          }
        });
  }

  /** Listens on {@code port}; 0 picks a free one. */
  public MarketplaceFake start(int port) {
    try {
      server.start(port);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("Marketplace fake could not listen on port " + port, e);
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getPort();
  }

  public int port() {
    return server.getPort();
  }

  public String apiKey() {
    return apiKey;
  }

  /**
   * The next {@code count} signed calls (withdraw, publish, confirm, reject) are answered with
   * {@code status}; status 0 plans normal answers, so {@code failNext(2, 0); failNext(1, 400)} lets
   * two calls through and fails the third.
   */
  public synchronized void failNext(int count, int status) {
    failures.failNext(count, status);
  }

  /** Every signed call is answered with {@code status} until {@link #reset()}; 0: off. */
  public void failAlways(int status) {
    failures.failAlways(status);
  }

  /**
   * Back to a fresh fake: no planned failures, nothing received, nothing listed, no idempotency key
   * remembered. {@link #seed} lists vehicles again.
   */
  public synchronized void reset() {
    failures.reset();
    received.clear();
    listed.clear();
    idempotencyKeys.clear();
    bookingAnswers.clear();
  }

  /** Lists these vehicles of the company, as if they had been published before. */
  public synchronized void seed(long companyId, Iterable<Long> vehicleIds) {
    SortedSet<Long> company = listed.computeIfAbsent(companyId, id -> new TreeSet<>());
    vehicleIds.forEach(company::add);
  }

  /** The vehicle ids listed for the company now, ascending. */
  public synchronized List<Long> listed(long companyId) {
    return List.copyOf(listed.getOrDefault(companyId, Collections.emptySortedSet()));
  }

  /** The accepted answers to bookings, in the order they were first accepted. */
  public synchronized List<BookingAnswer> bookingAnswers() {
    return List.copyOf(bookingAnswers.values());
  }

  /** The accepted answer to the booking, if any. */
  public synchronized java.util.Optional<BookingAnswer> bookingAnswer(String bookingId) {
    return java.util.Optional.ofNullable(bookingAnswers.get(bookingId));
  }

  /** The confirm and reject calls received, accepted or not. */
  public List<Received> receivedBookingAnswers() {
    return received.stream().filter(r -> r.path().startsWith(BOOKINGS_PATH)).toList();
  }

  /** Every call received, in order, accepted or not (control and GET calls included). */
  public List<Received> received() {
    return List.copyOf(received);
  }

  /** The withdraw and publish calls received, accepted or not. */
  public List<Received> receivedChanges() {
    return received.stream()
        .filter(r -> r.path().equals(WITHDRAW_PATH) || r.path().equals(PUBLISH_PATH))
        .toList();
  }

  private MockResponse answer(RecordedRequest request) {
    String method = request.getMethod();
    String path = request.getUrl().encodedPath();
    byte[] body = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : request.getHeaders().names()) {
      headers.put(name, request.getHeaders().get(name));
    }
    Answer answer;
    if ("GET".equals(method) && path.equals(LISTINGS_PATH)) {
      answer = listings(request.getUrl().queryParameter("companyId"));
    } else if ("POST".equals(method) && path.equals(FakeHttp.FailurePlan.CONTROL_PATH)) {
      return failures.control(
          request.getUrl().queryParameter("count"), request.getUrl().queryParameter("status"));
    } else if ("POST".equals(method) && (path.equals(WITHDRAW_PATH) || path.equals(PUBLISH_PATH))) {
      answer = change(path, headers, body);
    } else if ("POST".equals(method) && bookingAnswerPath(path) != null) {
      answer = answerBooking(path, bookingAnswerPath(path), headers, body);
    } else {
      answer = Answer.error(404, "not found");
    }
    received.add(
        new Received(
            Instant.now(),
            method,
            path,
            Collections.unmodifiableMap(headers),
            new String(body, StandardCharsets.UTF_8),
            answer.status()));
    return FakeHttp.json(answer.status(), answer.body());
  }

  private record Answer(int status, Object body) {
    static Answer error(int status, String message) {
      return new Answer(status, Map.of("message", message));
    }
  }

  private Answer listings(String companyIdParameter) {
    try {
      long companyId = Long.parseLong(companyIdParameter);
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("companyId", companyId);
      answer.put("vehicleIds", listed(companyId));
      return new Answer(200, answer);
    } catch (NumberFormatException e) {
      return Answer.error(400, "companyId must be an integer");
    }
  }

  /** The 401 or 400 every signed call gets for bad credentials or no key; null when all is well. */
  private Answer refusal(Map<String, String> headers, byte[] body) {
    if (!("Bearer " + apiKey).equals(headers.get("Authorization"))) {
      return Answer.error(401, "invalid API key");
    }
    String refusal = signatureRefusal(headers, body);
    if (refusal != null) {
      return Answer.error(401, refusal);
    }
    String key = headers.get("Idempotency-Key");
    if (key == null || key.isBlank()) {
      return Answer.error(400, "Idempotency-Key header missing");
    }
    return null;
  }

  /**
   * Under this lock: a planned failure, or the remembered answer (or a 422) for a known key; null
   * when the call is new.
   */
  private Answer failureOrReplay(String key, String path, String bodyText) {
    // A simulated outage fails every call, replays included.
    int failure = failures.next();
    if (failure != 0) {
      return Answer.error(failure, "Simulated failure");
    }
    Remembered earlier = idempotencyKeys.get(key);
    if (earlier != null) {
      if (earlier.path().equals(path) && earlier.body().equals(bodyText)) {
        return new Answer(earlier.status(), earlier.answer());
      }
      return Answer.error(422, "Idempotency-Key already used for another request");
    }
    return null;
  }

  private Answer change(String path, Map<String, String> headers, byte[] body) {
    Answer refused = refusal(headers, body);
    if (refused != null) {
      return refused;
    }
    String key = headers.get("Idempotency-Key");
    long companyId;
    List<Long> vehicleIds = new ArrayList<>();
    try {
      JsonNode json = JSON.readTree(body);
      JsonNode company = json == null ? null : json.get("companyId");
      JsonNode ids = json == null ? null : json.get("vehicleIds");
      if (company == null || !company.canConvertToLong() || !company.isIntegralNumber()) {
        return Answer.error(400, "companyId must be an integer");
      }
      if (ids == null || !ids.isArray() || ids.isEmpty() || ids.size() > MAX_VEHICLES_PER_CALL) {
        return Answer.error(
            400, "vehicleIds must be an array of 1 to " + MAX_VEHICLES_PER_CALL + " integers");
      }
      for (JsonNode id : ids) {
        if (!id.isIntegralNumber() || !id.canConvertToLong()) {
          return Answer.error(400, "vehicleIds must be integers");
        }
        vehicleIds.add(id.asLong());
      }
      companyId = company.asLong();
    } catch (IOException e) {
      return Answer.error(400, "the body is not JSON");
    }
    String bodyText = new String(body, StandardCharsets.UTF_8);
    synchronized (this) {
      Answer replay = failureOrReplay(key, path, bodyText);
      if (replay != null) {
        return replay;
      }
      SortedSet<Long> company = listed.computeIfAbsent(companyId, id -> new TreeSet<>());
      if (path.equals(PUBLISH_PATH)) {
        company.addAll(vehicleIds);
      } else {
        company.removeAll(vehicleIds);
      }
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("companyId", companyId);
      answer.put("listed", company.size());
      idempotencyKeys.put(key, new Remembered(path, bodyText, 200, answer));
      return new Answer(200, answer);
    }
  }

  /** The booking id and decision of {@code /v1/bookings/{id}/confirm|reject}, or null. */
  private static String[] bookingAnswerPath(String path) {
    if (!path.startsWith(BOOKINGS_PATH)) {
      return null;
    }
    String[] parts = path.substring(BOOKINGS_PATH.length()).split("/");
    if (parts.length != 2
        || parts[0].isEmpty()
        || !(parts[1].equals("confirm") || parts[1].equals("reject"))) {
      return null;
    }
    return new String[] {java.net.URLDecoder.decode(parts[0], StandardCharsets.UTF_8), parts[1]};
  }

  /**
   * Confirms ({@code {"orderId": <integer>}}) or rejects ({@code {"reason": "<text>"}}) a booking.
   * The same decision again is answered 200; the other decision for an answered booking is 409.
   */
  private Answer answerBooking(
      String path, String[] booking, Map<String, String> headers, byte[] body) {
    Answer refused = refusal(headers, body);
    if (refused != null) {
      return refused;
    }
    String key = headers.get("Idempotency-Key");
    String bookingId = booking[0];
    String decision = booking[1];
    Long orderId = null;
    String reason = null;
    try {
      JsonNode json = JSON.readTree(body);
      if (decision.equals("confirm")) {
        JsonNode order = json == null ? null : json.get("orderId");
        if (order == null || !order.isIntegralNumber() || !order.canConvertToLong()) {
          return Answer.error(400, "orderId must be an integer");
        }
        orderId = order.asLong();
      } else {
        JsonNode text = json == null ? null : json.get("reason");
        if (text == null || !text.isTextual() || text.asText().isBlank()) {
          return Answer.error(400, "reason must be a non-blank string");
        }
        reason = text.asText();
      }
    } catch (IOException e) {
      return Answer.error(400, "the body is not JSON");
    }
    String bodyText = new String(body, StandardCharsets.UTF_8);
    synchronized (this) {
      Answer replay = failureOrReplay(key, path, bodyText);
      if (replay != null) {
        return replay;
      }
      BookingAnswer earlier = bookingAnswers.get(bookingId);
      if (earlier != null && !earlier.decision().equals(decision)) {
        return Answer.error(409, "booking already " + earlier.decision() + "ed");
      }
      if (earlier == null) {
        bookingAnswers.put(bookingId, new BookingAnswer(bookingId, decision, orderId, reason, key));
      }
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("bookingId", bookingId);
      answer.put("status", decision.equals("confirm") ? "confirmed" : "rejected");
      idempotencyKeys.put(key, new Remembered(path, bodyText, 200, answer));
      return new Answer(200, answer);
    }
  }

  /** Why the signature is refused, or null when it is good. */
  private String signatureRefusal(Map<String, String> headers, byte[] body) {
    String timestamp = headers.get("X-Billion-Timestamp");
    String signature = headers.get("X-Billion-Signature");
    if (timestamp == null || signature == null) {
      return "X-Billion-Timestamp and X-Billion-Signature are required";
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return "X-Billion-Timestamp must be unix seconds";
    }
    if (Math.abs(Instant.now().getEpochSecond() - seconds) > TIMESTAMP_TOLERANCE_SECONDS) {
      return "X-Billion-Timestamp is more than " + TIMESTAMP_TOLERANCE_SECONDS + " s away";
    }
    byte[] expected = signature(timestamp, body).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
      return "invalid signature";
    }
    return null;
  }

  private String signature(String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(signingKey);
      mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
      return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    // The key and the secret stay out of logs.
    return "MarketplaceFake[" + (server.getStarted() ? baseUrl() : "not started") + "]";
  }
}
