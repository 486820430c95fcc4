package com.marketplace.jobs.api.ops;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

/**
 * {@code bin/ops-password}: reads a password (without echo at a terminal, else one line of standard
 * input, so it never lands in the shell's history) and prints the hash to put in {@code
 * jobs.ops.users.<name>.password}, e.g. {@code JOBS_OPS_USERS_ALICE_PASSWORD}.
 */
public final class OpsPasswordCommand {

  static final int MINIMUM_LENGTH = 12;

  private OpsPasswordCommand() {}

  public static void main(String[] args) throws IOException {
    String password = read();
    if (password == null || password.length() < MINIMUM_LENGTH) {
      System.err.println(
          "A password of at least " + MINIMUM_LENGTH + " characters is needed; nothing printed.");
      System.exit(2);
    }
    System.out.println(hash(password));
  }

  /** Spring Security's default encoding: bcrypt, with its {@code {bcrypt}} prefix. */
  static String hash(String password) {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(password);
  }

  private static String read() throws IOException {
    Console console = System.console();
    if (console != null) {
      char[] typed = console.readPassword("Password for the /ops user: ");
      return typed == null ? null : new String(typed);
    }
    return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
  }
}
