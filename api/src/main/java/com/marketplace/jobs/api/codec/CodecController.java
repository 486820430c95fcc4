package com.marketplace.jobs.api.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.security.codec.AesGcmPayloadCodec;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodecException;
import java.util.List;
import java.util.function.UnaryOperator;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Temporal's remote codec protocol: a {@code Payloads} message in protobuf JSON ({@code
 * {"payloads":[{"metadata":{"encoding":"<base64>"},"data":"<base64>"}]}}) in, the same shape out,
 * through the worker's codec. Protobuf's own JSON format, as the protocol asks, not Jackson's idea
 * of the message. Decoding leaves payloads that were never encrypted as they are.
 */
@RestController
@RequestMapping("/codec")
class CodecController {

  /** The Web UI names the namespace whose payloads it sends. */
  static final String NAMESPACE_HEADER = "X-Namespace";

  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer();

  private final AesGcmPayloadCodec codec;
  private final String namespace;

  CodecController(
      AesGcmPayloadCodec codec, @Value("${spring.temporal.namespace:default}") String namespace) {
    this.codec = codec;
    this.namespace = namespace;
  }

  @PostMapping("/decode")
  ResponseEntity<String> decode(
      @RequestBody String body,
      @RequestHeader(name = NAMESPACE_HEADER, required = false) String requestedNamespace) {
    return convert(body, requestedNamespace, codec::decode);
  }

  @PostMapping("/encode")
  ResponseEntity<String> encode(
      @RequestBody String body,
      @RequestHeader(name = NAMESPACE_HEADER, required = false) String requestedNamespace) {
    return convert(body, requestedNamespace, codec::encode);
  }

  private ResponseEntity<String> convert(
      String body, String requestedNamespace, UnaryOperator<List<Payload>> conversion) {
    // Another namespace's payloads were written with other keys, if encrypted at all.
    if (requestedNamespace != null && !requestedNamespace.equals(namespace)) {
      throw ApiProblem.notFound("This codec serves the namespace '" + namespace + "' only.");
    }
    Payloads.Builder payloads = Payloads.newBuilder();
    try {
      PARSER.merge(body, payloads);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // The parser's own message can quote the body, which may be personal data.
      throw ApiProblem.badRequest(
          "The body must be a Payloads message in protobuf JSON:"
              + " {\"payloads\": [{\"metadata\": {\"<key>\": \"<base64>\"}, \"data\": \"<base64>\"}]}.");
    }
    List<Payload> converted;
    try {
      converted = conversion.apply(payloads.getPayloadsList());
    } catch (PayloadCodecException e) {
      // Names the key id or what failed, never the payload.
      throw ApiProblem.badRequest("A payload could not be decoded: " + e.getMessage() + ".");
    }
    try {
      String json = PRINTER.print(Payloads.newBuilder().addAllPayloads(converted).build());
      return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a Payloads message could not be printed as JSON", e);
    }
  }
}
