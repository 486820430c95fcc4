package com.marketplace.jobs.devstack;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A local stand-in for Mailgun's messages and events APIs, for development and tests only: it
 * answers {@code POST /v3/{domain}/messages} the way Mailgun does (basic auth {@code api:<key>}, a
 * JSON body with the message id) and keeps what it received. A batch send (several {@code to} and
 * {@code recipient-variables}, at most 1,000 recipients) is kept as one email per recipient, each
 * with its {@code %recipient.<name>%} placeholders filled from its own variables (in the subject,
 * the text, the HTML and the {@code v:} variables), all with the batch's one message id, and each
 * with its own accepted event. {@code GET /v3/{domain}/events} lists an {@code accepted} event per
 * accepted message, filtered as Mailgun filters ({@code event}, {@code user-variables}, {@code
 * begin}, {@code end}, {@code ascending}, {@code limit}). {@code GET /messages} lists the accepted
 * emails, so a developer can see what the service sent. Tests can make it fail the next sends,
 * answer them late (the message is accepted when it arrives, the answer comes after the delay, as
 * when Mailgun's answer is lost on the way), and show events only some time after acceptance, as
 * Mailgun's events lag.
 */
public final class MailgunSink implements AutoCloseable {

  static final String DELAY_CONTROL_PATH = "/control/delay-next";

  private static final ObjectMapper JSON = new ObjectMapper();

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
  private final Deque<Duration> delays = new ArrayDeque<>();
  private final List<EventQuery> eventQueries = new CopyOnWriteArrayList<>();
  private final AtomicLong sequence = new AtomicLong();
  private volatile Duration eventsLag = Duration.ZERO;

  /** One call to the events API: its query parameters, decoded. */
  public record EventQuery(Instant at, Map<String, String> parameters, int answeredStatus) {}

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

  /**
   * The next {@code count} sends are answered only after {@code delay}: the message is accepted
   * (and listed in the events) when it arrives, its answer comes late. A client that gave up before
   * then does not know the message was accepted.
   */
  public synchronized void delayNext(int count, Duration delay) {
    for (int i = 0; i < count; i++) {
      delays.add(delay);
    }
  }

  /** An accepted message's event shows in the events API only {@code lag} after it arrived. */
  public void eventsLag(Duration lag) {
    eventsLag = lag;
  }

  public synchronized void reset() {
    failures.reset();
    delays.clear();
    eventsLag = Duration.ZERO;
    received.clear();
    eventQueries.clear();
  }

  /** Every call to the events API since the last reset. */
  public List<EventQuery> eventQueries() {
    return List.copyOf(eventQueries);
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

  /** Mailgun's limit of recipients per call. */
  static final int MAX_RECIPIENTS = 1_000;

  private static final java.util.regex.Pattern PLACEHOLDER =
      java.util.regex.Pattern.compile("%recipient\\.([A-Za-z0-9_-]+)%");

  private MockResponse answer(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    if ("GET".equals(request.getMethod()) && path.equals("/messages")) {
      return FakeHttp.json(200, accepted());
    }
    if ("POST".equals(request.getMethod()) && path.equals(FakeHttp.FailurePlan.CONTROL_PATH)) {
      return failures.control(
          request.getUrl().queryParameter("count"), request.getUrl().queryParameter("status"));
    }
    if ("POST".equals(request.getMethod()) && path.equals(DELAY_CONTROL_PATH)) {
      return delayControl(
          request.getUrl().queryParameter("count"), request.getUrl().queryParameter("seconds"));
    }
    if ("GET".equals(request.getMethod()) && path.equals("/v3/" + domain + "/events")) {
      return events(request);
    }
    if (!"POST".equals(request.getMethod()) || !path.equals("/v3/" + domain + "/messages")) {
      return FakeHttp.json(404, Map.of("message", "not found"));
    }
    String authorization = request.getHeaders().get("Authorization");
    List<Map.Entry<String, String>> fields = parseFields(request);
    List<String> recipients =
        fields.stream().filter(f -> f.getKey().equals("to")).map(Map.Entry::getValue).toList();
    Map<String, String> form = new LinkedHashMap<>();
    fields.forEach(f -> form.putIfAbsent(f.getKey(), f.getValue()));
    Map<String, Map<String, String>> recipientVariables;
    try {
      recipientVariables =
          form.containsKey("recipient-variables")
              ? JSON.readValue(
                  form.get("recipient-variables"),
                  new TypeReference<Map<String, Map<String, String>>>() {})
              : null;
    } catch (IOException e) {
      return FakeHttp.json(400, Map.of("message", "recipient-variables is not valid JSON"));
    }
    if (recipients.size() > MAX_RECIPIENTS) {
      return FakeHttp.json(400, Map.of("message", "Too many recipients"));
    }
    int failure = failures.next();
    int status = !authorized(authorization) ? 401 : failure != 0 ? failure : 200;
    Duration delay = nextDelay();
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
    Instant at = Instant.now();
    List<Received> kept = new ArrayList<>();
    if (recipientVariables == null) {
      if (recipients.size() > 1) {
        form.put("to", String.join(", ", recipients));
      }
      kept.add(new Received(at, path, authorization, form, status, messageId));
    } else {
      // Batch sending: one email per recipient, its placeholders filled from its own variables.
      form.remove("recipient-variables");
      for (String recipient : recipients) {
        Map<String, String> values = recipientVariables.getOrDefault(recipient, Map.of());
        Map<String, String> own = new LinkedHashMap<>();
        form.forEach((name, value) -> own.put(name, substitute(value, values)));
        own.put("to", recipient);
        kept.add(new Received(at, path, authorization, own, status, messageId));
      }
    }
    // One append per call: a batch of 1,000 copies the list once, not 1,000 times.
    received.addAll(kept);
    MockResponse answer =
        status == 200
            ? FakeHttp.json(200, Map.of("id", messageId, "message", "Queued. Thank you."))
            : FakeHttp.json(
                status, Map.of("message", status == 401 ? "Forbidden" : "Simulated failure"));
    if (delay.isZero()) {
      return answer;
    }
    return answer.newBuilder().headersDelay(delay.toMillis(), TimeUnit.MILLISECONDS).build();
  }

  /** Mailgun's {@code %recipient.<name>%}, from one recipient's variables (missing: empty). */
  private static String substitute(String value, Map<String, String> variables) {
    if (value == null || !value.contains("%recipient.")) {
      return value;
    }
    java.util.regex.Matcher matcher = PLACEHOLDER.matcher(value);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String replacement = variables.getOrDefault(matcher.group(1), "");
      matcher.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private boolean authorized(String authorization) {
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("api:" + apiKey).getBytes(StandardCharsets.UTF_8));
    return expected.equals(authorization);
  }

  private synchronized Duration nextDelay() {
    Duration next = delays.poll();
    return next == null ? Duration.ZERO : next;
  }

  /** Answers {@code POST /control/delay-next?count=&seconds=} (defaults: 1 send, 15 s). */
  private MockResponse delayControl(String count, String seconds) {
    try {
      double delaySeconds = seconds == null ? 15 : Double.parseDouble(seconds);
      delayNext(
          count == null ? 1 : Integer.parseInt(count),
          Duration.ofMillis(Math.round(delaySeconds * 1000)));
      synchronized (this) {
        return FakeHttp.json(200, Map.of("planned", delays.size()));
      }
    } catch (NumberFormatException e) {
      return FakeHttp.json(400, Map.of("message", "count must be an integer, seconds a number"));
    }
  }

  /**
   * Mailgun's events API over the accepted messages: one {@code accepted} event each, filtered by
   * {@code event}, {@code user-variables} (a JSON object; every entry must equal the message's
   * {@code v:} variable of that name), {@code begin} and {@code end} (epoch seconds), ordered by
   * {@code ascending} ({@code yes}/{@code no}), at most {@code limit} (default 100, at most 300).
   */
  private MockResponse events(RecordedRequest request) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String name : request.getUrl().queryParameterNames()) {
      parameters.put(name, request.getUrl().queryParameter(name));
    }
    if (!authorized(request.getHeaders().get("Authorization"))) {
      eventQueries.add(new EventQuery(Instant.now(), parameters, 401));
      return FakeHttp.json(401, Map.of("message", "Forbidden"));
    }
    Map<String, String> variables;
    double begin;
    double end;
    int limit;
    try {
      variables =
          parameters.containsKey("user-variables")
              ? JSON.readValue(
                  parameters.get("user-variables"), new TypeReference<Map<String, String>>() {})
              : Map.of();
      begin = parameters.containsKey("begin") ? Double.parseDouble(parameters.get("begin")) : 0;
      end =
          parameters.containsKey("end")
              ? Double.parseDouble(parameters.get("end"))
              : Double.MAX_VALUE;
      limit = parameters.containsKey("limit") ? Integer.parseInt(parameters.get("limit")) : 100;
    } catch (IOException | NumberFormatException e) {
      eventQueries.add(new EventQuery(Instant.now(), parameters, 400));
      return FakeHttp.json(400, Map.of("message", "malformed events query"));
    }
    if (limit < 1 || limit > 300) {
      eventQueries.add(new EventQuery(Instant.now(), parameters, 400));
      return FakeHttp.json(400, Map.of("message", "limit must be 1-300"));
    }
    String event = parameters.get("event");
    boolean ascending = !"no".equals(parameters.get("ascending"));
    Instant visibleBefore = Instant.now().minus(eventsLag);
    List<Map<String, Object>> items =
        accepted().stream()
            .filter(message -> !message.at().isAfter(visibleBefore))
            .filter(message -> event == null || event.equals("accepted"))
            .filter(message -> seconds(message.at()) >= Math.min(begin, end))
            .filter(message -> seconds(message.at()) <= Math.max(begin, end))
            .filter(
                message ->
                    variables.entrySet().stream()
                        .allMatch(
                            variable ->
                                variable
                                    .getValue()
                                    .equals(message.form().get("v:" + variable.getKey()))))
            .sorted(
                ascending
                    ? Comparator.comparing(Received::at)
                    : Comparator.comparing(Received::at).reversed())
            .limit(limit)
            .map(this::acceptedEvent)
            .toList();
    eventQueries.add(new EventQuery(Instant.now(), parameters, 200));
    String self = baseUrl() + request.getUrl().encodedPath();
    return FakeHttp.json(
        200,
        Map.of(
            "items",
            items,
            "paging",
            Map.of("next", self + "/next", "previous", self + "/previous")));
  }

  private static double seconds(Instant at) {
    return at.getEpochSecond() + at.getNano() / 1e9;
  }

  /** Shaped like Mailgun's: the message id without angle brackets, the v: variables without v:. */
  private Map<String, Object> acceptedEvent(Received message) {
    Map<String, String> variables = new LinkedHashMap<>();
    message
        .form()
        .forEach(
            (name, value) -> {
              if (name.startsWith("v:")) {
                variables.put(name.substring(2), value);
              }
            });
    String id = message.messageId().substring(1, message.messageId().length() - 1);
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("id", Integer.toHexString(id.hashCode()));
    event.put("event", "accepted");
    event.put("timestamp", seconds(message.at()));
    event.put("recipient", message.form().get("to"));
    event.put(
        "tags",
        message.form().containsKey("o:tag") ? List.of(message.form().get("o:tag")) : List.of());
    event.put(
        "message",
        Map.of(
            "headers",
            Map.of(
                "message-id", id,
                "to", String.valueOf(message.form().get("to")),
                "from", String.valueOf(message.form().get("from")),
                "subject", String.valueOf(message.form().get("subject")))));
    event.put("user-variables", variables);
    return event;
  }

  /** The form's fields in order, repeated names (several {@code to}) kept. */
  private static List<Map.Entry<String, String>> parseFields(RecordedRequest request) {
    List<Map.Entry<String, String>> fields = new ArrayList<>();
    if (request.getBody() == null) {
      return fields;
    }
    for (String pair : request.getBody().utf8().split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      fields.add(Map.entry(key, value));
    }
    return fields;
  }

  @Override
  public void close() {
    server.close();
  }
}
