package io.example.service.http;

import io.example.service.lifecycle.WarmupTraffic;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The warm-up's load: HTTP/1.1 GETs to the service's own listener over a few keep-alive connections, so
 * they pass through the same decoder, gate, router and handlers as live traffic. Vert.x hands accepted
 * connections to the HTTP instances in turn, so a few connections per instance reach every instance's event
 * loop.
 *
 * <p>Each connection sends {@link WarmupRequests#DEPTH} requests at once (HTTP/1.1 pipelining) and the next
 * batch when all of them are answered. The client is a bare socket that writes bytes encoded once and counts the ends of the
 * answers' header blocks, so nearly all of the warm-up's CPU goes to the server's path, and the JIT compiles the
 * server's code, not a client's. The server's code is the same as for a request at a time: a read that holds
 * several requests is decoded and handled request by request. On 2 cores, with Java 17, the Vert.x HTTP client
 * this replaced got 9,000-13,000 requests answered in a 2.5 s budget, this one 59,000-88,000; after a 5 s
 * warm-up the first second of live load ran at 0.44-0.52x the warm rate with that client and 0.68-0.78x with
 * this one (bench/README.md).
 *
 * <p>It ends when the budget is spent, at the first failure (a connection refused or closed), at once when
 * interrupted, or when the path is warm ({@link WarmupWindows}, judged every {@link #WINDOW_MS}).
 */
final class SelfWarmup {

  static final long WINDOW_MS = 250;
  /** How long a run that ends normally waits for its last answers before it closes the sockets anyway. */
  private static final long SETTLE_MS = 1000;

  /** What a warm-up reached: how long it took, how many answers, the last window's rate, why it ended. */
  record Outcome(long tookMs, long requests, long lastWindowPerSecond, String endedBy) {}

  private final Vertx vertx;
  private final Context context;
  private final WarmupTraffic traffic;
  private final NetClient client;
  private final String host;
  private final int port;
  private final int connections;
  private final List<NetSocket> opened = new ArrayList<>();
  private final Promise<Outcome> done = Promise.promise();
  private final long beganNanos = System.nanoTime();
  private final WarmupWindows windows = new WarmupWindows(beganNanos);
  private Buffer batch;
  private int busy; // connections being opened, or with a batch not yet fully answered
  private String endedBy;
  private boolean finishing;

  SelfWarmup(Vertx vertx, String host, int port, int connections, WarmupTraffic traffic) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.traffic = traffic;
    this.host = host;
    this.port = port;
    this.connections = connections;
    this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(1000));
  }

  /** Runs until warm, the budget, a failure or {@code interrupted}; the outcome never fails. */
  Future<Outcome> run(long budgetMs, Future<Void> interrupted) {
    traffic.begin();
    batch = WarmupRequests.batch(host, port, traffic.secret());
    context.runOnContext(ignored -> {
      long window = vertx.setPeriodic(WINDOW_MS, id -> {
        if (windows.endWindowWarm()) {
          end("plateau");
        }
      });
      long budget = vertx.setTimer(budgetMs, id -> end("budget"));
      done.future().onComplete(ended -> {
        vertx.cancelTimer(window);
        vertx.cancelTimer(budget);
      });
      for (int i = 0; i < connections; i++) {
        busy++;
        client.connect(port, host).onComplete(connected -> {
          busy--;
          if (connected.failed()) {
            end("failure: " + connected.cause());
            settled();
          } else {
            opened.add(connected.result());
            new Answers(connected.result()).sendBatch();
          }
        });
      }
    });
    interrupted.onComplete(ignored -> context.runOnContext(again -> end("signal")));
    return done.future();
  }

  /** One connection's answers, counted as they come; the next batch goes when the last is in. */
  private final class Answers {
    private final NetSocket socket;
    private final WarmupRequests.HeaderEnds headerEnds = new WarmupRequests.HeaderEnds();
    private int awaited;

    Answers(NetSocket socket) {
      this.socket = socket;
      socket.handler(this::read);
      socket.closeHandler(closed -> {
        if (awaited > 0) {
          awaited = 0;
          busy--;
          end("failure: the connection closed with answers still due");
          settled();
        }
      });
    }

    void sendBatch() {
      if (endedBy != null) {
        settled();
        return;
      }
      busy++;
      awaited = WarmupRequests.DEPTH;
      socket.write(batch);
    }

    private void read(Buffer bytes) {
      for (int i = 0, n = bytes.length(); i < n && awaited > 0; i++) {
        if (headerEnds.endsAt(bytes.getByte(i))) {
          windows.answered();
          if (--awaited == 0) {
            busy--;
            sendBatch();
          }
        }
      }
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
      close();
      complete();
    } else if (busy == 0) {
      finish();
    } else {
      vertx.setTimer(SETTLE_MS, id -> finish()); // bounds the wait for the last answers
    }
  }

  /** A connection has nothing more due; once the run has ended and none has, it finishes. */
  private void settled() {
    if (endedBy != null && busy == 0) {
      finish();
    }
  }

  /** Every answer is in (or the wait is over): close the sockets, then count requests again. */
  private void finish() {
    if (finishing || done.future().isComplete()) {
      return;
    }
    finishing = true;
    close().onComplete(closed -> context.runOnContext(ignored -> {
      traffic.end();
      complete();
    }));
  }

  private Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    opened.forEach(socket -> closing.add(socket.close()));
    closing.add(client.close());
    return Future.join(closing).mapEmpty();
  }

  private void complete() {
    done.tryComplete(new Outcome(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - beganNanos),
        windows.answeredSoFar(), windows.lastPerSecond(), endedBy));
  }
}
