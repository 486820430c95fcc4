/**
 * The Temporal payload codec: every payload encrypted with AES-256-GCM before it leaves a process.
 */
package com.marketplace.jobs.security.codec;
