package io.example.service.edge;

import io.example.service.SupervisorVerticle;
import io.example.service.cluster.ClusterNode;
import io.example.service.config.ConfigException;
import io.example.service.config.ConfigLoader;
import io.example.service.config.ConfigReport;
import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.DeployFailure;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.Supervisor;
import io.example.service.lifecycle.Termination;
import io.example.service.logging.ConsoleLogging;
import io.example.service.metrics.MetricsSetup;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process, from its arguments to its exit code, in the one method {@link #main}. Everything that
 * differs between processes lives in this package: arguments, config, Vert.x, signals, the deadline
 * guard, closing Vert.x and the exit. Nothing else ends the JVM.
 *
 * <p>Usage: {@code java -jar service-fat.jar [-conf <file or inline JSON>] [--print-config] | --help | --version}
 */
public final class Main {

  static final Path LOGBACK_OVERRIDE = Path.of("conf", "logback.xml");

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    long startNanos = System.nanoTime();
    quietNettyFlightRecorderEvents();
    useLogbackOverride();
    ProcessWatch watch = new ProcessWatch();

    // 1. Parse the arguments, and 2. read the config: defaults < -conf < SERVICE_*; unusable: exit 2.
    CommandLine command;
    ServiceConfig config = null;
    try {
      command = CommandLine.parse(List.of(args));
      if (command.action() == CommandLine.Action.RUN || command.action() == CommandLine.Action.PRINT_CONFIG) {
        config = ConfigLoader.load(command.conf(), System.getenv());
      }
    } catch (ConfigException e) {
      System.err.println("config error: " + e.getMessage());
      watch.exit(Termination.config(), startNanos);
      return;
    }
    if (command.action() != CommandLine.Action.RUN) {
      print(command.action(), config);
      return;
    }
    ConsoleLogging.useJson(config.log().json()); // before the first line: nothing has logged yet

    // 3. Start: Vert.x (joined to its cluster when clustered), then the supervisor starts every component.
    ClusterNode cluster = config.cluster().enabled() ? ClusterNode.create(config) : null;
    Vertx vertx = cluster == null ? MetricsSetup.vertxBuilder(config, new VertxOptions()).build()
        : clustered(config, cluster, watch, startNanos);
    ServiceStatus status = new ServiceStatus();
    SupervisorVerticle service = new SupervisorVerticle(config, status, cluster);
    Supervisor supervisor = service.supervisor();
    watch.watch(supervisor); // from here a signal, or any stop, is bounded by the one deadline
    vertx.deployVerticle(service)
        .onSuccess(id -> logReady(status, startNanos))
        // The supervisor has undone the start; its stop only has Vert.x left to close, within the deadline.
        .onFailure(cause -> supervisor.stop(Termination.deployFailure(
            cause instanceof DeployFailure failed ? failed.component() : "supervisor")));

    // 4. Wait for a stop: a signal, a component that failed or ended on its own, or a failed start.
    waitFor(supervisor.stopBegan());

    // 5. The stop plan runs on the supervisor's context: readiness down, then each component's own step
    //    and undeploy, last started first, all within the deadline (the guard halts the process past it).
    Termination termination = waitFor(supervisor.stopped());

    // 6. Close Vert.x, and 7. exit with the reason's code; the summary line is the last line.
    watch.closeAndExit(vertx, termination);
  }

  /**
   * Netty 4.2 registers its buffer-allocator events with the JDK's flight recorder when the first connection
   * allocates, unless told not to: on the event loop, about 70 classes and 80 ms before the first answer
   * (profiled). Those events are off in the JDK's recording settings anyway. An explicit
   * {@code -Dio.netty.jfr.enabled=true} still turns them on. Before anything loads Netty.
   */
  static void quietNettyFlightRecorderEvents() {
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false");
    }
  }

  /** Before anything touches a logger: a conf/logback.xml replaces the built-in configuration. */
  private static void useLogbackOverride() {
    if (System.getProperty("logback.configurationFile") == null && Files.isReadable(LOGBACK_OVERRIDE)) {
      System.setProperty("logback.configurationFile", LOGBACK_OVERRIDE.toString());
    }
  }

  /**
   * Vert.x as a member of the cluster: it has joined one, or formed its own, within startup.timeoutMs.
   * Otherwise (its port taken, an address it cannot bind, no cluster in time) the start has failed: exit 15.
   */
  private static Vertx clustered(ServiceConfig config, ClusterNode cluster, ProcessWatch watch, long startNanos)
      throws InterruptedException {
    long timeoutMs = config.startup().timeoutMs();
    watch.haltOnSignals(); // nothing to stop gracefully yet
    try {
      return MetricsSetup.vertxBuilder(config, cluster.vertxOptions()).withClusterManager(cluster.manager())
          .buildClustered()
          .toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log().error("cluster did not start within {} ms (startup.timeoutMs)", timeoutMs);
    } catch (ExecutionException e) {
      log().error("cluster failed to start: {}", String.valueOf(e.getCause()));
    }
    watch.halt(Termination.deployFailure("cluster"), startNanos);
    throw new IllegalStateException("unreachable: the process has been halted");
  }

  private static void print(CommandLine.Action action, ServiceConfig config) {
    switch (action) {
      case HELP -> System.out.print(CommandLine.help());
      case VERSION -> System.out.println(CommandLine.version());
      default -> System.out.println(ConfigReport.printable(config).encodePrettily());
    }
  }

  private static void logReady(ServiceStatus status, long startNanos) {
    if (status.state() == ServiceStatus.State.READY) { // not when a signal came during the start
      log().info("service ready in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }
  }

  /** Bounded: a stop has its deadline guard, and a start has startup.timeoutMs. */
  private static <T> T waitFor(Future<T> future) throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Not a static field: no logger may exist before {@link #useLogbackOverride} and the log format are set. */
  private static Logger log() {
    return LoggerFactory.getLogger(Main.class);
  }
}
