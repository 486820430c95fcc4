package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other system test of the run (junit-platform.properties orders the classes; this
 * one is last) and fails the build when any log of the shared stack (api, worker, extra workers,
 * Temporal, OpenSearch, stripe-mock: every file under its {@code logs/}) or any error message the
 * ledger and the security log keep holds a test customer's email, name or birthday, a company's
 * email or a ban reason the tests sent.
 *
 * <p>The values come from the database (customers, companies, the ban jobs' inputs) and from {@link
 * BanReasons} (reasons of refused bans leave no row), never from a copy in this class.
 */
@Order(Integer.MAX_VALUE)
class PersonalDataInLogsIT extends StackTest {

  /** The IT classes whose tests ran before this one in this JVM (StackTest records them). */
  static final Set<String> RAN_BEFORE = new ConcurrentSkipListSet<>();

  @Test
  void noLogLineAndNoStoredErrorOfTheWholeRunHoldsPersonalData() throws IOException {
    List<PersonalDataNeedles.Needle> needles = needles();
    Path logs = stack.settings().dataDir().resolve("logs");
    List<String> findings = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(logs)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      List<String> lines =
          List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n", -1));
      for (int i = 0; i < lines.size(); i++) {
        for (PersonalDataNeedles.Needle needle : needles) {
          if (needle.foundIn(lines.get(i))) {
            findings.add(logs.relativize(file) + ":" + (i + 1) + ": " + needle.description());
          }
        }
      }
    }
    for (Map<String, Object> row :
        sql.rows(
            "SELECT 'jobs ' || id || ' last_error_message' AS place, last_error_message AS text"
                + " FROM jobs WHERE last_error_message IS NOT NULL"
                + " UNION ALL SELECT 'security_log ' || id || ' reason', reason"
                + " FROM security_log")) {
      for (PersonalDataNeedles.Needle needle : needles) {
        if (needle.foundIn((String) row.get("text"))) {
          findings.add(row.get("place") + ": " + needle.description());
        }
      }
    }
    System.out.printf(
        "PersonalDataInLogsIT: %d needles, %d log files, after %s%n",
        needles.size(), files.size(), RAN_BEFORE);

    assertThat(files).as("the stack's log files under %s", logs).isNotEmpty();
    assertThat(findings).as("personal data in the logs or stored errors of this run").isEmpty();
  }

  private List<PersonalDataNeedles.Needle> needles() {
    PersonalDataNeedles needles = new PersonalDataNeedles();
    for (Map<String, Object> customer :
        sql.rows("SELECT id, email, first_name, birth_date FROM customers ORDER BY id")) {
      String whose = "customer " + customer.get("id");
      needles.email(whose, (String) customer.get("email"));
      needles.name(whose, (String) customer.get("first_name"));
      if (customer.get("birth_date") != null) {
        needles.date(whose, ((Date) customer.get("birth_date")).toLocalDate());
      }
    }
    for (Map<String, Object> company : sql.rows("SELECT id, email FROM companies ORDER BY id")) {
      needles.email("company " + company.get("id"), (String) company.get("email"));
    }
    Set<String> reasons = new TreeSet<>(BanReasons.sent());
    // The fuzz's bans (of the one company it owns) carry generated junk, not anyone's data.
    sql.rows(
            "SELECT DISTINCT payload->>'reason' AS reason FROM jobs"
                + " WHERE type = 'company_ban' AND payload->>'reason' IS NOT NULL"
                + " AND company_id IS DISTINCT FROM ?",
            ApiFuzzIT.COMPANY)
        .forEach(row -> reasons.add((String) row.get("reason")));
    int n = 0;
    for (String reason : reasons) {
      needles.phrase("ban reason " + (++n) + " of " + reasons.size(), reason);
    }
    return needles.all();
  }
}
