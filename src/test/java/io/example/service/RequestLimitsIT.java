package io.example.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Bad traffic meets the listener's limits; a legitimate request never does. One service for all checks. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class RequestLimitsIT {

  static final int MAX_HEADER = 1024;
  static final int MAX_LINE = 512;
  static final int MAX_BODY = 100;
  static final int IDLE_MS = 500;

  private ServiceProcess service;
  private int port;

  @BeforeAll
  void startService() throws Exception {
    service = ServiceProcess.startJar(Map.of(), "-conf", "{\"http\":{\"host\":\"127.0.0.1\",\"port\":0,"
        + "\"maxHeaderBytes\":" + MAX_HEADER + ",\"maxRequestLineBytes\":" + MAX_LINE + ","
        + "\"maxBodyBytes\":" + MAX_BODY + ",\"idleTimeoutMs\":" + IDLE_MS + "}}");
    port = service.awaitPort();
  }

  @AfterAll
  void stopService() {
    service.close();
  }

  @Test
  void oversized_headers_get_431() throws Exception {
    String request = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(MAX_HEADER * 2) + "\r\n\r\n";
    String answer = send(request);
    assertTrue(answer.startsWith("HTTP/1.1 431"), answer);
  }

  @Test
  void oversized_request_line_gets_414() throws Exception {
    String request = "GET /?user=" + "a".repeat(MAX_LINE * 2) + " HTTP/1.1\r\nHost: x\r\n\r\n";
    // The request line could not be read, so Vert.x cannot know the version and answers as HTTP/1.0.
    String answer = send(request);
    assertTrue(answer.matches("(?s)HTTP/1\\.[01] 414 .*"), answer);
  }

  /**
   * The client does not half-close, and pipelines a second request after the body: had the server kept the
   * connection, it would answer that one too (at once, well before the idle timeout closes it).
   */
  @Test
  void oversized_body_gets_413_and_a_closed_connection() throws Exception {
    String request = "POST /shutdown HTTP/1.1\r\nHost: x\r\nContent-Length: " + (MAX_BODY + 1) + "\r\n\r\n"
        + "b".repeat(MAX_BODY + 1) + "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    RawHttp.Answer answer = RawHttp.exchange(port, request, 5000, true);
    assertEquals(413, answer.status(), answer.text());
    assertTrue(answer.text().toLowerCase().contains("connection: close"), answer.text());
    assertTrue(answer.closed(), "still open after the answer: " + answer.text());
    assertEquals(1, answer.text().split("HTTP/1\\.1 ", -1).length - 1, "one answer only: " + answer.text());
  }

  @Test
  void oversized_chunked_body_gets_413() throws Exception {
    String chunk = "c".repeat(MAX_BODY + 1);
    String request = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n";
    String answer = send(request);
    assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
  }

  @Test
  void small_chunked_body_is_routed_normally() throws Exception {
    String request = "POST /shutdown HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
    String answer = send(request);
    assertTrue(answer.startsWith("HTTP/1.1 404"), "the disabled endpoint answers as usual: " + answer);
  }

  @Test
  void legitimate_requests_pass_every_limit() throws Exception {
    String small = "GET /?user=" + "n".repeat(64) + " HTTP/1.1\r\nHost: x\r\nUser-Agent: " + "u".repeat(200)
        + "\r\nContent-Length: " + MAX_BODY + "\r\n\r\n" + "b".repeat(MAX_BODY);
    String answer = send(small);
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    assertTrue(answer.endsWith("Hello " + "n".repeat(64)), answer);
  }

  @Test
  void silent_connection_is_closed_after_the_idle_timeout() throws Exception {
    try (Socket silent = new Socket()) {
      silent.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      silent.setSoTimeout(IDLE_MS * 10);
      long start = System.nanoTime();
      int read;
      try {
        read = silent.getInputStream().read();
      } catch (SocketTimeoutException e) {
        throw new AssertionError("still open after " + IDLE_MS * 10 + " ms", e);
      }
      long closedAfterMs = (System.nanoTime() - start) / 1_000_000;
      assertEquals(-1, read, "closed without a byte");
      assertTrue(closedAfterMs >= IDLE_MS / 2 && closedAfterMs < IDLE_MS * 5, "closed after " + closedAfterMs + " ms");
    }
  }

  /** Writes a raw request and reads the answer until the server closes or answers completely. */
  private String send(String request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException("no answer to a " + request.length() + "-byte request", e);
    }
  }
}
