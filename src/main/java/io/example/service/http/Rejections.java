package io.example.service.http;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests refused as malformed, over a limit or without the admin token, counted by reason. One instance per
 * service, shared by every HTTP instance's event loop, so each reason is a {@link LongAdder}: counting
 * allocates nothing and happens only on a refusal, never on the normal request path.
 *
 * <p>The reason names are part of the public surface ({@code /status} now, the metric
 * {@code service_http_rejected_total{reason}} later): keep them stable, lowercase snake case.
 */
public final class Rejections {

  /** Why a request was refused. {@link #label()} is the name in /status and the metric. */
  public enum Reason {
    /** HTTP/1.1 without a Host header, or HTTP/2 without :authority: 400. */
    MISSING_HOST,
    /** A Host header that is not a valid host[:port]: 400. */
    INVALID_HOST,
    /** A request line that is not HTTP (garbage, a bad method or target), or a header line that cannot be parsed: 400. */
    BAD_REQUEST,
    /** A version other than HTTP/1.0 and HTTP/1.1 on an HTTP/1 connection (a broken h2c preface among them): 400, closed. */
    UNSUPPORTED_VERSION,
    /** A path with malformed percent-encoding: 400. */
    MALFORMED_PATH,
    /** A query string with malformed percent-encoding, invalid UTF-8 or raw non-ASCII bytes: 400. */
    MALFORMED_QUERY,
    /** Headers over http.maxHeaderBytes: 431, closed. */
    HEADER_TOO_LARGE,
    /** A request line over http.maxRequestLineBytes: 414, closed. */
    URI_TOO_LONG,
    /** A body (declared or chunked) over http.maxBodyBytes, or an unusable Content-Length: 413, closed. */
    BODY_TOO_LARGE,
    /** A body that cannot be decoded (broken chunked encoding): the connection is closed. */
    BAD_BODY,
    /** An HTTP/2 connection or stream error (a bad frame, a bad header block, a flood): GOAWAY or RST_STREAM. */
    H2_PROTOCOL_ERROR,
    /** {@code POST /shutdown} without the right {@code Authorization: Bearer} token: 401. */
    UNAUTHORIZED;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
      return label;
    }
  }

  private static final Reason[] REASONS = Reason.values();
  private final LongAdder[] counts = new LongAdder[REASONS.length];

  public Rejections() {
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  public void count(Reason reason) {
    counts[reason.ordinal()].increment();
  }

  public long total(Reason reason) {
    return counts[reason.ordinal()].sum();
  }

  /** Every reason with its count, zeros included, so a dashboard sees each name from the start. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    for (Reason reason : REASONS) {
      json.put(reason.label(), counts[reason.ordinal()].sum());
    }
    return json;
  }
}
