/** The start-up check: outside the dev profile, missing, default or short secrets stop the app. */
package com.marketplace.jobs.security.startup;
