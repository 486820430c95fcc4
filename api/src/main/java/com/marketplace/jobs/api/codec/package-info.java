/**
 * The codec endpoint the Temporal Web UI (and {@code temporal --codec-endpoint}) calls to show
 * encrypted payloads in clear: {@code POST /codec/decode} and {@code /codec/encode} take and return
 * a {@code Payloads} message as protobuf JSON and run it through the same codec the worker uses.
 * The browser calls it from the UI's origin, so CORS answers that origin ({@code
 * jobs.codec.ui-origin}) and no other.
 */
package com.marketplace.jobs.api.codec;
