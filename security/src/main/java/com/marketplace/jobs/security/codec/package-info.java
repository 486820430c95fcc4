/**
 * The Temporal payload codec: every payload encrypted with AES-256-GCM before it leaves a process.
 *
 * <p>{@link com.marketplace.jobs.security.codec.PayloadKeys} parses {@code jobs.codec.keys} ({@code
 * keyId:base64Key,...}, the first encrypting, all decrypting). {@link
 * com.marketplace.jobs.security.codec.AesGcmPayloadCodec} seals each serialized payload with a
 * random nonce and writes the key id into the new payload's metadata; payloads that were never
 * encrypted pass through decoding. {@link com.marketplace.jobs.security.codec.PayloadEncryption}
 * wraps it in the SDK's {@code CodecDataConverter} (failure messages and stack traces encrypted
 * too), and {@link com.marketplace.jobs.security.codec.PayloadEncryptionConfiguration} gives the
 * api and the worker that converter as the Temporal starter's {@code mainDataConverter}.
 */
package com.marketplace.jobs.security.codec;
