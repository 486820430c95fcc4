package com.marketplace.jobs.security.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.failure.v1.Failure;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AesGcmPayloadCodecTest {

  private static final String OLD = "old:" + key('o');
  private static final String NEW = "new:" + key('n');

  private static final Payload PAYLOAD =
      DefaultDataConverter.newDefaultInstance()
          .toPayload(Map.of("email", "jamie.doe@example.com", "reason", "forged papers"))
          .orElseThrow();

  private static String key(char fill) {
    return Base64.getEncoder().encodeToString(String.valueOf(fill).repeat(32).getBytes());
  }

  @Test
  void aPayloadDecodesToExactlyWhatWasEncodedAndCarriesOnlyTheKeyIdInClear() {
    AesGcmPayloadCodec codec = PayloadEncryption.codec(NEW);

    Payload encrypted = codec.encode(List.of(PAYLOAD)).get(0);

    assertThat(encrypted.getMetadataMap())
        .containsOnlyKeys("encoding", "encryption-key-id")
        .containsEntry("encoding", ByteString.copyFromUtf8("binary/encrypted"))
        .containsEntry("encryption-key-id", ByteString.copyFromUtf8("new"));
    assertThat(encrypted.getData().toStringUtf8())
        .doesNotContain("jamie")
        .doesNotContain("forged")
        .doesNotContain("json/plain");
    assertThat(codec.decode(List.of(encrypted))).containsExactly(PAYLOAD);
  }

  @Test
  void theSamePlaintextEncryptsDifferentlyEveryTime() {
    AesGcmPayloadCodec codec = PayloadEncryption.codec(NEW);

    List<Payload> encrypted = codec.encode(List.of(PAYLOAD, PAYLOAD));

    assertThat(encrypted.get(0).getData()).isNotEqualTo(encrypted.get(1).getData());
    assertThat(encrypted.get(0).getData().substring(0, AesGcmPayloadCodec.NONCE_BYTES))
        .isNotEqualTo(encrypted.get(1).getData().substring(0, AesGcmPayloadCodec.NONCE_BYTES));
    assertThat(codec.decode(encrypted)).containsExactly(PAYLOAD, PAYLOAD);
  }

  @Test
  void aChangedByteInTheCiphertextFailsDecoding() {
    AesGcmPayloadCodec codec = PayloadEncryption.codec(NEW);
    Payload encrypted = codec.encode(List.of(PAYLOAD)).get(0);
    byte[] data = encrypted.getData().toByteArray();
    data[data.length / 2] ^= 1;
    Payload tampered = encrypted.toBuilder().setData(ByteString.copyFrom(data)).build();

    assertThatThrownBy(() -> codec.decode(List.of(tampered)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("key id 'new' failed authentication");
  }

  @Test
  void aPayloadRelabelledWithAnotherKeyIdFailsDecoding() {
    AesGcmPayloadCodec codec = PayloadEncryption.codec("a:" + key('k') + ",b:" + key('k'));
    Payload encrypted = codec.encode(List.of(PAYLOAD)).get(0);
    Payload relabelled =
        encrypted.toBuilder()
            .putMetadata("encryption-key-id", ByteString.copyFromUtf8("b"))
            .build();

    assertThatThrownBy(() -> codec.decode(List.of(relabelled)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("failed authentication");
  }

  @Test
  void afterARotationPayloadsUnderTheOldKeyStillDecodeAndNewOnesUseTheNewKey() {
    Payload underOld = PayloadEncryption.codec(OLD).encode(List.of(PAYLOAD)).get(0);
    AesGcmPayloadCodec rotated = PayloadEncryption.codec(NEW + "," + OLD);

    Payload underNew = rotated.encode(List.of(PAYLOAD)).get(0);

    assertThat(rotated.decode(List.of(underOld, underNew))).containsExactly(PAYLOAD, PAYLOAD);
    assertThat(underNew.getMetadataOrThrow("encryption-key-id").toStringUtf8()).isEqualTo("new");
  }

  @Test
  void aPayloadThatWasNeverEncryptedPassesThroughDecoding() {
    Payload binaryNull =
        Payload.newBuilder()
            .putMetadata("encoding", ByteString.copyFromUtf8("binary/null"))
            .build();

    assertThat(PayloadEncryption.codec(NEW).decode(List.of(PAYLOAD, binaryNull)))
        .containsExactly(PAYLOAD, binaryNull);
  }

  @Test
  void aPayloadUnderAnUnknownKeyIdFailsNamingTheKeyIdButNotTheData() {
    Payload underOld = PayloadEncryption.codec(OLD).encode(List.of(PAYLOAD)).get(0);

    assertThatThrownBy(() -> PayloadEncryption.codec(NEW).decode(List.of(underOld)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("key id 'old'")
        .hasMessageContaining("jobs.codec.keys")
        .hasMessageNotContaining("jamie")
        .hasMessageNotContaining(key('o'));
  }

  @Test
  void theDataConverterEncryptsValuesAndFailureMessagesAndReadsThemBack() {
    CodecDataConverter converter = PayloadEncryption.dataConverter(NEW);

    Payload value = converter.toPayload("jamie.doe@example.com").orElseThrow();
    Failure failure =
        converter.exceptionToFailure(
            ApplicationFailure.newFailure("no mailbox for jamie.doe@example.com", "NOT_FOUND"));

    assertThat(value.getData().toString(StandardCharsets.UTF_8)).doesNotContain("jamie");
    assertThat(failure.getMessage()).isEqualTo("Encoded failure");
    assertThat(failure.getStackTrace()).isEmpty();
    assertThat(failure.toString()).doesNotContain("jamie");
    assertThat(converter.fromPayload(value, String.class, String.class))
        .isEqualTo("jamie.doe@example.com");
    assertThat(converter.failureToException(failure))
        .hasMessageContaining("no mailbox for jamie.doe@example.com");
  }
}
