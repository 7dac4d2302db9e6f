package io.example.service.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Turns the merged, type-checked and resolved tree into records, checking each key's range. */
final class ConfigReader {

  private ConfigReader() {}

  static ServiceConfig read(JsonObject c, Provenance provenance) {
    JsonObject http = c.getJsonObject("http");
    JsonObject worker = c.getJsonObject("worker");
    JsonObject shutdown = c.getJsonObject("shutdown");
    JsonObject simulate = c.getJsonObject("simulate");
    return new ServiceConfig(
        new ServiceConfig.Http(
            host(http.getString("host")),
            (int) range(http, "http.", "port", 0, 65535),
            (int) range(http, "http.", "instances", 0, 1024),
            http.getBoolean("accessLog"),
            (int) range(http, "http.", "maxHeaderBytes", 256, 1 << 20),
            (int) range(http, "http.", "maxRequestLineBytes", 64, 1 << 20),
            (int) range(http, "http.", "maxBodyBytes", 0, Integer.MAX_VALUE),
            range(http, "http.", "idleTimeoutMs", 0, Integer.MAX_VALUE)),
        new ServiceConfig.Worker(
            range(worker, "worker.", "intervalMs", 1, Integer.MAX_VALUE),
            range(worker, "worker.", "jobMs", 0, Integer.MAX_VALUE),
            range(worker, "worker.", "jobTimeoutMs", 0, Integer.MAX_VALUE)),
        new ServiceConfig.Startup(range(c.getJsonObject("startup"), "startup.", "timeoutMs", 1, Integer.MAX_VALUE),
            range(c.getJsonObject("startup"), "startup.", "warmupMs", 0, Integer.MAX_VALUE)),
        new ServiceConfig.Shutdown(
            range(shutdown, "shutdown.", "timeoutMs", 1, Integer.MAX_VALUE),
            range(shutdown, "shutdown.", "drainDelayMs", 0, Integer.MAX_VALUE)),
        management(c.getJsonObject("management")),
        admin(c.getJsonObject("admin")),
        new ServiceConfig.Metrics(c.getJsonObject("metrics").getBoolean("enabled")),
        new ServiceConfig.Log(json(c.getJsonObject("log").getString("format"))),
        cluster(c.getJsonObject("cluster")),
        new ServiceConfig.Simulate(
            simulate.getBoolean("workerStartFailure"),
            simulate.getBoolean("workerStartHangs"),
            (int) range(simulate, "simulate.", "workerFailAfterJobs", 0, Integer.MAX_VALUE),
            (int) range(simulate, "simulate.", "workerUndeploysAfterJobs", 0, Integer.MAX_VALUE)),
        provenance);
  }

  private static long range(JsonObject section, String prefix, String name, long min, long max) {
    long value = section.getLong(name);
    if (value < min || value > max) {
      String rule = min == 0 && max == Integer.MAX_VALUE ? "must not be negative"
          : min == 1 && max == Integer.MAX_VALUE ? "must be at least 1"
          : "must be between " + min + " and " + max;
      throw new ConfigException(prefix + name, rule + ", got " + value);
    }
    return value;
  }

  /** Exactly {@code text} or {@code json}: a typo must not silently keep the other format. */
  private static boolean json(String format) {
    if (!format.equals(ServiceConfig.Log.TEXT) && !format.equals(ServiceConfig.Log.JSON)) {
      throw new ConfigException("log.format", "must be \"text\" or \"json\", got \"" + format + "\"");
    }
    return format.equals(ServiceConfig.Log.JSON);
  }

  /**
   * An endpoint that stops the service needs a secret: a peer address proves nothing behind a proxy. The
   * token goes in a header, so it must be visible ASCII. No message quotes it.
   */
  private static ServiceConfig.Admin admin(JsonObject admin) {
    boolean enabled = admin.getBoolean("shutdownEndpoint");
    String token = admin.getString("token");
    if (token != null && token.isEmpty()) {
      token = null; // an empty variable unsets it
    }
    if (token != null && !token.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
      throw new ConfigException("admin.token", "must be visible ASCII characters only (no spaces)");
    }
    if (enabled && token == null) {
      throw new ConfigException("admin.token", "must be set when admin.shutdownEndpoint is true");
    }
    return new ServiceConfig.Admin(enabled, token);
  }

  private static String host(String host) {
    return host("http.host", host);
  }

  private static String host(String key, String host) {
    if (host.isBlank()) {
      throw new ConfigException(key, "must not be empty");
    }
    return host;
  }

  /** The port is a whole number or "off" here: the loader has checked its type. */
  private static ServiceConfig.Management management(JsonObject management) {
    String host = host("management.host", management.getString("host"));
    if (ServiceConfig.Management.OFF_WORD.equals(management.getValue("port"))) {
      return new ServiceConfig.Management(host, ServiceConfig.Management.OFF);
    }
    return new ServiceConfig.Management(host, (int) range(management, "management.", "port", 0, 65535));
  }

  private static ServiceConfig.Cluster cluster(JsonObject cluster) {
    // Port 0 has no use here: the members must know each other's ports in advance.
    int port = (int) range(cluster, "cluster.", "port", 1, 65535);
    List<String> members = new ArrayList<>();
    JsonArray listed = cluster.getJsonArray("members");
    for (int i = 0; i < listed.size(); i++) {
      members.add(member(i, listed.getValue(i)));
    }
    return new ServiceConfig.Cluster(cluster.getBoolean("enabled"), host("cluster.host", cluster.getString("host")),
        port, members);
  }

  /** One "host:port" entry; an IPv6 address goes in brackets, "[::1]:5701", as in a URL. */
  private static String member(int index, Object entry) {
    String key = "cluster.members[" + index + "]";
    if (!(entry instanceof String text)) {
      throw new ConfigException(key, "must be a string \"host:port\", got " + entry);
    }
    String member = text.trim();
    int colon = member.lastIndexOf(':');
    String host = colon < 0 ? "" : member.substring(0, colon);
    if (colon < 0 || host.isBlank() || host.startsWith("[") != host.endsWith("]")
        || !host.startsWith("[") && host.contains(":")) {
      throw new ConfigException(key, "must be \"host:port\", got '" + text + "'");
    }
    try {
      int port = Integer.parseInt(member.substring(colon + 1));
      if (port >= 1 && port <= 65535) {
        return member;
      }
    } catch (NumberFormatException ignored) {
      // said below
    }
    throw new ConfigException(key, "the port must be a whole number between 1 and 65535, got '" + text + "'");
  }
}
