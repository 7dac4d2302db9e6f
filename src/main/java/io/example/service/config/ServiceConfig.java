package io.example.service.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * The whole configuration as immutable records. {@link ConfigLoader} builds it once, at the edge, and
 * each verticle receives the part it needs by constructor: nothing reads the environment later.
 *
 * @param provenance how each value came to be, for the start log, {@code --print-config} and error messages
 */
public record ServiceConfig(Http http, Worker worker, Startup startup, Shutdown shutdown, Management management,
                            Admin admin, Metrics metrics, Log log, Cluster cluster, Simulate simulate,
                            Provenance provenance) {

  /**
   * The HTTP listener and its limits against bad traffic.
   *
   * @param instances 0 means one instance per CPU core
   * @param idleTimeoutMs a connection silent this long is closed; 0 never closes it
   * @param accessLog one log line per request; off, nothing is installed on the request path
   */
  public record Http(String host, int port, int instances, boolean accessLog, int maxHeaderBytes,
              int maxRequestLineBytes, int maxBodyBytes, long idleTimeoutMs) {

    public int instanceCount() {
      return instances > 0 ? instances : Runtime.getRuntime().availableProcessors();
    }
  }

  /**
   * A job of {@code jobMs} starts every {@code intervalMs}; jobs never overlap.
   *
   * @param jobTimeoutMs a job still running this long is a worker failure; 0 means no timeout
   */
  public record Worker(long intervalMs, long jobMs, long jobTimeoutMs) {

    /** The longest a job can hold up a stop: a job is given up at its timeout, whatever it was meant to take. */
    public long longestJobMs() {
      return jobTimeoutMs == 0 ? jobMs : Math.min(jobMs, jobTimeoutMs);
    }
  }

  /**
   * @param timeoutMs a component whose start has not completed by then has failed to start; it bounds the
   *     warm-up too
   * @param warmupMs resolved ({@code "auto"} has become a number, see {@link AutoWarmup}): how long, at most,
   *     the service warms its own request path before it says READY; 0 = no warm-up
   */
  public record Startup(long timeoutMs, long warmupMs) {}

  /**
   * Both values are resolved: {@code "auto"} has become a number here ({@link Provenance} says how).
   *
   * @param timeoutMs the whole graceful shutdown, from the signal to the exit, must fit in this
   * @param drainDelayMs after the signal, how long readiness says DRAINING while requests are still served
   */
  public record Shutdown(long timeoutMs, long drainDelayMs) {}

  /**
   * A second listener for the operational endpoints ({@code /readyz}, {@code /metrics}, {@code /status},
   * {@code POST /shutdown}), so that the public port does not expose them.
   *
   * @param port {@link #OFF}: no such listener, everything stays on the HTTP port; 0: a port the OS picks
   */
  public record Management(String host, int port) {

    public static final int OFF = -1;
    /** How the config spells {@link #OFF}. */
    public static final String OFF_WORD = "off";

    public boolean enabled() {
      return port != OFF;
    }
  }

  /**
   * @param token the secret {@code POST /shutdown} requires; null when none is set. Never printed: the
   *              record's text masks it, and {@code --print-config} shows {@value #MASK}
   */
  public record Admin(boolean shutdownEndpoint, String token) {

    public static final String MASK = "***";

    @Override
    public String toString() {
      return "Admin[shutdownEndpoint=" + shutdownEndpoint + ", token=" + (token == null ? null : MASK) + "]";
    }
  }

  /** @param enabled {@code GET /metrics} and Vert.x's own meters; off, neither exists and requests pay nothing */
  public record Metrics(boolean enabled) {}

  /** @param json one JSON object per log line on stdout, instead of the text line */
  public record Log(boolean json) {

    public static final String TEXT = "text";
    public static final String JSON = "json";
  }

  /**
   * Replicas that share one background job: this member listens on {@code host:port} and joins the
   * {@code members} ("host:port" each, this one included: the majority is counted from this list).
   */
  public record Cluster(boolean enabled, String host, int port, List<String> members) {

    public Cluster {
      members = List.copyOf(members);
    }
  }

  /**
   * Knobs that demonstrate failures: a worker that cannot start, one whose start never completes, one that
   * crashes after N jobs, one that undeploys itself after N jobs (0 = never).
   */
  public record Simulate(boolean workerStartFailure, boolean workerStartHangs, int workerFailAfterJobs,
                         int workerUndeploysAfterJobs) {}

  /** Every key with its default value. conf/app.json holds the same tree; a test keeps them equal. */
  static JsonObject defaults() {
    return new JsonObject()
        .put("http", new JsonObject()
            .put("host", "0.0.0.0")
            .put("port", 8080)
            .put("instances", 0)
            .put("accessLog", false)
            .put("maxHeaderBytes", 8192)
            .put("maxRequestLineBytes", 4096)
            .put("maxBodyBytes", 65536)
            .put("idleTimeoutMs", 75000))
        .put("worker", new JsonObject()
            .put("intervalMs", 2000)
            .put("jobMs", 500)
            .put("jobTimeoutMs", 60000))
        .put("startup", new JsonObject()
            .put("timeoutMs", 30000)
            .put("warmupMs", AutoWarmup.AUTO))
        .put("shutdown", new JsonObject()
            .put("timeoutMs", AutoShutdown.AUTO)
            .put("drainDelayMs", AutoShutdown.AUTO))
        .put("management", new JsonObject()
            .put("port", Management.OFF_WORD)
            .put("host", "0.0.0.0"))
        .put("admin", new JsonObject()
            .put("shutdownEndpoint", false)
            .putNull("token"))
        .put("metrics", new JsonObject()
            .put("enabled", true))
        .put("log", new JsonObject()
            .put("format", Log.TEXT))
        .put("cluster", new JsonObject()
            .put("enabled", false)
            .put("host", "127.0.0.1")
            .put("port", 5701)
            .put("members", new JsonArray()))
        .put("simulate", new JsonObject()
            .put("workerStartFailure", false)
            .put("workerStartHangs", false)
            .put("workerFailAfterJobs", 0)
            .put("workerUndeploysAfterJobs", 0));
  }

  /** Checks the rules that tie keys together; each key's own range is checked as it is read. */
  public ServiceConfig {
    Objects.requireNonNull(provenance, "provenance");
    // The drain delay and one running job must both fit before the deadline, or a clean stop is impossible.
    // A job is given up at its timeout: a jobMs above it (a simulated hang) holds a stop no longer than that.
    if (shutdown.drainDelayMs() + worker.longestJobMs() >= shutdown.timeoutMs()) {
      throw new ConfigException(AutoShutdown.DRAIN_KEY, "drainDelayMs (" + shutdown.drainDelayMs()
          + autoNote(provenance, AutoShutdown.DRAIN_KEY) + ") plus " + jobTerm(worker) + " (" + worker.longestJobMs()
          + ") must be less than shutdown.timeoutMs (" + shutdown.timeoutMs()
          + autoNote(provenance, AutoShutdown.TIMEOUT_KEY) + "), or a running job could never finish before the deadline"
          + explicitHint(provenance));
    }
  }

  private static String jobTerm(Worker worker) {
    return worker.longestJobMs() < worker.jobMs() ? "worker.jobTimeoutMs" : "worker.jobMs";
  }

  /** An auto value in a conflict must say so: the user never wrote that number. */
  private static String autoNote(Provenance provenance, String key) {
    return provenance.source(key) == Source.AUTO ? ", auto-resolved: " + AutoShutdown.reason(provenance.kubernetes()) : "";
  }

  private static String explicitHint(Provenance provenance) {
    String auto = AutoShutdown.KEYS.stream().sorted().filter(key -> provenance.source(key) == Source.AUTO)
        .reduce((a, b) -> a + " or " + b).orElse("");
    return auto.isEmpty() ? "" : "; set " + auto + " to a number";
  }
}
