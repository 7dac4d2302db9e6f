package io.example.service.lifecycle;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Between "every component has started" and READY: each component warms itself ({@link Component#warmUp}),
 * all at once, within {@code startup.warmupMs} and what is left of {@code startup.timeoutMs}. A warm-up never
 * fails the start: it is an optimisation, and a replica that could not warm up still serves. A stop
 * interrupts it at once.
 */
final class WarmupPhase {

  private static final Logger log = LoggerFactory.getLogger(WarmupPhase.class);
  /** How long past its budget a component's warm-up may take to wind down before the start goes on without it. */
  private static final long GRACE_MS = 1000;

  private final List<Component> components;
  private final long warmupMs;
  private final Promise<Void> interrupted = Promise.promise();

  WarmupPhase(List<Component> components, long warmupMs) {
    this.components = List.copyOf(components);
    this.warmupMs = warmupMs;
  }

  /** Completes when every component is warm, or its budget is spent, or a stop has interrupted it; never fails. */
  Future<Void> run(long startupLeftMs) {
    if (warmupMs == 0 || interrupted.future().isComplete()) {
      return Future.succeededFuture();
    }
    long budgetMs = Math.min(warmupMs, startupLeftMs);
    if (budgetMs < warmupMs) {
      log.info("warm-up: budget cut to {} ms by startup.timeoutMs", budgetMs);
    }
    if (budgetMs <= 0) {
      return Future.succeededFuture();
    }
    List<Future<Void>> warmUps = components.stream()
        .map(component -> component.warmUp(budgetMs, interrupted.future())
            .onFailure(cause -> log.warn("{} warm-up failed: {}", component.name(), Causes.describe(cause))))
        .toList();
    return Future.join(warmUps)
        .timeout(budgetMs + GRACE_MS, TimeUnit.MILLISECONDS)
        .onFailure(ignored -> interrupt())
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  /** Ends the warm-up at once, from any thread: a stop has begun, or a component failed. */
  void interrupt() {
    interrupted.tryComplete();
  }
}
