package com.marketplace.jobs.api.codec;

import java.net.URI;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param uiOrigin the Temporal Web UI's origins ({@code scheme://host[:port]}), comma-separated:
 *     the only pages whose scripts may call the codec endpoint. Empty: no browser may.
 */
@ConfigurationProperties("jobs.codec")
record CodecEndpointProperties(List<String> uiOrigin) {

  CodecEndpointProperties {
    uiOrigin =
        uiOrigin == null
            ? List.of()
            : uiOrigin.stream().map(String::strip).filter(origin -> !origin.isEmpty()).toList();
    uiOrigin.forEach(CodecEndpointProperties::checkOrigin);
  }

  /** An origin as a browser sends it; a wildcard or a path would never match, or match too much. */
  private static void checkOrigin(String origin) {
    URI uri;
    try {
      uri = URI.create(origin);
    } catch (IllegalArgumentException e) {
      throw invalid(origin);
    }
    boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
    boolean bare =
        (uri.getRawPath() == null || uri.getRawPath().isEmpty())
            && uri.getRawQuery() == null
            && uri.getRawFragment() == null
            && uri.getRawUserInfo() == null;
    if (!web || uri.getHost() == null || !bare) {
      throw invalid(origin);
    }
  }

  private static IllegalArgumentException invalid(String origin) {
    return new IllegalArgumentException(
        "jobs.codec.ui-origin '"
            + origin
            + "' is not an origin: write scheme://host[:port], e.g. http://127.0.0.1:8233");
  }
}
