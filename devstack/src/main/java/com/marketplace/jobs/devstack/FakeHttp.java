package com.marketplace.jobs.devstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import javax.net.ServerSocketFactory;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/** What the local fakes of third-party services (Mailgun, Billion) share. */
final class FakeHttp {

  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

  private FakeHttp() {}

  /**
   * A MockWebServer whose connections send small writes at once (TCP_NODELAY), as production HTTP
   * servers do. Without it every keep-alive call waits about 40 ms: the response's second write
   * sits in Nagle's buffer until the client's delayed ACK, which made a 100-call marketplace step
   * take 5 s here instead of a fraction of one.
   */
  static MockWebServer server() {
    MockWebServer server = new MockWebServer();
    server.setServerSocketFactory(
        new ServerSocketFactory() {
          @Override
          public ServerSocket createServerSocket() throws IOException {
            return new ServerSocket() {
              @Override
              public Socket accept() throws IOException {
                Socket socket = super.accept();
                socket.setTcpNoDelay(true);
                return socket;
              }
            };
          }

          @Override
          public ServerSocket createServerSocket(int port) throws IOException {
            return createServerSocket(port, 50, null);
          }

          @Override
          public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            return createServerSocket(port, backlog, null);
          }

          @Override
          public ServerSocket createServerSocket(int port, int backlog, InetAddress address)
              throws IOException {
            ServerSocket socket = createServerSocket();
            socket.bind(new InetSocketAddress(address, port), backlog);
            return socket;
          }
        });
    return server;
  }

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
