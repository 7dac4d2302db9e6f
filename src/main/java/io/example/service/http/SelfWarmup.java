package io.example.service.http;

import io.example.service.lifecycle.WarmupTraffic;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.util.concurrent.TimeUnit;

/**
 * The warm-up's load: keep-alive GETs from a Vert.x HTTP client to the service's own listener, each
 * connection sending its next request as soon as the last is answered, so they pass through the same
 * gate, router and handlers as live traffic. Vert.x hands accepted connections to the HTTP instances in
 * turn, so a few connections per instance reach every instance's event loop. It ends when the budget is
 * spent, when the throughput has reached a plateau (no {@link #WINDOW_MS} window at least 5 % above the
 * best one, for {@link #FLAT_WINDOWS} windows in a row), at the first failed request, or at once when
 * interrupted. One run per instance of this class; everything runs on one context.
 */
final class SelfWarmup {

  static final long WINDOW_MS = 250;
  static final int FLAT_WINDOWS = 4;
  private static final double GAIN = 1.05;
  /** Mostly the hot path, with the greeting's query and a probe among it. */
  private static final String[] PATHS = {"/", "/", "/", "/?user=warm-up", "/", "/", "/healthz", "/"};
  /** How long a run that ends normally waits for its last answers before it closes the client anyway. */
  private static final long SETTLE_MS = 1000;

  /** What a warm-up reached: how long it took, how many answers, the last window's rate, why it ended. */
  record Outcome(long tookMs, long requests, long lastWindowPerSecond, String endedBy) {}

  private final Vertx vertx;
  private final Context context;
  private final WarmupTraffic traffic;
  private final HttpClient client;
  private final int connections;
  private final Promise<Outcome> done = Promise.promise();
  private final long beganNanos = System.nanoTime();
  private long answered;
  private long windowAnswered;
  private long windowBeganNanos = beganNanos;
  private long bestPerSecond;
  private long lastPerSecond;
  private int flatWindows;
  private int inFlight;
  private int next;
  private String endedBy;
  private boolean finishing;

  SelfWarmup(Vertx vertx, String host, int port, int connections, WarmupTraffic traffic) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.traffic = traffic;
    this.connections = connections;
    this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port)
        .setConnectTimeout(1000), new PoolOptions().setHttp1MaxSize(connections));
  }

  /** Runs until warm, the budget, a failure or {@code interrupted}; the outcome never fails. */
  Future<Outcome> run(long budgetMs, Future<Void> interrupted) {
    traffic.begin();
    context.runOnContext(ignored -> {
      long window = vertx.setPeriodic(WINDOW_MS, id -> window());
      long budget = vertx.setTimer(budgetMs, id -> end("budget"));
      done.future().onComplete(ended -> {
        vertx.cancelTimer(window);
        vertx.cancelTimer(budget);
      });
      for (int i = 0; i < connections; i++) {
        send();
      }
    });
    interrupted.onComplete(ignored -> context.runOnContext(again -> end("signal")));
    return done.future();
  }

  private void send() {
    if (endedBy != null) {
      if (inFlight == 0) {
        finish();
      }
      return;
    }
    inFlight++;
    client.request(HttpMethod.GET, PATHS[next++ & (PATHS.length - 1)])
        // The body inside send()'s callback: chained after it, its end could pass before body() is asked.
        .compose(request -> request.putHeader(WarmupTraffic.HEADER, traffic.secret()).send()
            .compose(HttpClientResponse::body))
        .onComplete(answer -> {
          inFlight--;
          if (answer.succeeded()) {
            answered++;
          } else {
            end("failure: " + answer.cause());
          }
          send();
        });
  }

  /** A window has passed: its rate, and whether the rate has stopped rising. */
  private void window() {
    long now = System.nanoTime();
    lastPerSecond = (answered - windowAnswered) * TimeUnit.SECONDS.toNanos(1) / Math.max(1, now - windowBeganNanos);
    windowAnswered = answered;
    windowBeganNanos = now;
    if (lastPerSecond > bestPerSecond * GAIN) {
      bestPerSecond = lastPerSecond;
      flatWindows = 0;
    } else if (++flatWindows >= FLAT_WINDOWS) {
      end("plateau");
    }
  }

  private void end(String why) {
    if (endedBy != null) {
      return;
    }
    endedBy = why;
    if (why.equals("signal")) {
      // At once: the stop closes the listener anyway. The marker stays on, so that an answer still under
      // way is not counted either; nothing counts for long now.
      client.close();
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
    client.close().onComplete(closed -> {
      traffic.end();
      complete();
    });
  }

  private void complete() {
    done.tryComplete(new Outcome(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - beganNanos), answered,
        lastPerSecond, endedBy));
  }
}
