package io.example.service.edge;

import io.example.service.ProcessOwner;
import io.example.service.SupervisorVerticle;
import io.example.service.config.ConfigException;
import io.example.service.config.ConfigLoader;
import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.Supervisor;
import io.example.service.lifecycle.Termination;
import io.example.service.logging.ConsoleLogging;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The stock {@code io.vertx.core.Launcher} ({@code vertx run}) as a launch mode. The launcher builds Vert.x and
 * creates the {@link SupervisorVerticle} by its class name; it handles no signal itself (its JVM shutdown hook
 * would exit 143) and ends a failed deployment with exit 0 after a stack trace. So when it is the JVM's main
 * class, this is the verticle's {@link ProcessOwner} (listed in META-INF/services), and keeps the main mode's
 * promises: the same config errors (exit 2), signals, deadline, exit codes and summary line.
 */
public final class StockLauncher implements ProcessOwner {

  private final long startNanos = System.nanoTime();
  private final ProcessWatch watch = new ProcessWatch();

  /** For {@link java.util.ServiceLoader}. */
  public StockLauncher() {}

  /**
   * True when the stock launcher is this JVM's main class, read from the JVM's own record of its command
   * line; anywhere else (a test's Vert.x) the verticle's owner is none, and nothing ends the process.
   */
  @Override
  public boolean ownsThisJvm() {
    return System.getProperty("sun.java.command", "").startsWith("io.vertx.core.Launcher");
  }

  /** The launcher's {@code -conf} JSON and the environment; a config it cannot use ends the process with 2. */
  @Override
  public ServiceConfig config(JsonObject deploymentConfig) {
    try {
      ServiceConfig config = ConfigLoader.fromJson(deploymentConfig, System.getenv());
      if (config.cluster().enabled()) {
        throw SupervisorVerticle.clusteringNeedsTheMainMode();
      }
      ConsoleLogging.useJson(config.log().json()); // the launcher has logged already, before the config
      return config;
    } catch (ConfigException e) {
      System.err.println("config error: " + e.getMessage());
      watch.halt(Termination.config(), startNanos);
      throw e;
    }
  }

  /** Signals, the deadline and the exit, as in the main mode; Vert.x is closed off its own threads. */
  @Override
  public void supervising(Vertx vertx, Supervisor supervisor, ServiceConfig config) {
    watch.watch(supervisor);
    supervisor.stopped().thenAccept(termination -> {
      Thread exit = new Thread(() -> {
        try {
          watch.closeAndExit(vertx, termination);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "service-exit");
      exit.start();
    });
  }

  /** Before the launcher sees the failure: it would log a stack trace and exit 0. */
  @Override
  public void startFailed(String component) {
    watch.halt(Termination.deployFailure(component), startNanos);
  }
}
