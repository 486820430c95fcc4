package com.marketplace.jobs.security.startup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;

/**
 * The values nobody may use in production: whatever the app's own {@code application-dev.yaml} sets
 * (read from the classpath, so the list cannot fall behind the file) and a few well-known
 * placeholders.
 */
public final class DevDefaults {

  private static final Set<String> WELL_KNOWN =
      Set.of("postgres", "password", "changeme", "secret");

  private final Binder devFile;

  private DevDefaults(Binder devFile) {
    this.devFile = devFile;
  }

  /** The defaults of {@code resourceName} on the classpath; only the well-known ones if absent. */
  public static DevDefaults fromClasspath(String resourceName) {
    Resource resource = new ClassPathResource(resourceName, DevDefaults.class.getClassLoader());
    if (!resource.exists()) {
      return new DevDefaults(new Binder());
    }
    try {
      List<PropertySource<?>> sources = new YamlPropertySourceLoader().load(resourceName, resource);
      // ${VAR:default} counts by its default: resolved against no variables at all.
      return new DevDefaults(
          new Binder(
              ConfigurationPropertySources.from(sources),
              new PropertySourcesPlaceholdersResolver(List.of())));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + resourceName, e);
    }
  }

  /** The entries the dev file sets for {@code property}, comma-separated or as a YAML list. */
  public List<String> entries(String property) {
    List<String> entries = new ArrayList<>();
    devFile
        .bind(property, Bindable.listOf(String.class))
        .ifBound(
            values ->
                values.stream().map(String::strip).filter(v -> !v.isEmpty()).forEach(entries::add));
    return entries;
  }

  /**
   * Every value the dev file sets for {@code property.<key>.<field>}, whatever the key: the
   * development users' password hashes, say.
   */
  public List<String> fieldOfEveryEntry(String property, String field) {
    List<String> values = new ArrayList<>();
    devFile
        .bind(property, Bindable.mapOf(String.class, Object.class))
        .ifBound(
            entries ->
                entries.values().stream()
                    .filter(java.util.Map.class::isInstance)
                    .map(entry -> ((java.util.Map<?, ?>) entry).get(field))
                    .filter(value -> value != null)
                    .forEach(value -> values.add(value.toString().strip())));
    return values;
  }

  /** Whether {@code value} is a well-known placeholder or one of the dev file's entries. */
  public boolean isDefault(String property, String value) {
    String stripped = value.strip();
    return WELL_KNOWN.contains(stripped.toLowerCase(Locale.ROOT))
        || entries(property).contains(stripped);
  }
}
