package com.marketplace.jobs.api.problems;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The {@code /error} page as problem JSON: what the container forwards to when something answered
 * with an error status and no body before Spring MVC handled the request (a filter's {@code
 * sendError}, a request the firewall rejected). Replaces Spring Boot's default JSON error map, so
 * every error of the api has one shape. Says the status, never the request's content.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

  @RequestMapping("/error")
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    HttpStatus status =
        code instanceof Integer value && HttpStatus.resolve(value) != null
            ? HttpStatus.valueOf(value)
            // Called directly, not forwarded with an error: there is nothing here.
            : code == null ? HttpStatus.NOT_FOUND : HttpStatus.INTERNAL_SERVER_ERROR;
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            status,
            status.is4xxClientError()
                ? "The request was refused: " + status.getReasonPhrase() + "."
                : "The request could not be processed.");
    problem.setTitle(status.getReasonPhrase());
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }
}
