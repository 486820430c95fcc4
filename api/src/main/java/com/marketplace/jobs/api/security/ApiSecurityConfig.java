package com.marketplace.jobs.api.security;

import static org.springframework.security.config.Customizer.withDefaults;

import com.marketplace.jobs.api.problems.ProblemResponses;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * The api's access rules. Webhooks check their own signatures; health answers anyone (without
 * details); everything else needs a trigger token: {@code jobs:read} to read jobs, stats, the codec
 * and the other actuator endpoints, {@code jobs:write} to trigger. With {@code
 * jobs.security.trigger-auth=false} (the dev profile only: the start-up check refuses it elsewhere)
 * nothing asks for a token.
 */
@Configuration
@EnableConfigurationProperties(TriggerSecurityProperties.class)
public class ApiSecurityConfig {

  private static final Logger log = LoggerFactory.getLogger(ApiSecurityConfig.class);

  /**
   * URLs Spring Security's firewall refuses (encoded slashes, control characters, {@code ..}) are a
   * 400 problem like every other bad request.
   */
  @Bean
  RequestRejectedHandler problemForRejectedRequests() {
    return (request, response, rejected) ->
        ProblemResponses.write(
            response,
            HttpServletResponse.SC_BAD_REQUEST,
            "Bad Request",
            "The request URL is not allowed: it holds encoded or control characters or a path"
                + " traversal.");
  }

  @Bean
  SecurityFilterChain apiSecurity(
      HttpSecurity http, TriggerSecurityProperties properties, SecurityLog securityLog)
      throws Exception {
    http.csrf(AbstractHttpConfigurer::disable) // no cookies, no sessions: nothing to forge
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .cors(withDefaults())
        .httpBasic(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable);
    if (!properties.triggerAuth()) {
      log.warn(
          "Trigger authentication is OFF (dev profile): /api/** accepts calls without a token");
      http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
      return http.build();
    }
    SecurityRefusals refusals = new SecurityRefusals(securityLog);
    http.authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers("/error", "/webhooks/**", "/actuator/health/**")
                    .permitAll()
                    .requestMatchers("/actuator/health", "/v3/api-docs", "/v3/api-docs/**")
                    .permitAll()
                    .requestMatchers(HttpMethod.OPTIONS, "/codec/**")
                    .permitAll()
                    .requestMatchers("/codec/**", "/actuator/**")
                    .hasAuthority("SCOPE_jobs:read")
                    .requestMatchers(HttpMethod.GET, "/api/**")
                    .hasAuthority("SCOPE_jobs:read")
                    .requestMatchers(HttpMethod.HEAD, "/api/**")
                    .hasAuthority("SCOPE_jobs:read")
                    .requestMatchers("/api/**")
                    .hasAuthority("SCOPE_jobs:write")
                    .anyRequest()
                    .denyAll())
        .oauth2ResourceServer(
            resourceServer ->
                resourceServer
                    .jwt(jwt -> jwt.decoder(TriggerTokenDecoder.of(properties)))
                    .authenticationEntryPoint(refusals)
                    .accessDeniedHandler(refusals))
        .exceptionHandling(
            exceptions ->
                exceptions.authenticationEntryPoint(refusals).accessDeniedHandler(refusals))
        .addFilterAfter(new BodyHashFilter(refusals), BearerTokenAuthenticationFilter.class);
    return http.build();
  }
}
