package com.marketplace.jobs.ledger;

import com.marketplace.jobs.common.PersonalData;

/**
 * Error messages as the ledger stores them, whoever writes them (the worker's ledger activities,
 * the relay, the reconciler): our own messages carry ids, not personal data, but a third party's
 * exception text or an operator's termination reason might, so anything shaped like an email
 * address is masked ({@link PersonalData}) and the length is capped. Finance alerts quote the same
 * text.
 */
public final class LedgerErrorMessages {

  private static final int MAX_MESSAGE = 1000;

  private LedgerErrorMessages() {}

  /** The message with email addresses masked, at most 1000 characters (code points). */
  public static String withoutPersonalData(String message) {
    if (message == null) {
      return null;
    }
    String masked = PersonalData.maskEmails(message);
    if (masked.codePointCount(0, masked.length()) <= MAX_MESSAGE) {
      return masked;
    }
    return masked.substring(0, masked.offsetByCodePoints(0, MAX_MESSAGE));
  }
}
