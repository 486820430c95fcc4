package com.marketplace.jobs.notifications;

/** The customer data an email needs. Personal data: never log it, log the id. */
record Customer(long id, long tenantId, String email, String firstName, String timeZone) {}
