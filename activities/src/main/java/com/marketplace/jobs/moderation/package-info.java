/**
 * The effects of company bans and unbans (the sagas are in the workflows module, same package):
 * set-based SQL in batches over companies, vehicles and orders, every change recorded in {@code
 * moderation_changes} under the job id so compensations and unbans restore exactly what changed.
 */
package com.marketplace.jobs.moderation;
