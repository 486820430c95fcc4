package com.marketplace.jobs.api.ops;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Links into the Temporal Web UI: a job's workflow (its latest run) in the api's namespace.
 *
 * @param base the UI's address, {@code jobs.ops.temporal-ui-url}
 */
public record TemporalUiLinks(URI base, String namespace) {

  public String workflow(String workflowId) {
    return base.toString().replaceAll("/+$", "")
        + "/namespaces/"
        + encode(namespace)
        + "/workflows/"
        + encode(workflowId);
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
