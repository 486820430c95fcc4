package com.marketplace.jobs.api.testsupport;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import com.marketplace.jobs.api.security.ApiSecurityConfig;
import com.marketplace.jobs.api.security.SecurityLog;
import com.marketplace.jobs.security.tokens.TriggerToken;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * For api slice tests about what an endpoint does ({@code @Import(TrustedCaller.class)}): the real
 * security rules apply, and every request MockMvc sends carries a valid trigger token made for its
 * method and body (as a well-behaved system would send), unless the test sets its own {@code
 * Authorization} header. The security rules themselves are tested in {@code TriggerAuthTest}.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({MigratedPostgres.class, SecurityLog.class, ApiSecurityConfig.class})
public class TrustedCaller {

  /** A request attribute: this request is sent as it is, without a token (an anonymous caller). */
  public static final String ANONYMOUS = TrustedCaller.class.getName() + ".anonymous";

  /** A request post-processor signing the request as a caller holding both scopes would. */
  public static RequestPostProcessor signedWith(String key) {
    return request -> {
      if (request.getHeader(HttpHeaders.AUTHORIZATION) == null
          && request.getAttribute(ANONYMOUS) == null) {
        TriggerToken token =
            TriggerToken.of(TriggerToken.READ + " " + TriggerToken.WRITE, Duration.ofMinutes(5));
        byte[] body = request.getContentAsByteArray();
        if (body != null && body.length > 0) {
          token = token.withBody(body);
        }
        request.addHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token.signedWith(key));
      }
      return request;
    };
  }

  @Bean
  MockMvcBuilderCustomizer signEveryRequest(
      @Value("${jobs.security.token-keys}") List<String> keys) {
    return builder -> builder.defaultRequest(get("/").with(signedWith(keys.get(0))));
  }
}
