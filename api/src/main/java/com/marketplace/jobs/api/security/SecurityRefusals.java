package com.marketplace.jobs.api.security;

import com.marketplace.jobs.api.problems.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * How a refused call is answered: 401 (no, a bad or an unsuitable token) or 403 (a good token
 * without the scope), as problem JSON saying what was wrong, with a row in the security log. The
 * token itself is never written anywhere.
 */
final class SecurityRefusals implements AuthenticationEntryPoint, AccessDeniedHandler {

  private static final int MAX_REASON_LENGTH = 200;

  private final SecurityLog securityLog;

  SecurityRefusals(SecurityLog securityLog) {
    this.securityLog = securityLog;
  }

  /** The scope a request needs: reading is {@code jobs:read}, anything else {@code jobs:write}. */
  static String requiredScope(HttpServletRequest request) {
    boolean read =
        HttpMethod.GET.matches(request.getMethod())
            || HttpMethod.HEAD.matches(request.getMethod())
            || request.getRequestURI().startsWith("/codec/")
            || request.getRequestURI().startsWith("/actuator/");
    return read ? "jobs:read" : "jobs:write";
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException refusal)
      throws IOException {
    String reason = reasonOf(request, refusal);
    securityLog.refused(channelOf(request), request, reason);
    response.setHeader(
        HttpHeaders.WWW_AUTHENTICATE,
        bearerToken(request) == null ? "Bearer" : "Bearer error=\"invalid_token\"");
    ProblemResponses.write(
        response,
        HttpServletResponse.SC_UNAUTHORIZED,
        "Unauthorized",
        "A valid bearer token is required: " + reason + ".");
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
      throws IOException {
    String scope = requiredScope(request);
    String reason = "the token lacks the scope " + scope;
    securityLog.refused(channelOf(request), request, reason);
    response.setHeader(
        HttpHeaders.WWW_AUTHENTICATE,
        "Bearer error=\"insufficient_scope\", scope=\"" + scope + "\"");
    ProblemResponses.write(
        response,
        HttpServletResponse.SC_FORBIDDEN,
        "Forbidden",
        "This request needs a token with the scope " + scope + ".");
  }

  private static String channelOf(HttpServletRequest request) {
    return request.getRequestURI().startsWith("/codec/") ? SecurityLog.CODEC : SecurityLog.API;
  }

  private static String reasonOf(HttpServletRequest request, AuthenticationException refusal) {
    String token = bearerToken(request);
    if (!(refusal instanceof OAuth2AuthenticationException oauth)) {
      return token == null ? "no bearer token" : "the token was not accepted";
    }
    String description = oauth.getError().getDescription();
    if (description == null || description.isBlank()) {
      description = oauth.getError().getErrorCode();
    }
    description = description.replace("An error occurred while attempting to decode the Jwt: ", "");
    // Parsers may quote what they could not read: never let a piece of the token through.
    if (token != null) {
      for (String part : token.split("\\.")) {
        if (part.length() >= 8) {
          description = description.replace(part, "…");
        }
      }
    }
    return description.length() <= MAX_REASON_LENGTH
        ? description
        : description.substring(0, MAX_REASON_LENGTH) + "…";
  }

  private static String bearerToken(HttpServletRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return header.substring(7).trim();
  }
}
