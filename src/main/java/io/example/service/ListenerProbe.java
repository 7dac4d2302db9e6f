package io.example.service;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.concurrent.TimeUnit;

/**
 * Tells when a closed listener really refuses connections. "Closed" is not yet "refused": Vert.x and Java's
 * NIO close the listening socket some milliseconds after the call returns (VERTX5-FACTS Q7), and a
 * connection accepted in that window would be dropped without an answer.
 */
final class ListenerProbe {

  private static final long RETRY_MS = 5;

  private ListenerProbe() {}

  /** Completes when a connect to host:port is refused, or after {@code maxWaitMs}, whichever comes first. */
  static Future<Boolean> awaitRefused(Vertx vertx, String host, int port, long maxWaitMs) {
    NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(100));
    Promise<Boolean> refused = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
    probe(vertx, client, connectable(host), port, deadline, refused);
    return refused.future().eventually(client::close);
  }

  private static void probe(Vertx vertx, NetClient client, String host, int port, long deadline,
                            Promise<Boolean> refused) {
    client.connect(port, host).onComplete(ar -> {
      if (ar.failed()) {
        refused.complete(true);
        return;
      }
      ar.result().close();
      if (System.nanoTime() >= deadline) {
        refused.complete(false);
      } else {
        vertx.setTimer(RETRY_MS, ignored -> probe(vertx, client, host, port, deadline, refused));
      }
    });
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
