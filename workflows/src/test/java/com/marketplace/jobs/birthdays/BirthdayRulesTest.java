package com.marketplace.jobs.birthdays;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BirthdayRulesTest {

  private static final LocalTime START = LocalTime.of(6, 0);
  private static final LocalTime END = LocalTime.of(9, 0);
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId AUCKLAND = ZoneId.of("Pacific/Auckland");
  private static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");

  private static Optional<BirthdayRules.Due> due(LocalDate born, ZoneId zone, String now) {
    return BirthdayRules.due(born, zone, Instant.parse(now), START, END);
  }

  @Test
  void dueFromSixOClockLocalOnTheBirthdayAndLateAfterNine() {
    LocalDate born = LocalDate.of(1990, 12, 1);
    // 05:59 in Berlin (UTC+1 in winter): not yet.
    assertThat(due(born, BERLIN, "2026-12-01T04:59:00Z")).isEmpty();
    BirthdayRules.Due due = due(born, BERLIN, "2026-12-01T05:00:00Z").orElseThrow();
    assertThat(due.day()).isEqualTo(LocalDate.of(2026, 12, 1));
    assertThat(due.dueBy()).isEqualTo(Instant.parse("2026-12-01T08:00:00Z"));
    assertThat(due.sendUntil()).isEqualTo(Instant.parse("2026-11-30T23:00:00Z").plusSeconds(86400));
    assertThat(due.lateAt(Instant.parse("2026-12-01T07:59:59Z"))).isFalse();
    assertThat(due.lateAt(Instant.parse("2026-12-01T08:00:01Z"))).isTrue();
  }

  @Test
  void aMissedRunIsCaughtUpLaterThatDayAndCountsLateAfterNineButNotOnTheNextDay() {
    LocalDate born = LocalDate.of(1984, 12, 1);
    // 14:00 in Berlin: still the birthday, past the window: due, and late if sent now.
    BirthdayRules.Due due = due(born, BERLIN, "2026-12-01T13:00:00Z").orElseThrow();
    assertThat(due.lateAt(Instant.parse("2026-12-01T13:00:00Z"))).isTrue();
    // 23:59 in Berlin: still due; 00:00 the next day: no longer.
    assertThat(due(born, BERLIN, "2026-12-01T22:59:00Z")).isPresent();
    assertThat(due(born, BERLIN, "2026-12-01T23:00:00Z")).isEmpty();
  }

  @Test
  void theBirthdayIsTheCustomersOwnLocalDateNotUtcs() {
    LocalDate born = LocalDate.of(2000, 12, 2);
    // 2026-12-01T18:00Z is 07:00 on 2 December in Auckland (UTC+13) and 10:00 on 1 December in LA.
    assertThat(due(born, AUCKLAND, "2026-12-01T18:00:00Z"))
        .get()
        .extracting(BirthdayRules.Due::day)
        .isEqualTo(LocalDate.of(2026, 12, 2));
    assertThat(due(born, LOS_ANGELES, "2026-12-01T18:00:00Z")).isEmpty();
    assertThat(due(born, LOS_ANGELES, "2026-12-02T18:00:00Z")).isPresent();
  }

  @Test
  void bornOn29FebruaryIsRemindedOn28FebruaryInYearsWithoutOne() {
    LocalDate born = LocalDate.of(2000, 2, 29);
    assertThat(BirthdayRules.birthdayIn(born, 2027)).isEqualTo(LocalDate.of(2027, 2, 28));
    assertThat(BirthdayRules.birthdayIn(born, 2028)).isEqualTo(LocalDate.of(2028, 2, 29));
    assertThat(due(born, ZoneOffset.UTC, "2027-02-28T07:00:00Z")).isPresent();
    assertThat(due(born, ZoneOffset.UTC, "2027-03-01T07:00:00Z")).isEmpty();
    assertThat(due(born, ZoneOffset.UTC, "2028-02-28T07:00:00Z")).isEmpty();
    assertThat(due(born, ZoneOffset.UTC, "2028-02-29T07:00:00Z")).isPresent();
    // Someone born on 28 February keeps their own day in a leap year.
    assertThat(due(LocalDate.of(1999, 2, 28), ZoneOffset.UTC, "2028-02-28T07:00:00Z")).isPresent();
  }

  @Test
  void aWindowStartThatDaylightSavingSkipsMovesOnByTheGap() {
    // New York jumps from 02:00 to 03:00 on 8 March 2026: a 02:30 start moves on by the gap, to
    // 03:30 local (07:30 UTC).
    ZoneId newYork = ZoneId.of("America/New_York");
    LocalDate born = LocalDate.of(1970, 3, 8);
    LocalTime start = LocalTime.of(2, 30);
    assertThat(BirthdayRules.due(born, newYork, Instant.parse("2026-03-08T07:29:00Z"), start, END))
        .isEmpty();
    assertThat(BirthdayRules.due(born, newYork, Instant.parse("2026-03-08T07:30:00Z"), start, END))
        .isPresent();
  }

  @Test
  void candidatesAreTheDaysThatAreTodaySomewhereAnd29FebruaryOnA28FebruaryWithoutOne() {
    assertThat(BirthdayRules.candidateMonthDays(Instant.parse("2026-12-01T11:00:00Z")))
        .containsExactly(1130, 1201, 1202);
    assertThat(BirthdayRules.candidateMonthDays(Instant.parse("2026-12-01T09:00:00Z")))
        .containsExactly(1130, 1201);
    assertThat(BirthdayRules.candidateMonthDays(Instant.parse("2027-02-28T11:00:00Z")))
        .containsExactly(227, 228, 229, 301);
    assertThat(BirthdayRules.candidateMonthDays(Instant.parse("2028-02-28T11:00:00Z")))
        .containsExactly(227, 228, 229);
  }

  @Test
  void onlyIanaNamesAreTimeZonesOffsetsAndUnknownNamesAreNot() {
    assertThat(BirthdayRules.ianaZone("Asia/Kolkata")).contains(ZoneId.of("Asia/Kolkata"));
    assertThat(BirthdayRules.ianaZone("UTC")).isPresent();
    assertThat(BirthdayRules.ianaZone("UTC+3")).isEmpty();
    assertThat(BirthdayRules.ianaZone("+03:00")).isEmpty();
    assertThat(BirthdayRules.ianaZone("Mars/Olympus_Mons")).isEmpty();
    assertThat(BirthdayRules.ianaZone(null)).isEmpty();
  }
}
