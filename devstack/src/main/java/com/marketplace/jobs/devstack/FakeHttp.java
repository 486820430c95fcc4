package com.marketplace.jobs.devstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import mockwebserver3.MockResponse;

/** What the local fakes of third-party services (Mailgun, Billion) share. */
final class FakeHttp {

  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

  private FakeHttp() {}

  static MockResponse json(int status, Object body) {
    try {
      return new MockResponse.Builder()
          .code(status)
          .addHeader("Content-Type", "application/json")
          .body(JSON.writeValueAsString(body))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Failures a fake answers with instead of its normal answer: the next {@code count} calls ({@link
   * #failNext}) or every call ({@link #failAlways}). Tests drive it directly; developers through
   * {@code POST /control/fail-next?count=2&status=503}.
   */
  static final class FailurePlan {

    static final String CONTROL_PATH = "/control/fail-next";

    private final Deque<Integer> planned = new ArrayDeque<>();
    private int always;

    synchronized void failNext(int count, int status) {
      for (int i = 0; i < count; i++) {
        planned.add(status);
      }
    }

    synchronized void failAlways(int status) {
      always = status;
    }

    synchronized void reset() {
      planned.clear();
      always = 0;
    }

    /** The status this call must fail with, or 0 to answer normally; uses up a planned one. */
    synchronized int next() {
      Integer next = planned.poll();
      return next != null ? next : always;
    }

    /** Answers {@code POST /control/fail-next?count=&status=} (defaults: 1 call, 503). */
    MockResponse control(String count, String status) {
      try {
        failNext(
            count == null ? 1 : Integer.parseInt(count),
            status == null ? 503 : Integer.parseInt(status));
        synchronized (this) {
          return json(200, Map.of("planned", planned.size()));
        }
      } catch (NumberFormatException e) {
        return json(400, Map.of("message", "count and status must be integers"));
      }
    }
  }
}
