package io.example.service.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.ActiveRole;
import io.example.service.lifecycle.Component;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * This process as a member of a cluster, when {@code cluster.enabled}: the cluster manager Vert.x is built
 * with, the component that leaves the cluster last, and the job lease. Made only when clustering is on,
 * so that nothing of Hazelcast is loaded otherwise; the rest of the service sees it through Vert.x and
 * our own interfaces.
 */
public final class ClusterNode {

  private final ServiceConfig config;
  private final HazelcastClusterManager manager;
  private ClusterLease lease;

  private ClusterNode(ServiceConfig config) {
    this.config = config;
    this.manager = new HazelcastClusterManager(HazelcastSettings.of(config));
  }

  /** At the process edge, before anything of Hazelcast runs. */
  public static ClusterNode create(ServiceConfig config) {
    // Hazelcast logs a few lines before it reads its config (which says SLF4J too): those as well.
    System.setProperty("hazelcast.logging.type", "slf4j");
    return new ClusterNode(config);
  }

  /** For {@code Vertx.builder().withClusterManager(...)}. */
  public ClusterManager manager() {
    return manager;
  }

  /** The event bus between members listens on {@code cluster.host} too, on a port the OS picks. */
  public VertxOptions vertxOptions() {
    return new VertxOptions().setEventBusOptions(new EventBusOptions().setHost(config.cluster().host()).setPort(0));
  }

  /** Before the worker and http in the start order, so that it stops after them; management and metrics stop later. */
  public Component component() {
    return new ClusterComponent(this);
  }

  /** This member's view of the cluster, for {@code /status}. */
  public ClusterView view() {
    return ClusterView.member(this::members);
  }

  /** The worker's role in the cluster: it runs the jobs only while it holds the lease. Only once Vert.x has joined. */
  public ActiveRole workerRole() {
    return new ClusterRole(lease(), config.worker().intervalMs());
  }

  /** The worker's lease; one per node. */
  private synchronized JobLease lease() {
    if (lease == null) {
      lease = new ClusterLease(hazelcast(), this::members, HazelcastSettings.expectedMembers(config.cluster()));
    }
    return lease;
  }

  /** Members in this member's own view of the cluster, itself included. */
  int members() {
    HazelcastInstance hazelcast = manager.getHazelcastInstance();
    return hazelcast == null || !hazelcast.getLifecycleService().isRunning()
        ? 1 : hazelcast.getCluster().getMembers().size();
  }

  HazelcastInstance hazelcast() {
    return manager.getHazelcastInstance();
  }

  HazelcastClusterManager hazelcastManager() {
    return manager;
  }

  synchronized void left() {
    if (lease != null) {
      lease.shutdown();
    }
  }
}
