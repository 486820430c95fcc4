package com.marketplace.jobs.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.marketplace.jobs.api.testsupport.MigratedPostgres;
import com.marketplace.jobs.security.tokens.TriggerToken;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The trigger-token rules of every {@code /api/**} path, on a probe endpoint that counts the calls
 * reaching it: each kind of token a caller may send, the status it gets, the security-log row a
 * refusal leaves, and that a refused call never reaches the controller (so nothing is started).
 * Tokens are signed here with the test keys of {@code config/application.yaml}.
 */
@WebMvcTest(TriggerAuthTest.Probe.class)
@Import({
  MigratedPostgres.class,
  SecurityLog.class,
  ApiSecurityConfig.class,
  TriggerAuthTest.Probe.class
})
class TriggerAuthTest {

  private static final String BODY = "{\"customerId\": 42, \"template\": \"welcome\"}";
  private static final String WRONG_KEY = "some-other-key-that-is-long-enough-0123456789";

  /** Stands for any trigger and any read of the api. */
  @RestController
  static class Probe {
    static final AtomicInteger triggers = new AtomicInteger();

    @PostMapping("/api/notifications")
    String trigger(@RequestBody String body) {
      triggers.incrementAndGet();
      return body;
    }

    @GetMapping("/api/jobs/probe")
    String read() {
      return "{}";
    }
  }

  @Autowired private MockMvc mvc;
  @Autowired private JdbcClient jdbc;

  @Value("${jobs.security.token-keys}")
  private List<String> keys;

  @BeforeEach
  void setUp() {
    jdbc.sql("DELETE FROM security_log").update();
    Probe.triggers.set(0);
  }

  private static TriggerToken writeToken() {
    return TriggerToken.of(TriggerToken.WRITE, Duration.ofMinutes(5)).withBody(BODY);
  }

  private ResultActions trigger(String authorization, String body) throws Exception {
    var request =
        post("/api/notifications")
            .contentType(MediaType.APPLICATION_JSON)
            .content(body)
            .with(
                r -> {
                  r.setRemoteAddr("198.51.100.7");
                  return r;
                });
    if (authorization != null) {
      request.header(HttpHeaders.AUTHORIZATION, authorization);
    }
    return mvc.perform(request);
  }

  private ResultActions trigger(String token) throws Exception {
    return trigger("Bearer " + token, BODY);
  }

  private List<Map<String, Object>> securityLog() {
    return jdbc.sql("SELECT channel, source_address, path, reason FROM security_log ORDER BY id")
        .query()
        .listOfRows();
  }

  /** The one row a refusal leaves, with its reason; and no job. */
  private void refusedAndLogged(String reasonFragment) {
    assertThat(Probe.triggers).hasValue(0);
    assertThat(securityLog())
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row)
                  .containsEntry("channel", "api")
                  .containsEntry("source_address", "198.51.100.7")
                  .containsEntry("path", "/api/notifications");
              assertThat((String) row.get("reason")).contains(reasonFragment);
            });
  }

  @Test
  void aTokenSignedWithTheCurrentKeyForThisBodyTriggers() throws Exception {
    trigger(writeToken().signedWith(keys.get(0)))
        .andExpect(status().isOk())
        .andExpect(content().string(BODY));
    assertThat(Probe.triggers).hasValue(1);
    assertThat(securityLog()).isEmpty();
  }

  @Test
  void aTokenSignedWithTheNextKeyIsAcceptedTooDuringRotation() throws Exception {
    trigger(writeToken().signedWith(keys.get(1))).andExpect(status().isOk());
  }

  @Test
  void anExpiredTokenIs401() throws Exception {
    Instant issued = Instant.now().minus(Duration.ofHours(1));
    trigger(
            writeToken()
                .withValidity(issued, issued.plus(Duration.ofMinutes(5)))
                .signedWith(keys.get(0)))
        .andExpect(status().isUnauthorized())
        .andExpect(header().string(HttpHeaders.CONTENT_TYPE, "application/problem+json"))
        .andExpect(jsonPath("$.status").value(401))
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("expired")));
    refusedAndLogged("expired");
  }

  @Test
  void aTokenNotYetValidIs401() throws Exception {
    Instant later = Instant.now().plus(Duration.ofMinutes(10));
    trigger(
            writeToken()
                .withValidity(later, later.plus(Duration.ofMinutes(5)))
                .signedWith(keys.get(0)))
        .andExpect(status().isUnauthorized());
    refusedAndLogged("used before");
  }

  @Test
  void aClockALittleOffIsTolerated() throws Exception {
    Instant soon = Instant.now().plus(Duration.ofSeconds(10));
    trigger(
            writeToken()
                .withValidity(soon, soon.plus(Duration.ofMinutes(5)))
                .signedWith(keys.get(0)))
        .andExpect(status().isOk());
  }

  @Test
  void aTokenForAnotherAudienceIs401() throws Exception {
    trigger(writeToken().withAudience("billing-service").signedWith(keys.get(0)))
        .andExpect(status().isUnauthorized());
    refusedAndLogged("aud");
  }

  @Test
  void aTokenFromAnotherIssuerIs401() throws Exception {
    trigger(writeToken().withIssuer("someone-else").signedWith(keys.get(0)))
        .andExpect(status().isUnauthorized());
    refusedAndLogged("iss");
  }

  @Test
  void aTokenSignedWithAnUnknownKeyIs401() throws Exception {
    trigger(writeToken().signedWith(WRONG_KEY)).andExpect(status().isUnauthorized());
    refusedAndLogged("");
  }

  @Test
  void aTokenWithoutTheWriteScopeIs403() throws Exception {
    trigger(writeToken().withScope(TriggerToken.READ).signedWith(keys.get(0)))
        .andExpect(status().isForbidden())
        .andExpect(jsonPath("$.status").value(403))
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("jobs:write")));
    refusedAndLogged("jobs:write");
  }

  @Test
  void aBodyChangedAfterSigningIs401() throws Exception {
    String token = writeToken().signedWith(keys.get(0));
    trigger("Bearer " + token, BODY.replace("welcome", "password_reset"))
        .andExpect(status().isUnauthorized());
    refusedAndLogged("body");
  }

  @Test
  void aTokenWithoutABodyClaimForARequestWithABodyIs401() throws Exception {
    trigger(TriggerToken.of(TriggerToken.WRITE, Duration.ofMinutes(5)).signedWith(keys.get(0)))
        .andExpect(status().isUnauthorized());
    refusedAndLogged("no body claim");
  }

  @Test
  void noAuthorizationHeaderIs401() throws Exception {
    trigger(null, BODY)
        .andExpect(status().isUnauthorized())
        .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Bearer"))
        .andExpect(jsonPath("$.title").value("Unauthorized"));
    refusedAndLogged("no bearer token");
  }

  @Test
  void garbageInTheHeaderIs401AndTheTokenIsNeverLogged() throws Exception {
    String garbage = "eyJhbGciOiJIUzI1NiJ9.not-a-real-payload-at-all.c2lnbmF0dXJlLWdhcmJhZ2U";
    trigger("Bearer " + garbage, BODY).andExpect(status().isUnauthorized());
    refusedAndLogged("");
    assertThat((String) securityLog().get(0).get("reason"))
        .doesNotContain("not-a-real-payload-at-all")
        .doesNotContain("c2lnbmF0dXJlLWdhcmJhZ2U");
  }

  @Test
  void readingAJobNeedsTheReadScope() throws Exception {
    String write =
        TriggerToken.of(TriggerToken.WRITE, Duration.ofMinutes(5)).signedWith(keys.get(0));
    String read = TriggerToken.of(TriggerToken.READ, Duration.ofMinutes(5)).signedWith(keys.get(0));

    mvc.perform(get("/api/jobs/probe").header(HttpHeaders.AUTHORIZATION, "Bearer " + write))
        .andExpect(status().isForbidden());
    mvc.perform(get("/api/jobs/probe").header(HttpHeaders.AUTHORIZATION, "Bearer " + read))
        .andExpect(status().isOk());
    mvc.perform(get("/api/jobs/probe")).andExpect(status().isUnauthorized());
  }
}
