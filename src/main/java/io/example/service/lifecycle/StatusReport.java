package io.example.service.lifecycle;

import io.vertx.core.json.JsonObject;

/**
 * The body of {@code GET /status}: the service's state and uptime, then each part's own section, in the order
 * the parts were added to the {@link ServiceStatus}. The field names are part of the contract: the two here,
 * and each part's in its own {@link PartStatus}.
 */
public final class StatusReport {

  private StatusReport() {}

  /** A fresh object each time. */
  public static JsonObject of(ServiceStatus status) {
    JsonObject report = new JsonObject()
        .put("state", status.state().name())
        .put("uptimeMs", status.uptimeMs());
    for (PartStatus part : status.parts()) {
      part.addTo(report);
    }
    return report;
  }
}
