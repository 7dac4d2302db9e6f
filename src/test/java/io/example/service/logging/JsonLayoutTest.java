package io.example.service.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

public class JsonLayoutTest {

  private final LoggerContext context = new LoggerContext();

  @Test
  void line_is_one_json_object_with_the_standard_fields() {
    LoggingEvent event = event("background job #{} done", new Object[] {3}, null);

    String text = new JsonLayout().doLayout(event);

    assertTrue(text.endsWith(System.lineSeparator()) && text.indexOf('\n') == text.length() - 1, text);
    assertEquals(new JsonObject().put("timestamp", "2026-11-22T05:43:02.822Z").put("level", "INFO")
        .put("logger", "io.example.service.worker.WorkerVerticle").put("thread", "vert.x-eventloop-thread-1")
        .put("message", "background job #3 done"), new JsonObject(text));
    assertTrue(text.startsWith("{\"timestamp\":"), "the time first, as people read it: " + text);
  }

  @Test
  void key_value_pairs_become_fields_and_keep_their_json_types() {
    LoggingEvent event = event("service stopped", null, null);
    List<KeyValuePair> pairs = new ArrayList<>();
    pairs.add(new KeyValuePair("reason", "signal:SIGTERM"));
    pairs.add(new KeyValuePair("exit", 0));
    pairs.add(new KeyValuePair("took_ms", 74L));
    pairs.add(new KeyValuePair("ratio", 0.5));
    pairs.add(new KeyValuePair("exact", new BigDecimal("1.25")));
    pairs.add(new KeyValuePair("ok", true));
    pairs.add(new KeyValuePair("none", null));
    pairs.add(new KeyValuePair("nan", Double.NaN));
    pairs.add(new KeyValuePair("list", List.of(1, 2)));
    event.setKeyValuePairs(pairs);

    JsonObject line = new JsonObject(new JsonLayout().doLayout(event));

    assertEquals("signal:SIGTERM", line.getString("reason"));
    assertEquals(0, line.getValue("exit"));
    assertEquals(74, line.getInteger("took_ms"));
    assertEquals(0.5, line.getDouble("ratio"));
    assertEquals(1.25, line.getDouble("exact"));
    assertEquals(true, line.getValue("ok"));
    assertTrue(line.containsKey("none") && line.getValue("none") == null);
    assertEquals("NaN", line.getValue("nan"), "JSON has no NaN: written as a string");
    assertEquals("[1, 2]", line.getValue("list"), "anything else is its toString");
  }

  @Test
  void a_pair_named_like_a_standard_field_is_prefixed_instead_of_overwriting_it() {
    LoggingEvent event = event("real message", null, null);
    event.setKeyValuePairs(new ArrayList<>(List.of(new KeyValuePair("message", "forged"))));

    JsonObject line = new JsonObject(new JsonLayout().doLayout(event));

    assertEquals("real message", line.getString("message"));
    assertEquals("forged", line.getString(JsonLayout.CLASH_PREFIX + "message"));
  }

  @Test
  void quotes_backslashes_and_control_characters_are_escaped_so_one_event_stays_one_line() {
    String nasty = "a \"quoted\" \\ path\nsecond line\r\t\u0001\u001f end é 😀";
    LoggingEvent event = event(nasty, null, null, "thread \"x\"");
    event.setKeyValuePairs(new ArrayList<>(List.of(new KeyValuePair("uri\n", nasty))));

    String text = new JsonLayout().doLayout(event);
    JsonObject line = new JsonObject(text);

    assertEquals(1, text.lines().count(), text);
    assertEquals(nasty, line.getString("message"));
    assertEquals(nasty, line.getString("uri\n"));
    assertEquals("thread \"x\"", line.getString("thread"));
    assertTrue(text.contains("\\u0001") && text.contains("\\u001f"), text);
  }

  @Test
  void a_throwable_is_the_stack_trace_field() {
    LoggingEvent event = event("boom", null, new IllegalStateException("why"));

    String text = new JsonLayout().doLayout(event);
    JsonObject line = new JsonObject(text);

    assertEquals(1, text.lines().count(), text);
    assertTrue(line.getString("stack_trace").startsWith("java.lang.IllegalStateException: why"), text);
    assertTrue(line.getString("stack_trace").contains("JsonLayoutTest"), text);
  }

  @Test
  void switchable_layout_changes_format_for_the_next_event_and_back() {
    SwitchableLayout layout = new SwitchableLayout(false);
    LoggingEvent event = event("hello", null, null);

    assertFalse(layout.doLayout(event).startsWith("{"));
    layout.use(true);
    assertEquals("hello", new JsonObject(layout.doLayout(event)).getString("message"));
    layout.use(false);
    assertTrue(layout.doLayout(event).contains("WorkerVerticle - hello"));
  }

  @Test
  void use_json_steps_aside_when_a_configuration_file_is_in_charge() {
    // The tests run with logback-test.xml (-Dlogback.configurationFile), as a user's conf/logback.xml would.
    assertFalse(ConsoleLogging.useJson(true));
  }

  private LoggingEvent event(String message, Object[] args, Throwable thrown) {
    return event(message, args, thrown, "vert.x-eventloop-thread-1");
  }

  private LoggingEvent event(String message, Object[] args, Throwable thrown, String thread) {
    LoggingEvent event = new LoggingEvent("fqcn", context.getLogger("io.example.service.worker.WorkerVerticle"),
        Level.INFO, message, thrown, args);
    event.setTimeStamp(1_795_326_182_822L);
    event.setThreadName(thread);
    return event;
  }
}
