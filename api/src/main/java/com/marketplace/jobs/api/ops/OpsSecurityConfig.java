package com.marketplace.jobs.api.ops;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The /ops page's own security, apart from the api's tokens: a form login with a session cookie,
 * CSRF tokens on every form and fetch that changes something, users and password hashes from
 * configuration. Viewers read; operators may also act ({@code POST /ops/**}). Runs before the api's
 * chain and only for /ops, so a session never opens {@code /api/**}.
 */
@Configuration
@EnableConfigurationProperties(OpsProperties.class)
public class OpsSecurityConfig {

  static final String LOGIN_PAGE = "/ops/login";

  @Bean
  @Order(1)
  SecurityFilterChain opsSecurity(HttpSecurity http, OpsProperties properties) throws Exception {
    String viewer = OpsRole.VIEWER.name();
    String operator = OpsRole.OPERATOR.name();
    http.securityMatcher("/ops", "/ops/**")
        .userDetailsService(users(properties))
        .authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers(LOGIN_PAGE, "/ops/static/**")
                    .permitAll()
                    .requestMatchers(HttpMethod.GET, "/ops", "/ops/**")
                    .hasAnyRole(viewer, operator)
                    .requestMatchers("/ops/**")
                    .hasRole(operator)
                    .anyRequest()
                    .denyAll())
        .formLogin(
            form ->
                form.loginPage(LOGIN_PAGE)
                    .loginProcessingUrl(LOGIN_PAGE)
                    .defaultSuccessUrl("/ops", false)
                    .failureUrl(LOGIN_PAGE + "?error"))
        .logout(logout -> logout.logoutUrl("/ops/logout").logoutSuccessUrl(LOGIN_PAGE + "?out"))
        .headers(
            headers ->
                headers.contentSecurityPolicy(
                    csp ->
                        csp.policyDirectives(
                            "default-src 'self'; style-src 'self' 'unsafe-inline';"
                                + " frame-ancestors 'none'; form-action 'self'")));
    return http.build();
  }

  /** The configured users; an operator holds both roles, so every viewer page is open to them. */
  static InMemoryUserDetailsManager users(OpsProperties properties) {
    List<UserDetails> users =
        properties.users().entrySet().stream()
            .map(
                entry -> {
                  Set<String> roles = new LinkedHashSet<>();
                  for (String role : entry.getValue().roles()) {
                    OpsRole parsed = OpsProperties.role("jobs.ops.users." + entry.getKey(), role);
                    roles.add(parsed.name());
                    if (parsed == OpsRole.OPERATOR) {
                      roles.add(OpsRole.VIEWER.name());
                    }
                  }
                  return User.withUsername(entry.getKey())
                      .password(entry.getValue().password())
                      .roles(roles.toArray(String[]::new))
                      .build();
                })
            .map(UserDetails.class::cast)
            .toList();
    return new InMemoryUserDetailsManager(users);
  }

  /** Reads the {@code {id}} prefix of each configured hash (bcrypt, argon2, pbkdf2, scrypt). */
  @Bean
  PasswordEncoder opsPasswordEncoder() {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }
}
