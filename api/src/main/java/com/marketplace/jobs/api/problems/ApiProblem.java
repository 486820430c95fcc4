package com.marketplace.jobs.api.problems;

import com.marketplace.jobs.common.PersonalData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A refusal the client can act on, answered as RFC 9457 problem JSON by {@link ProblemHandler}.
 * Throw it before anything is written: a refused request changes nothing.
 */
public class ApiProblem extends RuntimeException {

  private final HttpStatus status;
  private final String title;
  private final Map<String, Object> properties;

  public ApiProblem(HttpStatus status, String title, String detail) {
    this(status, title, detail, Map.of());
  }

  public ApiProblem(
      HttpStatus status, String title, String detail, Map<String, Object> properties) {
    super(detail);
    this.status = status;
    this.title = title;
    this.properties = properties;
  }

  public static ApiProblem notFound(String detail) {
    return new ApiProblem(HttpStatus.NOT_FOUND, "Not found", detail);
  }

  public static ApiProblem badRequest(String detail) {
    return new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid request", detail);
  }

  /**
   * A 400 naming one field, in the same shape as a failed bean validation: {@code errors: [{field,
   * message}]}.
   */
  public static ApiProblem invalidField(String name, String message) {
    // A field name can come from the client (a params key): never echo an address in it.
    String field = PersonalData.maskEmails(name);
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("field", field);
    error.put("message", message);
    return new ApiProblem(
        HttpStatus.BAD_REQUEST,
        "Invalid request",
        "Invalid fields: " + field + " " + message,
        Map.of("errors", List.of(error)));
  }

  public HttpStatus status() {
    return status;
  }

  public String title() {
    return title;
  }

  public Map<String, Object> properties() {
    return properties;
  }
}
