package com.marketplace.jobs.calendar;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Google Calendar ({@code jobs.calendar.*}; docs/configuration.md#calendar). Exactly one of the two
 * credentials must be set, or the worker refuses to start naming both properties.
 *
 * @param rootUrl Google's API root ({@code https://www.googleapis.com/}); the local fake in
 *     development and tests ({@code GOOGLE_CALENDAR_ROOT_URL})
 * @param credentialsFile a service-account key file (JSON) with read access to the calendars (they
 *     are shared with the service account); production
 * @param accessToken a static OAuth access token sent as {@code Authorization: Bearer}: the local
 *     fake's, in development and tests; never logged
 * @param pageSize events per page ({@code maxResults}, Google's maximum is 2,500)
 * @param connectTimeout connect timeout of one call
 * @param readTimeout read timeout of one call
 * @param rateLimitInitialBackoff the first wait after a rate-limit answer (403 {@code
 *     rateLimitExceeded}/{@code userRateLimitExceeded}, 429); doubled (randomised by half) on each
 *     further one
 * @param rateLimitMaxElapsed the client gives up on a call still rate-limited after this long; the
 *     activity then fails and Temporal retries it
 */
@Validated
@ConfigurationProperties("jobs.calendar")
public record CalendarProperties(
    @DefaultValue("https://www.googleapis.com/") @NotNull URI rootUrl,
    String credentialsFile,
    String accessToken,
    @DefaultValue("250") @Min(1) @Max(2500) int pageSize,
    @DefaultValue("5s") @NotNull Duration connectTimeout,
    @DefaultValue("20s") @NotNull Duration readTimeout,
    @DefaultValue("1s") @NotNull Duration rateLimitInitialBackoff,
    @DefaultValue("60s") @NotNull Duration rateLimitMaxElapsed) {

  public CalendarProperties {
    boolean token = accessToken != null && !accessToken.isBlank();
    if (credentialsFile != null && credentialsFile.isBlank()) {
      credentialsFile = null;
    }
    if (token == (credentialsFile != null)) {
      throw new IllegalArgumentException(
          "set exactly one of jobs.calendar.credentials-file (GOOGLE_CALENDAR_CREDENTIALS_FILE, a"
              + " service-account key file) and jobs.calendar.access-token"
              + " (GOOGLE_CALENDAR_ACCESS_TOKEN, a static token for the local fake)");
    }
    if (credentialsFile != null && !Files.isReadable(Path.of(credentialsFile))) {
      throw new IllegalArgumentException(
          "jobs.calendar.credentials-file: " + credentialsFile + " is not a readable file");
    }
    if (!rootUrl.toString().endsWith("/")) {
      rootUrl = URI.create(rootUrl + "/");
    }
  }

  @Override
  public String toString() {
    // The token must never reach a log line.
    return "CalendarProperties[rootUrl=%s, credentialsFile=%s, pageSize=%d]"
        .formatted(rootUrl, credentialsFile, pageSize);
  }
}
