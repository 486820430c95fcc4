package com.marketplace.jobs.api.payments;

/**
 * A webhook call that did not pass verification. The reason goes to the security log, never to the
 * caller (it would tell an attacker which check failed).
 */
class WebhookRefusal extends RuntimeException {

  WebhookRefusal(String reason) {
    super(reason, null, false, false);
  }

  String reason() {
    return getMessage();
  }
}
