package com.marketplace.jobs.http;

import java.time.Duration;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;

/**
 * The HTTP client behind the third-party APIs the activities call (Mailgun, the marketplace):
 * Apache HttpClient 5, classic and pooled. It answers on the calling thread, which costs the worker
 * a fraction of the CPU of the JDK's client (that one hands each exchange across its own threads):
 * the Mailgun call is on every notification's path.
 *
 * <p>The client never retries by itself: a retry is the workflow's decision, counted in the ledger,
 * and a POST resent on a 503 could send an email twice.
 */
public final class OutboundHttp {

  /** Connections kept per service: more than the worker's concurrent activities ever use. */
  private static final int MAX_CONNECTIONS = 64;

  private OutboundHttp() {}

  /** A pooled request factory whose connect and read timeouts are {@code timeout} each. */
  public static ClientHttpRequestFactory requestFactory(Duration timeout) {
    Timeout limit = Timeout.of(timeout);
    CloseableHttpClient client =
        HttpClients.custom()
            .setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnTotal(MAX_CONNECTIONS)
                    .setMaxConnPerRoute(MAX_CONNECTIONS)
                    .setDefaultConnectionConfig(
                        ConnectionConfig.custom()
                            .setConnectTimeout(limit)
                            .setSocketTimeout(limit)
                            .build())
                    .build())
            .disableAutomaticRetries()
            .disableRedirectHandling()
            .disableCookieManagement()
            .build();
    HttpComponentsClientHttpRequestFactory factory =
        new HttpComponentsClientHttpRequestFactory(client);
    factory.setConnectionRequestTimeout(timeout);
    return factory;
  }
}
