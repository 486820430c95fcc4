/**
 * What every capability shares: task queue names, the job types and their priority tiers, the
 * failure types our activities throw, and the custom search attributes. No string literal for any
 * of these appears elsewhere in Java code.
 */
package com.marketplace.jobs.common;
