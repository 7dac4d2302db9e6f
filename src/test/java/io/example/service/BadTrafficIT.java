package io.example.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real jar under bad traffic on raw sockets: every malformed request of {@link BadRequests} gets its 4xx
 * or a closed connection and is counted under its reason in /status; a few hundred seeded mutations of good
 * HTTP/1.1, h2c-upgrade and HTTP/2 requests never get a 5xx; then a SIGTERM ends with exit 0, and the whole output has no ERROR line and no
 * stack trace.
 */
public class BadTrafficIT {

  private static final int MUTATIONS = 400;
  private static final long SEED = 8;
  private static final String CONF = "{\"http\":{\"host\":\"127.0.0.1\",\"port\":0,"
      + "\"maxRequestLineBytes\":" + BadRequests.MAX_LINE + ",\"maxHeaderBytes\":" + BadRequests.MAX_HEADER
      + ",\"maxBodyBytes\":" + BadRequests.MAX_BODY + "}}";
  private static final List<String> GOOD = List.of(
      "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
      "GET /?user=Ada HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n",
      "HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello",
      "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
      "GET /timeout?ms=1 HTTP/1.0\r\n\r\n",
      "GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\n"
          + "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n",
      new String(BadRequests.h2Get(), StandardCharsets.ISO_8859_1));

  @RegisterExtension
  final ServiceProcesses services = new ServiceProcesses();

  @Test
  void malformed_requests_get_4xx_are_counted_and_leave_no_error_in_the_log() throws Exception {
    ServiceProcess service = services.jar(CONF);
    int port = service.awaitPort();

    Map<String, Long> expected = new TreeMap<>();
    for (BadRequests.Case bad : BadRequests.all()) {
      RawHttp.Answer answer = RawHttp.exchange(port, bad.bytes(), 5000, bad.closes());
      assertEquals(bad.status(), answer.status(), () -> bad + ": " + answer.text());
      assertTrue(!bad.closes() || answer.closed(), () -> bad + ": connection left open");
      expected.merge(bad.reason(), 1L, Long::sum);
    }
    // A valid preface, then a frame that is not SETTINGS: Netty answers GOAWAY before Vert.x lets us see
    // the connection (not counted), and nothing may be logged at ERROR for it.
    RawHttp.Answer early = RawHttp.exchange(port, h2PrefaceThenData(), 5000, true);
    assertTrue(early.closed() && early.status() == -1, early.text());
    JsonObject counted = awaitCounts(port, expected);
    System.out.println("BadTrafficIT: rejected after the fixed cases: " + counted.encode());

    Map<Integer, Integer> statuses = mutate(port);
    System.out.println("BadTrafficIT: " + MUTATIONS + " mutated requests (seed " + SEED + "), answers by status"
        + " (-1 = closed or no answer): " + statuses);
    assertTrue(statuses.keySet().stream().allMatch(s -> s < 500), "a 5xx: " + statuses);
    System.out.println("BadTrafficIT: rejected at the end: " + rejected(port).encode());

    ServiceProcess.Exit exit = service.signalAndAwaitExit("TERM", Duration.ofSeconds(20));
    assertEquals(0, exit.code(), String.join("\n", service.stdout()));
    List<String> output = new ArrayList<>(service.stdout());
    output.addAll(service.stderr());
    List<String> bad = output.stream()
        .filter(line -> line.contains(" ERROR ") || line.startsWith("\tat ") || line.contains("Exception"))
        .toList();
    assertEquals(List.of(), bad, "the whole output:\n" + String.join("\n", output));
  }

  /** Polls /status until every expected reason has at least its count, then checks each is exact. */
  private static JsonObject awaitCounts(int port, Map<String, Long> expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    JsonObject rejected = rejected(port);
    while (!expected.entrySet().stream().allMatch(e -> rejected.getLong(e.getKey(), 0L) >= e.getValue())
        && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20); // polling a counter with a deadline
      rejected.mergeIn(rejected(port));
    }
    Map<String, Long> actual = rejected.stream().filter(e -> ((Number) e.getValue()).longValue() > 0)
        .collect(Collectors.toMap(Map.Entry::getKey, e -> ((Number) e.getValue()).longValue(), (a, b) -> a,
            TreeMap::new));
    assertEquals(expected, actual);
    return rejected;
  }

  private static JsonObject rejected(int port) throws Exception {
    return new JsonObject(Http.get(port, "/status").body()).getJsonObject("http").getJsonObject("rejected");
  }

  /** Sends {@value #MUTATIONS} seeded mutations of good requests, 8 at a time; returns the count per status. */
  private static Map<Integer, Integer> mutate(int port) throws Exception {
    Random random = new Random(SEED);
    List<byte[]> requests = new ArrayList<>();
    for (int i = 0; i < MUTATIONS; i++) {
      requests.add(mutation(random, GOOD.get(random.nextInt(GOOD.size())).getBytes(StandardCharsets.ISO_8859_1)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<RawHttp.Answer>> answers = new ArrayList<>();
      for (byte[] request : requests) {
        answers.add(pool.submit(() -> RawHttp.exchange(port, request, 500, false)));
      }
      Map<Integer, Integer> statuses = new TreeMap<>();
      for (Future<RawHttp.Answer> answer : answers) {
        statuses.merge(answer.get(30, TimeUnit.SECONDS).status(), 1, Integer::sum);
      }
      return statuses;
    } finally {
      pool.shutdownNow();
    }
  }

  /** One to four random edits: flip a byte, insert random bytes, delete a range, or repeat a range. */
  private static byte[] mutation(Random random, byte[] good) {
    byte[] bytes = good;
    for (int edits = 1 + random.nextInt(4); edits > 0; edits--) {
      int at = random.nextInt(bytes.length);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(bytes, 0, at);
      switch (random.nextInt(4)) {
        case 0 -> {
          out.write(random.nextInt(256));
          out.write(bytes, at + 1, bytes.length - at - 1);
        }
        case 1 -> {
          for (int n = 1 + random.nextInt(8); n > 0; n--) {
            out.write(random.nextInt(256));
          }
          out.write(bytes, at, bytes.length - at);
        }
        case 2 -> {
          int end = Math.min(bytes.length, at + 1 + random.nextInt(8));
          out.write(bytes, end, bytes.length - end);
        }
        default -> {
          int end = Math.min(bytes.length, at + 1 + random.nextInt(16));
          for (int n = 1 + random.nextInt(64); n > 0; n--) {
            out.write(bytes, at, end - at);
          }
          out.write(bytes, at, bytes.length - at);
        }
      }
      bytes = out.toByteArray();
    }
    return bytes;
  }

  private static byte[] h2PrefaceThenData() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(BadRequests.H2_PREFACE.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(BadRequests.frame(0, 1, 1, "hello".getBytes(StandardCharsets.US_ASCII)));
    return out.toByteArray();
  }
}
