package io.example.service.cluster;

import io.example.service.lifecycle.PartStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.function.IntSupplier;

/**
 * The {@code cluster} section of {@code /status}: whether this process is a member, and how many members its
 * own view of the cluster holds, itself included. It touches nothing of Hazelcast itself, so that the service
 * shows it when alone without loading Hazelcast. Clustering has no meters of its own: the worker's
 * {@code service_worker_active} says which member runs the jobs.
 */
public final class ClusterView implements PartStatus {

  private final IntSupplier members; // null when alone

  private ClusterView(IntSupplier members) {
    this.members = members;
  }

  /** Not clustered: a cluster of one. */
  public static ClusterView alone() {
    return new ClusterView(null);
  }

  /** A member; {@code members} reads its current view. */
  static ClusterView member(IntSupplier members) {
    return new ClusterView(members);
  }

  @Override
  public void addTo(JsonObject report) {
    report.put("cluster", new JsonObject()
        .put("enabled", members != null)
        .put("members", members == null ? 1 : members.getAsInt()));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    // none: see the class comment
  }
}
