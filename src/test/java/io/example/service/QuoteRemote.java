package io.example.service;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The remote service the recipes' job and client pool call, on 127.0.0.1 and a port the OS picks.
 * {@code GET /healthz} answers with the health it is given; {@code GET /quotes/latest} answers at once, or,
 * while quotes are held, only when the test releases them (or never).
 */
final class QuoteRemote {

  static final String QUOTE = "ACME 42.00";

  private final Vertx vertx;
  private final AtomicInteger quoteCalls = new AtomicInteger();
  private final Promise<Void> firstQuoteCall = Promise.promise();
  private volatile int health = 200;
  private volatile boolean holdQuotes;
  private volatile HttpServerRequest held; // the last quote call held, to answer on release
  private volatile Context heldOn;
  private HttpServer server;

  QuoteRemote(Vertx vertx) {
    this.vertx = vertx;
  }

  int start() throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
        .await(5, TimeUnit.SECONDS);
    return server.actualPort();
  }

  /** From now on quote calls get no answer until {@link #releaseHeld()}. */
  QuoteRemote holdQuotes() {
    holdQuotes = true;
    return this;
  }

  QuoteRemote health(int statusCode) {
    health = statusCode;
    return this;
  }

  /** Completes when the first quote call has arrived. */
  Future<Void> firstQuoteCall() {
    return firstQuoteCall.future();
  }

  int quoteCalls() {
    return quoteCalls.get();
  }

  /** Answers the quote call held last, on its own event loop. */
  void releaseHeld() {
    HttpServerRequest request = held;
    heldOn.runOnContext(ignored -> request.response().end(QUOTE));
  }

  private void handle(HttpServerRequest request) {
    if (request.path().equals("/healthz")) {
      request.response().setStatusCode(health).end();
    } else if (request.path().equals("/quotes/latest")) {
      quoteCalls.incrementAndGet();
      if (holdQuotes) {
        heldOn = Vertx.currentContext();
        held = request;
      } else {
        request.response().end(QUOTE);
      }
      firstQuoteCall.tryComplete();
    } else {
      request.response().setStatusCode(404).end();
    }
  }
}
