package com.marketplace.jobs.security.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import javax.annotation.Nonnull;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts each whole payload (its metadata and data, serialized) with AES-256-GCM under the first
 * configured key and a fresh random 12-byte nonce. The result's metadata says only {@code encoding:
 * binary/encrypted} and the key id, so the server sees neither the content nor even its encoding.
 *
 * <p>Decoding picks the key by the payload's key id, so payloads written under older keys stay
 * readable after a rotation. Payloads that are not encrypted (histories written before encryption
 * was switched on) pass through unchanged.
 */
public final class AesGcmPayloadCodec implements PayloadCodec {

  public static final String METADATA_ENCODING = "encoding";
  public static final String ENCODING_ENCRYPTED = "binary/encrypted";
  public static final String METADATA_KEY_ID = "encryption-key-id";

  static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PayloadKeys keys;

  public AesGcmPayloadCodec(PayloadKeys keys) {
    this.keys = keys;
  }

  @Nonnull
  @Override
  public List<Payload> encode(@Nonnull List<Payload> payloads) {
    return payloads.stream().map(this::encrypt).toList();
  }

  @Nonnull
  @Override
  public List<Payload> decode(@Nonnull List<Payload> payloads) {
    return payloads.stream().map(this::decrypt).toList();
  }

  private Payload encrypt(Payload payload) {
    String keyId = keys.encryptingKeyId();
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    byte[] sealed;
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.encryptingKey(), nonce, keyId);
      sealed = cipher.doFinal(payload.toByteArray());
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException("could not encrypt a payload under key id " + keyId, e);
    }
    byte[] data = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    return Payload.newBuilder()
        .putMetadata(METADATA_ENCODING, utf8(ENCODING_ENCRYPTED))
        .putMetadata(METADATA_KEY_ID, utf8(keyId))
        .setData(ByteString.copyFrom(data))
        .build();
  }

  private Payload decrypt(Payload payload) {
    ByteString encoding = payload.getMetadataMap().get(METADATA_ENCODING);
    if (encoding == null || !encoding.toStringUtf8().equals(ENCODING_ENCRYPTED)) {
      return payload;
    }
    ByteString keyIdBytes = payload.getMetadataMap().get(METADATA_KEY_ID);
    if (keyIdBytes == null) {
      throw new PayloadCodecException(
          "an encrypted payload carries no " + METADATA_KEY_ID + " in its metadata");
    }
    String keyId = keyIdBytes.toStringUtf8();
    SecretKey key = keys.key(keyId);
    if (key == null) {
      throw new PayloadCodecException(
          "payload encrypted under key id '"
              + keyId
              + "', which is not configured in "
              + PayloadKeys.PROPERTY
              + " (configured: "
              + String.join(", ", keys.keyIds())
              + "); keep rotated keys in the list until no history needs them");
    }
    byte[] data = payload.getData().toByteArray();
    if (data.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new PayloadCodecException(
          "encrypted payload under key id '" + keyId + "' is too short to be one");
    }
    byte[] plain;
    try {
      Cipher cipher =
          cipher(
              Cipher.DECRYPT_MODE, key, java.util.Arrays.copyOfRange(data, 0, NONCE_BYTES), keyId);
      plain = cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new PayloadCodecException(
          "encrypted payload under key id '"
              + keyId
              + "' failed authentication: altered, or encrypted with another key of that id");
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException(
          "could not decrypt a payload under key id '" + keyId + "'", e);
    }
    try {
      return Payload.parseFrom(plain);
    } catch (InvalidProtocolBufferException e) {
      throw new PayloadCodecException(
          "decrypted payload under key id '" + keyId + "' is not a serialized payload");
    }
  }

  /** The key id is authenticated data: a payload cannot be passed off as another key's. */
  private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String keyId)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance(TRANSFORMATION);
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }

  private static ByteString utf8(String value) {
    return ByteString.copyFromUtf8(value);
  }
}
