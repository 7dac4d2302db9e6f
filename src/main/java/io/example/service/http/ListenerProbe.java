package io.example.service.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

/**
 * Tells when a closed listener is really gone. "Closed" is not yet "refused": Vert.x stops taking new
 * channels a little before the listening socket closes, and Java's NIO closes a selector-registered socket
 * only at the selector's next wake-up; a connection accepted in that window would be dropped unanswered.
 *
 * <p>It asks by binding the port, not by connecting to it: while a socket still listens there the bind
 * fails, and once none does it succeeds (connects are then refused). A connecting probe would itself be
 * such a dropped connection, and Netty logs each one with a stack trace.
 */
final class ListenerProbe {

  private static final long RETRY_MS = 2;

  private ListenerProbe() {}

  /** Completes with true when nothing listens on host:port any more, or with false after {@code maxWaitMs}. */
  static Future<Boolean> awaitRefused(Vertx vertx, String host, int port, long maxWaitMs) {
    Promise<Boolean> refused = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
    probe(vertx, new InetSocketAddress(host, port), deadline, refused);
    return refused.future();
  }

  private static void probe(Vertx vertx, InetSocketAddress address, long deadline, Promise<Boolean> refused) {
    // A bind is a blocking system call of microseconds: a worker thread, not the event loop.
    vertx.executeBlocking(() -> nothingListens(address), false).onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        refused.complete(true);
      } else if (System.nanoTime() >= deadline) {
        refused.complete(false);
      } else {
        vertx.setTimer(RETRY_MS, ignored -> probe(vertx, address, deadline, refused));
      }
    });
  }

  /**
   * Binds and at once releases the address. With SO_REUSEADDR the connections still open on the port do
   * not stand in the way; only a listening socket does.
   */
  private static boolean nothingListens(InetSocketAddress address) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(address, 1);
      return true;
    } catch (BindException e) {
      return false;
    } catch (IOException e) {
      return false; // another error says nothing yet: try again
    }
  }
}
