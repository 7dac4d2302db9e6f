package io.example.service.http;

import io.example.service.lifecycle.WarmupTraffic;
import io.vertx.core.buffer.Buffer;

/**
 * The warm-up's bytes on the wire: a batch of {@link #DEPTH} pipelined HTTP/1.1 GETs, encoded once, and
 * a reader that finds the end of each answer's header block. The bodies the warm-up asks for are a line
 * of text or JSON with no blank line in them, so each CR LF CR LF ends one answer.
 */
final class WarmupRequests {

  /** Requests sent at once on each connection. */
  static final int DEPTH = 16;
  /** Mostly the hot path, with the greeting's query and a probe among it. */
  private static final String[] PATHS = {"/", "/", "/", "/?user=warm-up", "/", "/", "/healthz", "/"};

  private WarmupRequests() {}

  /** The batch: the paths taken in turn, each request with the header that keeps it out of every count. */
  static Buffer batch(String host, int port, String secret) {
    String hostHeader = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    StringBuilder requests = new StringBuilder();
    for (int i = 0; i < DEPTH; i++) {
      requests.append("GET ").append(PATHS[i % PATHS.length]).append(" HTTP/1.1\r\nHost: ").append(hostHeader)
          .append("\r\n").append(WarmupTraffic.HEADER).append(": ").append(secret).append("\r\n\r\n");
    }
    return Buffer.buffer(requests.toString());
  }

  /** One connection's reader of answers, fed byte by byte. */
  static final class HeaderEnds {
    private int matched; // how much of CR LF CR LF the bytes so far end with

    /** Whether this byte ends an answer's header block. */
    boolean endsAt(byte b) {
      matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) {
        matched = 0;
        return true;
      }
      return false;
    }
  }
}
