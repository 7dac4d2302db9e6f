package io.example.service.http;

import io.example.service.lifecycle.WarmupTraffic;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.RequestOptions;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The warm-up's load: keep-alive GETs from a Vert.x HTTP client to the service's own listener, each
 * connection sending its next request as soon as the last is answered, so they pass through the same
 * gate, router and handlers as live traffic. Vert.x hands accepted connections to the HTTP instances in
 * turn, so a few connections per instance reach every instance's event loop; each connection is opened
 * by itself and used directly, not through the client's pool, which opens a new connection only when all
 * of its own are busy and could serve everything through fewer, leaving an instance cold.
 *
 * <p>It ends when the budget is spent, at the first failed request, at once when interrupted, or when the
 * path is warm ({@link Plateau}, judged every {@link #WINDOW_MS}).
 */
final class SelfWarmup {

  static final long WINDOW_MS = 250;
  /** Mostly the hot path, with the greeting's query and a probe among it. */
  private static final String[] PATHS = {"/", "/", "/", "/?user=warm-up", "/", "/", "/healthz", "/"};
  /** How long a run that ends normally waits for its last answers before it closes the client anyway. */
  private static final long SETTLE_MS = 1000;

  /** What a warm-up reached: how long it took, how many answers, the last window's rate, why it ended. */
  record Outcome(long tookMs, long requests, long lastWindowPerSecond, String endedBy) {}

  private final Vertx vertx;
  private final Context context;
  private final WarmupTraffic traffic;
  private final HttpClientAgent client;
  private final String host;
  private final int port;
  private final int connections;
  private final RequestOptions[] requests = new RequestOptions[PATHS.length];
  private final List<HttpClientConnection> opened = new ArrayList<>();
  private final Promise<Outcome> done = Promise.promise();
  private final long beganNanos = System.nanoTime();
  private long answered;
  private long windowAnswered;
  private long windowBeganNanos = beganNanos;
  private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
  private long compiledMs = compileMs();
  private final Plateau plateau = new Plateau();
  private long lastPerSecond;
  private int inFlight;
  private int next;
  private String endedBy;
  private boolean finishing;

  SelfWarmup(Vertx vertx, String host, int port, int connections, WarmupTraffic traffic) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.traffic = traffic;
    this.host = host;
    this.port = port;
    this.connections = connections;
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(1000));
  }

  /** Runs until warm, the budget, a failure or {@code interrupted}; the outcome never fails. */
  Future<Outcome> run(long budgetMs, Future<Void> interrupted) {
    traffic.begin();
    for (int i = 0; i < PATHS.length; i++) {
      requests[i] = new RequestOptions().setURI(PATHS[i]).putHeader(WarmupTraffic.HEADER, traffic.secret());
    }
    context.runOnContext(ignored -> {
      long window = vertx.setPeriodic(WINDOW_MS, id -> window());
      long budget = vertx.setTimer(budgetMs, id -> end("budget"));
      done.future().onComplete(ended -> {
        vertx.cancelTimer(window);
        vertx.cancelTimer(budget);
      });
      for (int i = 0; i < connections; i++) {
        inFlight++;
        client.connect(new HttpConnectOptions().setHost(host).setPort(port)).onComplete(connected -> {
          inFlight--;
          if (connected.failed()) {
            end("failure: " + connected.cause());
            send(null);
          } else {
            opened.add(connected.result());
            send(connected.result());
          }
        });
      }
    });
    interrupted.onComplete(ignored -> context.runOnContext(again -> end("signal")));
    return done.future();
  }

  /** The next request on {@code connection}, once the last one is answered; none once the run has ended. */
  private void send(HttpClientConnection connection) {
    if (endedBy != null) {
      if (inFlight == 0) {
        finish();
      }
      return;
    }
    inFlight++;
    connection.request(requests[next++ & (PATHS.length - 1)])
        // The body inside send()'s callback: chained after it, its end could pass before body() is asked.
        .compose(request -> request.send().compose(HttpClientResponse::body))
        .onComplete(answer -> {
          inFlight--;
          if (answer.succeeded()) {
            answered++;
          } else {
            end("failure: " + answer.cause());
          }
          send(connection);
        });
  }

  /** A window has passed: its rate, and whether the rate has stopped rising. */
  private void window() {
    long now = System.nanoTime();
    lastPerSecond = (answered - windowAnswered) * TimeUnit.SECONDS.toNanos(1) / Math.max(1, now - windowBeganNanos);
    long compiled = compileMs();
    boolean warm = plateau.warmAfter(lastPerSecond, TimeUnit.NANOSECONDS.toMillis(now - windowBeganNanos),
        compiled - compiledMs);
    windowAnswered = answered;
    windowBeganNanos = now;
    compiledMs = compiled;
    if (warm) {
      end("plateau");
    }
  }

  /** Time the JIT compilers have spent so far, summed over their threads; 0 where the JVM does not say. */
  private long compileMs() {
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
  }

  private void end(String why) {
    if (endedBy != null) {
      return;
    }
    endedBy = why;
    if (why.equals("signal")) {
      // At once: the stop closes the listener anyway. The marker stays on, so that an answer still under
      // way is not counted either; nothing counts for long now.
      close();
      complete();
    } else if (inFlight == 0) {
      finish();
    } else {
      vertx.setTimer(SETTLE_MS, id -> finish()); // bounds the wait for the last answers
    }
  }

  /** Every answer is in (or the wait is over): close the client, then count requests again. */
  private void finish() {
    if (finishing || done.future().isComplete()) {
      return;
    }
    finishing = true;
    // The client's close completes on Vert.x's acceptor thread; the start goes on from here, on our context.
    close().onComplete(closed -> context.runOnContext(ignored -> {
      traffic.end();
      complete();
    }));
  }

  /** Our connections first: they were opened outside the client's pool. */
  private Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    opened.forEach(connection -> closing.add(connection.close()));
    closing.add(client.close());
    return Future.join(closing).mapEmpty();
  }

  private void complete() {
    done.tryComplete(new Outcome(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - beganNanos), answered,
        lastPerSecond, endedBy));
  }
}
