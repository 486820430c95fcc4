package com.marketplace.jobs.api.security;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code security_log} table: when, from where, on which path and why a call was refused. Never
 * the token, a header value or the body.
 */
@Repository
public class SecurityLog {

  private static final Logger log = LoggerFactory.getLogger(SecurityLog.class);

  /** Channels: the api's triggers and reads, the codec endpoint; webhooks use their provider. */
  public static final String API = "api";

  public static final String CODEC = "codec";

  private final JdbcClient jdbc;

  SecurityLog(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public void refused(String channel, HttpServletRequest request, String reason) {
    String source = request.getRemoteAddr() == null ? "unknown" : request.getRemoteAddr();
    String path = abbreviate(request.getRequestURI());
    log.warn("{} call from {} to {} refused: {}", channel, source, path, reason);
    jdbc.sql(
            """
            INSERT INTO security_log (channel, source_address, path, reason)
            VALUES (:channel, :source, :path, :reason)
            """)
        .param("channel", channel)
        .param("source", source)
        .param("path", path)
        .param("reason", reason)
        .update();
  }

  /** A path is the caller's input: kept, but not without bound. */
  private static String abbreviate(String path) {
    return path == null || path.length() <= 300 ? path : path.substring(0, 300) + "…";
  }
}
