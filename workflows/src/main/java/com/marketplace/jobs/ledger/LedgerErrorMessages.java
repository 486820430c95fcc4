package com.marketplace.jobs.ledger;

import java.util.regex.Pattern;

/**
 * Error messages as the ledger stores them, whoever writes them (the worker's ledger activities,
 * the relay, the reconciler): our own messages carry ids, not personal data, but a third party's
 * exception text or an operator's termination reason might, so anything shaped like an email
 * address is masked and the length is capped.
 */
public final class LedgerErrorMessages {

  /**
   * Anything around an {@code @} (or its URL encoding {@code %40}) up to whitespace or punctuation
   * that cannot appear in an address: generous on purpose, so internationalised, quoted or encoded
   * addresses are masked whole.
   */
  private static final Pattern EMAIL =
      Pattern.compile(
          "[^\\s<>()\\[\\],;:\"]+(?:@|%40)[^\\s<>()\\[\\],;:\"]+", Pattern.CASE_INSENSITIVE);

  private static final int MAX_MESSAGE = 1000;

  private LedgerErrorMessages() {}

  /** The message with email addresses masked, at most 1000 characters (code points). */
  public static String withoutPersonalData(String message) {
    if (message == null) {
      return null;
    }
    String masked = EMAIL.matcher(message).replaceAll("<email>");
    if (masked.codePointCount(0, masked.length()) <= MAX_MESSAGE) {
      return masked;
    }
    return masked.substring(0, masked.offsetByCodePoints(0, MAX_MESSAGE));
  }
}
