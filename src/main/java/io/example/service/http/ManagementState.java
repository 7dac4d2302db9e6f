package io.example.service.http;

import io.example.service.lifecycle.PartStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;

/** The {@code management} section of {@code /status}: whether there is a management listener, and its port. */
final class ManagementState implements PartStatus {

  private final boolean enabled;
  private volatile int port = -1;

  ManagementState(boolean enabled) {
    this.enabled = enabled;
  }

  void port(int listening) {
    port = listening;
  }

  /** The port the management listener listens on, once it does; -1 before, or when there is none. */
  int port() {
    return port;
  }

  @Override
  public void addTo(JsonObject report) {
    report.put("management", new JsonObject().put("enabled", enabled).put("port", port));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    // none of its own
  }
}
