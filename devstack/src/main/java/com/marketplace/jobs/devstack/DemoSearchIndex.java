package com.marketplace.jobs.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Fills the development search node the way the platform's index looks: one document per published
 * vehicle. The mapping is the one the worker's {@code OpenSearchIndex} creates (kept in step by
 * hand: this module must not depend on the worker's code); the worker finds the index existing and
 * uses it.
 */
final class DemoSearchIndex {

  private static final String MAPPING =
      """
      {"settings": {"number_of_shards": 1, "auto_expand_replicas": "0-1"},
       "mappings": {"dynamic": "strict", "properties": {
         "id": {"type": "long"}, "companyId": {"type": "long"}, "tenantId": {"type": "long"},
         "modelId": {"type": "long"},
         "modelName": {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 256}}},
         "published": {"type": "boolean"}}}}
      """;

  private DemoSearchIndex() {}

  static void seed(DataSource dataSource, String searchUrl) {
    HttpClient http = HttpClient.newHttpClient();
    send(
        http, HttpRequest.newBuilder(URI.create(searchUrl + "/vehicles")).PUT(json(MAPPING)), true);
    StringBuilder bulk = new StringBuilder();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                """
                SELECT v.id, v.company_id, c.tenant_id, v.model_id, m.name
                  FROM vehicles v JOIN companies c ON c.id = v.company_id
                  JOIN vehicle_models m ON m.id = v.model_id
                 WHERE v.published
                """)) {
      while (rows.next()) {
        bulk.append("{\"index\":{\"_index\":\"vehicles\",\"_id\":\"")
            .append(rows.getLong(1))
            .append("\"}}\n")
            .append(
                "{\"id\":%d,\"companyId\":%d,\"tenantId\":%d,\"modelId\":%d,\"modelName\":\"%s\",\"published\":true}\n"
                    .formatted(
                        rows.getLong(1),
                        rows.getLong(2),
                        rows.getLong(3),
                        rows.getLong(4),
                        rows.getString(5).replace("\"", "\\\"")));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the demo vehicles", e);
    }
    if (!bulk.isEmpty()) {
      send(
          http,
          HttpRequest.newBuilder(URI.create(searchUrl + "/_bulk?refresh=true"))
              .POST(HttpRequest.BodyPublishers.ofString(bulk.toString())),
          false);
    }
  }

  private static HttpRequest.BodyPublisher json(String body) {
    return HttpRequest.BodyPublishers.ofString(body);
  }

  private static void send(HttpClient http, HttpRequest.Builder request, boolean existingIsFine) {
    try {
      HttpResponse<String> response =
          http.send(
              request.header("Content-Type", "application/json").build(),
              HttpResponse.BodyHandlers.ofString());
      boolean exists = response.body().contains("resource_already_exists_exception");
      if (response.statusCode() >= 300 && !(existingIsFine && exists)) {
        throw new IllegalStateException(
            "search node answered " + response.statusCode() + ": " + response.body());
      }
      if (response.body().contains("\"errors\":true")) {
        throw new IllegalStateException("search node refused demo documents: " + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
