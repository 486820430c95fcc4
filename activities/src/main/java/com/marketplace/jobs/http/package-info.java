/** Outbound HTTP to third-party services, shared by the activities that call them. */
package com.marketplace.jobs.http;
