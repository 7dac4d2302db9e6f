package io.example.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Raw bytes to 127.0.0.1 and what came back, for requests no well-behaved client would send. Every read
 * is bounded: it stops at the end of one complete HTTP/1 answer, at the server's close, or at the timeout.
 */
public final class RawHttp {

  private static final Pattern STATUS = Pattern.compile("^HTTP/\\d\\.\\d (\\d{3})");
  private static final Pattern LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");

  /**
   * @param status the first answer's status code, or -1 when none came (closed, or not HTTP/1: a GOAWAY)
   * @param closed whether the server closed the connection within the wait
   * @param text everything read, as ISO-8859-1
   */
  public record Answer(int status, boolean closed, String text) {}

  private RawHttp() {}

  /**
   * Sends {@code request} and reads one answer, waiting at most {@code timeoutMs} for each read; after a
   * complete answer, waits for the close only if {@code awaitClose}.
   */
  public static Answer exchange(int port, byte[] request, int timeoutMs, boolean awaitClose) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setSoTimeout(timeoutMs);
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      return read(socket.getInputStream(), awaitClose);
    }
  }

  public static Answer exchange(int port, String request, int timeoutMs, boolean awaitClose) throws IOException {
    return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), timeoutMs, awaitClose);
  }

  private static Answer read(InputStream in, boolean awaitClose) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    boolean closed = false;
    try {
      while (!complete(seen.toString(StandardCharsets.ISO_8859_1))) {
        int n = in.read(buffer);
        if (n < 0) {
          closed = true;
          break;
        }
        seen.write(buffer, 0, n);
      }
      if (!closed && awaitClose) {
        closed = in.read() < 0; // an answer that closes the connection is followed by the end of the stream
      }
    } catch (SocketTimeoutException e) {
      // open, and nothing more came
    } catch (IOException e) {
      closed = true; // a reset: closed, abruptly
    }
    String text = seen.toString(StandardCharsets.ISO_8859_1);
    Matcher status = STATUS.matcher(text);
    return new Answer(status.find() ? Integer.parseInt(status.group(1)) : -1, closed, text);
  }

  /** True once {@code text} holds one HTTP/1 answer with its whole body. */
  private static boolean complete(String text) {
    int end = text.indexOf("\r\n\r\n");
    if (end < 0 || !text.startsWith("HTTP/")) {
      return false;
    }
    String head = text.substring(0, end);
    Matcher length = LENGTH.matcher(head);
    int body = length.find() ? Integer.parseInt(length.group(1)) : 0;
    return text.length() >= end + 4 + body;
  }
}
