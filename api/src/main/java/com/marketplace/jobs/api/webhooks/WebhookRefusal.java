package com.marketplace.jobs.api.webhooks;

/**
 * A webhook call that did not pass verification. The reason goes to the security log, never to the
 * caller (it would tell an attacker which check failed).
 */
public class WebhookRefusal extends RuntimeException {

  public WebhookRefusal(String reason) {
    super(reason, null, false, false);
  }

  public String reason() {
    return getMessage();
  }
}
