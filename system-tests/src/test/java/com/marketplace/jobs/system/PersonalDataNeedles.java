package com.marketplace.jobs.system;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@link PersonalDataInLogsIT} looks for: each test customer's email, name and birthday and
 * each ban reason, in the forms a log line could print them. Each needle says whose data it is,
 * never the value, so a finding does not copy personal data into the build's output.
 *
 * <p>Short or common values would be found inside unrelated words, so they are refused: the test
 * data must be distinctive (names of at least 6 letters matched as whole words, reasons of at least
 * 12 characters).
 */
final class PersonalDataNeedles {

  static final int MIN_NAME = 6;
  static final int MIN_PHRASE = 12;

  record Needle(String description, Pattern pattern) {

    boolean foundIn(String text) {
      return pattern.matcher(text).find();
    }
  }

  private final List<Needle> needles = new ArrayList<>();

  List<Needle> all() {
    return List.copyOf(needles);
  }

  /** An email address, also URL-encoded; case-insensitive. */
  PersonalDataNeedles email(String whose, String email) {
    needles.add(
        new Needle(
            "email of " + whose,
            Pattern.compile(
                Pattern.quote(email) + "|" + Pattern.quote(email.replace("@", "%40")),
                Pattern.CASE_INSENSITIVE)));
    return this;
  }

  /** A name, as a whole word (not inside another word), case as written. */
  PersonalDataNeedles name(String whose, String name) {
    if (name.strip().length() < MIN_NAME) {
      throw new IllegalArgumentException(
          "the name of "
              + whose
              + " is too short to look for in logs without false alarms: give the test data a"
              + " distinctive name of at least "
              + MIN_NAME
              + " letters");
    }
    needles.add(
        new Needle(
            "name of " + whose,
            Pattern.compile(
                "(?<![\\p{L}\\p{N}])" + Pattern.quote(name.strip()) + "(?![\\p{L}\\p{N}])")));
    return this;
  }

  /** A date as ISO, German, US and British dates and as yyyyMMdd, not inside a longer number. */
  PersonalDataNeedles date(String whose, LocalDate date) {
    List<String> forms =
        List.of("yyyy-MM-dd", "dd.MM.yyyy", "MM/dd/yyyy", "dd/MM/yyyy", "yyyyMMdd", "d.M.yyyy")
            .stream()
            .map(format -> Pattern.quote(date.format(DateTimeFormatter.ofPattern(format))))
            .distinct()
            .toList();
    needles.add(
        new Needle(
            "birthday of " + whose,
            Pattern.compile("(?<!\\d)(?:" + String.join("|", forms) + ")(?!\\d)")));
    return this;
  }

  /** Free text (a ban reason), also with its spaces form- or URL-encoded; case as written. */
  PersonalDataNeedles phrase(String what, String text) {
    if (text.strip().length() < MIN_PHRASE) {
      throw new IllegalArgumentException(
          what
              + " is too short to look for in logs without false alarms: give it a distinctive"
              + " text of at least "
              + MIN_PHRASE
              + " characters");
    }
    String plain = text.strip();
    needles.add(
        new Needle(
            what,
            Pattern.compile(
                Pattern.quote(plain)
                    + "|"
                    + Pattern.quote(plain.replace(' ', '+'))
                    + "|"
                    + Pattern.quote(plain.replace(" ", "%20")))));
    return this;
  }
}
