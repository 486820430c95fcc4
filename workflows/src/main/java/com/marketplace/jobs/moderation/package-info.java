/**
 * Moderation: company ban and unban, and a tenant's marketplace toggle, as all-or-nothing sagas.
 *
 * <p>Ban ({@link com.marketplace.jobs.moderation.CompanyBanWorkflow}), each step undone by the
 * compensation beside it, in reverse order, if a later step fails or the job is cancelled:
 *
 * <ol>
 *   <li>company ACTIVE → BANNED; undo: the recorded status back
 *   <li>its published vehicles unpublished, in batches; undo: exactly those republished
 *   <li>its ACTIVE orders DEACTIVATED, in batches; undo: those still DEACTIVATED made ACTIVE
 *   <li>the unpublished vehicles' documents removed from the search index; undo: re-indexed
 *   <li>if the company is on the marketplace, the unpublished vehicles' listings withdrawn there;
 *       undo: the same vehicles listed again
 * </ol>
 *
 * <p>Once every step committed, the email to the company is accepted as a job of its own ({@link
 * com.marketplace.jobs.notifications.CompanyNoticeWorkflow}): it is no saga step, so an
 * undeliverable address or a Mailgun outage never undoes the ban.
 *
 * <p>Unban ({@link com.marketplace.jobs.moderation.CompanyUnbanWorkflow}) reverses the company's
 * latest completed ban from its recorded changes: BANNED → ACTIVE, exactly the vehicles the ban
 * unpublished republished, exactly the orders it deactivated (and that are still DEACTIVATED)
 * reactivated, the republished vehicles indexed and listed on the marketplace again, then its own
 * notice job; its own changes are recorded too, so its rollback is exact as well.
 *
 * <p>Marketplace toggle ({@link com.marketplace.jobs.moderation.MarketplaceToggleWorkflow}) of a
 * tenant, to on or off: the companies whose {@code marketplace_enabled} differs switched, in
 * batches; the same for its vehicle models; the published vehicles of the switched (active)
 * companies listed on or withdrawn from the marketplace. Each undone from its records, newest
 * first; something that was already in the requested state is never touched, so never "restored".
 */
package com.marketplace.jobs.moderation;
