package com.marketplace.jobs.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A local stand-in for the operations alerts' webhook (a Slack incoming webhook), for development
 * and tests only: it answers {@code POST /hooks/alerts} with 200 {@code ok}, as Slack does, and
 * keeps every post it received, answered or failed. {@code GET /posts} lists them, so a developer
 * can see the alerts; tests (or {@code POST /control/fail-next?count=&status=}) make the next posts
 * fail with a status.
 */
public final class AlertWebhookSink implements AutoCloseable {

  static final String HOOK_PATH = "/hooks/alerts";

  /** One post the sink received: when, its JSON body as text, and the status it answered. */
  public record Post(Instant at, String body, int answeredStatus) {

    public boolean accepted() {
      return answeredStatus == 200;
    }
  }

  private final MockWebServer server = FakeHttp.server();
  private final List<Post> posts = new CopyOnWriteArrayList<>();
  private final FakeHttp.FailurePlan failures = new FakeHttp.FailurePlan();

  public AlertWebhookSink() {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return answer(request);
          }
        });
  }

  public AlertWebhookSink start(int port) {
    try {
      server.start(port);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("alert webhook sink could not listen on port " + port, e);
    }
  }

  /** The URL the worker posts alerts to ({@code JOBS_ALERTS_WEBHOOK_URL}). */
  public String url() {
    return "http://127.0.0.1:" + server.getPort() + HOOK_PATH;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getPort();
  }

  /** The next {@code count} posts are answered with {@code status} (e.g. 503, 429, 400). */
  public void failNext(int count, int status) {
    failures.failNext(count, status);
  }

  /** Every post is answered with {@code status} until {@link #reset()}; 0 turns it off. */
  public void failAlways(int status) {
    failures.failAlways(status);
  }

  public void reset() {
    failures.reset();
    posts.clear();
  }

  /** Every post since the last reset, answered or failed, in arrival order. */
  public List<Post> posts() {
    return List.copyOf(posts);
  }

  /** The answered (200) posts whose body contains {@code text}, e.g. a job id. */
  public List<Post> acceptedMentioning(String text) {
    return posts.stream().filter(Post::accepted).filter(p -> p.body().contains(text)).toList();
  }

  private MockResponse answer(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    if ("GET".equals(request.getMethod()) && path.equals("/posts")) {
      return FakeHttp.json(200, posts());
    }
    if ("POST".equals(request.getMethod()) && path.equals(FakeHttp.FailurePlan.CONTROL_PATH)) {
      return failures.control(
          request.getUrl().queryParameter("count"), request.getUrl().queryParameter("status"));
    }
    if (!"POST".equals(request.getMethod()) || !path.equals(HOOK_PATH)) {
      return FakeHttp.json(404, Map.of("message", "not found"));
    }
    String body = request.getBody() == null ? "" : request.getBody().string(StandardCharsets.UTF_8);
    int failure = failures.next();
    int status = failure != 0 ? failure : 200;
    posts.add(new Post(Instant.now(), body, status));
    return new MockResponse.Builder()
        .code(status)
        .addHeader("Content-Type", "text/plain")
        .body(status == 200 ? "ok" : "failed as planned")
        .build();
  }

  @Override
  public void close() {
    server.close();
  }
}
