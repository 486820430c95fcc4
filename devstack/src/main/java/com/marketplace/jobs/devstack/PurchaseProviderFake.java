package com.marketplace.jobs.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A local stand-in for the purchase provider's API, for development and tests only
 * (docs/integrations/purchase-provider.md). It answers {@code GET /v1/purchases/{reference}} with
 * {@code 200 {"reference": "...", "status": "pending|completed|failed", "reason": "..."}} after
 * checking the bearer key (401 otherwise). Every reference is {@code pending} until a test or a
 * developer says otherwise: {@link #complete}, {@link #fail}, {@link #forget} (answered 404, as for
 * a reference the provider does not know), or by hand {@code POST
 * /control/purchases/{reference}?status=completed|failed|pending|unknown&reason=...}. {@link
 * #failNext} (or {@code POST /control/fail-next?count=2&status=503}) makes the next calls fail.
 * {@link #calls} counts the status calls received.
 */
public final class PurchaseProviderFake implements AutoCloseable {

  public static final String PURCHASES_PATH = "/v1/purchases/";
  public static final String CONTROL_PATH = "/control/purchases/";

  private static final Set<String> STATUSES = Set.of("pending", "completed", "failed", "unknown");

  /**
   * One status call the fake received.
   *
   * @param reference the reference asked about (decoded from the path)
   * @param answeredStatus the HTTP status it was answered with
   */
  public record Call(Instant at, String reference, String authorization, int answeredStatus) {}

  private record Purchase(String status, String reason) {}

  private final MockWebServer server = FakeHttp.server();
  private final String apiKey;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  // Guarded by this.
  private final Map<String, Purchase> purchases = new HashMap<>();
  private final FakeHttp.FailurePlan failures = new FakeHttp.FailurePlan();

  public PurchaseProviderFake(String apiKey) {
    if (apiKey == null || apiKey.isBlank()) {
      throw new IllegalArgumentException("The API key must not be blank");
    }
    this.apiKey = apiKey;
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return answer(request);
          }
        });
  }

  /** Listens on {@code port}; 0 picks a free one. */
  public PurchaseProviderFake start(int port) {
    try {
      server.start(port);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("Purchase provider fake could not listen on port " + port, e);
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

  /** The provider completed the purchase. */
  public void complete(String reference) {
    set(reference, "completed", null);
  }

  /** The provider failed the purchase, for {@code reason} (a short code). */
  public void fail(String reference, String reason) {
    set(reference, "failed", reason);
  }

  /** The purchase is pending again (the default of every reference). */
  public void pending(String reference) {
    set(reference, "pending", null);
  }

  /** The provider does not know the reference: its status calls are answered 404. */
  public void forget(String reference) {
    set(reference, "unknown", null);
  }

  private synchronized void set(String reference, String status, String reason) {
    purchases.put(reference, new Purchase(status, reason));
  }

  /**
   * The next {@code count} status calls are answered with {@code status}; status 0 plans normal
   * answers, so {@code failNext(2, 0); failNext(1, 503)} lets two calls through and fails the
   * third.
   */
  public void failNext(int count, int status) {
    failures.failNext(count, status);
  }

  /** Every status call is answered with {@code status} until {@link #reset()}; 0: off. */
  public void failAlways(int status) {
    failures.failAlways(status);
  }

  /** Back to a fresh fake: every reference pending, nothing received, no failure planned. */
  public synchronized void reset() {
    failures.reset();
    purchases.clear();
    calls.clear();
  }

  /** Every status call received, in order, answered or failed. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The status calls received about {@code reference}. */
  public List<Call> calls(String reference) {
    return calls.stream().filter(call -> call.reference().equals(reference)).toList();
  }

  private MockResponse answer(RecordedRequest request) {
    String method = request.getMethod();
    String path = request.getUrl().encodedPath();
    if ("POST".equals(method) && path.equals(FakeHttp.FailurePlan.CONTROL_PATH)) {
      return failures.control(
          request.getUrl().queryParameter("count"), request.getUrl().queryParameter("status"));
    }
    if ("POST".equals(method) && path.startsWith(CONTROL_PATH)) {
      return control(
          decode(path.substring(CONTROL_PATH.length())),
          request.getUrl().queryParameter("status"),
          request.getUrl().queryParameter("reason"));
    }
    if (!"GET".equals(method) || !path.startsWith(PURCHASES_PATH)) {
      return FakeHttp.json(404, Map.of("message", "not found"));
    }
    String reference = decode(path.substring(PURCHASES_PATH.length()));
    String authorization = request.getHeaders().get("Authorization");
    int status;
    Object body;
    if (reference.isEmpty() || reference.contains("/")) {
      status = 404;
      body = Map.of("message", "not found");
    } else if (!("Bearer " + apiKey).equals(authorization)) {
      status = 401;
      body = Map.of("message", "invalid API key");
    } else {
      int failure = failures.next();
      if (failure != 0) {
        status = failure;
        body = Map.of("message", "Simulated failure");
      } else {
        Purchase purchase;
        synchronized (this) {
          purchase = purchases.getOrDefault(reference, new Purchase("pending", null));
        }
        if (purchase.status().equals("unknown")) {
          status = 404;
          body = Map.of("message", "no such purchase");
        } else {
          status = 200;
          Map<String, Object> answer = new LinkedHashMap<>();
          answer.put("reference", reference);
          answer.put("status", purchase.status());
          answer.put("reason", purchase.reason());
          body = answer;
        }
      }
    }
    calls.add(new Call(Instant.now(), reference, authorization, status));
    return FakeHttp.json(status, body);
  }

  private MockResponse control(String reference, String status, String reason) {
    String normalized = status == null ? "" : status.toLowerCase(Locale.ROOT);
    if (reference.isEmpty() || !STATUSES.contains(normalized)) {
      return FakeHttp.json(
          400, Map.of("message", "status must be one of pending, completed, failed, unknown"));
    }
    set(reference, normalized, reason);
    return FakeHttp.json(200, Map.of("reference", reference, "status", normalized));
  }

  private static String decode(String pathPart) {
    return URLDecoder.decode(pathPart.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    // The key stays out of logs.
    return "PurchaseProviderFake[" + (server.getStarted() ? baseUrl() : "not started") + "]";
  }
}
