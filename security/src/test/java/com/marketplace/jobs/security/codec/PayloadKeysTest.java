package com.marketplace.jobs.security.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class PayloadKeysTest {

  private static final String KEY_A = Base64.getEncoder().encodeToString(new byte[32]);
  private static final String KEY_B = Base64.getEncoder().encodeToString("b".repeat(32).getBytes());

  @Test
  void theFirstKeyEncryptsAndEveryKeyIsKnown() {
    PayloadKeys keys = PayloadKeys.parse(" local-2:" + KEY_B + " , local-1:" + KEY_A);

    assertThat(keys.encryptingKeyId()).isEqualTo("local-2");
    assertThat(keys.keyIds()).containsExactly("local-2", "local-1");
  }

  @Test
  void theDevelopmentDefaultIsAValidKeyList() {
    assertThat(
            PayloadKeys.parse("dev-2026:ZGV2LW9ubHktcGF5bG9hZC1rZXktMzItYnl0ZXMhISE=")
                .encryptingKeyId())
        .isEqualTo("dev-2026");
  }

  @Test
  void noKeysAtAllIsRefused() {
    assertThatThrownBy(() -> PayloadKeys.parse(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("jobs.codec.keys is empty");
  }

  @Test
  void anEntryWithoutAKeyIdIsRefusedByPosition() {
    assertThatThrownBy(() -> PayloadKeys.parse("a:" + KEY_A + "," + KEY_B))
        .hasMessage("jobs.codec.keys entry 2 is not keyId:base64Key");
    assertThatThrownBy(() -> PayloadKeys.parse(":" + KEY_A))
        .hasMessageStartingWith("jobs.codec.keys entry 1 has no valid key id");
    assertThatThrownBy(() -> PayloadKeys.parse("a:" + KEY_A + ","))
        .hasMessage("jobs.codec.keys entry 2 is not keyId:base64Key");
  }

  @Test
  void aKeyThatIsNotBase64IsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> PayloadKeys.parse("a:not*base64!"))
        .hasMessage("jobs.codec.keys key 'a' is not valid base64");
  }

  @Test
  void aKeyOfTheWrongLengthIsRefusedNamingItsLength() {
    String short16 = Base64.getEncoder().encodeToString(new byte[16]);

    assertThatThrownBy(() -> PayloadKeys.parse("a:" + short16))
        .hasMessage(
            "jobs.codec.keys key 'a' is 16 bytes after base64 decoding; AES-256 needs exactly 32")
        .hasMessageNotContaining(short16);
  }

  @Test
  void aKeyIdGivenTwiceIsRefused() {
    assertThatThrownBy(() -> PayloadKeys.parse("a:" + KEY_A + ",a:" + KEY_B))
        .hasMessage("jobs.codec.keys names key id 'a' twice");
  }
}
