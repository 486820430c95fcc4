package com.marketplace.jobs.testsupport;

import com.marketplace.jobs.marketplace.MarketplaceClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The marketplace as the moderation steps use it, recording which vehicles were (un)listed. */
public final class RecordingMarketplace implements MarketplaceClient {

  public final Set<Long> withdrawn = Collections.synchronizedSet(new TreeSet<>());
  public final Set<Long> listed = Collections.synchronizedSet(new TreeSet<>());
  public final List<String> keys = Collections.synchronizedList(new ArrayList<>());

  @Override
  public void withdraw(long companyId, List<Long> vehicleIds, String idempotencyKey) {
    withdrawn.addAll(vehicleIds);
    keys.add(idempotencyKey);
  }

  @Override
  public void list(long companyId, List<Long> vehicleIds, String idempotencyKey) {
    listed.addAll(vehicleIds);
    keys.add(idempotencyKey);
  }

  @Override
  public void confirmBooking(String bookingId, long orderId, String idempotencyKey) {}

  @Override
  public void rejectBooking(String bookingId, String reason, String idempotencyKey) {}
}
