package com.marketplace.jobs.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * N requests at once, each on a new connection (one thread and one socket per request, all released
 * by one latch), timed at the client from connect to the status line.
 */
final class Burst {

  /** What one request saw. */
  record Result(int status, long micros, String body) {}

  private Burst() {}

  static List<Result> fire(int port, String path, int count, IntFunction<String> bodyFor)
      throws InterruptedException {
    return fire(port, path, count, bodyFor, body -> null);
  }

  /**
   * As above, each request with the {@code Authorization} header {@code authorization} gives for
   * its body (none for null). Bodies and headers are made before the burst: a caller signs its
   * token before it connects, so signing is not in the figure, checking is.
   */
  static List<Result> fire(
      int port,
      String path,
      int count,
      IntFunction<String> bodyFor,
      Function<String, String> authorization)
      throws InterruptedException {
    String[] bodies = new String[count];
    String[] authorizations = new String[count];
    for (int i = 0; i < count; i++) {
      bodies[i] = bodyFor.apply(i);
      authorizations[i] = authorization.apply(bodies[i]);
    }
    CountDownLatch ready = new CountDownLatch(count);
    CountDownLatch go = new CountDownLatch(1);
    Result[] results = new Result[count];
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int index = i;
      Thread thread =
          new Thread(
              () -> {
                ready.countDown();
                try {
                  go.await();
                  results[index] = send(port, path, bodies[index], authorizations[index]);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "burst-" + i);
      thread.start();
      threads.add(thread);
    }
    ready.await();
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    return List.of(results);
  }

  private static Result send(int port, String path, String body, String authorization) {
    long start = System.nanoTime();
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(60_000);
      byte[] payload = body.getBytes(StandardCharsets.UTF_8);
      String head =
          "POST "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1:"
              + port
              + "\r\nContent-Type: application/json\r\nConnection: close\r\n"
              + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
              + "Content-Length: "
              + payload.length
              + "\r\n\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(payload);
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String statusLine = in.readLine();
      long micros = (System.nanoTime() - start) / 1000;
      StringBuilder rest = new StringBuilder();
      String line;
      while ((line = in.readLine()) != null) {
        rest.append(line).append('\n');
      }
      int status = statusLine == null ? -1 : Integer.parseInt(statusLine.split(" ")[1]);
      String responseBody = rest.substring(Math.max(0, rest.indexOf("\n\n") + 2));
      return new Result(status, micros, responseBody);
    } catch (IOException e) {
      return new Result(-1, (System.nanoTime() - start) / 1000, e.toString());
    }
  }
}
