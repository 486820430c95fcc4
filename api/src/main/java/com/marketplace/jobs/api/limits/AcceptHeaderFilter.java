package com.marketplace.jobs.api.limits;

import com.marketplace.jobs.api.problems.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The api answers JSON only. A caller whose {@code Accept} header admits no JSON is refused with
 * 406 before anything runs: otherwise Spring would find out only when writing the answer, after the
 * job had been accepted, and the caller would be told 406 about a job that exists.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class AcceptHeaderFilter extends OncePerRequestFilter {

  private static final List<MediaType> ANSWERS =
      List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON);

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI();
    return !(path.startsWith("/api/") || path.startsWith("/codec/"));
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String accept = request.getHeader("Accept");
    if (accept != null && !accept.isBlank()) {
      List<MediaType> accepted;
      try {
        accepted = MediaType.parseMediaTypes(accept);
      } catch (InvalidMediaTypeException e) {
        ProblemResponses.write(
            response,
            HttpServletResponse.SC_BAD_REQUEST,
            "Invalid request",
            "The Accept header is malformed.");
        return;
      }
      boolean json =
          accepted.stream().anyMatch(type -> ANSWERS.stream().anyMatch(type::isCompatibleWith));
      if (!json) {
        ProblemResponses.write(
            response,
            HttpServletResponse.SC_NOT_ACCEPTABLE,
            "Not Acceptable",
            "This api answers application/json (errors application/problem+json) only.");
        return;
      }
    }
    chain.doFilter(request, response);
  }
}
