package com.marketplace.jobs.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marketplace.jobs.http.ProviderFailures;
import io.temporal.failure.ApplicationFailure;
import jakarta.json.JsonException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.ErrorCause;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.mapping.DynamicMapping;
import org.opensearch.client.opensearch._types.mapping.TypeMapping;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.opensearch.client.opensearch.core.bulk.OperationType;
import org.opensearch.client.opensearch.core.search.Hit;
import org.opensearch.client.transport.TransportException;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Transport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import org.opensearch.client.transport.httpclient5.ResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The vehicles and companies indexes in OpenSearch, through the official {@code opensearch-java}
 * client over Apache HttpClient 5. Writes go through the bulk API, one request per call: {@code
 * index} (create or replace by id) and {@code delete} (a document that is not indexed answers
 * {@code not_found}, which is fine). Each index is created with an explicit, strict mapping the
 * first time this process uses it, if it is missing.
 *
 * <p>Failures: unreachable, timed out, 429 and 5xx are {@code PROVIDER_UNAVAILABLE} (retryable);
 * any other 4xx, a mapping error or a refused bulk item is {@code PROVIDER_REJECTED} (not
 * retryable). A bulk whose refused items were all throttled or failed on the server side retries
 * whole: every operation in it is idempotent.
 */
@Component
public class OpenSearchIndex implements SearchIndex, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OpenSearchIndex.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Page size of {@link #vehicleIdsOfCompany}. */
  private static final int PAGE_SIZE = 1000;

  private final OpenSearchClient client;
  private final ApacheHttpClient5Transport transport;
  private final String index;
  private final String companiesIndex;
  private final Set<String> readyIndexes = ConcurrentHashMap.newKeySet();

  public OpenSearchIndex(SearchProperties properties) {
    this.index = properties.index();
    this.companiesIndex = properties.companiesIndex();
    this.transport = transport(properties);
    this.client = new OpenSearchClient(transport);
  }

  private static ApacheHttpClient5Transport transport(SearchProperties properties) {
    URI url = properties.url();
    HttpHost host = new HttpHost(url.getScheme(), url.getHost(), port(url));
    Timeout timeout = Timeout.of(properties.timeout());
    ApacheHttpClient5TransportBuilder builder =
        ApacheHttpClient5TransportBuilder.builder(host)
            .setMapper(new JacksonJsonpMapper(JSON))
            .setConnectionConfigCallback(
                config -> config.setConnectTimeout(timeout).setSocketTimeout(timeout))
            .setRequestConfigCallback(
                config -> config.setResponseTimeout(timeout).setConnectionRequestTimeout(timeout));
    if (url.getRawPath() != null && !url.getRawPath().isEmpty() && !"/".equals(url.getRawPath())) {
      builder.setPathPrefix(url.getRawPath());
    }
    if (properties.hasCredentials()) {
      // Preemptive basic auth: no 401 round trip on every new connection.
      String password = properties.password() == null ? "" : properties.password();
      String token =
          Base64.getEncoder()
              .encodeToString(
                  (properties.username() + ":" + password).getBytes(StandardCharsets.UTF_8));
      builder.setDefaultHeaders(
          new Header[] {new BasicHeader(HttpHeaders.AUTHORIZATION, "Basic " + token)});
    }
    return builder.build();
  }

  private static int port(URI url) {
    if (url.getPort() != -1) {
      return url.getPort();
    }
    return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
  }

  @Override
  public void indexVehicles(List<VehicleDocument> documents) {
    if (documents.isEmpty()) {
      return;
    }
    bulk(
        "index " + documents.size() + " vehicles",
        index,
        "vehicle",
        vehicleOperations(documents, List.of()));
  }

  @Override
  public void writeVehicles(List<VehicleDocument> documents, List<Long> removedIds) {
    if (documents.isEmpty() && removedIds.isEmpty()) {
      return;
    }
    bulk(
        "index " + documents.size() + " and remove " + removedIds.size() + " vehicles",
        index,
        "vehicle",
        vehicleOperations(documents, removedIds));
  }

  @Override
  public void removeVehicles(List<Long> vehicleIds) {
    if (vehicleIds.isEmpty()) {
      return;
    }
    bulk(
        "remove " + vehicleIds.size() + " vehicles",
        index,
        "vehicle",
        vehicleOperations(List.of(), vehicleIds));
  }

  /** Create-or-replace operations for {@code documents}, then deletes for {@code removedIds}. */
  private List<BulkOperation> vehicleOperations(
      List<VehicleDocument> documents, List<Long> removedIds) {
    List<BulkOperation> operations = new ArrayList<>(documents.size() + removedIds.size());
    for (VehicleDocument document : documents) {
      operations.add(
          BulkOperation.of(
              op ->
                  op.index(
                      i -> i.index(index).id(Long.toString(document.id())).document(document))));
    }
    for (Long id : removedIds) {
      operations.add(BulkOperation.of(op -> op.delete(d -> d.index(index).id(id.toString()))));
    }
    return operations;
  }

  @Override
  public void indexCompanies(List<CompanyDocument> documents) {
    if (documents.isEmpty()) {
      return;
    }
    List<BulkOperation> operations = new ArrayList<>(documents.size());
    for (CompanyDocument document : documents) {
      operations.add(
          BulkOperation.of(
              op ->
                  op.index(
                      i ->
                          i.index(companiesIndex)
                              .id(Long.toString(document.id()))
                              .document(document))));
    }
    bulk("index " + documents.size() + " companies", companiesIndex, "company", operations);
  }

  @Override
  public Set<Long> vehicleIdsOfCompany(long companyId) {
    String action = "list the vehicles of company " + companyId;
    ensureIndex(index);
    Set<Long> ids = new HashSet<>();
    List<FieldValue> after = null;
    while (true) {
      List<FieldValue> searchAfter = after;
      SearchResponse<JsonData> page =
          call(
              action,
              () ->
                  client.search(
                      s -> {
                        s.index(index)
                            .query(
                                q ->
                                    q.term(
                                        t -> t.field("companyId").value(FieldValue.of(companyId))))
                            .source(src -> src.fetch(false))
                            .sort(sort -> sort.field(f -> f.field("id").order(SortOrder.Asc)))
                            .trackTotalHits(t -> t.enabled(false))
                            .size(PAGE_SIZE);
                        if (searchAfter != null) {
                          s.searchAfter(searchAfter);
                        }
                        return s;
                      },
                      JsonData.class));
      List<Hit<JsonData>> hits = page.hits().hits();
      for (Hit<JsonData> hit : hits) {
        ids.add(Long.parseLong(hit.id()));
      }
      if (hits.size() < PAGE_SIZE) {
        return ids;
      }
      after = hits.get(hits.size() - 1).sort();
    }
  }

  @Override
  public void refresh() {
    ensureIndex(index);
    ensureIndex(companiesIndex);
    call(
        "refresh the indexes",
        () -> client.indices().refresh(r -> r.index(List.of(index, companiesIndex))));
  }

  private void bulk(String action, String target, String noun, List<BulkOperation> operations) {
    ensureIndex(target);
    BulkResponse response = call(action, () -> client.bulk(b -> b.operations(operations)));
    if (!response.errors()) {
      return;
    }
    List<BulkResponseItem> refused =
        response.items().stream()
            .filter(item -> item.error() != null)
            .filter(item -> !(item.operationType() == OperationType.Delete && item.status() == 404))
            .toList();
    if (refused.isEmpty()) {
      return;
    }
    boolean retryable =
        refused.stream().allMatch(item -> ProviderFailures.retryable(item.status()));
    String examples =
        refused.stream()
            .limit(3)
            .map(item -> noun + " " + item.id() + " " + describe(item.status(), item.error()))
            .collect(Collectors.joining("; "));
    String message =
        "OpenSearch refused %d of %d items (%s): %s"
            .formatted(refused.size(), operations.size(), action, examples);
    if (refused.stream().anyMatch(item -> isIndexNotFound(item.error()))) {
      readyIndexes.remove(target);
    }
    throw ProviderFailures.of(retryable, message, null);
  }

  /** Creates the index with its mapping unless this process has seen it already (idempotent). */
  private void ensureIndex(String name) {
    if (readyIndexes.contains(name)) {
      return;
    }
    boolean exists =
        call("check the index", () -> client.indices().exists(e -> e.index(name)).value());
    if (!exists) {
      boolean created = call("create the index", () -> createIndex(name));
      if (created) {
        log.info("Created the search index {}", name);
      }
    }
    readyIndexes.add(name);
  }

  /** Returns false when another process created the index in between. */
  private boolean createIndex(String name) throws IOException {
    try {
      client
          .indices()
          .create(
              c ->
                  c.index(name)
                      .settings(s -> s.numberOfShards(1).autoExpandReplicas("0-1"))
                      .mappings(
                          name.equals(companiesIndex) ? companiesMapping() : vehiclesMapping()));
      return true;
    } catch (OpenSearchException e) {
      if ("resource_already_exists_exception".equals(e.error().type())) {
        return false;
      }
      throw e;
    }
  }

  private static TypeMapping companiesMapping() {
    return TypeMapping.of(
        m ->
            m.dynamic(DynamicMapping.Strict)
                .properties("id", p -> p.long_(l -> l))
                .properties("tenantId", p -> p.long_(l -> l))
                .properties(
                    "name",
                    p -> p.text(t -> t.fields("keyword", f -> f.keyword(k -> k.ignoreAbove(256)))))
                .properties("status", p -> p.keyword(k -> k))
                .properties("marketplaceEnabled", p -> p.boolean_(b -> b)));
  }

  private static TypeMapping vehiclesMapping() {
    return TypeMapping.of(
        m ->
            m.dynamic(DynamicMapping.Strict)
                .properties("id", p -> p.long_(l -> l))
                .properties("companyId", p -> p.long_(l -> l))
                .properties("tenantId", p -> p.long_(l -> l))
                .properties("modelId", p -> p.long_(l -> l))
                .properties(
                    "modelName",
                    p -> p.text(t -> t.fields("keyword", f -> f.keyword(k -> k.ignoreAbove(256)))))
                .properties("published", p -> p.boolean_(b -> b)));
  }

  private interface Call<T> {
    T run() throws IOException;
  }

  private <T> T call(String action, Call<T> call) {
    try {
      return call.run();
    } catch (OpenSearchException e) {
      if (isIndexNotFound(e.error())) {
        // Deleted behind our back: the next attempt creates it again.
        readyIndexes.clear();
        throw failure(true, "OpenSearch: index not found (" + action + ")", e);
      }
      throw failure(
          retryableStatus(e.status()),
          "OpenSearch answered " + describe(e.status(), e.error()) + " (" + action + ")",
          e);
    } catch (ResponseException e) {
      throw answered(action, e);
    } catch (TransportException e) {
      if (e.getCause() instanceof ResponseException response) {
        throw answered(action, response);
      }
      throw unreachable(action, e);
    } catch (IOException e) {
      throw unreachable(action, e);
    } catch (UncheckedIOException e) {
      throw unreachable(action, e.getCause());
    } catch (JsonException e) {
      // Not OpenSearch's JSON: a proxy's error page, a truncated answer.
      throw failure(true, "OpenSearch's answer was unreadable (" + action + ")", e);
    }
  }

  /** An HTTP error the client could not decode into an {@link OpenSearchException}. */
  private static ApplicationFailure answered(String action, ResponseException e) {
    int status = e.status();
    String error = "";
    // The client puts the answer's body after the first line of the message.
    String message = e.getMessage() == null ? "" : e.getMessage();
    int bodyStart = message.indexOf('\n');
    try {
      JsonNode cause = JSON.readTree(message.substring(bodyStart + 1)).path("error");
      if (bodyStart >= 0 && cause.hasNonNull("type")) {
        error = " [" + cause.get("type").asText() + "] " + cause.path("reason").asText("");
      }
    } catch (IOException | RuntimeException notJson) {
      // A proxy's page, or no body: the status says enough.
    }
    return failure(
        retryableStatus(status),
        "OpenSearch answered HTTP " + status + error.stripTrailing() + " (" + action + ")",
        e);
  }

  private ApplicationFailure unreachable(String action, IOException e) {
    String detail =
        e.getMessage() == null
            ? e.getClass().getSimpleName()
            : e.getClass().getSimpleName() + ": " + e.getMessage();
    return failure(true, "OpenSearch unreachable (" + action + "): " + detail, e);
  }

  private static ApplicationFailure failure(boolean retryable, String message, Exception cause) {
    return ProviderFailures.of(retryable, message, cause);
  }

  private static boolean retryableStatus(int status) {
    return ProviderFailures.retryable(status);
  }

  private static boolean isIndexNotFound(ErrorCause error) {
    return error != null && "index_not_found_exception".equals(error.type());
  }

  private static String describe(int status, ErrorCause error) {
    if (error == null) {
      return "HTTP " + status;
    }
    String reason = error.reason() == null ? "" : " " + error.reason();
    return "HTTP " + status + " [" + error.type() + "]" + reason;
  }

  @Override
  public void close() {
    try {
      transport.close();
    } catch (IOException e) {
      log.warn("Closing the OpenSearch client failed", e);
    }
  }
}
