package io.example.service.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** What http keeps about itself: the {@code http} section of /status and the refusal meter. */
public class HttpStateTest {

  private final HttpState state = new HttpState();

  @Test
  void the_section_has_the_port_the_requests_and_every_refusal_reason() {
    state.port(8123);
    state.requestReceived();
    state.requestReceived();
    state.rejections().count(Rejections.Reason.BODY_TOO_LARGE);
    JsonObject report = new JsonObject();
    state.addTo(report);
    JsonObject http = report.getJsonObject("http");

    assertEquals(8123, http.getInteger("port"));
    assertEquals(2L, http.getLong("requests"));
    assertEquals(1L, http.getJsonObject("rejected").getLong(Rejections.Reason.BODY_TOO_LARGE.label()));
    assertEquals(Rejections.Reason.values().length, http.getJsonObject("rejected").size(), "zeros included");
  }

  @Test
  void an_unauthorized_shutdown_request_is_a_rejection_reason() {
    MeterRegistry registry = new SimpleMeterRegistry();
    state.bindTo(registry);
    state.rejections().count(Rejections.Reason.UNAUTHORIZED);

    assertEquals(1.0, registry.get("service_http_rejected").tag("reason", "unauthorized").functionCounter().count());
  }
}
