package io.example.service.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.example.service.config.ConfigLoader;
import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.WarmupTraffic;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code http.accessLog} off must cost nothing per request: the access log is then not in front at all. */
@ExtendWith(VertxExtension.class)
public class AccessLogRouteTest {

  @Test
  void the_access_log_is_in_front_of_the_gate_when_on_and_absent_when_off(Vertx vertx) {
    assertFalse(requestHandler(vertx, "{}") instanceof AccessLog);
    assertTrue(requestHandler(vertx, "{\"http\":{\"accessLog\":true}}") instanceof AccessLog);
  }

  private static Handler<HttpServerRequest> requestHandler(Vertx vertx, String conf) {
    ServiceConfig config = ConfigLoader.load(conf, Map.of());
    ServiceStatus status = new ServiceStatus();
    RequestGate gate = new RequestGate(status, new HttpState(), new RequestLimits(config.http().maxBodyBytes(), new Rejections()),
        new ConnectionTracker(), WarmupTraffic.create());
    return new Routes(vertx, config, status, gate, failure -> { }, null, List.of()).requestHandler();
  }
}
