package com.marketplace.jobs.api.codec;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * CORS for the codec endpoint only, and only for the Web UI's origin: the UI decodes payloads in
 * the operator's browser, so its page's scripts call this api across origins. Any other origin's
 * preflight is refused (403) and its responses carry no Access-Control-Allow-Origin, so no other
 * page can read decoded payloads. Spring Security's {@code http.cors()} picks up these mappings.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CodecEndpointProperties.class)
class CodecCorsConfig implements WebMvcConfigurer {

  /** The headers the Web UI sends to a codec endpoint (its access token only when configured). */
  static final String[] UI_HEADERS = {
    HttpHeaders.CONTENT_TYPE,
    CodecController.NAMESPACE_HEADER,
    HttpHeaders.AUTHORIZATION,
    "Authorization-Extras"
  };

  private final CodecEndpointProperties properties;

  CodecCorsConfig(CodecEndpointProperties properties) {
    this.properties = properties;
  }

  @Override
  public void addCorsMappings(CorsRegistry registry) {
    if (properties.uiOrigin().isEmpty()) {
      return;
    }
    registry
        .addMapping("/codec/**")
        .allowedOrigins(properties.uiOrigin().toArray(String[]::new))
        .allowedMethods("POST")
        .allowedHeaders(UI_HEADERS)
        // The UI's "include cross-origin credentials" setting sends the operator's cookies.
        .allowCredentials(true)
        .maxAge(3600);
  }
}
