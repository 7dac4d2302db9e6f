package io.example.service.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;

/**
 * A request whose chunked body {@link RequestLimits} has already read, to count it before routing, handed to
 * the routes as if that body were still arriving: a route reads it the usual way, with vertx-web's
 * {@code BodyHandler}, the request's own {@code body()}, or its {@code handler} and {@code endHandler}.
 *
 * <p>The body comes as Vert.x delivers one that arrives: on the request's event loop, in a later turn than the
 * one that routed it (so a route sets its handlers first), one chunk and then the end, and not while the
 * request is paused. A route that reads the body only later, after some work of its own, pauses the request
 * first, as it must for any body. Everything else is the request Vert.x made, untouched. Only a chunked
 * request is wrapped; every other request reaches the routes as it is.
 */
final class ReadBodyRequest extends HttpServerRequestWrapper {

  private final Buffer body;
  private final ContextInternal context;
  private Handler<Buffer> chunkHandler;
  private Handler<Void> endHandler;
  private Promise<Buffer> bodyPromise;
  private Promise<Void> endPromise;
  private boolean paused;
  private boolean replayScheduled;
  private boolean chunkDelivered;
  private boolean ended;

  /** @param body the whole body, already within {@code http.maxBodyBytes} */
  ReadBodyRequest(HttpServerRequestInternal request, Buffer body) {
    super(request);
    this.body = body;
    this.context = request.context();
    scheduleReplay();
  }

  @Override
  public HttpServerRequest handler(Handler<Buffer> handler) {
    if (handler != null) {
      checkNotEnded();
    }
    chunkHandler = handler;
    return this;
  }

  @Override
  public HttpServerRequest endHandler(Handler<Void> handler) {
    if (handler != null) {
      checkNotEnded();
    }
    endHandler = handler;
    return this;
  }

  @Override
  public HttpServerRequest pause() {
    paused = true;
    return this;
  }

  @Override
  public HttpServerRequest resume() {
    return fetch(Long.MAX_VALUE);
  }

  /** The body is one chunk: any demand lets it, and then the end, through. */
  @Override
  public HttpServerRequest fetch(long amount) {
    if (amount > 0) {
      paused = false;
      scheduleReplay();
    }
    return this;
  }

  @Override
  public boolean isEnded() {
    return ended;
  }

  @Override
  public Future<Buffer> body() {
    checkNotEnded();
    if (bodyPromise == null) {
      bodyPromise = context.promise();
    }
    return bodyPromise.future();
  }

  @Override
  public Future<Void> end() {
    checkNotEnded();
    if (endPromise == null) {
      endPromise = context.promise();
    }
    return endPromise.future();
  }

  /** As Vert.x answers a second read of a body: the route reads it once. */
  private void checkNotEnded() {
    if (ended) {
      throw new IllegalStateException("Request has already been read");
    }
  }

  private void scheduleReplay() {
    if (!replayScheduled && !ended) {
      replayScheduled = true;
      context.runOnContext(ignored -> replay());
    }
  }

  /** The chunk, then (unless the chunk's handler paused the request) the end; a pause waits for a resume. */
  private void replay() {
    replayScheduled = false;
    if (paused || ended) {
      return;
    }
    if (!chunkDelivered) {
      chunkDelivered = true;
      Handler<Buffer> chunks = chunkHandler;
      if (chunks != null && body.length() > 0) {
        context.dispatch(body, chunks);
      }
      if (paused) {
        return;
      }
    }
    ended = true;
    Handler<Void> end = endHandler;
    if (end != null) {
      context.dispatch(end);
    }
    if (bodyPromise != null) {
      bodyPromise.tryComplete(body);
    }
    if (endPromise != null) {
      endPromise.tryComplete();
    }
  }
}
