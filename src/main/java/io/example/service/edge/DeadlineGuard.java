package io.example.service.edge;

import io.example.service.lifecycle.Deadline;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs an action at a deadline unless disarmed first. It lives on a plain daemon thread, outside Vert.x,
 * so it still fires when an event loop or a stop() hangs.
 */
final class DeadlineGuard {

  private final CountDownLatch disarmed = new CountDownLatch(1);

  private DeadlineGuard() {}

  /** Runs {@code atDeadline} when {@code deadline} passes, unless disarmed first. */
  public static DeadlineGuard arm(Deadline deadline, Runnable atDeadline) {
    DeadlineGuard guard = new DeadlineGuard();
    Thread thread = new Thread(() -> guard.fireAfter(deadline.remainingMs(), atDeadline), "shutdown-deadline");
    thread.setDaemon(true);
    thread.start();
    return guard;
  }

  public void disarm() {
    disarmed.countDown();
  }

  private void fireAfter(long timeoutMs, Runnable atDeadline) {
    try {
      if (!disarmed.await(timeoutMs, TimeUnit.MILLISECONDS)) {
        atDeadline.run();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
