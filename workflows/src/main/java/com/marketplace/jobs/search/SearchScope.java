package com.marketplace.jobs.search;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What a re-index rebuilds: one search index and the table it mirrors. */
public enum SearchScope {
  /** The vehicles index: a document per published vehicle; unpublished ones are removed. */
  VEHICLES("vehicles"),
  /** The companies index: a document per company, with its status. */
  COMPANIES("companies");

  private final String id;

  SearchScope(String id) {
    this.id = id;
  }

  /** The name used in the API, the workflow input and the batch records. */
  public String id() {
    return id;
  }

  public static Optional<SearchScope> byId(String id) {
    return Arrays.stream(values()).filter(scope -> scope.id.equals(id)).findFirst();
  }

  public static List<String> ids() {
    return Arrays.stream(values()).map(SearchScope::id).toList();
  }
}
