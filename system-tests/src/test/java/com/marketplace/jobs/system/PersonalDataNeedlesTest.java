package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersonalDataNeedlesTest {

  private static List<String> found(PersonalDataNeedles needles, String line) {
    return needles.all().stream()
        .filter(needle -> needle.foundIn(line))
        .map(PersonalDataNeedles.Needle::description)
        .toList();
  }

  @Test
  void findsEachValueInTheFormsALogCouldPrintIt() {
    PersonalDataNeedles needles =
        new PersonalDataNeedles()
            .email("customer 1", "annelie.berger@example.com")
            .name("customer 1", "Annelie")
            .date("customer 1", LocalDate.of(1990, 3, 4))
            .phrase("ban reason 1", "Repeated fraud reports");

    assertThat(found(needles, "to=ANNELIE.BERGER%40example.com"))
        .containsExactly("email of customer 1");
    assertThat(found(needles, "Hi Annelie,")).containsExactly("name of customer 1");
    assertThat(found(needles, "born 1990-03-04")).containsExactly("birthday of customer 1");
    assertThat(found(needles, "born 04.03.1990")).containsExactly("birthday of customer 1");
    assertThat(found(needles, "born 03/04/1990")).containsExactly("birthday of customer 1");
    assertThat(found(needles, "reason=Repeated+fraud+reports")).containsExactly("ban reason 1");
  }

  @Test
  void noFalseAlarmsInsideOtherWordsOrNumbers() {
    PersonalDataNeedles needles =
        new PersonalDataNeedles()
            .name("customer 1", "Annelie")
            .date("customer 1", LocalDate.of(1990, 3, 4));

    assertThat(found(needles, "Annelies and annelie and XAnnelie are other words")).isEmpty();
    assertThat(found(needles, "id 219900304 and 1990-03-041")).isEmpty();
  }

  @Test
  void shortValuesAreRefusedSoTheTestDataStaysDistinctive() {
    assertThatThrownBy(() -> new PersonalDataNeedles().name("customer 2", "Ben"))
        .hasMessageContaining("distinctive");
    assertThatThrownBy(() -> new PersonalDataNeedles().phrase("ban reason 1", "Audit"))
        .hasMessageContaining("distinctive");
  }
}
