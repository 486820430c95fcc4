package com.marketplace.jobs.security.codec;

import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodec;
import java.util.List;

/**
 * The one way this project builds a Temporal data converter: the SDK's default conversion (JSON),
 * then {@link AesGcmPayloadCodec}. Every process that reads or writes payloads on the server (the
 * worker, the api and its relay, system tests, benchmarks) uses it.
 */
public final class PayloadEncryption {

  private PayloadEncryption() {}

  /** The codec for {@code keyId:base64Key[,...]}; throws naming {@code jobs.codec.keys}. */
  public static AesGcmPayloadCodec codec(String keys) {
    return new AesGcmPayloadCodec(PayloadKeys.parse(keys));
  }

  /** A data converter encrypting with {@code keyId:base64Key[,...]}, the first key encrypting. */
  public static CodecDataConverter dataConverter(String keys) {
    return dataConverter(codec(keys));
  }

  /**
   * Failure attributes are encoded too ({@code encodeFailureAttributes}): a failure's message and
   * stack trace move into an encrypted payload and the history keeps only "Encoded failure", since
   * messages can quote input. Failure details are always encoded by the SDK.
   */
  public static CodecDataConverter dataConverter(PayloadCodec codec) {
    return new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(codec), true);
  }
}
