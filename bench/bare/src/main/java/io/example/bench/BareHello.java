package io.example.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmark's yardstick: one verticle, a plain vertx-core {@code HttpServer} that answers every request
 * with {@code Hello world}, deployed once per CPU core like the service's HTTP component. No router, no
 * supervisor, no worker, no logging framework: what the service costs beyond this is what bench/run.sh shows.
 *
 * <p>Usage: {@code java -jar bare-fat.jar [port]}, or the port in {@code BARE_HTTP_PORT}; 0 lets the OS pick.
 * It prints {@code bare listening on 0.0.0.0:<port> (<n> instances)} once every instance listens. SIGTERM
 * closes Vert.x (bounded) and the JVM exits through its shutdown hook, with 143 as usual.
 */
public final class BareHello extends VerticleBase {

  private static final String HOST = "0.0.0.0";
  // The same bytes as the service's GET /, so both write the same response.
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String HELLO = "Hello world";
  private static final long CLOSE_TIMEOUT_MS = 5_000;

  private final int port;
  private final AtomicInteger boundPort;

  private BareHello(int port, AtomicInteger boundPort) {
    this.port = port;
    this.boundPort = boundPort;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer()
        .requestHandler(request -> request.response().putHeader(HttpHeaders.CONTENT_TYPE, TEXT).end(HELLO))
        .listen(port, HOST)
        .onSuccess(server -> boundPort.set(server.actualPort()));
  }

  public static void main(String[] args) {
    serve("bare", args, BareHello::new);
  }

  /**
   * Starts one yardstick the same way as the other: one instance per core on one port, a bounded close in
   * the JVM's shutdown hook, and one line once every instance listens.
   *
   * @param verticle makes an instance for a listen port (negative: shared, picked by the OS) that reports
   *     the port it bound
   */
  static void serve(String name, String[] args, BiFunction<Integer, AtomicInteger, VerticleBase> verticle) {
    int port = port(args);
    int instances = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> close(vertx, name), name + "-shutdown"));
    // A negative port makes the instances share one port picked by the OS; 0 would give each its own.
    int listenPort = port == 0 ? -1 : port;
    AtomicInteger boundPort = new AtomicInteger();
    try {
      vertx.deployVerticle(() -> verticle.apply(listenPort, boundPort), new DeploymentOptions().setInstances(instances))
          .await(30, TimeUnit.SECONDS);
    } catch (TimeoutException | RuntimeException e) {
      System.err.println(name + " failed to start: " + e);
      System.exit(1);
    }
    System.out.println(name + " listening on " + HOST + ":" + boundPort.get() + " (" + instances + " instances)");
  }

  /** The port from the first argument or BARE_HTTP_PORT (default 8080); exits 2 with a usage line if bad. */
  static int port(String[] args) {
    String raw = args.length > 0 ? args[0] : System.getenv().getOrDefault("BARE_HTTP_PORT", "8080");
    try {
      int port = Integer.parseInt(raw.trim());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    System.err.println("usage: java -jar bare-fat.jar [port 0..65535] (or BARE_HTTP_PORT); got '" + raw + "'");
    System.exit(2);
    return -1;
  }

  /** Runs in the JVM's shutdown hook: closes the servers and event loops, but never waits without end. */
  static void close(Vertx vertx, String name) {
    long startNanos = System.nanoTime();
    String outcome = "closed";
    try {
      vertx.close().await(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      outcome = "close timed out";
    } catch (RuntimeException e) {
      outcome = "close failed: " + e;
    }
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    System.out.println(name + " stopped: " + outcome + " in " + tookMs + " ms");
  }
}
