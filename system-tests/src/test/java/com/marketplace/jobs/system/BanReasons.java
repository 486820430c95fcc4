package com.marketplace.jobs.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every ban reason the system tests send goes through here, so {@link PersonalDataInLogsIT} can
 * look for each one in the logs, the refused requests' reasons included (they leave no ledger row).
 * A reason is free text about a company: it must never reach a log line or an error message.
 */
final class BanReasons {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> SENT = ConcurrentHashMap.newKeySet();

  private BanReasons() {}

  /** The ban request's body {@code {"reason": ...}}, the reason registered. */
  static String body(String reason) {
    SENT.add(reason);
    return JSON.createObjectNode().put("reason", reason).toString();
  }

  /** The reasons sent so far in this test JVM. */
  static Set<String> sent() {
    return new TreeSet<>(SENT);
  }
}
