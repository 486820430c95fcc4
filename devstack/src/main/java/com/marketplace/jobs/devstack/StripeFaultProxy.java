package com.marketplace.jobs.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A local proxy in front of stripe-mock, for development and tests only: it forwards every call to
 * stripe-mock unchanged and records it (method, path, headers, body, the status answered), so tests
 * can assert the requests the service made (stripe-mock keeps nothing). It can also fail the next
 * calls the way Stripe fails: an HTTP status (500, 503, 429 as {@code api_error} or {@code
 * rate_limit_error}; 4xx as {@code invalid_request_error}) without forwarding, or a timeout: the
 * call is forwarded (as if Stripe got it) and the answer held back longer than the client waits.
 *
 * <p>{@code GET /control/requests} lists what it received (API keys cut short); {@code POST
 * /control/fail-next?count=2&status=503} (or {@code status=timeout}) plans failures by hand.
 */
public final class StripeFaultProxy implements AutoCloseable {

  /** A planned failure that is not a status: forward, then answer too late. */
  public static final int TIMEOUT = -1;

  private static final List<String> FORWARDED_HEADERS =
      List.of("authorization", "content-type", "idempotency-key", "stripe-version", "user-agent");

  /**
   * One call the proxy received.
   *
   * @param headers lowercase header names, the first value of each
   * @param answeredStatus what the caller was answered; {@link #TIMEOUT} for a held-back answer
   */
  public record Received(
      Instant at,
      String method,
      String path,
      Map<String, String> headers,
      String body,
      int answeredStatus) {

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** This call with the API key cut to its prefix, for listing over HTTP. */
    Received withoutKey() {
      Map<String, String> masked = new LinkedHashMap<>(headers);
      masked.computeIfPresent(
          "authorization", (name, value) -> value.replaceAll("(_(test|live)_).*", "$1…"));
      return new Received(at, method, path, masked, body, answeredStatus);
    }
  }

  private final MockWebServer server = new MockWebServer();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String target;
  private final Duration timeoutDelay;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  /**
   * A planned answer that is not a plain failure: Stripe's 400 to a capture of an intent that has
   * succeeded already ({@code payment_intent_unexpected_state}, the intent in the error).
   */
  public static final int ALREADY_CAPTURED = -2;

  private final Deque<Integer> planned = new ArrayDeque<>();
  private int always;

  /**
   * @param target stripe-mock's base URL
   * @param timeoutDelay how long a planned timeout holds the answer back: longer than the client's
   *     read timeout
   */
  public StripeFaultProxy(String target, Duration timeoutDelay) {
    this.target = target;
    this.timeoutDelay = timeoutDelay;
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return answer(request);
          }
        });
  }

  public StripeFaultProxy start(int port) {
    try {
      server.start(port);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("Stripe proxy could not listen on port " + port, e);
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getPort();
  }

  /** The next {@code count} calls fail with {@code status}, or {@link #TIMEOUT}. */
  public synchronized void failNext(int count, int status) {
    for (int i = 0; i < count; i++) {
      planned.add(status);
    }
  }

  /** Every call fails with {@code status} (or {@link #TIMEOUT}) until {@link #reset()}. */
  public synchronized void failAlways(int status) {
    always = status;
  }

  /** Forgets planned failures and recorded calls. */
  public synchronized void reset() {
    planned.clear();
    always = 0;
    received.clear();
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** The calls whose path is {@code path} (e.g. {@code /v1/payment_intents/pi_1/capture}). */
  public List<Received> receivedFor(String method, String path) {
    return received.stream()
        .filter(call -> call.method().equals(method) && call.path().equals(path))
        .toList();
  }

  private synchronized int nextFailure() {
    Integer next = planned.poll();
    return next != null ? next : always;
  }

  private MockResponse answer(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    if (path.startsWith("/control/")) {
      return control(request, path);
    }
    String query = request.getUrl().encodedQuery();
    String pathAndQuery = query == null ? path : path + "?" + query;
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : request.getHeaders().names()) {
      headers.put(name.toLowerCase(Locale.ROOT), request.getHeaders().get(name));
    }
    String body = request.getBody() == null ? "" : request.getBody().utf8();
    int failure = nextFailure();
    if (failure == ALREADY_CAPTURED) {
      record(request.getMethod(), path, headers, body, 400);
      return FakeHttp.json(400, alreadyCaptured(path));
    }
    if (failure > 0) {
      record(request.getMethod(), path, headers, body, failure);
      return FakeHttp.json(failure, stripeError(failure));
    }
    MockResponse forwarded = forward(request.getMethod(), pathAndQuery, headers, body);
    if (failure == TIMEOUT) {
      record(request.getMethod(), path, headers, body, TIMEOUT);
      Ports.sleep(timeoutDelay);
      return forwarded;
    }
    record(request.getMethod(), path, headers, body, forwarded.getCode());
    return forwarded;
  }

  private void record(
      String method, String path, Map<String, String> headers, String body, int status) {
    received.add(new Received(Instant.now(), method, path, Map.copyOf(headers), body, status));
  }

  private MockResponse forward(
      String method, String pathAndQuery, Map<String, String> headers, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(target + pathAndQuery))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body.isEmpty()
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    for (String name : FORWARDED_HEADERS) {
      if (headers.containsKey(name)) {
        request.header(name, headers.get(name));
      }
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      MockResponse.Builder answer =
          new MockResponse.Builder().code(response.statusCode()).body(response.body());
      response
          .headers()
          .firstValue("content-type")
          .ifPresent(type -> answer.addHeader("Content-Type", type));
      answer.addHeader("Request-Id", "req_proxy_" + received.size());
      return answer.build();
    } catch (IOException e) {
      return FakeHttp.json(502, stripeError(502));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return FakeHttp.json(502, stripeError(502));
    }
  }

  private static Map<String, Object> alreadyCaptured(String path) {
    String intent = path.replaceAll("^/v1/payment_intents/([^/]+)/capture$", "$1");
    return Map.of(
        "error",
        Map.of(
            "type",
            "invalid_request_error",
            "code",
            "payment_intent_unexpected_state",
            "message",
            "This PaymentIntent could not be captured because it has a status of succeeded.",
            "payment_intent",
            Map.of("id", intent, "object", "payment_intent", "status", "succeeded")));
  }

  private static Map<String, Object> stripeError(int status) {
    String type =
        status == 429
            ? "rate_limit_error"
            : status >= 500 ? "api_error" : status == 402 ? "card_error" : "invalid_request_error";
    return Map.of(
        "error",
        Map.of(
            "type",
            type,
            "code",
            "simulated_failure",
            "message",
            "Simulated failure (HTTP " + status + ") from the local Stripe proxy"));
  }

  private MockResponse control(RecordedRequest request, String path) {
    if ("GET".equals(request.getMethod()) && path.equals("/control/requests")) {
      return FakeHttp.json(200, received().stream().map(Received::withoutKey).toList());
    }
    if ("POST".equals(request.getMethod()) && path.equals("/control/fail-next")) {
      String count = request.getUrl().queryParameter("count");
      String status = request.getUrl().queryParameter("status");
      try {
        failNext(
            count == null ? 1 : Integer.parseInt(count),
            status == null ? 503 : "timeout".equals(status) ? TIMEOUT : Integer.parseInt(status));
      } catch (NumberFormatException e) {
        return FakeHttp.json(
            400, Map.of("message", "count must be an integer, status an integer or 'timeout'"));
      }
      synchronized (this) {
        return FakeHttp.json(200, Map.of("planned", planned.size()));
      }
    }
    return FakeHttp.json(404, Map.of("message", "not found"));
  }

  @Override
  public void close() {
    server.close();
  }
}
