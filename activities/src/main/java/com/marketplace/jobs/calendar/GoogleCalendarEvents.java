package com.marketplace.jobs.calendar;

import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonErrorContainer;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.HttpUnsuccessfulResponseHandler;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.JsonFactory;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.util.BackOff;
import com.google.api.client.util.ExponentialBackOff;
import com.google.api.client.util.Sleeper;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.CalendarScopes;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventDateTime;
import com.google.api.services.calendar.model.Events;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Google Calendar's {@code events.list} through Google's own Java client, at the configured root
 * URL. Rate-limit answers (429, and 403 with reason {@code rateLimitExceeded} or {@code
 * userRateLimitExceeded}) are retried by the client with exponential backoff ({@link
 * CalendarProperties#rateLimitInitialBackoff()}, up to {@link
 * CalendarProperties#rateLimitMaxElapsed()}); past that the call fails as a temporary failure and
 * the activity's Temporal retry takes over.
 */
@Component
public class GoogleCalendarEvents implements CalendarEventSource {

  static final Set<String> RATE_LIMIT_REASONS =
      Set.of("rateLimitExceeded", "userRateLimitExceeded");

  private static final JsonFactory JSON = GsonFactory.getDefaultInstance();

  private final Calendar calendar;
  private final CalendarProperties properties;
  private final Sleeper sleeper;

  public GoogleCalendarEvents(CalendarProperties properties) {
    this.properties = properties;
    this.sleeper = Sleeper.DEFAULT;
    HttpTransport transport = new NetHttpTransport();
    this.calendar =
        new Calendar.Builder(transport, JSON, initializer(properties))
            .setRootUrl(properties.rootUrl().toString())
            .setApplicationName("background-jobs")
            .build();
  }

  @Override
  public CalendarEventPage list(String calendarId, String syncToken, String pageToken)
      throws IOException {
    Calendar.Events.List request =
        calendar
            .events()
            .list(calendarId)
            .setMaxResults(properties.pageSize())
            .setSingleEvents(true)
            .setShowDeleted(true)
            .setPageToken(pageToken);
    if (syncToken != null) {
      request.setSyncToken(syncToken);
    }
    Events events;
    try {
      events = request.execute();
    } catch (GoogleJsonResponseException e) {
      throw translate(e.getStatusCode(), reason(e.getDetails()), e);
    } catch (HttpResponseException e) {
      throw translate(e.getStatusCode(), null, e);
    }
    ZoneId zone = zone(events.getTimeZone());
    List<CalendarEvent> page = new ArrayList<>();
    if (events.getItems() != null) {
      for (Event event : events.getItems()) {
        page.add(event(event, zone));
      }
    }
    return new CalendarEventPage(page, events.getNextPageToken(), events.getNextSyncToken());
  }

  private static IOException translate(int status, String reason, IOException e) {
    if (status == 410) {
      return new SyncTokenExpiredException();
    }
    if (status >= 400 && status < 500 && status != 429 && status != 408) {
      return new CalendarRefusedException(status, reason);
    }
    return new IOException("Google Calendar answered " + status, e);
  }

  private static CalendarEvent event(Event event, ZoneId calendarZone) {
    boolean cancelled = "cancelled".equals(event.getStatus());
    boolean free = "transparent".equals(event.getTransparency());
    String vehicleId = null;
    if (event.getExtendedProperties() != null
        && event.getExtendedProperties().getPrivate() != null) {
      vehicleId = event.getExtendedProperties().getPrivate().get("vehicleId");
    }
    Instant updated =
        event.getUpdated() == null ? null : Instant.ofEpochMilli(event.getUpdated().getValue());
    if (cancelled) {
      return new CalendarEvent(event.getId(), false, null, null, vehicleId, updated);
    }
    Instant start = instant(event.getStart(), calendarZone);
    Instant end = instant(event.getEnd(), calendarZone);
    boolean usable = start != null && end != null && end.isAfter(start);
    return new CalendarEvent(event.getId(), !free && usable, start, end, vehicleId, updated);
  }

  /** A timed event's instant, or an all-day event's midnight in its (or the calendar's) zone. */
  private static Instant instant(EventDateTime time, ZoneId calendarZone) {
    if (time == null) {
      return null;
    }
    if (time.getDateTime() != null) {
      return Instant.ofEpochMilli(time.getDateTime().getValue());
    }
    if (time.getDate() != null) {
      ZoneId zone = time.getTimeZone() != null ? zone(time.getTimeZone()) : calendarZone;
      return LocalDate.parse(time.getDate().toStringRfc3339().substring(0, 10))
          .atStartOfDay(zone)
          .toInstant();
    }
    return null;
  }

  private static ZoneId zone(String id) {
    try {
      return id == null ? ZoneOffset.UTC : ZoneId.of(id);
    } catch (RuntimeException e) {
      return ZoneOffset.UTC;
    }
  }

  private static String reason(GoogleJsonError error) {
    if (error == null || error.getErrors() == null || error.getErrors().isEmpty()) {
      return null;
    }
    return error.getErrors().get(0).getReason();
  }

  private HttpRequestInitializer initializer(CalendarProperties properties) {
    HttpRequestInitializer credentials = credentials(properties);
    return request -> {
      credentials.initialize(request);
      request.setConnectTimeout((int) properties.connectTimeout().toMillis());
      request.setReadTimeout((int) properties.readTimeout().toMillis());
      request.setUnsuccessfulResponseHandler(
          new RateLimitBackOff(request.getUnsuccessfulResponseHandler(), backOff(), sleeper));
    };
  }

  private BackOff backOff() {
    return new ExponentialBackOff.Builder()
        .setInitialIntervalMillis((int) properties.rateLimitInitialBackoff().toMillis())
        .setMultiplier(2)
        .setRandomizationFactor(0.5)
        .setMaxIntervalMillis((int) Math.max(1, properties.rateLimitMaxElapsed().toMillis() / 2))
        .setMaxElapsedTimeMillis((int) properties.rateLimitMaxElapsed().toMillis())
        .build();
  }

  /**
   * A service account's key file (tokens fetched and refreshed by google-auth-library), or a static
   * token set as the {@code Authorization} header (the local fake).
   */
  private static HttpRequestInitializer credentials(CalendarProperties properties) {
    if (properties.credentialsFile() != null) {
      try (InputStream key = Files.newInputStream(Path.of(properties.credentialsFile()))) {
        GoogleCredentials credentials =
            GoogleCredentials.fromStream(key).createScoped(CalendarScopes.CALENDAR_READONLY);
        return new HttpCredentialsAdapter(credentials);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "jobs.calendar.credentials-file: "
                + properties.credentialsFile()
                + " is not a service-account key file",
            e);
      }
    }
    String header = "Bearer " + properties.accessToken().strip();
    return request -> request.getHeaders().setAuthorization(header);
  }

  /**
   * Retries Google's rate-limit answers after a backoff; hands everything else to the handler the
   * credentials installed (a 401 refresh). A 403 is read to tell a rate limit from a refusal, so a
   * refusal is thrown here with its reason (its body is gone for the client's own exception).
   */
  static final class RateLimitBackOff implements HttpUnsuccessfulResponseHandler {

    private final HttpUnsuccessfulResponseHandler next;
    private final BackOff backOff;
    private final Sleeper sleeper;

    RateLimitBackOff(HttpUnsuccessfulResponseHandler next, BackOff backOff, Sleeper sleeper) {
      this.next = next;
      this.backOff = backOff;
      this.sleeper = sleeper;
    }

    @Override
    public boolean handleResponse(HttpRequest request, HttpResponse response, boolean supportsRetry)
        throws IOException {
      int status = response.getStatusCode();
      if (status == 429) {
        return waitAndRetry(supportsRetry, status);
      }
      if (status == 403) {
        String reason = reason(response);
        if (reason != null && RATE_LIMIT_REASONS.contains(reason)) {
          return waitAndRetry(supportsRetry, status);
        }
        throw new CalendarRefusedException(403, reason);
      }
      return next != null && next.handleResponse(request, response, supportsRetry);
    }

    private boolean waitAndRetry(boolean supportsRetry, int status) throws IOException {
      long wait = supportsRetry ? backOff.nextBackOffMillis() : BackOff.STOP;
      if (wait == BackOff.STOP) {
        throw new IOException("Google Calendar still rate-limited (" + status + ") after backoff");
      }
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while backing off", e);
      }
      return true;
    }

    private static String reason(HttpResponse response) {
      try {
        GoogleJsonErrorContainer body =
            JSON.fromString(response.parseAsString(), GoogleJsonErrorContainer.class);
        return GoogleCalendarEvents.reason(body.getError());
      } catch (IOException | IllegalArgumentException e) {
        return null;
      }
    }
  }
}
