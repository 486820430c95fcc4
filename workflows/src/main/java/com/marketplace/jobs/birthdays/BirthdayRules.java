package com.marketplace.jobs.birthdays;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * When a customer's birthday reminder is owed: pure functions of the birth date, the customer's
 * time zone and the instant, so tests can pin each rule to a clock.
 *
 * <ul>
 *   <li>The birthday is the birth date's month and day in the customer's local year; 29 February
 *       falls on 28 February in years without one.
 *   <li>It is due from the window's start (06:00 local) to the end of the local day; sent after the
 *       window's end (09:00 local) it is late. A run that was missed is caught up by the next,
 *       which finds the reminder still due.
 *   <li>A window time that a daylight-saving change skips moves on by the gap (02:30 becomes
 *       03:30), as {@link ZonedDateTime} resolves it.
 * </ul>
 */
public final class BirthdayRules {

  /**
   * A reminder owed now.
   *
   * @param day the birthday, in the customer's own calendar
   * @param dueBy the window's end on that day: sent later is late
   * @param sendUntil midnight ending that day: not sent by then, it is not sent at all
   */
  public record Due(LocalDate day, Instant dueBy, Instant sendUntil) {

    public boolean lateAt(Instant instant) {
      return instant.isAfter(dueBy);
    }
  }

  private BirthdayRules() {}

  /** The birthday in {@code year}: 29 February becomes 28 February when the year has none. */
  public static LocalDate birthdayIn(LocalDate birthDate, int year) {
    return MonthDay.from(birthDate).atYear(year);
  }

  /**
   * The reminder owed at {@code now} to someone born on {@code birthDate} living in {@code zone},
   * or empty when it is not their birthday there or the window has not opened yet.
   */
  public static Optional<Due> due(
      LocalDate birthDate, ZoneId zone, Instant now, LocalTime windowStart, LocalTime windowEnd) {
    ZonedDateTime local = now.atZone(zone);
    LocalDate today = local.toLocalDate();
    if (!birthdayIn(birthDate, today.getYear()).equals(today)) {
      return Optional.empty();
    }
    Instant opens = ZonedDateTime.of(today, windowStart, zone).toInstant();
    if (now.isBefore(opens)) {
      return Optional.empty();
    }
    return Optional.of(
        new Due(
            today,
            ZonedDateTime.of(today, windowEnd, zone).toInstant(),
            today.plusDays(1).atStartOfDay(zone).toInstant()));
  }

  /**
   * The birthdays (month * 100 + day) that can be due somewhere at {@code now}: the calendar days
   * of UTC-12 to UTC+14 around it, and 29 February when one of them is 28 February of a year
   * without 29 February. The database prefilters customers by these before {@link #due} decides.
   */
  public static Set<Integer> candidateMonthDays(Instant now) {
    Set<Integer> days = new TreeSet<>();
    LocalDate earliest = now.atZone(ZoneId.of("Etc/GMT+12")).toLocalDate();
    LocalDate latest = now.atZone(ZoneId.of("Pacific/Kiritimati")).toLocalDate();
    for (LocalDate day = earliest; !day.isAfter(latest); day = day.plusDays(1)) {
      days.add(day.getMonthValue() * 100 + day.getDayOfMonth());
      if (day.getMonthValue() == 2 && day.getDayOfMonth() == 28 && !day.isLeapYear()) {
        days.add(229);
      }
    }
    return days;
  }

  /**
   * The customer's zone: an IANA region name as the JDK knows it; anything else (an offset such as
   * {@code +03:00} or {@code UTC+3}, which PostgreSQL would read the POSIX way round, or an unknown
   * name) is refused so the caller can fall back and say so.
   */
  public static Optional<ZoneId> ianaZone(String name) {
    if (name == null || !ZoneId.getAvailableZoneIds().contains(name)) {
      return Optional.empty();
    }
    return Optional.of(ZoneId.of(name));
  }
}
