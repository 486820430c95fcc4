package com.marketplace.jobs.security.tokens;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * {@code bin/token}: prints a trigger token for one request, signed with the first key of {@code
 * JOBS_TOKEN_KEYS}. For callers trying the api by hand and for scripts; systems make their own
 * tokens with any JWT library the same way.
 */
public final class TokenCommand {

  private static final String USAGE =
      """
      usage: bin/token [--scope jobs:write|jobs:read|"jobs:read jobs:write"] [--body-file FILE | --body TEXT]
                       [--ttl 5m] [--issuer marketplace-platform] [--audience background-jobs]
      Signs with the first key in JOBS_TOKEN_KEYS. A request with a body needs the token made for
      exactly that body (--body-file FILE sends the bytes curl's --data-binary @FILE sends).""";

  private TokenCommand() {}

  public static void main(String[] args) {
    try {
      System.out.println(token(args, System.getenv("JOBS_TOKEN_KEYS")));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
    }
  }

  static String token(String[] args, String keys) {
    if (keys == null || keys.isBlank()) {
      throw new IllegalArgumentException(
          "JOBS_TOKEN_KEYS is not set: export the api's token keys.");
    }
    String key = keys.split(",")[0].trim();
    String scope = TriggerToken.WRITE;
    String issuer = TriggerToken.DEFAULT_ISSUER;
    String audience = TriggerToken.DEFAULT_AUDIENCE;
    Duration ttl = Duration.ofMinutes(5);
    byte[] body = null;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      String value = args[++i];
      switch (name) {
        case "--scope" -> scope = value;
        case "--issuer" -> issuer = value;
        case "--audience" -> audience = value;
        case "--ttl" -> ttl = duration(value);
        case "--body" -> body = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        case "--body-file" -> body = read(value);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    TriggerToken token = TriggerToken.of(scope, ttl).withIssuer(issuer).withAudience(audience);
    return (body == null ? token : token.withBody(body)).signedWith(key);
  }

  private static Duration duration(String value) {
    try {
      return Duration.parse("PT" + value.toUpperCase(java.util.Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--ttl takes a duration such as 90s, 5m or 1h");
    }
  }

  private static byte[] read(String file) {
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
  }
}
