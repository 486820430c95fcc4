/**
 * Fleet automation's activities: the vehicle reminders' claims and emails (see the workflows
 * module's {@code fleet} package).
 */
package com.marketplace.jobs.fleet;
