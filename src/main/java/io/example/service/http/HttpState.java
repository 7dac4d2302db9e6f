package io.example.service.http;

import io.example.service.lifecycle.PartStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.LongAdder;

/**
 * What http keeps about itself: the port it listens on, the requests it received (the warm-up's left out) and
 * its refusals by reason, shared by every instance. {@code /status} shows it as the {@code http} section; the
 * refusals are the {@code service_http_rejected} meter. The request count has no meter of its own: the HTTP
 * server meters count requests, by status, on the request path.
 */
final class HttpState implements PartStatus {

  private final LongAdder requestsReceived = new LongAdder(); // added to from every event loop
  private final Rejections rejections = new Rejections();
  private volatile int port = -1;

  void requestReceived() {
    requestsReceived.increment();
  }

  long requestsReceived() {
    return requestsReceived.sum();
  }

  void port(int listening) {
    port = listening;
  }

  /** The port HTTP listens on, once it does; -1 before. */
  int port() {
    return port;
  }

  Rejections rejections() {
    return rejections;
  }

  @Override
  public void addTo(JsonObject report) {
    report.put("http", new JsonObject()
        .put("port", port)
        .put("requests", requestsReceived.sum())
        .put("rejected", rejections.toJson()));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (Rejections.Reason reason : Rejections.Reason.values()) {
      FunctionCounter.builder("service_http_rejected", rejections, counts -> counts.total(reason))
          .description("Requests refused for a limit or as malformed")
          .tag("reason", reason.label()).register(registry);
    }
  }
}
