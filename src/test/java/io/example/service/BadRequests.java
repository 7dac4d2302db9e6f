package io.example.service;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Malformed requests, each with the answer and the rejection reason it must get. For a server whose limits
 * are {@link #MAX_LINE} (request line), {@link #MAX_HEADER} (headers) and {@link #MAX_BODY} (body).
 */
public final class BadRequests {

  public static final int MAX_LINE = 512;
  public static final int MAX_HEADER = 1024;
  public static final int MAX_BODY = 100;

  /**
   * @param status the answer's status, or -1 for "closed with no HTTP/1 answer" (HTTP/2 answers with a GOAWAY)
   * @param closes whether the connection must be closed after the answer
   */
  public record Case(String name, byte[] bytes, int status, String reason, boolean closes) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** The HTTP/2 client preface, after which a client must send a SETTINGS frame. */
  static final String H2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

  private BadRequests() {}

  public static List<Case> all() {
    return List.of(
        text("no Host", "GET / HTTP/1.1\r\n\r\n", 400, "missing_host", false),
        text("absolute form without Host", "GET http://x/ HTTP/1.1\r\n\r\n", 400, "missing_host", false),
        text("Host that does not parse", "GET / HTTP/1.1\r\nHost: [::zz\r\n\r\n", 400, "invalid_host", false),
        text("garbage request line", "\u0016\u0003\u0001 hello\r\n\r\n", 400, "bad_request", true),
        text("request line without a version", "HELLO\r\n\r\n", 400, "bad_request", true),
        text("header line without a colon", "GET / HTTP/1.1\r\nHost: x\r\nnocolon\r\n\r\n", 400, "bad_request", true),
        text("control byte in a header name", "GET / HTTP/1.1\r\nHost: x\r\nX-\u0000A: 1\r\n\r\n", 400, "bad_request",
            true),
        text("unknown HTTP version", "GET / HTTP/9.9\r\nHost: x\r\n\r\n", 400, "unsupported_version", true),
        text("broken h2c preface", "PRI * HTTP/2.0\r\n\r\nXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", 400,
            "unsupported_version", true),
        text("bad escape in the path", "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400, "malformed_path", false),
        text("bad escape in the query", "GET /?user=%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400, "malformed_query", false),
        text("invalid UTF-8 in the query", "GET /?user=%C3%28 HTTP/1.1\r\nHost: x\r\n\r\n", 400, "malformed_query",
            false),
        text("raw byte over 0x7F in the query", "GET /?user=\u00ff\u00fe HTTP/1.1\r\nHost: x\r\n\r\n", 400,
            "malformed_query", false),
        text("oversized header", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(MAX_HEADER * 2) + "\r\n\r\n",
            431, "header_too_large", true),
        text("oversized request line", "GET /?user=" + "a".repeat(MAX_LINE * 2) + " HTTP/1.1\r\nHost: x\r\n\r\n",
            414, "uri_too_long", true),
        text("oversized declared body", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + (MAX_BODY + 1)
            + "\r\n\r\n", 413, "body_too_large", true),
        text("broken chunk size", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", -1,
            "bad_body", true),
        new Case("h2 HEADERS that are not HPACK", h2BadHpack(), -1,
            "h2_protocol_error", true));
  }

  static Case text(String name, String request, int status, String reason, boolean closes) {
    return new Case(name, request.getBytes(StandardCharsets.ISO_8859_1), status, reason, closes);
  }

  /** A valid preface and SETTINGS, then a HEADERS frame whose header block is not valid HPACK. */
  static byte[] h2BadHpack() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(H2_PREFACE.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(frame(4, 0, 0, new byte[0]));          // SETTINGS
    out.writeBytes(frame(4, 1, 0, new byte[0]));          // SETTINGS ack
    out.writeBytes(frame(1, 5, 1, new byte[] {-1, -1, -1, -1, -1})); // HEADERS, END_STREAM | END_HEADERS
    return out.toByteArray();
  }

  /** A valid h2c request by prior knowledge: preface, SETTINGS and its ack, HEADERS for GET / on stream 1. */
  static byte[] h2Get() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(H2_PREFACE.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(frame(4, 0, 0, new byte[0]));
    out.writeBytes(frame(4, 1, 0, new byte[0]));
    // HPACK: :method GET, :path /, :scheme http (static table 2, 4, 6), :authority 127.0.0.1 (literal, name 1)
    byte[] authority = "127.0.0.1".getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.writeBytes(new byte[] {(byte) 0x82, (byte) 0x84, (byte) 0x86, 0x41, (byte) authority.length});
    block.writeBytes(authority);
    out.writeBytes(frame(1, 5, 1, block.toByteArray()));
    return out.toByteArray();
  }

  /** An HTTP/2 frame: 24-bit length, type, flags, 31-bit stream id, payload. */
  static byte[] frame(int type, int flags, int stream, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int length = payload.length;
    out.write(length >>> 16);
    out.write(length >>> 8);
    out.write(length);
    out.write(type);
    out.write(flags);
    out.write(stream >>> 24);
    out.write(stream >>> 16);
    out.write(stream >>> 8);
    out.write(stream);
    out.writeBytes(payload);
    return out.toByteArray();
  }
}
