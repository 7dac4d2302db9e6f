package io.example.service.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.example.service.http.Rejections.Reason;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reasons are a public name set (/status now, a metric label later): any rename must break a test. */
class RejectionsTest {

  @Test
  void reason_labels_are_the_documented_snake_case_names_in_order() {
    List<String> labels = Arrays.stream(Reason.values()).map(Reason::label).toList();
    assertEquals(List.of("missing_host", "invalid_host", "bad_request", "unsupported_version", "malformed_path",
        "malformed_query", "header_too_large", "uri_too_long", "body_too_large", "bad_body", "h2_protocol_error",
        "unauthorized"),
        labels);
  }

  @Test
  void every_reason_is_shown_from_the_start_with_zero() {
    JsonObject json = new Rejections().toJson();
    assertEquals(Reason.values().length, json.size());
    json.forEach(entry -> assertEquals(0L, entry.getValue(), entry.getKey()));
  }

  @Test
  void a_count_adds_to_its_own_reason_only() {
    Rejections rejections = new Rejections();
    rejections.count(Reason.MISSING_HOST);
    rejections.count(Reason.MISSING_HOST);
    rejections.count(Reason.H2_PROTOCOL_ERROR);
    assertEquals(2, rejections.total(Reason.MISSING_HOST));
    assertEquals(1, rejections.total(Reason.H2_PROTOCOL_ERROR));
    JsonObject json = rejections.toJson();
    assertEquals(2L, json.getLong("missing_host"));
    assertEquals(1L, json.getLong("h2_protocol_error"));
    assertEquals(3L, json.stream().mapToLong(e -> (Long) e.getValue()).sum());
  }

  @Test
  void counts_from_many_threads_are_not_lost() throws InterruptedException {
    Rejections rejections = new Rejections();
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 10_000; i++) {
          rejections.count(Reason.BAD_REQUEST);
        }
      });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join(10_000);
    }
    assertEquals(40_000, rejections.total(Reason.BAD_REQUEST));
  }
}
