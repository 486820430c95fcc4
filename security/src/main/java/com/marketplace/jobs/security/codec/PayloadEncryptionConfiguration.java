package com.marketplace.jobs.security.codec;

import io.temporal.common.converter.DataConverter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The payload codec and the data converter for an app that uses the Temporal Spring Boot starter:
 * imported by the api and the worker. The starter gives its WorkflowClient (and with it the worker
 * factory and the relay) the one DataConverter bean in the context, or the one named {@value
 * #MAIN_DATA_CONVERTER} when there are several; the name makes the choice explicit.
 */
@Configuration(proxyBeanMethods = false)
public class PayloadEncryptionConfiguration {

  /** The bean name the Temporal starter prefers among several DataConverter beans. */
  public static final String MAIN_DATA_CONVERTER = "mainDataConverter";

  /** Parsed once at start: a bad {@code jobs.codec.keys} stops the app, naming the property. */
  @Bean
  AesGcmPayloadCodec payloadCodec(@Value("${" + PayloadKeys.PROPERTY + ":}") String keys) {
    return PayloadEncryption.codec(keys);
  }

  @Bean(MAIN_DATA_CONVERTER)
  DataConverter mainDataConverter(AesGcmPayloadCodec payloadCodec) {
    return PayloadEncryption.dataConverter(payloadCodec);
  }
}
