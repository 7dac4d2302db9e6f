package io.example.service.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.example.service.config.ConfigLoader;
import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.ServiceStatus;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code http.accessLog} off must cost nothing per request: no route of it in the table at all. */
@ExtendWith(VertxExtension.class)
public class AccessLogRouteTest {

  @Test
  void access_log_adds_one_route_first_when_on_and_none_when_off(Vertx vertx) {
    int off = routes(vertx, "{}");
    int on = routes(vertx, "{\"http\":{\"accessLog\":true}}");

    assertEquals(off + 1, on);
  }

  private static int routes(Vertx vertx, String conf) {
    ServiceConfig config = ConfigLoader.load(conf, Map.of());
    ServiceStatus status = new ServiceStatus();
    RequestGate gate = new RequestGate(status, new RequestLimits(config.http().maxBodyBytes()), new ConnectionTracker());
    return new Routes(vertx, config, status, gate, failure -> { }).router().getRoutes().size();
  }
}
