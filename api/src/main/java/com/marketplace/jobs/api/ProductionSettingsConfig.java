package com.marketplace.jobs.api;

import com.marketplace.jobs.security.startup.ProductionSettings;
import com.marketplace.jobs.security.startup.ProductionSettingsCheck;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Outside the dev profile the api refuses to start with missing, default or short secrets, or with
 * trigger authentication off. A scanned configuration rather than an import on {@link
 * ApiApplication}, so that {@code @WebMvcTest} slices leave it out.
 */
@Configuration(proxyBeanMethods = false)
class ProductionSettingsConfig {

  // Static: a bean factory post-processor must not wait for this configuration's own instance.
  @Bean
  static ProductionSettingsCheck productionSettingsCheck() {
    return ProductionSettings.api();
  }
}
