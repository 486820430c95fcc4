package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import com.marketplace.jobs.devstack.AppProcess;
import com.marketplace.jobs.devstack.LocalStack;
import com.marketplace.jobs.security.codec.PayloadEncryption;
import io.temporal.api.common.v1.Payload;
import io.temporal.client.WorkflowClient;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What Temporal keeps of a notification and a ban, read raw from the server with the CLI as anyone
 * with access to Temporal could: none of the customer's email, name, birthday or the ban's reason,
 * in any encoding; every payload encrypted. With the project's codec they decode. After a rotation
 * (a worker with a new key first, the old one kept) new payloads use the new key while old
 * histories stay readable, to the worker too.
 */
class PayloadEncryptionIT extends StackTest {

  private static final long CUSTOMER = 9_400_001;
  private static final long COMPANY = 202;
  private static final String ROTATED_KEYS =
      "local-2:"
          + Base64.getEncoder()
              .encodeToString("local-stack-rotated-payload-key!".getBytes(StandardCharsets.UTF_8))
          + ","
          + LocalStack.PAYLOAD_KEYS;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String email = "payload.check." + UUID.randomUUID() + "@example.com";
  private final String name = "Quintessa";
  private final String birthday = "1987-06-23";
  private final String reason = "Payload check " + UUID.randomUUID() + ": forged insurance papers";

  @BeforeEach
  void customer() {
    sql.update(
        "INSERT INTO customers (id, tenant_id, email, first_name, birth_date, time_zone)"
            + " VALUES (?, 1, ?, ?, ?::date, 'UTC')",
        CUSTOMER,
        email,
        name,
        birthday);
  }

  @AfterEach
  void removeCustomer() {
    sql.update("DELETE FROM customers WHERE id = ?", CUSTOMER);
  }

  @Test
  void historiesKeepNoPersonalDataInAnyEncodingAndDecodeWithTheCodecAlsoAfterARotation()
      throws Exception {
    String notification = finishedWorkflow(notificationBody());
    Snapshot before = snapshot(COMPANY);
    JsonNode ban = finished(api.post("/api/companies/" + COMPANY + "/ban", banBody()));
    assertThat(ban.path("status").asText()).as(ban.toString()).isEqualTo("COMPLETED");
    JsonNode notice = awaitFollowUpFinished(ban.path("jobId").asText());
    String noticeWorkflow =
        api.get("/api/jobs/" + notice.path("jobId").asText()).json().path("workflowId").asText();
    String banWorkflow = ban.path("workflowId").asText();
    try {
      PayloadCodec codec = PayloadEncryption.codec(LocalStack.PAYLOAD_KEYS);
      assertRawHistoryHoldsNone(notification, List.of(email, name, birthday));
      assertRawHistoryHoldsNone(banWorkflow, List.of(reason));
      assertRawHistoryHoldsNone(noticeWorkflow, List.of(reason));
      assertThat(keyIds(notification)).containsOnly("local-1");
      assertThat(keyIds(banWorkflow)).containsOnly("local-1");
      assertThat(decoded(notification, codec)).contains(email, name, birthday);
      assertThat(decoded(banWorkflow, codec)).contains(reason);
      assertThat(decoded(noticeWorkflow, codec)).contains(reason);

      rotateWorkerKeysAndCheck(
          Map.of(
              notification,
              List.of(email, name, birthday),
              banWorkflow,
              List.of(reason),
              noticeWorkflow,
              List.of(reason)),
          banWorkflow);
    } finally {
      JsonNode unban = finished(api.post("/api/companies/" + COMPANY + "/unban", ""));
      assertThat(unban.path("status").asText()).as(unban.toString()).isEqualTo("COMPLETED");
      assertThat(snapshot(COMPANY)).isEqualTo(before);
    }
  }

  /**
   * A worker with keys "local-2 (new), local-1 (old)" in place of the stack's: its new payloads are
   * under local-2; the old histories still decode, and the worker itself replays the old ban to
   * answer a query about it. The stack's own worker is back afterwards.
   */
  private void rotateWorkerKeysAndCheck(Map<String, List<String>> oldWorkflows, String oldBan)
      throws Exception {
    stack.worker().stop();
    AppProcess rotated =
        stack.extraWorker("worker-rotated", Map.of("JOBS_PAYLOAD_KEYS", ROTATED_KEYS));
    try {
      rotated.start().awaitHealthy(Duration.ofMinutes(2));
      String afterRotation = finishedWorkflow(notificationBody());

      PayloadCodec rotatedCodec = PayloadEncryption.codec(ROTATED_KEYS);
      assertRawHistoryHoldsNone(afterRotation, List.of(email, name, birthday));
      assertThat(keyIds(afterRotation)).contains("local-2");
      assertThat(decoded(afterRotation, rotatedCodec)).contains(email, name, birthday);
      for (Map.Entry<String, List<String>> old : oldWorkflows.entrySet()) {
        assertThat(keyIds(old.getKey())).containsOnly("local-1");
        assertThat(decoded(old.getKey(), rotatedCodec)).contains(old.getValue());
      }
      // Without the new key, its payloads are refused by name, not garbled.
      assertThatThrownBy(
              () -> decoded(afterRotation, PayloadEncryption.codec(LocalStack.PAYLOAD_KEYS)))
          .isInstanceOf(PayloadCodecException.class)
          .hasMessageContaining("key id 'local-2'");

      WorkflowClient client = temporalClient(ROTATED_KEYS);
      try {
        JsonNode progress = client.newUntypedWorkflowStub(oldBan).query("progress", JsonNode.class);
        assertThat(progress.has("step") && progress.has("total")).as(progress.toString()).isTrue();
      } finally {
        client.getWorkflowServiceStubs().shutdown();
      }
    } finally {
      rotated.stop();
      stack.worker().start().awaitHealthy(Duration.ofMinutes(2));
    }
  }

  private String notificationBody() {
    return """
        {"customerId": %d, "template": "welcome",
         "params": {"campaign": "%s", "contactEmail": "%s", "greetingName": "%s", "birthday": "%s"}}
        """
        .formatted(CUSTOMER, UUID.randomUUID(), email, name, birthday);
  }

  private String banBody() {
    return "{\"reason\": \"" + reason + "\"}";
  }

  private String finishedWorkflow(String notificationBody) {
    JsonNode job = finished(api.post("/api/notifications", notificationBody));
    assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("COMPLETED");
    return job.path("workflowId").asText();
  }

  private JsonNode finished(JsonHttp.Response accepted) {
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    return awaitFinished(accepted.json().path("jobId").asText(), Duration.ofSeconds(90));
  }

  /** The history as the CLI shows it without a codec, both with and without its JSON shorthand. */
  private List<String> rawHistories(String workflowId) throws Exception {
    return List.of(
        cli("workflow", "show", "--workflow-id", workflowId, "--output", "json"),
        cli(
            "workflow",
            "show",
            "--workflow-id",
            workflowId,
            "--output",
            "json",
            "--no-json-shorthand-payloads"));
  }

  private void assertRawHistoryHoldsNone(String workflowId, List<String> secrets) throws Exception {
    for (String history : rawHistories(workflowId)) {
      assertThat(history).contains(workflowId);
      for (String secret : secrets) {
        for (String form : encodings(secret)) {
          assertThat(history)
              .as("%s in the raw history of %s as %s", secret, workflowId, form)
              .doesNotContain(form);
        }
      }
    }
  }

  /**
   * The forms a value can take in a history's JSON: as is, JSON-escaped (also inside a JSON string
   * inside JSON), with non-alphanumerics as \\u escapes, and base64 (standard and URL-safe) at each
   * of the three byte alignments it can start at in an encoded payload, minus the characters that
   * depend on the bytes around it.
   */
  static List<String> encodings(String value) throws Exception {
    List<String> forms = new ArrayList<>();
    forms.add(value);
    String escaped = JSON.writeValueAsString(value);
    forms.add(escaped.substring(1, escaped.length() - 1));
    String twice = JSON.writeValueAsString(escaped);
    forms.add(twice.substring(1, twice.length() - 1));
    StringBuilder unicode = new StringBuilder();
    value
        .chars()
        .forEach(
            c ->
                unicode.append(
                    Character.isLetterOrDigit(c)
                        ? String.valueOf((char) c)
                        : "\\u%04x".formatted(c)));
    forms.add(unicode.toString());
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    for (int shift = 0; shift < 3; shift++) {
      byte[] shifted = new byte[shift + bytes.length];
      System.arraycopy(bytes, 0, shifted, shift, bytes.length);
      String encoded = Base64.getEncoder().withoutPadding().encodeToString(shifted);
      int from = shift == 0 ? 0 : 4;
      int to = 4 * (shifted.length / 3);
      String stable = encoded.substring(from, to);
      forms.add(stable);
      forms.add(stable.replace('+', '-').replace('/', '_'));
    }
    return forms;
  }

  /** Every payload of the history (not search attributes), decoded by {@code codec}, as text. */
  private String decoded(String workflowId, PayloadCodec codec) throws Exception {
    StringBuilder text = new StringBuilder();
    for (Payload payload : payloads(workflowId)) {
      text.append(codec.decode(List.of(payload)).get(0).getData().toStringUtf8()).append('\n');
    }
    return text.toString();
  }

  /** The key ids of the history's payloads; a payload in clear would count as "none". */
  private Set<String> keyIds(String workflowId) throws Exception {
    Set<String> ids = new TreeSet<>();
    for (Payload payload : payloads(workflowId)) {
      ByteString encoding = payload.getMetadataMap().get("encoding");
      boolean encrypted = encoding != null && encoding.toStringUtf8().equals("binary/encrypted");
      ids.add(encrypted ? payload.getMetadataOrThrow("encryption-key-id").toStringUtf8() : "none");
    }
    return ids;
  }

  private List<Payload> payloads(String workflowId) throws Exception {
    JsonNode history =
        JSON.readTree(
            cli(
                "workflow",
                "show",
                "--workflow-id",
                workflowId,
                "--output",
                "json",
                "--no-json-shorthand-payloads"));
    List<Payload> found = new ArrayList<>();
    collectPayloads(history, found);
    assertThat(found).as("payloads in the history of %s", workflowId).isNotEmpty();
    return found;
  }

  /**
   * Every {metadata, data} object except search attributes (Temporal must read those; they carry
   * ids only) and the SDK's own bookkeeping in markers (a local activity's id, type, time and
   * attempt metadata, a version marker's change id and version), which the SDK writes with its
   * standard converter. A local activity's result ({@code data}) and failure are ours: encrypted.
   */
  private static void collectPayloads(JsonNode node, List<Payload> found) throws Exception {
    if (node.isObject()) {
      if (node.has("metadata") && node.path("metadata").has("encoding")) {
        Payload.Builder payload = Payload.newBuilder();
        JsonFormat.parser().ignoringUnknownFields().merge(node.toString(), payload);
        found.add(payload.build());
        return;
      }
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getKey().equals("searchAttributes")) {
          continue;
        }
        if (field.getKey().equals("markerRecordedEventAttributes")) {
          JsonNode marker = field.getValue();
          collectPayloads(marker.path("details").path("data"), found);
          collectPayloads(marker.path("failure"), found);
          continue;
        }
        collectPayloads(field.getValue(), found);
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        collectPayloads(element, found);
      }
    }
  }
}
