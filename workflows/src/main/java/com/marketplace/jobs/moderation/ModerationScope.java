package com.marketplace.jobs.moderation;

/** How many rows a ban or unban of a company will change, counted before it starts. */
public record ModerationScope(long vehicles, long orders) {

  public long total() {
    return 1 + vehicles + orders;
  }
}
