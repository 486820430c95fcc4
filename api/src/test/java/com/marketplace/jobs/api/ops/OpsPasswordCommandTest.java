package com.marketplace.jobs.api.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

class OpsPasswordCommandTest {

  @Test
  void theHashIsBcryptWithItsPrefixAndMatchesOnlyItsPassword() {
    String hash = OpsPasswordCommand.hash("a-long-enough-password");

    assertThat(hash).startsWith("{bcrypt}$2a$10$").doesNotContain("a-long-enough-password");
    var encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    assertThat(encoder.matches("a-long-enough-password", hash)).isTrue();
    assertThat(encoder.matches("another-password", hash)).isFalse();
  }
}
