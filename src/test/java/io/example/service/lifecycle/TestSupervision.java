package io.example.service.lifecycle;

import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A supervisor stand-in for tests of one component: passes failures on and records outside undeploys. */
public final class TestSupervision implements Supervision {

  private final Consumer<Throwable> onFailure;
  private final List<String> stoppedOutsidePlan = new CopyOnWriteArrayList<>();

  public TestSupervision(Consumer<Throwable> onFailure) {
    this.onFailure = onFailure;
  }

  @Override
  public void failed(String component, Throwable cause) {
    onFailure.accept(cause);
  }

  @Override
  public Future<Void> stoppedOutsidePlan(String component) {
    stoppedOutsidePlan.add(component);
    return Future.succeededFuture();
  }

  public List<String> stoppedOutsidePlan() {
    return stoppedOutsidePlan;
  }
}
