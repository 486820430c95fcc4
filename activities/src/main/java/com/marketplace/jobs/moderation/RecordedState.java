package com.marketplace.jobs.moderation;

/**
 * A vehicle's state in an external system, as {@code moderation_changes} records it for {@link
 * ChangedEntity#LISTING} and {@link ChangedEntity#SEARCH_DOCUMENT} changes.
 */
enum RecordedState {
  LISTED("listed"),
  WITHDRAWN("withdrawn"),
  INDEXED("indexed"),
  REMOVED("removed");

  private final String recorded;

  RecordedState(String recorded) {
    this.recorded = recorded;
  }

  /** The value in {@code previous_state} / {@code new_state}. */
  String recorded() {
    return recorded;
  }

  /** The state a change to this one is undone to. */
  RecordedState opposite() {
    return switch (this) {
      case LISTED -> WITHDRAWN;
      case WITHDRAWN -> LISTED;
      case INDEXED -> REMOVED;
      case REMOVED -> INDEXED;
    };
  }
}
