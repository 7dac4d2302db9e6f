package io.example.service.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.example.service.config.ConfigLoader;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Vert.x options of each launch mode: the main mode's, and the file the stock launcher takes with -options. */
public class MetricsSetupTest {

  /** The labels that tag Vert.x's HTTP server meters on every request. */
  private static final Set<Label> PER_REQUEST = EnumSet.of(Label.HTTP_PATH, Label.HTTP_ROUTE, Label.HTTP_METHOD,
      Label.HTTP_CODE, Label.LOCAL, Label.REMOTE);

  @Test
  void metrics_off_leaves_vertx_metrics_disabled() {
    VertxOptions options = MetricsSetup.vertxOptions(ConfigLoader.load("{\"metrics\":{\"enabled\":false}}", Map.of()));

    assertFalse(options.getMetricsOptions().isEnabled());
  }

  @Test
  void metrics_on_means_prometheus_and_no_per_request_label() {
    VertxOptions options = MetricsSetup.vertxOptions(ConfigLoader.load(null, Map.of()));

    MicrometerMetricsOptions metrics = (MicrometerMetricsOptions) options.getMetricsOptions();
    assertTrue(metrics.isEnabled());
    assertTrue(metrics.getPrometheusOptions().isEnabled());
    assertEquals(MetricsSetup.REGISTRY_NAME, metrics.getRegistryName());
    assertTrue(metrics.getLabels().stream().noneMatch(PER_REQUEST::contains), "labels: " + metrics.getLabels());
    assertFalse(metrics.getDisabledMetricsCategories().contains("http.server"));
  }

  @Test
  void the_launchers_options_file_sets_what_the_main_mode_sets() throws IOException {
    JsonObject file = new JsonObject(Files.readString(Path.of("conf/vertx-options.json")));
    MicrometerMetricsOptions fromFile = new MicrometerMetricsOptions(file.getJsonObject("metricsOptions"));
    MicrometerMetricsOptions main = MetricsSetup.metricsOptions();

    assertEquals(main.isEnabled(), fromFile.isEnabled());
    assertEquals(main.getRegistryName(), fromFile.getRegistryName());
    assertEquals(main.getPrometheusOptions().isEnabled(), fromFile.getPrometheusOptions().isEnabled());
    assertEquals(main.isJvmMetricsEnabled(), fromFile.isJvmMetricsEnabled());
    assertEquals(main.getDisabledMetricsCategories(), fromFile.getDisabledMetricsCategories());
    // An empty list cannot be written there (vertx-micrometer-metrics copies it into an EnumSet, which
    // fails on an empty collection): the file names a label that only pool meters use, and those are off.
    assertTrue(fromFile.getLabels().stream().noneMatch(PER_REQUEST::contains), "labels: " + fromFile.getLabels());
  }
}
