package com.marketplace.jobs.relay;

import io.temporal.serviceclient.GrpcCompression;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the api and the worker talk to the Temporal server ({@code jobs.temporal.*}), beside the
 * starter's {@code spring.temporal.connection.*}.
 *
 * @param grpcCompression the SDK gzips every request by default, and the server answers in kind;
 *     next to the server (the same host or data centre) that only spends CPU on both sides, which
 *     is where this service's throughput goes. {@code GZIP} for a cluster across a slow link.
 */
@ConfigurationProperties("jobs.temporal")
public record TemporalTransportProperties(@DefaultValue("NONE") GrpcCompression grpcCompression) {}
