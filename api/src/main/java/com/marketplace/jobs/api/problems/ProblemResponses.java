package com.marketplace.jobs.api.problems;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a problem (RFC 9457) straight to a servlet response, for the filters that answer before
 * Spring MVC (request limits, authentication), so their answers look like every other error.
 */
public final class ProblemResponses {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ProblemResponses() {}

  public static void write(HttpServletResponse response, int status, String title, String detail)
      throws IOException {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", title);
    problem.put("status", status);
    problem.put("detail", detail);
    response.setStatus(status);
    // As the problem handler answers: JSON is UTF-8 by definition, so no charset parameter.
    response.setContentType("application/problem+json");
    response.getOutputStream().write(JSON.writeValueAsBytes(problem));
  }
}
