package io.example.service.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

public class ConsoleLayoutTest {

  @ParameterizedTest
  @ValueSource(longs = {0L, 951_782_400_000L, 1_795_326_182_822L, 4_102_444_799_999L, -86_400_001L})
  void utc_timestamp_matches_java_time(long epochMillis) {
    StringBuilder out = new StringBuilder();
    ConsoleLayout.appendUtc(out, epochMillis);
    assertEquals(Instant.ofEpochMilli(epochMillis).toString().replaceAll("(\\.\\d{3})?Z$", "") + millis(epochMillis),
        out.toString());
  }

  @Test
  void utc_timestamp_matches_java_time_over_a_thousand_random_instants() {
    Random random = new Random(42);
    for (int i = 0; i < 1000; i++) {
      long epochMillis = random.nextLong() % 10_000_000_000_000L;
      utc_timestamp_matches_java_time(Math.abs(epochMillis));
    }
  }

  @Test
  void line_has_time_level_thread_logger_and_message() {
    LoggerContext context = new LoggerContext();
    LoggingEvent event = new LoggingEvent("fqcn", context.getLogger("io.example.service.WorkerVerticle"),
        Level.INFO, "background job #{} done", null, new Object[] {3});
    event.setTimeStamp(1_795_326_182_822L);
    event.setThreadName("vert.x-eventloop-thread-1");
    String line = new ConsoleLayout().doLayout(event);
    assertEquals("2026-11-22T05:43:02.822Z INFO  [vert.x-eventloop-thread-1] WorkerVerticle - background job #3 done"
        + System.lineSeparator(), line);
  }

  @Test
  void a_throwable_follows_the_line() {
    LoggerContext context = new LoggerContext();
    LoggingEvent event = new LoggingEvent("fqcn", context.getLogger("x.Y"), Level.ERROR, "boom",
        new IllegalStateException("why"), null);
    String text = new ConsoleLayout().doLayout(event);
    assertTrue(text.contains(" ERROR [") && text.contains("Y - boom") && text.contains("IllegalStateException: why"),
        text);
  }

  private static String millis(long epochMillis) {
    return String.format(".%03dZ", Math.floorMod(epochMillis, 1000L));
  }
}
