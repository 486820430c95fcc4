package com.marketplace.jobs.api.security;

import com.marketplace.jobs.api.limits.BodyTooLargeException;
import com.marketplace.jobs.api.problems.ProblemResponses;
import com.marketplace.jobs.security.tokens.TriggerToken;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The one check Spring Security does not do: a token for {@code /api/**} is good for the exact body
 * it was made for. The body is read once (within the request limit), its SHA-256 compared with the
 * token's {@code body} claim, and handed on unchanged to the controller. A request with a body and
 * a token without the claim, or with another body's hash, is refused like a bad token.
 */
final class BodyHashFilter extends OncePerRequestFilter {

  static final String CLAIM = "body";

  private final AuthenticationEntryPoint refusals;

  BodyHashFilter(AuthenticationEntryPoint refusals) {
    this.refusals = refusals;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/api/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (!(authentication instanceof JwtAuthenticationToken token)) {
      chain.doFilter(request, response);
      return;
    }
    byte[] body;
    try {
      body = request.getInputStream().readAllBytes();
    } catch (BodyTooLargeException e) {
      response.setHeader("Connection", "close");
      ProblemResponses.write(
          response,
          HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
          "Request body too large",
          e.getMessage());
      return;
    }
    String claim = token.getToken().getClaimAsString(CLAIM);
    String refusal = null;
    if (claim == null && body.length > 0) {
      refusal = "the token has no body claim (base64url SHA-256 of the request body)";
    } else if (claim != null && !sameHash(claim, TriggerToken.hashOf(body))) {
      refusal = "the request body is not the one the token was made for (body claim differs)";
    }
    if (refusal != null) {
      SecurityContextHolder.clearContext();
      refusals.commence(request, response, new InvalidBearerTokenException(refusal));
      return;
    }
    chain.doFilter(new ReadBody(request, body), response);
  }

  private static boolean sameHash(String claim, String actual) {
    return MessageDigest.isEqual(
        claim.getBytes(StandardCharsets.US_ASCII), actual.getBytes(StandardCharsets.US_ASCII));
  }

  /** The request with its body already read: served again from memory. */
  private static final class ReadBody extends HttpServletRequestWrapper {

    private final byte[] body;

    ReadBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream bytes = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return bytes.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
          return bytes.read(buffer, offset, length);
        }

        @Override
        public boolean isFinished() {
          return bytes.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        /** The whole body is in memory: it is available, and all read, at once. */
        @Override
        public void setReadListener(ReadListener listener) {
          try {
            if (bytes.available() > 0) {
              listener.onDataAvailable();
            }
            listener.onAllDataRead();
          } catch (java.io.IOException e) {
            listener.onError(e);
          }
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      String encoding = getCharacterEncoding();
      return new BufferedReader(
          new InputStreamReader(
              getInputStream(),
              encoding == null
                  ? StandardCharsets.UTF_8
                  : java.nio.charset.Charset.forName(encoding)));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
