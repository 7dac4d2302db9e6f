package io.example.service.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The warm-up's stop criterion: a flat throughput counts only while the JIT is quiet. */
public class PlateauTest {

  private static final long WINDOW_MS = 250;
  private static final long QUIET = 10;
  private static final long BUSY = 200;

  @Test
  void rising_throughput_is_not_warm() {
    Plateau plateau = new Plateau();
    for (long rate = 1000; rate < 100_000; rate *= 1.2) {
      assertFalse(plateau.warmAfter(rate, WINDOW_MS, QUIET), "still rising at " + rate);
    }
  }

  @Test
  void flat_throughput_with_a_quiet_jit_is_warm_after_four_windows() {
    Plateau plateau = new Plateau();
    assertFalse(plateau.warmAfter(20_000, WINDOW_MS, BUSY));
    assertFalse(plateau.warmAfter(20_500, WINDOW_MS, QUIET));
    assertFalse(plateau.warmAfter(19_800, WINDOW_MS, QUIET));
    assertFalse(plateau.warmAfter(20_900, WINDOW_MS, QUIET));
    assertTrue(plateau.warmAfter(20_100, WINDOW_MS, QUIET));
  }

  @Test
  void flat_throughput_while_the_jit_compiles_is_not_warm() {
    Plateau plateau = new Plateau();
    plateau.warmAfter(20_000, WINDOW_MS, BUSY);
    for (int i = 0; i < 20; i++) {
      assertFalse(plateau.warmAfter(20_000, WINDOW_MS, BUSY), "window " + i);
    }
  }

  @Test
  void a_jump_after_a_flat_stretch_starts_the_count_again() {
    Plateau plateau = new Plateau();
    plateau.warmAfter(10_000, WINDOW_MS, QUIET);
    plateau.warmAfter(10_000, WINDOW_MS, QUIET);
    plateau.warmAfter(10_000, WINDOW_MS, QUIET);
    assertFalse(plateau.warmAfter(30_000, WINDOW_MS, QUIET), "the C2 code arrived");
    assertFalse(plateau.warmAfter(30_000, WINDOW_MS, QUIET));
    assertFalse(plateau.warmAfter(30_000, WINDOW_MS, QUIET));
    assertFalse(plateau.warmAfter(30_000, WINDOW_MS, QUIET));
    assertTrue(plateau.warmAfter(30_000, WINDOW_MS, QUIET));
  }
}
