package com.marketplace.jobs.api.webhooks;

import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.api.security.SecurityLog;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * A refused webhook call: a row in the security log ({@code security_log}, channel = provider) and
 * one 400 that does not say which check failed. The payload and the header values are never kept.
 */
@Component
public class WebhookSecurityLog {

  private final SecurityLog securityLog;

  WebhookSecurityLog(SecurityLog securityLog) {
    this.securityLog = securityLog;
  }

  /**
   * Logs the refusal and returns the 400 to throw: the same for every failed check, so the caller
   * learns nothing about which one failed.
   *
   * @param detail what the provider's caller may be told: every check, none singled out
   */
  public ApiProblem refused(
      String provider, HttpServletRequest request, WebhookRefusal refusal, String detail) {
    return refused(provider, request, refusal, HttpStatus.BAD_REQUEST, detail);
  }

  /**
   * Logs the refusal and returns the problem to throw with the status the provider acts on (Mailgun
   * retries after a 401 and gives up after a 406).
   */
  public ApiProblem refused(
      String provider,
      HttpServletRequest request,
      WebhookRefusal refusal,
      HttpStatus status,
      String detail) {
    securityLog.refused(provider, request, refusal.reason());
    return new ApiProblem(status, "Webhook signature not verified", detail);
  }
}
