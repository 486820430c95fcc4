package com.marketplace.jobs.api.problems;

import com.marketplace.jobs.api.limits.BodyTooLargeException;
import com.marketplace.jobs.common.PersonalData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Every error leaves the api as RFC 9457 {@code application/problem+json}, naming the fields at
 * fault where there are any, and never echoing submitted values (they may be personal data).
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  record FieldError(String field, String message) {}

  @ExceptionHandler(ApiProblem.class)
  ResponseEntity<ProblemDetail> apiProblem(ApiProblem problem) {
    ProblemDetail body = ProblemDetail.forStatusAndDetail(problem.status(), problem.getMessage());
    body.setTitle(problem.title());
    problem.properties().forEach(body::setProperty);
    return ResponseEntity.status(problem.status()).body(body);
  }

  @ExceptionHandler(BodyTooLargeException.class)
  ResponseEntity<ProblemDetail> bodyTooLarge(BodyTooLargeException e) {
    ProblemDetail body =
        ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
    body.setTitle("Request body too large");
    return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
        .header(HttpHeaders.CONNECTION, "close")
        .body(body);
  }

  /**
   * Form parameters (query or body) Tomcat could not decode, or whose names the security firewall
   * refuses when they are first read: the client's bytes, not our fault. Never echoed.
   */
  @ExceptionHandler({InvalidParameterException.class, RequestRejectedException.class})
  ResponseEntity<ProblemDetail> undecodableParameters(RuntimeException e) {
    ProblemDetail body =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.BAD_REQUEST,
            "The request's parameters could not be read (malformed percent-encoding or UTF-8, or"
                + " characters not allowed in a parameter name).");
    body.setTitle("Malformed request");
    return ResponseEntity.badRequest().body(body);
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ProblemDetail> parameterTypeMismatch(MethodArgumentTypeMismatchException e) {
    String expected =
        e.getRequiredType() == null ? "a different value" : describe(e.getRequiredType());
    return invalid(List.of(new FieldError(e.getName(), "must be " + expected)));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    log.error("unexpected error", e);
    ProblemDetail body =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.INTERNAL_SERVER_ERROR, "The request could not be processed.");
    body.setTitle("Internal error");
    return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(body);
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<FieldError> errors =
        e.getBindingResult().getFieldErrors().stream()
            .map(error -> new FieldError(error.getField(), error.getDefaultMessage()))
            .sorted((a, b) -> a.field().compareTo(b.field()))
            .toList();
    return ResponseEntity.badRequest().body(invalid(errors).getBody());
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof BodyTooLargeException tooLarge) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
            .body(bodyTooLarge(tooLarge).getBody());
      }
    }
    Throwable cause = e.getMostSpecificCause();
    // A value Jackson could not convert (an instant it could not parse, say) names its field on the
    // Jackson exception, which wraps the parser's own.
    for (Throwable t = e.getCause(); t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof MismatchedInputException) {
        cause = t;
        break;
      }
    }
    if (cause instanceof UnrecognizedPropertyException unknown) {
      return ResponseEntity.badRequest()
          .body(invalid(List.of(new FieldError(path(unknown), "is not a known field"))).getBody());
    }
    if (cause instanceof InvalidFormatException invalidFormat) {
      return ResponseEntity.badRequest()
          .body(
              invalid(
                      List.of(
                          new FieldError(
                              path(invalidFormat),
                              "must be " + describe(invalidFormat.getTargetType()))))
                  .getBody());
    }
    if (cause instanceof MismatchedInputException mismatched && !mismatched.getPath().isEmpty()) {
      return ResponseEntity.badRequest()
          .body(
              invalid(
                      List.of(
                          new FieldError(
                              path(mismatched), "must be " + describe(mismatched.getTargetType()))))
                  .getBody());
    }
    ProblemDetail body =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.BAD_REQUEST,
            cause instanceof JacksonException
                ? "The body is not valid JSON."
                : "The request body is missing or unreadable.");
    body.setTitle("Malformed request body");
    return ResponseEntity.badRequest().body(body);
  }

  private static ResponseEntity<ProblemDetail> invalid(List<FieldError> fieldErrors) {
    // Field names come from the client too (an unknown property, a map key): mask what looks like
    // an email address, the one kind of personal data that has a shape.
    List<FieldError> errors =
        fieldErrors.stream()
            .map(error -> new FieldError(PersonalData.maskEmails(error.field()), error.message()))
            .toList();
    String detail =
        errors.stream()
            .map(error -> error.field() + " " + error.message())
            .collect(Collectors.joining("; "));
    ProblemDetail body =
        ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "Invalid fields: " + detail);
    body.setTitle("Invalid request");
    body.setProperty("errors", new ArrayList<>(errors));
    return ResponseEntity.badRequest().body(body);
  }

  private static String path(JacksonException e) {
    return e.getPath().stream()
        .map(
            reference ->
                reference.getPropertyName() != null
                    ? reference.getPropertyName()
                    : "[" + reference.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }

  private static final Map<Class<?>, String> TYPE_NAMES =
      Map.of(
          Long.class, "an integer",
          long.class, "an integer",
          Integer.class, "an integer",
          int.class, "an integer",
          String.class, "a string",
          Boolean.class, "true or false",
          boolean.class, "true or false",
          java.time.Instant.class, "an ISO-8601 instant (e.g. 2026-12-01T09:00:00Z)");

  private static String describe(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "an object";
    }
    if (type.isEnum()) {
      return "one of "
          + java.util.Arrays.stream(type.getEnumConstants())
              .map(Object::toString)
              .collect(Collectors.joining(", "));
    }
    return TYPE_NAMES.getOrDefault(type, "a " + type.getSimpleName());
  }
}
