package com.marketplace.jobs.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marketplace.jobs.devstack.LocalStack;
import com.marketplace.jobs.security.tokens.TriggerToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** A small JSON client for the api, as any HTTP user would call it. */
public final class JsonHttp {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A response: status, headers and the body parsed as JSON (null when it is not JSON). */
  public record Response(int status, Map<String, java.util.List<String>> headers, String body) {

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    public String header(String name) {
      return headers.entrySet().stream()
          .filter(entry -> entry.getKey().equalsIgnoreCase(name))
          .map(entry -> entry.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final String tokenKey;

  /**
   * A client that sends no credentials (search, the worker's actuator, a caller without a token).
   */
  public JsonHttp(String baseUrl) {
    this(baseUrl, null);
  }

  private JsonHttp(String baseUrl, String tokenKey) {
    this.baseUrl = baseUrl;
    this.tokenKey = tokenKey;
  }

  /**
   * The stack's api as a trusted system calls it: every request under {@code /api/} carries a fresh
   * trigger token with both scopes, made for its exact body. Headers a test passes win.
   */
  public static JsonHttp api(LocalStack stack) {
    return new JsonHttp(stack.api().url(), LocalStack.TOKEN_KEYS.get(0));
  }

  public Response get(String path) {
    return get(path, Map.of());
  }

  public Response get(String path, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET();
    withToken(path, null, headers).forEach(request::header);
    return send(request);
  }

  public Response post(String path, String body) {
    return post(path, body, Map.of());
  }

  public Response post(String path, String body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    Map<String, String> all = withToken(path, body.getBytes(StandardCharsets.UTF_8), headers);
    all.putIfAbsent("Content-Type", "application/json");
    all.forEach(request::header);
    return send(request);
  }

  /** The headers to send: the test's own, plus a token for an api path unless it set one. */
  private Map<String, String> withToken(String path, byte[] body, Map<String, String> headers) {
    Map<String, String> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    all.putAll(headers);
    if (tokenKey != null && path.startsWith("/api/") && !all.containsKey("Authorization")) {
      TriggerToken token =
          TriggerToken.of(TriggerToken.READ + " " + TriggerToken.WRITE, Duration.ofMinutes(5));
      if (body != null && body.length > 0) {
        token = token.withBody(body);
      }
      all.put("Authorization", "Bearer " + token.signedWith(tokenKey));
    }
    return all;
  }

  /** A POST whose length is not declared: sent chunked, as a streaming client would. */
  public Response postChunked(String path, byte[] body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(body)));
    withToken(path, body, Map.of("Content-Type", "application/json")).forEach(request::header);
    return send(request);
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          client.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.headers().map(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
