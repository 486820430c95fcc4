package com.marketplace.jobs.security.codec;

import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The payload encryption keys of {@code jobs.codec.keys}: a comma-separated list of {@code
 * keyId:base64Key}, each key 32 bytes (AES-256). The first key encrypts; every key decrypts, so
 * histories written under a key that has since been rotated out of first place stay readable.
 *
 * <p>Error messages name the property, the entry's position and the key id, never key material.
 */
public final class PayloadKeys {

  /** The Spring property the keys come from (environment: {@code JOBS_PAYLOAD_KEYS}). */
  public static final String PROPERTY = "jobs.codec.keys";

  static final int KEY_BYTES = 32;

  // The key id travels in every payload's metadata and in error messages: keep it plain.
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final String encryptingKeyId;
  private final Map<String, SecretKey> keys;

  private PayloadKeys(String encryptingKeyId, Map<String, SecretKey> keys) {
    this.encryptingKeyId = encryptingKeyId;
    this.keys = keys;
  }

  /**
   * Parses {@code keyId:base64Key[,keyId:base64Key...]}.
   *
   * @throws IllegalArgumentException naming {@value #PROPERTY} and what is wrong
   */
  public static PayloadKeys parse(String configured) {
    if (configured == null || configured.isBlank()) {
      throw invalid(
          "is empty: set it (or JOBS_PAYLOAD_KEYS) to keyId:base64Key[,keyId:base64Key...],"
              + " 32-byte keys, the first one encrypting");
    }
    Map<String, SecretKey> keys = new LinkedHashMap<>();
    String[] entries = configured.split(",", -1);
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i].strip();
      int position = i + 1;
      int colon = entry.indexOf(':');
      if (colon < 0) {
        throw invalid("entry " + position + " is not keyId:base64Key");
      }
      String id = entry.substring(0, colon).strip();
      if (!KEY_ID.matcher(id).matches()) {
        throw invalid(
            "entry "
                + position
                + " has no valid key id before ':' (1-64 letters, digits, '.', '_' or '-')");
      }
      byte[] material;
      try {
        material = Base64.getDecoder().decode(entry.substring(colon + 1).strip());
      } catch (IllegalArgumentException e) {
        throw invalid("key '" + id + "' is not valid base64");
      }
      if (material.length != KEY_BYTES) {
        throw invalid(
            "key '"
                + id
                + "' is "
                + material.length
                + " bytes after base64 decoding; AES-256 needs exactly "
                + KEY_BYTES);
      }
      if (keys.putIfAbsent(id, new SecretKeySpec(material, "AES")) != null) {
        throw invalid("names key id '" + id + "' twice");
      }
    }
    return new PayloadKeys(keys.keySet().iterator().next(), Collections.unmodifiableMap(keys));
  }

  private static IllegalArgumentException invalid(String problem) {
    return new IllegalArgumentException(PROPERTY + " " + problem);
  }

  /** The id of the key new payloads are encrypted with: the first one configured. */
  public String encryptingKeyId() {
    return encryptingKeyId;
  }

  SecretKey encryptingKey() {
    return keys.get(encryptingKeyId);
  }

  /** The key of that id, or null if it is not configured. */
  SecretKey key(String keyId) {
    return keys.get(keyId);
  }

  /** The configured key ids, the encrypting one first. */
  public java.util.Set<String> keyIds() {
    return keys.keySet();
  }
}
