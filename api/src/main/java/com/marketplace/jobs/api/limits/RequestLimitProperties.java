package com.marketplace.jobs.api.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on every request ({@code jobs.requests.*}).
 *
 * @param maxBodySize the largest request body accepted, webhooks included; larger ones get 413
 */
@ConfigurationProperties("jobs.requests")
public record RequestLimitProperties(@DefaultValue("1MB") DataSize maxBodySize) {

  public RequestLimitProperties {
    if (maxBodySize.toBytes() < 1024) {
      throw new IllegalArgumentException(
          "jobs.requests.max-body-size must be at least 1KB (it is " + maxBodySize + ")");
    }
  }
}
