package com.marketplace.jobs.security.startup;

import java.util.List;

/** What the api and the worker each need to start outside the dev profile. */
public final class ProductionSettings {

  public static final Requirement TOKEN_KEYS =
      new Requirement.Secrets(
          "jobs.security.token-keys", "JOBS_TOKEN_KEYS", "HS256 trigger-token keys", 32, true);

  public static final Requirement STRIPE_WEBHOOK_SECRETS =
      new Requirement.Secrets(
          "jobs.stripe.webhook-secrets",
          "STRIPE_WEBHOOK_SECRETS",
          "Stripe's webhook signing secrets",
          24,
          false);

  public static final Requirement MARKETPLACE_WEBHOOK_SECRETS =
      new Requirement.Secrets(
          "jobs.marketplace.webhook-secrets",
          "MARKETPLACE_WEBHOOK_SECRETS",
          "Billion's webhook signing secrets",
          24,
          false);

  /** Mailgun's HTTP webhook signing keys (current and next); Mailgun's own are 32+ characters. */
  public static final Requirement MAILGUN_WEBHOOK_SIGNING_KEYS =
      new Requirement.Secrets(
          "jobs.mailgun.webhook-signing-keys",
          "MAILGUN_WEBHOOK_SIGNING_KEYS",
          "Mailgun's webhook signing keys",
          24,
          false);

  /** AES-256: 32-byte keys. */
  public static final Requirement PAYLOAD_KEYS =
      new Requirement.PayloadKeys("jobs.codec.keys", "JOBS_PAYLOAD_KEYS", 32);

  public static final Requirement DATABASE_PASSWORD =
      new Requirement.Secret("spring.datasource.password", "SPRING_DATASOURCE_PASSWORD", 12);

  public static final Requirement TRIGGER_AUTH =
      new Requirement.Switch(
          "jobs.security.trigger-auth", "JOBS_TRIGGER_AUTH", "trigger authentication");

  /** The /ops page's users: hashed passwords, never the development users'. */
  public static final Requirement OPS_USERS =
      new Requirement.PasswordHashes("jobs.ops.users", "JOBS_OPS_USERS_<NAME>_PASSWORD");

  /** Each app reads its own file from its own classpath. */
  public static final String DEV_DEFAULTS = "application-dev.yaml";

  private ProductionSettings() {}

  public static ProductionSettingsCheck api() {
    return new ProductionSettingsCheck(
        "api",
        List.of(
            TOKEN_KEYS,
            TRIGGER_AUTH,
            STRIPE_WEBHOOK_SECRETS,
            MARKETPLACE_WEBHOOK_SECRETS,
            MAILGUN_WEBHOOK_SIGNING_KEYS,
            PAYLOAD_KEYS,
            DATABASE_PASSWORD,
            OPS_USERS),
        DevDefaults.fromClasspath(DEV_DEFAULTS));
  }

  public static ProductionSettingsCheck worker() {
    return new ProductionSettingsCheck(
        "worker",
        List.of(PAYLOAD_KEYS, DATABASE_PASSWORD),
        DevDefaults.fromClasspath(DEV_DEFAULTS));
  }
}
