package io.example.service.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * Tells when a closed listener really refuses connections. "Closed" is not yet "refused": Vert.x and Java's
 * NIO close the listening socket some milliseconds after the call returns (a selector closes it at its next wake-up), and a
 * connection accepted in that window would be dropped without an answer.
 */
final class ListenerProbe {

  private static final long RETRY_MS = 2;
  private static final int CONNECT_TIMEOUT_MS = 100;

  private ListenerProbe() {}

  /** Completes with true when a connect to host:port is refused, or with false after {@code maxWaitMs}. */
  static Future<Boolean> awaitRefused(Vertx vertx, String host, int port, long maxWaitMs) {
    Promise<Boolean> refused = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
    probe(vertx, new InetSocketAddress(connectable(host), port), deadline, refused);
    return refused.future();
  }

  private static void probe(Vertx vertx, InetSocketAddress address, long deadline, Promise<Boolean> refused) {
    // A loopback connect is a blocking call of well under a millisecond: a worker thread, not the event loop.
    vertx.executeBlocking(() -> isRefused(address), false).onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        refused.complete(true);
      } else if (System.nanoTime() >= deadline) {
        refused.complete(false);
      } else {
        vertx.setTimer(RETRY_MS, ignored -> probe(vertx, address, deadline, refused));
      }
    });
  }

  private static boolean isRefused(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, CONNECT_TIMEOUT_MS);
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false; // a timeout or another error says nothing yet: try again
    }
  }

  /** A wildcard listener is reached through loopback. */
  private static String connectable(String host) {
    return switch (host) {
      case "0.0.0.0" -> "127.0.0.1";
      case "::", "[::]" -> "::1";
      default -> host;
    };
  }
}
