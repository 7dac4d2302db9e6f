package io.example.service.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.example.service.lifecycle.Component;
import io.example.service.lifecycle.Deadline;
import io.example.service.lifecycle.Supervision;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Membership of the cluster as a component of the plan. Vert.x is built clustered, so by the time the
 * plan starts this component the member has joined a cluster or formed its own. Its step in the stop,
 * the last one, is leaving the cluster: after the HTTP drain and after the worker has handed its lease
 * over. Leaving can hang while a peer is frozen and not yet removed; the plan's deadline then cuts it
 * off and names it, and Vert.x's own close finds the cluster already left.
 */
final class ClusterComponent implements Component, MembershipListener {

  static final String NAME = "cluster";
  private static final Logger log = LoggerFactory.getLogger(ClusterComponent.class);

  private final ClusterNode node;

  ClusterComponent(ClusterNode node) {
    this.node = node;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Void> start(Vertx vertx, Supervision supervision) {
    node.hazelcast().getCluster().addMembershipListener(this); // local, gone with the instance
    var self = node.hazelcast().getCluster().getLocalMember().getAddress();
    log.info("joined the cluster: {} members (this one on {}:{})", node.members(), self.getHost(), self.getPort());
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> drain(Deadline deadline) {
    long startNanos = System.nanoTime();
    log.info("leaving the cluster ({} ms left)", deadline.remainingMs());
    Promise<Void> left = Promise.promise();
    node.hazelcastManager().leave(left);
    return left.future().andThen(ar -> {
      node.left();
      if (ar.succeeded()) {
        log.info("left the cluster in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
      }
    });
  }

  @Override
  public Future<Void> undeploy() {
    return Future.succeededFuture();
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    log.info("a member joined: the cluster has {} members", event.getMembers().size());
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    log.info("a member left or was removed: the cluster has {} members", event.getMembers().size());
  }
}
