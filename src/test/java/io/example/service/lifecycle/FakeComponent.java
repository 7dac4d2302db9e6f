package io.example.service.lifecycle;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/** A component for tests of the supervisor and the plan: each call is written to a shared event list. */
final class FakeComponent implements Component {

  private final String name;
  private final List<String> events;
  private Future<Void> start = Future.succeededFuture();
  private Function<Deadline, Future<Void>> drain = deadline -> Future.succeededFuture();
  private Supervision supervision;
  private BiFunction<Long, Future<Void>, Future<Void>> warmUp = (budgetMs, interrupted) -> Future.succeededFuture();

  FakeComponent(String name, List<String> events) {
    this.name = name;
    this.events = events;
  }

  /** The start completes with {@code outcome}; a promise never completed makes a start that hangs. */
  FakeComponent startsWith(Future<Void> outcome) {
    this.start = outcome;
    return this;
  }

  FakeComponent neverStarts() {
    return startsWith(Promise.<Void>promise().future());
  }

  FakeComponent drainsWith(Function<Deadline, Future<Void>> step) {
    this.drain = step;
    return this;
  }

  /** The warm-up: given its budget and the future that interrupts it. */
  FakeComponent warmsUpWith(BiFunction<Long, Future<Void>, Future<Void>> step) {
    this.warmUp = step;
    return this;
  }

  Supervision supervision() {
    return supervision;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<Void> start(Vertx vertx, Supervision supervision) {
    this.supervision = supervision;
    events.add(name + " start");
    return start;
  }

  @Override
  public Future<Void> warmUp(long budgetMs, Future<Void> interrupted) {
    events.add(name + " warm-up");
    return warmUp.apply(budgetMs, interrupted);
  }

  @Override
  public Future<Void> drain(Deadline deadline) {
    events.add(name + " drain");
    return drain.apply(deadline).andThen(ignored -> events.add(name + " drained"));
  }

  @Override
  public Future<Void> undeploy() {
    events.add(name + " undeploy");
    return Future.succeededFuture();
  }
}
