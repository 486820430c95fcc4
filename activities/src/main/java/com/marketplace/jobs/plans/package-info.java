/**
 * Plan-limit checks' activities (see the workflows module's {@code plans} package): usage against
 * the plan in PostgreSQL, holdbacks through the marketplace and search clients, emails to tenant
 * administrators through the staff mailer. A vehicle with a row in {@code plan_holdbacks} is never
 * listed nor indexed by any other path: the marketplace toggle, an unban and a ban's compensation
 * (through {@code ModerationChanges.listable} and the toggle's vehicle query) and the search
 * re-index and moderation's search steps skip it.
 */
package com.marketplace.jobs.plans;
