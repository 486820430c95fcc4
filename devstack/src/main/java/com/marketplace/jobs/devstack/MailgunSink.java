package com.marketplace.jobs.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A local stand-in for Mailgun's messages API, for development and tests only: it answers {@code
 * POST /v3/{domain}/messages} the way Mailgun does (basic auth {@code api:<key>}, a JSON body with
 * the message id) and keeps what it received. {@code GET /messages} lists the accepted emails, so a
 * developer can see what the service sent. Tests can make it fail the next calls.
 */
public final class MailgunSink implements AutoCloseable {

  /** One call the sink received, accepted or not. */
  public record Received(
      Instant at,
      String path,
      String authorization,
      Map<String, String> form,
      int answeredStatus,
      String messageId) {

    public boolean accepted() {
      return answeredStatus == 200;
    }
  }

  private final MockWebServer server = FakeHttp.server();
  private final String domain;
  private final String apiKey;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final FakeHttp.FailurePlan failures = new FakeHttp.FailurePlan();
  private final AtomicLong sequence = new AtomicLong();

  public MailgunSink(String domain, String apiKey) {
    this.domain = domain;
    this.apiKey = apiKey;
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return answer(request);
          }
        });
  }

  public MailgunSink start(int port) {
    try {
      server.start(port);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("Mailgun sink could not listen on port " + port, e);
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getPort();
  }

  public int port() {
    return server.getPort();
  }

  public String domain() {
    return domain;
  }

  public String apiKey() {
    return apiKey;
  }

  /** The next {@code count} sends are answered with {@code status} (e.g. 503, 429, 400). */
  public synchronized void failNext(int count, int status) {
    failures.failNext(count, status);
  }

  /** Every send is answered with {@code status} until {@link #reset()}; 0 turns it off. */
  public void failAlways(int status) {
    failures.failAlways(status);
  }

  public synchronized void reset() {
    failures.reset();
    received.clear();
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public List<Received> accepted() {
    return received.stream().filter(Received::accepted).toList();
  }

  /** Every call made for one job, accepted or not. */
  public List<Received> receivedForJob(String jobId) {
    return received.stream().filter(r -> jobId.equals(r.form().get("v:job-id"))).toList();
  }

  /** The accepted emails for one job (by the {@code v:job-id} variable the service sets). */
  public List<Received> acceptedForJob(String jobId) {
    return accepted().stream().filter(r -> jobId.equals(r.form().get("v:job-id"))).toList();
  }

  private MockResponse answer(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    if ("GET".equals(request.getMethod()) && path.equals("/messages")) {
      return FakeHttp.json(200, accepted());
    }
    if ("POST".equals(request.getMethod()) && path.equals(FakeHttp.FailurePlan.CONTROL_PATH)) {
      return failures.control(
          request.getUrl().queryParameter("count"), request.getUrl().queryParameter("status"));
    }
    if (!"POST".equals(request.getMethod()) || !path.equals("/v3/" + domain + "/messages")) {
      return FakeHttp.json(404, Map.of("message", "not found"));
    }
    String authorization = request.getHeaders().get("Authorization");
    Map<String, String> form = parseForm(request);
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("api:" + apiKey).getBytes(StandardCharsets.UTF_8));
    int failure = failures.next();
    int status = !expected.equals(authorization) ? 401 : failure != 0 ? failure : 200;
    String messageId =
        status == 200
            ? "<"
                + Instant.now().toEpochMilli()
                + "."
                + sequence.incrementAndGet()
                + "@"
                + domain
                + ">"
            : null;
    received.add(new Received(Instant.now(), path, authorization, form, status, messageId));
    if (status == 200) {
      return FakeHttp.json(200, Map.of("id", messageId, "message", "Queued. Thank you."));
    }
    return FakeHttp.json(
        status, Map.of("message", status == 401 ? "Forbidden" : "Simulated failure"));
  }

  private static Map<String, String> parseForm(RecordedRequest request) {
    Map<String, String> form = new LinkedHashMap<>();
    if (request.getBody() == null) {
      return form;
    }
    for (String pair : request.getBody().utf8().split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      form.put(key, value);
    }
    return form;
  }

  @Override
  public void close() {
    server.close();
  }
}
