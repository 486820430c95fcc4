package com.marketplace.jobs.http;

import java.time.Duration;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.TlsConfig;
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
 *
 * <p>Each client has its own pool of {@code jobs.http.max-connections} ({@link
 * OutboundHttpProperties}), at least as many as the activities the worker runs at once, so a call
 * never waits for a connection while another activity holds it.
 */
public final class OutboundHttp {

  private OutboundHttp() {}

  /**
   * How long one call may wait for each of its phases. A call ends within {@link #worstCase()}, as
   * long as the answer arrives in one read or in reads less than {@code read} apart (the read
   * deadline is per read, not for the whole answer; the APIs we call answer in a few hundred
   * bytes).
   *
   * @param connectionRequest waiting for a connection from the pool
   * @param connect the TCP connect, and again the TLS handshake, of a new connection
   * @param read waiting for the answer (each read of it)
   */
  public record Deadlines(Duration connectionRequest, Duration connect, Duration read) {

    /** The same deadline for every phase (the marketplace's single {@code timeout}). */
    public static Deadlines uniform(Duration timeout) {
      return new Deadlines(timeout, timeout, timeout);
    }

    /** The longest one call can take: pool, TCP connect, TLS handshake, answer. */
    public Duration worstCase() {
      return connectionRequest.plus(connect).plus(connect).plus(read);
    }
  }

  /**
   * A pooled client of {@code maxConnections} connections whose new connections connect and
   * complete their TLS handshake within {@code connect} each.
   */
  public static CloseableHttpClient client(Duration connect, int maxConnections) {
    return HttpClients.custom()
        .setConnectionManager(
            PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(maxConnections)
                .setMaxConnPerRoute(maxConnections)
                .setDefaultConnectionConfig(
                    ConnectionConfig.custom().setConnectTimeout(Timeout.of(connect)).build())
                // Without its own deadline the handshake would wait as long as a read.
                .setDefaultTlsConfig(
                    TlsConfig.custom().setHandshakeTimeout(Timeout.of(connect)).build())
                .build())
        .disableAutomaticRetries()
        .disableRedirectHandling()
        .disableCookieManagement()
        .build();
  }

  /**
   * Requests through {@code client} (made by {@link #client} with {@code deadlines.connect()}) that
   * wait at most {@code deadlines.connectionRequest()} for a connection and {@code
   * deadlines.read()} for the answer. Several factories may share one client and its pool.
   */
  public static ClientHttpRequestFactory requestFactory(
      CloseableHttpClient client, Deadlines deadlines) {
    HttpComponentsClientHttpRequestFactory factory =
        new HttpComponentsClientHttpRequestFactory(client);
    factory.setConnectionRequestTimeout(deadlines.connectionRequest());
    factory.setReadTimeout(deadlines.read());
    return factory;
  }

  /** A pooled request factory of its own client, within {@code deadlines}. */
  public static ClientHttpRequestFactory requestFactory(Deadlines deadlines, int maxConnections) {
    return requestFactory(client(deadlines.connect(), maxConnections), deadlines);
  }
}
