package io.example.service.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.example.service.lifecycle.PartStatus;
import io.example.service.lifecycle.ServiceStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The service's own meters, and each part's, which the parts define themselves. */
public class ServiceMetersTest {

  private final ServiceStatus status = new ServiceStatus();
  private final MeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void the_state_gauge_says_the_current_state() {
    ServiceMeters.bind(registry, status, 0);
    status.ready();

    assertEquals(1.0, registry.get("service_state").tag("state", "READY").gauge().value());
    assertEquals(0.0, registry.get("service_state").tag("state", "STARTING").gauge().value());
  }

  @Test
  void every_part_binds_its_own_meters_and_a_broken_one_keeps_none_of_the_others_out() {
    status.add(part(registry -> {
      throw new IllegalStateException("a meter of this part is broken");
    }));
    status.add(part(registry -> Counter.builder("test_part_meter").register(registry)));
    ServiceMeters.bind(registry, status, 0);

    assertEquals(0.0, registry.get("test_part_meter").counter().count());
    assertTrue(registry.find("service_ready_seconds").gauge() != null);
  }

  private static PartStatus part(java.util.function.Consumer<MeterRegistry> meters) {
    return new PartStatus() {
      @Override
      public void addTo(JsonObject report) {
      }

      @Override
      public void bindTo(MeterRegistry target) {
        meters.accept(target);
      }
    };
  }
}
