package com.marketplace.jobs.notifications;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One email to many recipients, rendered once with Mailgun's {@code %recipient.<name>%}
 * placeholders, which Mailgun fills per recipient from {@link Recipient#variables()}: no personal
 * data in the rendered parts themselves.
 *
 * @param batchId attached to every recipient's message as {@code v:batch-id}; the once-only key
 * @param userVariables variables attached to each recipient's message ({@code v:<name>}), usually
 *     placeholders such as {@code %recipient.touchpoint_id%}, so delivery events map back to one
 *     recipient
 * @param tag the template id, for the provider's per-template statistics
 */
public record OutgoingBatch(
    UUID batchId,
    String subject,
    String text,
    String html,
    String tag,
    Map<String, String> userVariables,
    List<Recipient> recipients) {

  /** One address and the values of its placeholders. */
  public record Recipient(String email, Map<String, String> variables) {}
}
