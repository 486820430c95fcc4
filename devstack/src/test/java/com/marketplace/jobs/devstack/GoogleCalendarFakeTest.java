package com.marketplace.jobs.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Google Calendar fake over plain HTTP, as Google documents events.list: paging, sync tokens,
 * deleted events, an expired token, auth, unknown calendars, planned rate-limit answers.
 */
class GoogleCalendarFakeTest {

  private static final String TOKEN = "fake-test-token";
  private static final String CALENDAR = "team@group.calendar.google.com";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T = Instant.parse("2027-01-01T10:00:00Z");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private GoogleCalendarFake google;

  @BeforeEach
  void start() {
    google = new GoogleCalendarFake(TOKEN).start(0);
  }

  @AfterEach
  void stop() {
    google.close();
  }

  private record Answer(int status, JsonNode body) {}

  private Answer list(String calendar, String query, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
            URI.create(
                google.rootUrl()
                    + "calendar/v3/calendars/"
                    + URLEncoder.encode(calendar, StandardCharsets.UTF_8)
                    + "/events"
                    + (query.isEmpty() ? "" : "?" + query)));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), JSON.readTree(response.body()));
  }

  private static List<String> ids(JsonNode body) {
    List<String> ids = new ArrayList<>();
    body.path("items").forEach(item -> ids.add(item.path("id").asText()));
    return ids;
  }

  @Test
  void pagesThroughEveryEventAndOnlyTheLastPageCarriesTheSyncToken() throws Exception {
    for (int i = 0; i < 5; i++) {
      google.putEvent(
          CALENDAR, "e" + i, T.plusSeconds(3600L * i), T.plusSeconds(3600L * i + 60), "7");
    }

    Answer first = list(CALENDAR, "maxResults=2", TOKEN);
    Answer second =
        list(
            CALENDAR,
            "maxResults=2&pageToken=" + first.body().path("nextPageToken").asText(),
            TOKEN);
    Answer third =
        list(
            CALENDAR,
            "maxResults=2&pageToken=" + second.body().path("nextPageToken").asText(),
            TOKEN);

    assertThat(ids(first.body())).containsExactly("e0", "e1");
    assertThat(first.body().has("nextSyncToken")).isFalse();
    assertThat(ids(second.body())).containsExactly("e2", "e3");
    assertThat(ids(third.body())).containsExactly("e4");
    assertThat(third.body().has("nextPageToken")).isFalse();
    assertThat(third.body().path("nextSyncToken").asText()).isNotBlank();
    JsonNode event = first.body().path("items").get(0);
    assertThat(event.path("status").asText()).isEqualTo("confirmed");
    assertThat(event.path("start").path("dateTime").asText()).isEqualTo("2027-01-01T10:00:00Z");
    assertThat(event.path("extendedProperties").path("private").path("vehicleId").asText())
        .isEqualTo("7");
    assertThat(google.callCount()).isEqualTo(3);
  }

  @Test
  void aSyncTokenReturnsOnlyTheChangesSinceWithDeletedEventsCancelledUntilItExpires()
      throws Exception {
    google.putEvent(CALENDAR, "keep", T, T.plusSeconds(60), null);
    google.putEvent(CALENDAR, "move", T, T.plusSeconds(60), null);
    google.putEvent(CALENDAR, "gone", T, T.plusSeconds(60), null);
    String token = list(CALENDAR, "", TOKEN).body().path("nextSyncToken").asText();

    google.moveEvent(CALENDAR, "move", T.plusSeconds(7200), T.plusSeconds(7260));
    google.deleteEvent(CALENDAR, "gone");
    Answer changes = list(CALENDAR, "syncToken=" + token, TOKEN);

    assertThat(ids(changes.body())).containsExactly("move", "gone");
    assertThat(changes.body().path("items").get(1).path("status").asText()).isEqualTo("cancelled");
    assertThat(changes.body().path("items").get(0).path("start").path("dateTime").asText())
        .isEqualTo("2027-01-01T12:00:00Z");
    // Without showDeleted a full listing leaves the deleted event out; with it, it is cancelled.
    assertThat(ids(list(CALENDAR, "", TOKEN).body())).containsExactly("keep", "move");
    assertThat(ids(list(CALENDAR, "showDeleted=true", TOKEN).body()))
        .containsExactly("keep", "move", "gone");

    google.expireSyncTokens();
    Answer gone =
        list(CALENDAR, "syncToken=" + changes.body().path("nextSyncToken").asText(), TOKEN);
    assertThat(gone.status()).isEqualTo(410);
    assertThat(gone.body().path("error").path("errors").get(0).path("reason").asText())
        .isEqualTo("fullSyncRequired");
  }

  @Test
  void refusesAWrongTokenAnUnknownCalendarAndAnswersPlannedRateLimits() throws Exception {
    google.addCalendar(CALENDAR);

    assertThat(list(CALENDAR, "", "wrong").status()).isEqualTo(401);
    assertThat(list(CALENDAR, "", null).status()).isEqualTo(401);
    assertThat(list("nobody@group.calendar.google.com", "", TOKEN).status()).isEqualTo(404);

    google.rateLimitNext(1);
    google.failNext(1, 429);
    Answer limited = list(CALENDAR, "", TOKEN);
    assertThat(limited.status()).isEqualTo(403);
    assertThat(limited.body().path("error").path("errors").get(0).path("reason").asText())
        .isEqualTo("rateLimitExceeded");
    assertThat(list(CALENDAR, "", TOKEN).status()).isEqualTo(429);
    assertThat(list(CALENDAR, "", TOKEN).status()).isEqualTo(200);
    assertThat(google.calls())
        .extracting(GoogleCalendarFake.Call::status)
        .containsExactly(401, 401, 404, 403, 429, 200);
  }
}
