package io.example.service;

import static io.example.service.ServiceProcessIT.EXIT_TIMEOUT;
import static io.example.service.ServiceProcessIT.assertSummary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Zero loss for HTTP/2 clients across a SIGTERM. A strict client (Vert.x's own, which rejects a response with a
 * connection-specific header) keeps 16 connections x 4 streams busy, each stream sent when the last answer came,
 * and moves to a new connection when told GOAWAY. Beside it, a proxy-like client sends a few streams every
 * millisecond without waiting for answers, until its first GOAWAY: the request hold alone protects the first
 * client, and only a graceful GOAWAY protects this one. Every stream sent must get a complete 200; a connect
 * refused once the listener has closed is acceptable (a client retries another instance), a stream that fails
 * after it was sent is not.
 */
public class Http2DrainIT {

  static final int CONNECTIONS = 16;
  static final int STREAMS_PER_CONNECTION = 4;
  static final long DRAIN_DELAY_MS = 1000;
  static final long LOAD_LIMIT_S = 15;
  static final int MAX_REQUESTS_PER_SLOT = 100_000;
  static final int OPEN_LOOP_CONNECTIONS = 64;
  static final int OPEN_LOOP_STREAMS = 100;
  static final int OPEN_LOOP_PER_MS = 4;

  @RegisterExtension
  final ServiceProcesses services = new ServiceProcesses();
  private Vertx vertx;

  @BeforeEach
  void client_vertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close_client_vertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Streams sent, by outcome. */
  static final class Counts {
    final AtomicLong ok = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong firstRefusalNanos = new AtomicLong(Long.MAX_VALUE);
    final AtomicInteger connectionHeaders = new AtomicInteger();
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger goAways = new AtomicInteger();
    final AtomicInteger slotGoAways = new AtomicInteger();
    final AtomicInteger firehoseGoAways = new AtomicInteger();
    final AtomicInteger abruptGoAways = new AtomicInteger();
    final AtomicLong signalledNanos = new AtomicLong();
    final ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();
  }

  @ParameterizedTest(name = "h2c upgrade={0}")
  @ValueSource(booleans = {false, true})
  void every_stream_sent_gets_a_200_when_sigterm_arrives_under_http2_load(boolean upgrade) throws Exception {
    // A 10 s deadline: this test is about lost streams, and the client shares a small machine with the service.
    ServiceProcess service = services.jar("{\"http\":{\"host\":\"127.0.0.1\",\"port\":0,\"instances\":2},"
        + "\"shutdown\":{\"timeoutMs\":10000,\"drainDelayMs\":" + DRAIN_DELAY_MS + "}}");
    int port = service.awaitPort();
    Counts counts = new Counts();
    HttpClient client = client(port, upgrade, counts);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOAD_LIMIT_S);
    List<Future<Void>> slots = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS * STREAMS_PER_CONNECTION; i++) {
      Promise<Void> done = Promise.promise();
      vertx.runOnContext(ignored -> send(client, counts, until, MAX_REQUESTS_PER_SLOT, done));
      slots.add(done.future());
    }
    Promise<Void> streamed = Promise.promise();
    HttpClient firehose = client(port, upgrade, counts, OPEN_LOOP_CONNECTIONS, OPEN_LOOP_STREAMS, true);
    vertx.runOnContext(ignored -> openLoop(firehose, counts, until, streamed));
    slots.add(streamed.future());
    service.awaitLine("background job #1 done", EXIT_TIMEOUT); // two seconds of steady load

    long signalled = System.nanoTime();
    counts.signalledNanos.set(signalled);
    service.signal("TERM");
    Future.join(slots).toCompletionStage().toCompletableFuture().get(LOAD_LIMIT_S + 5, TimeUnit.SECONDS);

    long failed = counts.failed.size();
    String mode = upgrade ? "h2c upgrade" : "prior knowledge";
    System.out.printf("h2 drain %s, drainDelayMs=%d: sent=%d ok=%d failed=%d refused=%d connections=%d "
        + "goaways=%d abrupt=%d%n", mode, DRAIN_DELAY_MS, counts.ok.get() + failed, counts.ok.get(), failed,
        counts.refused.get(), counts.connections.get(), counts.goAways.get(), counts.abruptGoAways.get());
    int exit = service.awaitExit(EXIT_TIMEOUT);
    if (failed > 0 || exit != 0) {
      service.stdout().stream().filter(line -> line.contains("http ") || line.contains("WARN") || line.contains("stop")).limit(40)
          .forEach(System.out::println);
    }
    assertEquals(0, failed, "streams sent must all get a complete 200; the first failures: "
        + counts.failed.stream().limit(5).toList());
    assertEquals(0, counts.connectionHeaders.get(), "no HTTP/2 response may carry a connection header");
    assertTrue(counts.ok.get() > 1000, "steady load before and during the drain: " + counts.ok.get());
    assertTrue(counts.slotGoAways.get() > 0 && counts.firehoseGoAways.get() > 0, "the connections were told GOAWAY");
    assertEquals(0, counts.abruptGoAways.get(), "the first GOAWAY of a connection open at the signal must "
        + "refuse no stream");
    long firstRefusalMs = TimeUnit.NANOSECONDS.toMillis(counts.firstRefusalNanos.get() - signalled);
    assertTrue(firstRefusalMs >= DRAIN_DELAY_MS, "refused only once the listener closed: +" + firstRefusalMs + " ms");
    assertEquals(0, exit);
    assertSummary(service, "signal:SIGTERM", 0);
  }

  private HttpClient client(int port, boolean upgrade, Counts counts) {
    return client(port, upgrade, counts, CONNECTIONS, STREAMS_PER_CONNECTION, false);
  }

  private HttpClient client(int port, boolean upgrade, Counts counts, int connections, int streamsPerConnection,
                            boolean firehose) {
    HttpClientOptions options = new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(upgrade)
        .setHttp2MultiplexingLimit(streamsPerConnection)
        .setDefaultHost("127.0.0.1")
        .setDefaultPort(port)
        .setConnectTimeout(2000);
    return vertx.httpClientBuilder()
        .with(options)
        .with(new PoolOptions().setHttp2MaxSize(connections))
        .withConnectHandler(connection -> {
          counts.connections.incrementAndGet();
          // Connections opened before the signal must go away gracefully (RFC 9113 6.8): the first GOAWAY
          // refuses no stream, only a later one names the last. One opened as the listener closes may get the
          // server's own single GOAWAY: it has sent only what the server has already taken.
          boolean[] first = {counts.signalledNanos.get() == 0};
          connection.goAwayHandler(goAway -> {
            counts.goAways.incrementAndGet();
            (firehose ? counts.firehoseGoAways : counts.slotGoAways).incrementAndGet();
            if (first[0] && goAway.getLastStreamId() != Integer.MAX_VALUE) {
              counts.abruptGoAways.incrementAndGet();
            }
            first[0] = false;
          });
        })
        .build();
  }

  /** One stream at a time, again and again, until a connect is refused, the time is up, or {@code left} is 0. */
  private static void send(HttpClient client, Counts counts, long until, int left, Promise<Void> done) {
    if (left == 0 || System.nanoTime() >= until) {
      done.complete();
      return;
    }
    client.request(HttpMethod.GET, "/").onComplete(acquired -> {
      if (acquired.failed()) {
        if (noStream(counts, acquired.cause())) {
          done.complete(); // the listener is closed: this client is done
        } else {
          send(client, counts, until, left - 1, done);
        }
        return;
      }
      acquired.result().send()
          .compose(response -> response.body().map(body -> response))
          .onComplete(answered -> {
            record(counts, answered.succeeded() ? answered.result() : null, answered.cause());
            send(client, counts, until, left - 1, done);
          });
    });
  }

  /**
   * Like a proxy carrying many clients' requests, whose balancer has already taken this instance out: a few
   * new streams every millisecond, whether or not earlier ones were answered, until its first GOAWAY.
   */
  private void openLoop(HttpClient client, Counts counts, long until, Promise<Void> done) {
    AtomicInteger pending = new AtomicInteger(1); // 1 for the timer itself
    Runnable settled = () -> {
      if (pending.decrementAndGet() == 0) {
        done.tryComplete();
      }
    };
    vertx.setPeriodic(1, timer -> {
      if (counts.firehoseGoAways.get() > 0 || counts.refused.get() > 0 || System.nanoTime() >= until) {
        vertx.cancelTimer(timer);
        settled.run();
        return;
      }
      for (int i = 0; i < OPEN_LOOP_PER_MS; i++) {
        pending.incrementAndGet();
        client.request(HttpMethod.GET, "/")
            .onFailure(cause -> noStream(counts, cause))
            .compose(request -> request.send().compose(response -> response.body().map(body -> response))
                .andThen(answered -> record(counts, answered.result(), answered.cause())))
            .onComplete(ignored -> settled.run());
      }
    });
  }

  /** A stream that could not even start: refused on connect (acceptable), or failed. True if refused. */
  private static boolean noStream(Counts counts, Throwable cause) {
    if (cause instanceof ConnectException) {
      counts.refused.incrementAndGet();
      counts.firstRefusalNanos.accumulateAndGet(System.nanoTime(), Math::min);
      return true;
    }
    counts.failed.add("no stream: " + cause);
    return false;
  }

  private static void record(Counts counts, HttpClientResponse response, Throwable cause) {
    if (response == null) {
      counts.failed.add("after the stream was sent: " + cause);
    } else if (response.headers().contains("connection")) {
      counts.connectionHeaders.incrementAndGet();
      counts.failed.add("connection header: " + response.getHeader("connection"));
    } else if (response.statusCode() != 200) {
      counts.failed.add("status " + response.statusCode());
    } else {
      counts.ok.incrementAndGet();
    }
  }
}
