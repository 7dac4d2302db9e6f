package io.example.service;

import io.example.service.lifecycle.Supervisor;
import io.vertx.core.Vertx;

/**
 * The stock {@code io.vertx.core.Launcher} ({@code vertx run}) as a launch mode. It handles no signal itself
 * (its JVM shutdown hook would exit 143) and ends a failed deployment with exit 0, so when it is the JVM's
 * main class, the supervisor is its own process edge there, as {@link ServiceRunner} is in the main mode.
 */
final class StockLauncher {

  private StockLauncher() {}

  /**
   * True when the stock launcher is this JVM's main class, read from the JVM's own record of its command
   * line; anywhere else (a test's Vert.x) the supervisor exits nothing.
   */
  static boolean isMainClass() {
    return System.getProperty("sun.java.command", "").startsWith("io.vertx.core.Launcher");
  }

  /** Signals, the deadline and the exit, as in the main mode; Vert.x is closed off its own threads. */
  static ProcessEdge edge(Vertx vertx, Supervisor supervisor) {
    ProcessEdge edge = new ProcessEdge();
    edge.watch(supervisor);
    supervisor.stopped().thenAccept(termination -> {
      Thread exit = new Thread(() -> {
        try {
          edge.closeAndExit(vertx, termination);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "service-exit");
      exit.start();
    });
    return edge;
  }
}
