package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marketplace.jobs.devstack.LocalStack;
import com.marketplace.jobs.devstack.MailgunSink;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * A birthday run on the real stack: customers in five time zones chosen from the current instant
 * (one where it is just before 9:00, one just after, one before the window opens, one at noon, one
 * in the evening), one born on 29 February, one already reminded this year and some whose birthday
 * is another day. The run is started directly (the schedule infrastructure lands separately), its
 * first Mailgun batch fails once, and afterwards Mailgun's delivery webhooks (signed, badly signed,
 * stale, replayed) and the touchpoint report are checked.
 */
class BirthdayRemindersIT extends StackTest {

  private static final String WORKFLOW_TYPE = "BirthdayReminderWorkflow";
  private static final String TASK_QUEUE = "background-jobs";
  private static final LocalTime WINDOW_START = LocalTime.of(6, 0);
  private static final LocalTime WINDOW_END = LocalTime.of(9, 0);

  /** One test customer and what the run must do for them. */
  private record Customer(
      long id, String name, ZoneId zone, LocalDate born, boolean expected, boolean late) {

    String email() {
      return name.toLowerCase() + ".birthday@example.com";
    }
  }

  /**
   * The region zone whose local time now lies in [from, to], the latest (or earliest) such, and not
   * one of {@code taken}.
   */
  private static ZoneId zoneAt(
      Instant now, LocalTime from, LocalTime to, boolean latest, Set<ZoneId> taken) {
    Comparator<ZoneId> byLocalTime =
        Comparator.comparing((ZoneId zone) -> now.atZone(zone).toLocalTime())
            .thenComparing(ZoneId::getId);
    List<ZoneId> candidates =
        ZoneId.getAvailableZoneIds().stream()
            .filter(id -> id.matches("(Africa|America|Asia|Atlantic|Australia|Europe|Pacific)/.+"))
            .map(ZoneId::of)
            .filter(zone -> !taken.contains(zone))
            .filter(
                zone -> {
                  LocalTime local = now.atZone(zone).toLocalTime();
                  return !local.isBefore(from) && !local.isAfter(to);
                })
            .sorted(latest ? byLocalTime.reversed() : byLocalTime)
            .toList();
    assertThat(candidates).as("a zone where it is now %s to %s", from, to).isNotEmpty();
    taken.add(candidates.get(0));
    return candidates.get(0);
  }

  private static LocalDate localToday(ZoneId zone) {
    return ZonedDateTime.now(zone).toLocalDate();
  }

  private static String hmac(String key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String webhook(String key, long timestamp, String token, String eventData) {
    return """
        {"signature": {"timestamp": "%d", "token": "%s", "signature": "%s"}, "event-data": %s}
        """
        .formatted(timestamp, token, hmac(key, timestamp + token), eventData);
  }

  private static String eventData(
      String event, String severity, String reason, MailgunSink.Received email) {
    String messageId = email.messageId().substring(1, email.messageId().length() - 1);
    return """
        {"id": "%s", "event": "%s", "severity": %s, "reason": %s, "timestamp": %d,
         "recipient": "%s", "message": {"headers": {"message-id": "%s"}},
         "user-variables": {"touchpoint-id": "%s", "batch-id": "%s"}}
        """
        .formatted(
            UUID.randomUUID(),
            event,
            severity == null ? "null" : "\"" + severity + "\"",
            reason == null ? "null" : "\"" + reason + "\"",
            Instant.now().getEpochSecond(),
            email.form().get("to"),
            messageId,
            email.form().get("v:touchpoint-id"),
            email.form().get("v:batch-id"));
  }

  private static String token() {
    return UUID.randomUUID().toString().replace("-", "") + "0123456789abcdef0123";
  }

  @Test
  void eachCustomerWhoseBirthdayItIsWhereTheyLiveGetsOneReminderAndDeliveriesAreReported()
      throws Exception {
    // Other tests (the fuzz test) leave refusals of their own in the security log: count ours.
    long securityLogBefore = sql.count("SELECT coalesce(max(id), 0) FROM security_log");
    Instant now = Instant.now();
    Set<ZoneId> taken = new java.util.HashSet<>();
    ZoneId beforeNine = zoneAt(now, LocalTime.of(6, 5), LocalTime.of(8, 55), true, taken);
    ZoneId afterNine = zoneAt(now, LocalTime.of(9, 5), LocalTime.of(11, 55), false, taken);
    ZoneId notYet = zoneAt(now, LocalTime.of(0, 30), LocalTime.of(5, 30), true, taken);
    ZoneId noon = zoneAt(now, LocalTime.of(12, 0), LocalTime.of(13, 55), false, taken);
    ZoneId evening = zoneAt(now, LocalTime.of(14, 0), LocalTime.of(22, 30), false, taken);
    long base = 970_000 + (now.getEpochSecond() % 10_000) * 10;

    LocalDate noonDay = localToday(noon);
    boolean leapRuleToday =
        noonDay.getMonthValue() == 2
            && (noonDay.getDayOfMonth() == 29
                || (noonDay.getDayOfMonth() == 28 && !noonDay.isLeapYear()));
    List<Customer> customers =
        List.of(
            new Customer(
                base + 1,
                "Quirinus",
                beforeNine,
                localToday(beforeNine).minusYears(30),
                true,
                false),
            new Customer(
                base + 2,
                "Ermengarde",
                afterNine,
                localToday(afterNine).minusYears(41),
                true,
                true),
            new Customer(
                base + 3, "Wolfhart", notYet, localToday(notYet).minusYears(25), false, false),
            new Customer(
                base + 4, "Sigismunda", evening, localToday(evening).minusYears(52), true, true),
            new Customer(
                base + 5,
                "Leocadia",
                beforeNine,
                localToday(beforeNine).minusYears(33),
                false,
                false),
            new Customer(
                base + 6, "Apollonia", noon, LocalDate.of(2000, 2, 29), leapRuleToday, true),
            new Customer(
                base + 7,
                "Hildebrand",
                evening,
                localToday(evening).plusDays(1).minusYears(40),
                false,
                false),
            new Customer(
                base + 8,
                "Philippa",
                beforeNine,
                localToday(beforeNine).minusDays(1).minusYears(28),
                false,
                false),
            new Customer(base + 9, "Gunhilde", noon, localToday(noon).minusYears(61), true, true));
    for (Customer customer : customers) {
      sql.update(
          "INSERT INTO customers (id, tenant_id, email, first_name, birth_date, time_zone)"
              + " VALUES (?, 1, ?, ?, ?, ?)",
          customer.id(),
          customer.email(),
          customer.name(),
          java.sql.Date.valueOf(customer.born()),
          customer.zone().getId());
    }
    // Leocadia was reminded earlier today, before 9:00 her time.
    Customer leocadia = customers.get(4);
    LocalDate leocadiaDay = localToday(beforeNine);
    sql.update(
        "INSERT INTO touchpoints (kind, subject_key, tenant_id, customer_id, due_on, due_by,"
            + " sent_at, late, provider_message_id)"
            + " VALUES ('birthday_reminder', ?, 1, ?, ?, ?, ?, false, '<earlier@mg.rentals.test>')",
        "customer:" + leocadia.id() + ":" + leocadiaDay.getYear(),
        leocadia.id(),
        java.sql.Date.valueOf(leocadiaDay),
        java.sql.Timestamp.from(ZonedDateTime.of(leocadiaDay, WINDOW_END, beforeNine).toInstant()),
        java.sql.Timestamp.from(
            ZonedDateTime.of(leocadiaDay, WINDOW_START, beforeNine).toInstant().plusSeconds(60)));

    // The run's first Mailgun call fails: its batch must be sent once more, and only once.
    stack.mail().failNext(1, 503);
    WorkflowClient client = temporalClient();
    WorkflowStub run =
        client.newUntypedWorkflowStub(
            WORKFLOW_TYPE,
            WorkflowOptions.newBuilder()
                .setTaskQueue(TASK_QUEUE)
                .setWorkflowId("birthday-reminders-it-" + UUID.randomUUID())
                .build());
    run.start();
    @SuppressWarnings("unchecked")
    Map<String, Object> summary = run.getResult(2, TimeUnit.MINUTES, Map.class);

    // Exactly the right emails at the fake Mailgun, one each.
    Map<String, Customer> byEmail =
        customers.stream().collect(Collectors.toMap(Customer::email, c -> c));
    List<MailgunSink.Received> accepted = stack.mail().accepted();
    List<String> ours =
        accepted.stream()
            .map(r -> r.form().get("to"))
            .filter(byEmail::containsKey)
            .sorted()
            .toList();
    List<String> expected =
        customers.stream().filter(Customer::expected).map(Customer::email).sorted().toList();
    assertThat(ours).as("one email per customer owed one").containsExactlyElementsOf(expected);
    assertThat(
            stack.mail().received().stream()
                .filter(r -> !r.accepted())
                .map(r -> r.form().get("to"))
                .filter(byEmail::containsKey)
                .sorted()
                .toList())
        .as("the failed batch carried the same recipients")
        .containsExactlyElementsOf(expected);
    MailgunSink.Received quirinus =
        accepted.stream()
            .filter(r -> r.form().get("to").equals(customers.get(0).email()))
            .findFirst()
            .orElseThrow();
    assertThat(quirinus.form().get("subject")).isEqualTo("Happy birthday, Quirinus!");
    assertThat(quirinus.form().get("text")).contains("Hi Quirinus,");
    assertThat(quirinus.form().get("o:tag")).isEqualTo("birthday");
    assertThat(((Number) summary.get("sent")).intValue()).isEqualTo(accepted.size());
    assertThat(((Number) summary.get("due")).intValue()).isGreaterThanOrEqualTo(expected.size());
    assertThat(((Number) summary.get("batches")).intValue()).isEqualTo(1);

    // Each send recorded on its touchpoint, with Mailgun's message id and whether it was late.
    for (Customer customer : customers) {
      List<Map<String, Object>> rows =
          sql.rows(
              "SELECT sent_at, late, provider_message_id, due_on FROM touchpoints"
                  + " WHERE kind = 'birthday_reminder' AND customer_id = ?",
              customer.id());
      if (customer.expected()) {
        assertThat(rows).as(customer.name()).hasSize(1);
        Map<String, Object> row = rows.get(0);
        assertThat(row.get("sent_at")).as(customer.name()).isNotNull();
        assertThat(row.get("late")).as(customer.name() + " late").isEqualTo(customer.late());
        assertThat(row.get("due_on").toString()).isEqualTo(localToday(customer.zone()).toString());
        MailgunSink.Received email =
            accepted.stream()
                .filter(r -> r.form().get("to").equals(customer.email()))
                .findFirst()
                .orElseThrow();
        assertThat(row.get("provider_message_id")).isEqualTo(email.messageId());
      } else if (customer != leocadia) {
        assertThat(rows).as(customer.name()).isEmpty();
      }
    }

    // Delivery webhooks: signed with the current and the next key, badly signed, stale, replayed.
    String current = LocalStack.MAILGUN_WEBHOOK_SIGNING_KEYS.get(0);
    String next = LocalStack.MAILGUN_WEBHOOK_SIGNING_KEYS.get(1);
    MailgunSink.Received ermengarde =
        accepted.stream()
            .filter(r -> r.form().get("to").equals(customers.get(1).email()))
            .findFirst()
            .orElseThrow();
    long nowSeconds = Instant.now().getEpochSecond();
    String delivered =
        webhook(current, nowSeconds, token(), eventData("delivered", null, null, quirinus));
    assertThat(api.post("/webhooks/mailgun", delivered).status()).isEqualTo(200);
    assertThat(
            api.post(
                    "/webhooks/mailgun",
                    webhook(
                        next,
                        nowSeconds,
                        token(),
                        eventData("failed", "permanent", "bounce", ermengarde)))
                .status())
        .isEqualTo(200);
    JsonHttp.Response badlySigned =
        api.post(
            "/webhooks/mailgun",
            webhook(
                "not-a-key-of-ours-0123456789",
                nowSeconds,
                token(),
                eventData("delivered", null, null, ermengarde)));
    JsonHttp.Response stale =
        api.post(
            "/webhooks/mailgun",
            webhook(
                current,
                nowSeconds - 600,
                token(),
                eventData("delivered", null, null, ermengarde)));
    JsonHttp.Response replayed = api.post("/webhooks/mailgun", delivered);
    assertThat(badlySigned.status()).isEqualTo(401);
    assertThat(badlySigned.header("Content-Type")).startsWith("application/problem+json");
    assertThat(stale.status()).isEqualTo(406);
    assertThat(replayed.status()).isEqualTo(406);
    assertThat(
            sql.rows(
                "SELECT delivery_status FROM touchpoints WHERE customer_id IN (?, ?)"
                    + " ORDER BY customer_id",
                customers.get(0).id(),
                customers.get(1).id()))
        .extracting(row -> row.get("delivery_status"))
        .containsExactly("DELIVERED", "BOUNCED");
    assertThat(
            sql.count(
                "SELECT count(*) FROM mailgun_events WHERE touchpoint_id IN"
                    + " (SELECT id FROM touchpoints WHERE customer_id IN (?, ?))",
                customers.get(0).id(),
                customers.get(1).id()))
        .isEqualTo(2);
    assertThat(
            sql
                .rows(
                    "SELECT reason FROM security_log WHERE channel = 'mailgun' AND id > ?",
                    securityLogBefore)
                .stream()
                .map(row -> (String) row.get("reason"))
                .toList())
        .hasSize(3)
        .anySatisfy(reason -> assertThat(reason).contains("signing key"))
        .anySatisfy(reason -> assertThat(reason).contains("in the past"))
        .anySatisfy(reason -> assertThat(reason).contains("replay"));

    // The report: our customers' figures on top of whatever else the stack owed those days.
    Map<LocalDate, long[]> mine = new TreeMap<>();
    for (Customer customer : customers) {
      boolean reminded = customer == leocadia;
      if (!customer.expected() && !reminded) {
        continue;
      }
      long[] figures =
          mine.computeIfAbsent(localToday(customer.zone()), day -> new long[5]); // due..late
      figures[0]++;
      figures[1]++;
      figures[2] += customer == customers.get(0) ? 1 : 0;
      figures[3] += customer == customers.get(1) ? 1 : 0;
      figures[4] += customer.late() && customer.expected() ? 1 : 0;
    }
    Set<Long> ourIds =
        customers.stream().map(Customer::id).collect(Collectors.toCollection(TreeSet::new));
    LocalDate from = mine.keySet().iterator().next();
    LocalDate to = ((TreeMap<LocalDate, long[]>) mine).lastKey();
    JsonNode report = api.get("/api/reports/touchpoints?from=" + from + "&to=" + to).json();
    Map<LocalDate, JsonNode> birthdays = new LinkedHashMap<>();
    report
        .path("days")
        .forEach(
            row -> {
              if (row.path("kind").asText().equals("birthday_reminder")) {
                birthdays.put(LocalDate.parse(row.path("day").asText()), row);
              }
            });
    for (Map.Entry<LocalDate, long[]> day : mine.entrySet()) {
      Map<String, Object> others =
          sql.rows(
                  "SELECT count(*) AS due, count(sent_at) AS sent, count(delivered_at) AS delivered,"
                      + " count(*) FILTER (WHERE delivery_status IN ('FAILED', 'BOUNCED')) AS failed,"
                      + " count(*) FILTER (WHERE late) AS late FROM touchpoints"
                      + " WHERE kind = 'birthday_reminder' AND due_on = ?"
                      + " AND (customer_id IS NULL OR NOT (customer_id = ANY (?)))",
                  java.sql.Date.valueOf(day.getKey()),
                  ourIds.toArray(Long[]::new))
              .get(0);
      JsonNode row = birthdays.get(day.getKey());
      assertThat(row).as("report row for %s", day.getKey()).isNotNull();
      long[] ourFigures = day.getValue();
      assertThat(row.path("due").asLong())
          .isEqualTo(ourFigures[0] + ((Number) others.get("due")).longValue());
      assertThat(row.path("sent").asLong())
          .isEqualTo(ourFigures[1] + ((Number) others.get("sent")).longValue());
      assertThat(row.path("delivered").asLong())
          .isEqualTo(ourFigures[2] + ((Number) others.get("delivered")).longValue());
      assertThat(row.path("failed").asLong())
          .isEqualTo(ourFigures[3] + ((Number) others.get("failed")).longValue());
      assertThat(row.path("late").asLong())
          .isEqualTo(ourFigures[4] + ((Number) others.get("late")).longValue());
      long sent = row.path("sent").asLong();
      assertThat(row.path("deliveryRate").asDouble())
          .isCloseTo(
              (double) row.path("delivered").asLong() / sent,
              org.assertj.core.data.Offset.offset(0.0001));
    }
    assertThat(new ArrayList<>(birthdays.keySet())).containsAll(mine.keySet());
  }
}
