package io.example.service;

import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.StatusReport;
import io.vertx.core.json.JsonObject;

/**
 * What a test reads of a running service, read the way an operator does: from its {@code /status} body, which
 * each part fills with its own section. No part keeps a reader only for tests.
 */
public final class StatusReads {

  private StatusReads() {}

  public static JsonObject section(ServiceStatus status, String part) {
    return StatusReport.of(status).getJsonObject(part);
  }

  /** The port HTTP listens on; -1 before it does. */
  public static int httpPort(ServiceStatus status) {
    return section(status, "http").getInteger("port");
  }

  public static int managementPort(ServiceStatus status) {
    return section(status, "management").getInteger("port");
  }

  public static long requestsReceived(ServiceStatus status) {
    return section(status, "http").getLong("requests");
  }

  public static long jobsCompleted(ServiceStatus status) {
    return section(status, "worker").getLong("jobsCompleted");
  }

  public static long jobsFailed(ServiceStatus status) {
    return section(status, "worker").getLong("jobsFailed");
  }

  public static boolean jobRunning(ServiceStatus status) {
    return section(status, "worker").getBoolean("jobRunning");
  }

  public static boolean workerActive(ServiceStatus status) {
    return section(status, "worker").getBoolean("active");
  }

  /** {@code ok}, {@code failed} or {@code timeout}; null before the first job ended. */
  public static String lastJobOutcome(ServiceStatus status) {
    return section(status, "worker").getString("lastJobOutcome");
  }
}
