package com.marketplace.jobs.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A local stand-in for Google Calendar's {@code events.list}, for development and tests only:
 * {@code GET /calendar/v3/calendars/{calendarId}/events} with {@code maxResults} (default 250, at
 * most 2,500) and {@code pageToken} paging, {@code showDeleted}, and {@code syncToken}: the last
 * page of a listing carries a {@code nextSyncToken}; a listing with it returns only the events
 * changed since (a deleted one as {@code {"id": ..., "status": "cancelled"}}). Google's client
 * (google-api-services-calendar) reaches it with its root URL set to {@link #rootUrl()}.
 *
 * <p>It checks {@code Authorization: Bearer <token>} (401 otherwise) and answers 404 for a calendar
 * it does not have, with Google's error JSON. Tests (or {@code POST /control/...} by hand) can
 * expire every sync token given out so far (the next use answers 410 {@code fullSyncRequired}),
 * plan rate-limit answers (403 {@code rateLimitExceeded}, or 429) or other failures for the next
 * calls, and count the calls received.
 */
public final class GoogleCalendarFake implements AutoCloseable {

  public static final String EVENTS_PATH_PREFIX = "/calendar/v3/calendars/";
  public static final String EXPIRE_PATH = "/control/expire-sync-tokens";
  public static final int DEFAULT_PAGE_SIZE = 250;
  public static final int MAX_PAGE_SIZE = 2500;

  /** One event as the fake holds it; {@code seq} orders the changes. */
  private record StoredEvent(
      String id,
      Instant start,
      Instant end,
      String vehicleId,
      boolean cancelled,
      Instant updated,
      long seq) {}

  private static final class StoredCalendar {
    final Map<String, StoredEvent> byId = new HashMap<>();
    final TreeMap<Long, StoredEvent> bySeq = new TreeMap<>();
  }

  /** One events list call received: the calendar, its query and the status answered. */
  public record Call(String calendarId, Map<String, String> query, int status) {
    public boolean incremental() {
      return query.containsKey("syncToken");
    }
  }

  private final MockWebServer server = FakeHttp.server();
  private final String accessToken;
  private final FakeHttp.FailurePlan failures = new FakeHttp.FailurePlan();
  private final AtomicInteger calls = new AtomicInteger();
  // Guarded by this.
  private final Map<String, StoredCalendar> calendars = new HashMap<>();
  private final List<Call> received = new ArrayList<>();
  private long seq;
  private int tokenGeneration;

  public GoogleCalendarFake(String accessToken) {
    if (accessToken == null || accessToken.isBlank()) {
      throw new IllegalArgumentException("The access token must not be blank");
    }
    this.accessToken = accessToken;
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return answer(request);
          }
        });
  }

  /** Listens on {@code port}; 0 picks a free one. */
  public GoogleCalendarFake start(int port) {
    try {
      server.start(port);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("Google Calendar fake could not listen on port " + port, e);
    }
  }

  /** What {@code jobs.calendar.root-url} is set to: Google's client adds {@code calendar/v3/}. */
  public String rootUrl() {
    return "http://127.0.0.1:" + server.getPort() + "/";
  }

  public int port() {
    return server.getPort();
  }

  public String accessToken() {
    return accessToken;
  }

  /** Creates the calendar (empty) if it does not exist. */
  public synchronized void addCalendar(String calendarId) {
    calendars.computeIfAbsent(calendarId, id -> new StoredCalendar());
  }

  /**
   * Adds or replaces an event (timed, opaque), creating the calendar if needed.
   *
   * @param vehicleId the private extended property {@code vehicleId}, or null for none
   */
  public synchronized void putEvent(
      String calendarId, String eventId, Instant start, Instant end, String vehicleId) {
    store(calendarId, new StoredEvent(eventId, start, end, vehicleId, false, Instant.now(), 0));
  }

  /** Moves an existing event to a new period. */
  public synchronized void moveEvent(
      String calendarId, String eventId, Instant start, Instant end) {
    StoredEvent event = existing(calendarId, eventId);
    store(
        calendarId,
        new StoredEvent(eventId, start, end, event.vehicleId(), false, Instant.now(), 0));
  }

  /** Deletes an event: listings with showDeleted or a sync token return it as cancelled. */
  public synchronized void deleteEvent(String calendarId, String eventId) {
    StoredEvent event = existing(calendarId, eventId);
    store(
        calendarId,
        new StoredEvent(
            eventId, event.start(), event.end(), event.vehicleId(), true, Instant.now(), 0));
  }

  /** Every sync token given out so far answers 410 Gone ({@code fullSyncRequired}) from now on. */
  public synchronized void expireSyncTokens() {
    tokenGeneration++;
  }

  /** The next {@code count} calls are answered 403 {@code rateLimitExceeded}. */
  public void rateLimitNext(int count) {
    failures.failNext(count, 403);
  }

  /**
   * The next {@code count} calls are answered with {@code status} (403 and 429: Google's rate-limit
   * answers; 0: a normal answer).
   */
  public void failNext(int count, int status) {
    failures.failNext(count, status);
  }

  /** Events list calls received so far, answered or refused. */
  public int callCount() {
    return calls.get();
  }

  /** The events list calls received, in order. */
  public synchronized List<Call> calls() {
    return List.copyOf(received);
  }

  /** Forgets the calls received and the planned failures; calendars and tokens stay. */
  public synchronized void resetCalls() {
    received.clear();
    calls.set(0);
    failures.reset();
  }

  private StoredEvent existing(String calendarId, String eventId) {
    StoredCalendar calendar = calendars.get(calendarId);
    StoredEvent event = calendar == null ? null : calendar.byId.get(eventId);
    if (event == null) {
      throw new IllegalArgumentException("no event " + eventId + " in calendar " + calendarId);
    }
    return event;
  }

  private void store(String calendarId, StoredEvent event) {
    StoredCalendar calendar = calendars.computeIfAbsent(calendarId, id -> new StoredCalendar());
    StoredEvent stored =
        new StoredEvent(
            event.id(),
            event.start(),
            event.end(),
            event.vehicleId(),
            event.cancelled(),
            event.updated(),
            ++seq);
    StoredEvent before = calendar.byId.put(stored.id(), stored);
    if (before != null) {
      calendar.bySeq.remove(before.seq());
    }
    calendar.bySeq.put(stored.seq(), stored);
  }

  private MockResponse answer(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    if ("POST".equals(request.getMethod()) && path.equals(FakeHttp.FailurePlan.CONTROL_PATH)) {
      return failures.control(
          request.getUrl().queryParameter("count"), request.getUrl().queryParameter("status"));
    }
    if ("POST".equals(request.getMethod()) && path.equals(EXPIRE_PATH)) {
      expireSyncTokens();
      return FakeHttp.json(200, Map.of("expired", true));
    }
    if (!"GET".equals(request.getMethod())
        || !path.startsWith(EVENTS_PATH_PREFIX)
        || !path.endsWith("/events")) {
      return error(404, "notFound", "Not Found");
    }
    String calendarId =
        java.net.URLDecoder.decode(
            path.substring(EVENTS_PATH_PREFIX.length(), path.length() - "/events".length()),
            StandardCharsets.UTF_8);
    Map<String, String> query = new LinkedHashMap<>();
    for (String name : request.getUrl().queryParameterNames()) {
      query.put(name, request.getUrl().queryParameter(name));
    }
    calls.incrementAndGet();
    MockResponse response;
    int status;
    synchronized (this) {
      Object[] answered;
      try {
        answered = list(request, calendarId, query);
      } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
        answered = new Object[] {400, error(400, "invalid", "Invalid page or sync token")};
      }
      status = (int) answered[0];
      response = (MockResponse) answered[1];
      received.add(new Call(calendarId, Map.copyOf(query), status));
    }
    return response;
  }

  /** The status and the response of one events list call; under this lock. */
  private Object[] list(RecordedRequest request, String calendarId, Map<String, String> query) {
    if (!("Bearer " + accessToken).equals(request.getHeaders().get("Authorization"))) {
      return new Object[] {
        401, error(401, "authError", "Request had invalid authentication credentials.")
      };
    }
    int failure = failures.next();
    if (failure == 403 || failure == 429) {
      return new Object[] {failure, error(failure, "rateLimitExceeded", "Rate Limit Exceeded")};
    }
    if (failure != 0) {
      return new Object[] {failure, error(failure, "backendError", "Simulated failure")};
    }
    StoredCalendar calendar = calendars.get(calendarId);
    if (calendar == null) {
      return new Object[] {404, error(404, "notFound", "Not Found")};
    }
    int pageSize = DEFAULT_PAGE_SIZE;
    if (query.get("maxResults") != null) {
      try {
        pageSize = Math.min(MAX_PAGE_SIZE, Integer.parseInt(query.get("maxResults")));
      } catch (NumberFormatException e) {
        return new Object[] {400, error(400, "invalid", "Invalid maxResults")};
      }
      if (pageSize < 1) {
        return new Object[] {400, error(400, "invalid", "Invalid maxResults")};
      }
    }

    // A listing: the events changed after `since` up to `upTo` (the state at its first page), in
    // change order; a full listing has since = 0. Both bounds travel in the page token.
    long since;
    long upTo;
    int offset;
    boolean showDeleted;
    if (query.get("pageToken") != null) {
      String[] parts = decode(query.get("pageToken"));
      if (parts == null || parts.length != 5 || !parts[0].equals("page")) {
        return new Object[] {400, error(400, "invalid", "Invalid page token")};
      }
      since = Long.parseLong(parts[1]);
      upTo = Long.parseLong(parts[2]);
      offset = Integer.parseInt(parts[3]);
      showDeleted = Boolean.parseBoolean(parts[4]);
    } else if (query.get("syncToken") != null) {
      String[] parts = decode(query.get("syncToken"));
      if (parts == null || parts.length != 4 || !parts[0].equals("sync")) {
        return new Object[] {400, error(400, "invalid", "Invalid sync token")};
      }
      if (Integer.parseInt(parts[2]) != tokenGeneration || !parts[3].equals(calendarId)) {
        return new Object[] {
          410,
          error(410, "fullSyncRequired", "Sync token is no longer valid, a full sync is required.")
        };
      }
      since = Long.parseLong(parts[1]);
      upTo = seq;
      offset = 0;
      // Google always returns deleted events to a sync token.
      showDeleted = true;
    } else {
      since = 0;
      upTo = seq;
      offset = 0;
      showDeleted = "true".equals(query.get("showDeleted"));
    }
    List<StoredEvent> matching = new ArrayList<>();
    for (StoredEvent event : calendar.bySeq.subMap(since, false, upTo, true).values()) {
      if (showDeleted || !event.cancelled()) {
        matching.add(event);
      }
    }
    int to = Math.min(matching.size(), offset + pageSize);
    List<Map<String, Object>> items = new ArrayList<>();
    for (StoredEvent event : matching.subList(Math.min(offset, to), to)) {
      items.add(json(event));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", "calendar#events");
    body.put("summary", calendarId);
    body.put("timeZone", "UTC");
    body.put("accessRole", "reader");
    body.put("items", items);
    if (to < matching.size()) {
      body.put("nextPageToken", encode("page", since, upTo, to, showDeleted));
    } else {
      body.put("nextSyncToken", encode("sync", upTo, tokenGeneration, calendarId));
    }
    return new Object[] {200, FakeHttp.json(200, body)};
  }

  private static Map<String, Object> json(StoredEvent event) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("kind", "calendar#event");
    json.put("id", event.id());
    if (event.cancelled()) {
      json.put("status", "cancelled");
      return json;
    }
    json.put("status", "confirmed");
    json.put("updated", event.updated().toString());
    json.put("start", Map.of("dateTime", event.start().toString()));
    json.put("end", Map.of("dateTime", event.end().toString()));
    json.put("transparency", "opaque");
    if (event.vehicleId() != null) {
      json.put("extendedProperties", Map.of("private", Map.of("vehicleId", event.vehicleId())));
    }
    return json;
  }

  private static MockResponse error(int status, String reason, String message) {
    String domain =
        reason.equals("rateLimitExceeded")
            ? "usageLimits"
            : reason.equals("fullSyncRequired") ? "calendar" : "global";
    return FakeHttp.json(
        status,
        Map.of(
            "error",
            Map.of(
                "errors",
                List.of(Map.of("domain", domain, "reason", reason, "message", message)),
                "code",
                status,
                "message",
                message)));
  }

  private static String encode(Object... parts) {
    StringBuilder text = new StringBuilder();
    for (Object part : parts) {
      if (!text.isEmpty()) {
        text.append('\n');
      }
      text.append(part);
    }
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String[] decode(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\n");
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "GoogleCalendarFake[" + rootUrl() + "]";
  }
}
