package com.marketplace.jobs.api.limits;

import com.marketplace.jobs.api.problems.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses oversized bodies and overlong Idempotency-Keys on every path before anything reads the
 * body: a declared Content-Length over the limit is answered 413 at once; a body without one
 * (chunked) is read through a stream that fails with {@link BodyTooLargeException} at the first
 * byte past the limit, which the problem handler answers 413.
 */
@Component
@EnableConfigurationProperties(RequestLimitProperties.class)
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class RequestLimitFilter extends OncePerRequestFilter {

  /** The longest Idempotency-Key accepted on any endpoint. */
  public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

  private final long maxBodyBytes;

  RequestLimitFilter(RequestLimitProperties properties) {
    this.maxBodyBytes = properties.maxBodySize().toBytes();
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String key = request.getHeader("Idempotency-Key");
    if (key != null && (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH)) {
      problem(
          response,
          HttpServletResponse.SC_BAD_REQUEST,
          "Invalid request",
          "The Idempotency-Key header must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters.");
      return;
    }
    if (request.getContentLengthLong() > maxBodyBytes) {
      // Do not read the body; let the container close the connection instead of swallowing it.
      response.setHeader("Connection", "close");
      problem(
          response,
          HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
          "Request body too large",
          "The request body is larger than " + maxBodyBytes + " bytes.");
      return;
    }
    chain.doFilter(new LimitedBodyRequest(request, maxBodyBytes), response);
  }

  private static void problem(HttpServletResponse response, int status, String title, String detail)
      throws IOException {
    ProblemResponses.write(response, status, title, detail);
  }

  private static final class LimitedBodyRequest extends HttpServletRequestWrapper {

    private final long limit;
    private ServletInputStream limited;

    LimitedBodyRequest(HttpServletRequest request, long limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (limited == null) {
        limited = new LimitedInputStream(super.getInputStream(), limit);
      }
      return limited;
    }
  }

  /** Counts what is read and fails at the first byte past the limit. */
  static final class LimitedInputStream extends ServletInputStream {

    private final ServletInputStream body;
    private final long limit;
    private long read;

    LimitedInputStream(ServletInputStream body, long limit) {
      this.body = body;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = body.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = body.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) {
      read += n;
      if (read > limit) {
        throw new BodyTooLargeException(limit);
      }
    }

    @Override
    public boolean isFinished() {
      return body.isFinished();
    }

    @Override
    public boolean isReady() {
      return body.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      body.setReadListener(listener);
    }
  }
}
