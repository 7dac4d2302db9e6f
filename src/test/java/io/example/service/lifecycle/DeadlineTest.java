package io.example.service.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One clock for the whole stop: it runs from the moment the deadline is made. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
public class DeadlineTest {

  @Test
  void time_left_falls_as_time_passes_and_ends_at_zero(Vertx vertx, VertxTestContext testContext) {
    Deadline deadline = Deadline.in(5000);
    long atOnce = deadline.remainingMs();
    testContext.verify(() -> assertTrue(atOnce > 4900 && atOnce <= 5000, "left at once: " + atOnce));

    vertx.timer(200, TimeUnit.MILLISECONDS).onComplete(testContext.succeeding(later -> testContext.verify(() -> {
      long left = deadline.remainingMs();
      assertTrue(left <= 4800 && left > 3000, "left after 200 ms: " + left);
      assertTrue(deadline.elapsedMs() >= 200, "elapsed: " + deadline.elapsedMs());
      assertFalse(deadline.passed());
      testContext.completeNow();
    })));
  }

  @Test
  void a_passed_deadline_has_nothing_left(Vertx vertx, VertxTestContext testContext) {
    Deadline deadline = Deadline.in(50);

    vertx.timer(80, TimeUnit.MILLISECONDS).onComplete(testContext.succeeding(later -> testContext.verify(() -> {
      assertEquals(0, deadline.remainingMs());
      assertTrue(deadline.passed());
      testContext.completeNow();
    })));
  }
}
