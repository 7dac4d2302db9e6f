package io.example.service.lifecycle;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The body of {@code GET /status}, read from a {@link ServiceStatus}: its field names are part of the contract,
 * so they are written in this one place, apart from the state they show.
 */
public final class StatusReport {

  private StatusReport() {}

  /** A fresh object each time: the caller may add its own fields (http adds its refusals). */
  public static JsonObject of(ServiceStatus status) {
    Instant last = status.lastJobFinishedAt();
    JobOutcome outcome = status.lastJobOutcome();
    int managementPort = status.managementPort();
    return new JsonObject()
        .put("state", status.state().name())
        .put("uptimeMs", status.uptimeMs())
        .put("worker", new JsonObject()
            .put("active", status.workerActive())
            .put("jobsCompleted", status.jobsCompleted())
            .put("jobsFailed", status.jobsFailed())
            .put("jobRunning", status.jobRunning())
            .put("lastJobFinishedAt", last == null ? null : last.toString())
            .put("lastJobOutcome", outcome == null ? null : outcome.label()))
        .put("cluster", new JsonObject().put("enabled", status.clustered()).put("members", status.clusterMembers()))
        .put("http", new JsonObject().put("port", status.httpPort()).put("requests", status.requestsReceived()))
        .put("management", new JsonObject().put("enabled", managementPort >= 0).put("port", managementPort));
  }
}
