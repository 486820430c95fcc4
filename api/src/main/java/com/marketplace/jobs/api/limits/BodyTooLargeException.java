package com.marketplace.jobs.api.limits;

/**
 * A chunked request body passed {@code jobs.requests.max-body-size} while it was being read;
 * answered 413. Unchecked, so message converters let it through rather than calling the body
 * malformed.
 */
public class BodyTooLargeException extends RuntimeException {

  private final long limit;

  BodyTooLargeException(long limit) {
    super("The request body is larger than " + limit + " bytes.");
    this.limit = limit;
  }

  public long limit() {
    return limit;
  }
}
