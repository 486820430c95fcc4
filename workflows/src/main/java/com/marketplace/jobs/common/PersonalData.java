package com.marketplace.jobs.common;

import java.util.regex.Pattern;

/**
 * The one place that masks personal data in text we did not write ourselves and cannot keep to ids:
 * a provider's or a library's exception message on its way to the ledger, an alert or a log line, a
 * field name a client sent. Our own messages carry ids only; this is the net under them.
 *
 * <p>Only email addresses have a shape that can be recognised in free text. Names, birthdays and
 * ban reasons cannot, so they must never be put into such text in the first place.
 */
public final class PersonalData {

  /**
   * Anything around an {@code @} (or its URL encoding {@code %40}) up to whitespace or punctuation
   * that cannot appear in an address: generous on purpose, so internationalised, quoted or encoded
   * addresses are masked whole.
   */
  private static final Pattern EMAIL =
      Pattern.compile(
          "[^\\s<>()\\[\\],;:\"]+(?:@|%40)[^\\s<>()\\[\\],;:\"]+", Pattern.CASE_INSENSITIVE);

  public static final String EMAIL_MASK = "<email>";

  private PersonalData() {}

  /** The text with every email-like string replaced by {@value #EMAIL_MASK}; null stays null. */
  public static String maskEmails(String text) {
    return text == null ? null : EMAIL.matcher(text).replaceAll(EMAIL_MASK);
  }
}
