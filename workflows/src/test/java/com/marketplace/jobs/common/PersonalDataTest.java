package com.marketplace.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PersonalDataTest {

  @Test
  void emailAddressesAreMaskedWhereverTheyStand() {
    assertThat(
            PersonalData.maskEmails(
                "Mailgun: 'to' parameter is not a valid address: <annelie.berger@example.com>,"
                    + " to=annelie%40example.com; \"o'brien+tag@sub.example.co.uk\""))
        .isEqualTo(
            "Mailgun: 'to' parameter is not a valid address: <<email>>, <email>; \"<email>\"");
  }

  @Test
  void textWithoutAddressesIsUnchanged() {
    assertThat(PersonalData.maskEmails("job 42: Stripe answered HTTP 503 (rate_limit)"))
        .isEqualTo("job 42: Stripe answered HTTP 503 (rate_limit)");
    assertThat(PersonalData.maskEmails(null)).isNull();
  }
}
