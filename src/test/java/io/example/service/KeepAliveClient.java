package io.example.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A load-test client like a well-behaved HTTP/1.1 pool: it reuses its connection while the server allows,
 * reconnects when told {@code Connection: close}, and classifies every request it makes:
 * ok (a complete 200), refused (no connection could be opened: acceptable once the listener is closed),
 * or failed (written to an open connection but never fully answered: a lost request).
 */
public final class KeepAliveClient implements Runnable {

  record Refusal(long atNanos) {}

  private final int port;
  private final long untilNanos;
  private final int maxRequests;
  int ok;
  final List<Refusal> refused = new ArrayList<>();
  final List<String> failed = new ArrayList<>();
  private Socket socket;

  /** Sends until {@code untilNanos}, {@code maxRequests} requests, or the first refused connect. */
  KeepAliveClient(int port, long untilNanos, int maxRequests) {
    this.port = port;
    this.untilNanos = untilNanos;
    this.maxRequests = maxRequests;
  }

  @Override
  public void run() {
    for (int i = 0; i < maxRequests && System.nanoTime() < untilNanos; i++) {
      if (socket == null && !connect()) {
        return; // the server no longer accepts: this client is done
      }
      try {
        if (exchange()) {
          ok++;
        }
      } catch (IOException e) {
        failed.add(e.toString());
        closeSocket();
      }
    }
    closeSocket();
  }

  private boolean connect() {
    try {
      Socket s = new Socket();
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setSoTimeout(10_000);
      socket = s;
      return true;
    } catch (ConnectException e) {
      refused.add(new Refusal(System.nanoTime()));
      return false;
    } catch (IOException e) {
      failed.add("connect: " + e);
      return false;
    }
  }

  /** One request on the open connection; true for a complete 200. */
  private boolean exchange() throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    String status = readLine(in);
    int length = -1;
    boolean close = false;
    for (String header = readLine(in); !header.isEmpty(); header = readLine(in)) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(lower.substring(15).trim());
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        close = true;
      }
    }
    if (length < 0 || in.readNBytes(length).length != length) {
      throw new IOException("incomplete body after " + status);
    }
    if (close) {
      closeSocket();
    }
    if (!status.startsWith("HTTP/1.1 200")) {
      failed.add("status: " + status);
      return false;
    }
    return true;
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed with no complete answer" + (line.length() > 0 ? ": " + line : ""));
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  private void closeSocket() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a socket we are done with
      }
      socket = null;
    }
  }
}
