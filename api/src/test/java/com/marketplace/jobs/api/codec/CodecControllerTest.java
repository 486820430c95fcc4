package com.marketplace.jobs.api.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.options;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import com.marketplace.jobs.api.testsupport.TrustedCaller;
import com.marketplace.jobs.security.codec.AesGcmPayloadCodec;
import com.marketplace.jobs.security.codec.PayloadEncryption;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(
    controllers = CodecController.class,
    properties = "jobs.codec.ui-origin=http://127.0.0.1:8233, http://localhost:8233")
@Import({CodecControllerTest.Keys.class, TrustedCaller.class})
class CodecControllerTest {

  private static final String UI = "http://127.0.0.1:8233";
  private static final String PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON.toString();
  private static final String OLD_KEY =
      "old:" + Base64.getEncoder().encodeToString("o".repeat(32).getBytes());
  private static final String KEYS =
      "current:" + Base64.getEncoder().encodeToString("c".repeat(32).getBytes()) + "," + OLD_KEY;

  /** What the worker writes for the input {"email":"jamie.doe@example.com"}. */
  private static final String PLAIN =
      """
      {"payloads":[{"metadata":{"encoding":"%s"},"data":"%s"}]}
      """
          .formatted(base64("json/plain"), base64("{\"email\":\"jamie.doe@example.com\"}"));

  @TestConfiguration
  static class Keys {
    @Bean
    AesGcmPayloadCodec payloadCodec() {
      return PayloadEncryption.codec(KEYS);
    }
  }

  @Autowired private MockMvc mvc;

  private final ObjectMapper json = new ObjectMapper();

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(JsonNode base64) {
    return new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.UTF_8);
  }

  @Test
  void encodedPayloadsDecodeToWhatWasSentInTheWebUisJsonShape() throws Exception {
    String encoded =
        mvc.perform(
                post("/codec/encode")
                    .contentType(MediaType.APPLICATION_JSON)
                    .header("X-Namespace", "default")
                    .content(PLAIN))
            .andExpect(status().isOk())
            .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
            .andReturn()
            .getResponse()
            .getContentAsString();
    JsonNode sealed = json.readTree(encoded).path("payloads").path(0);
    assertThat(text(sealed.path("metadata").path("encoding"))).isEqualTo("binary/encrypted");
    assertThat(text(sealed.path("metadata").path("encryption-key-id"))).isEqualTo("current");
    assertThat(text(sealed.path("data"))).doesNotContain("jamie");

    String decoded =
        mvc.perform(
                post("/codec/decode")
                    .contentType(MediaType.APPLICATION_JSON)
                    .header("X-Namespace", "default")
                    .content(encoded))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();

    JsonNode payload = json.readTree(decoded).path("payloads").path(0);
    assertThat(text(payload.path("metadata").path("encoding"))).isEqualTo("json/plain");
    assertThat(text(payload.path("data"))).isEqualTo("{\"email\":\"jamie.doe@example.com\"}");
  }

  @Test
  void payloadsUnderARotatedKeyDecodeAndUnencryptedOnesComeBackAsTheyWere() throws Exception {
    Payload plain =
        Payload.newBuilder()
            .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
            .setData(ByteString.copyFromUtf8("\"x\""))
            .build();
    String underOld =
        JsonFormat.printer()
            .print(
                Payloads.newBuilder()
                    .addAllPayloads(PayloadEncryption.codec(OLD_KEY).encode(List.of(plain)))
                    .build());
    String decoded =
        mvc.perform(post("/codec/decode").contentType(MediaType.APPLICATION_JSON).content(underOld))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(text(json.readTree(decoded).path("payloads").path(0).path("data")))
        .isEqualTo("\"x\"");

    String passedThrough =
        mvc.perform(post("/codec/decode").contentType(MediaType.APPLICATION_JSON).content(PLAIN))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(json.readTree(passedThrough)).isEqualTo(json.readTree(PLAIN));
  }

  @Test
  void theUisPreflightIsAllowedFromItsOriginInBothSpellings() throws Exception {
    for (String origin : new String[] {UI, "http://localhost:8233"}) {
      mvc.perform(
              options("/codec/decode")
                  .header(HttpHeaders.ORIGIN, origin)
                  .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                  .header(
                      HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS,
                      "content-type,x-namespace,authorization"))
          .andExpect(status().isOk())
          .andExpect(header().string(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin))
          .andExpect(
              header()
                  .string(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, containsString("x-namespace")))
          .andExpect(header().string(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, "POST"));
    }
    mvc.perform(
            post("/codec/decode")
                .header(HttpHeaders.ORIGIN, UI)
                .contentType(MediaType.APPLICATION_JSON)
                .content(PLAIN))
        .andExpect(status().isOk())
        .andExpect(header().string(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, UI));
  }

  @Test
  void anotherOriginIsRefusedAndGetsNoCorsHeaders() throws Exception {
    mvc.perform(
            options("/codec/decode")
                .header(HttpHeaders.ORIGIN, "http://evil.example")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "content-type"))
        .andExpect(status().isForbidden())
        .andExpect(header().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN));
    mvc.perform(
            post("/codec/decode")
                .header(HttpHeaders.ORIGIN, "http://evil.example")
                .contentType(MediaType.APPLICATION_JSON)
                .content(PLAIN))
        .andExpect(status().isForbidden())
        .andExpect(header().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN))
        .andExpect(content().string(not(containsString("jamie"))));
  }

  @Test
  void aBodyThatIsNotPayloadsJsonIs400ProblemJsonWithoutEchoingIt() throws Exception {
    for (String body :
        new String[] {
          "not json jamie.doe@example.com",
          "{\"payloads\": \"jamie.doe@example.com\"}",
          "{\"payloads\": [{\"data\": \"*not base64*\"}]}",
          "[]"
        }) {
      mvc.perform(post("/codec/decode").contentType(MediaType.APPLICATION_JSON).content(body))
          .andExpect(status().isBadRequest())
          .andExpect(content().contentType(PROBLEM_JSON))
          .andExpect(jsonPath("$.detail").value(containsString("Payloads message")))
          .andExpect(content().string(not(containsString("jamie"))));
    }
    mvc.perform(post("/codec/encode").contentType(MediaType.APPLICATION_JSON))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentType(PROBLEM_JSON));
  }

  @Test
  void aPayloadUnderAnUnknownKeyIs400NamingTheKeyId() throws Exception {
    String unknown =
        """
        {"payloads":[{"metadata":{"encoding":"%s","encryption-key-id":"%s"},"data":"%s"}]}
        """
            .formatted(base64("binary/encrypted"), base64("retired-9"), base64("x".repeat(40)));

    mvc.perform(post("/codec/decode").contentType(MediaType.APPLICATION_JSON).content(unknown))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentType(PROBLEM_JSON))
        .andExpect(jsonPath("$.detail").value(containsString("key id 'retired-9'")));
  }

  @Test
  void anotherNamespacesPayloadsAreNotOurs() throws Exception {
    mvc.perform(
            post("/codec/decode")
                .contentType(MediaType.APPLICATION_JSON)
                .header("X-Namespace", "payments-team")
                .content(PLAIN))
        .andExpect(status().isNotFound())
        .andExpect(content().contentType(PROBLEM_JSON));
  }

  @Test
  void withoutATokenTheCodecAnswers401AndDecodesNothing() throws Exception {
    mvc.perform(
            post("/codec/decode")
                .requestAttr(TrustedCaller.ANONYMOUS, true)
                .contentType(MediaType.APPLICATION_JSON)
                .header("X-Namespace", "default")
                .content(PLAIN))
        .andExpect(status().isUnauthorized())
        .andExpect(content().contentType(PROBLEM_JSON))
        .andExpect(
            content()
                .string(
                    org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("payloads"))));
  }
}
