package io.example.service.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.example.service.config.ServiceConfig;
import java.util.HashSet;

/**
 * Every Hazelcast setting the service relies on, in code: nothing is left to Hazelcast's defaults or to a
 * file on the classpath that could change them.
 */
final class HazelcastSettings {

  /** Without a heartbeat for this long, a member is removed: a frozen one is noticed after about this. */
  static final int MAX_NO_HEARTBEAT_SECONDS = 3;

  private HazelcastSettings() {}

  static Config of(ServiceConfig config) {
    ServiceConfig.Cluster cluster = config.cluster();
    Config hazelcast = new Config();
    hazelcast.setClusterName("supervised-service");
    // Logs through SLF4J like the rest of the service (its default writes to java.util.logging on stderr).
    hazelcast.setProperty("hazelcast.logging.type", "slf4j");
    // Our stop plan leaves the cluster after the worker's job: Hazelcast's own hook would leave first.
    hazelcast.setProperty("hazelcast.shutdownhook.enabled", "false");
    hazelcast.setProperty("hazelcast.phone.home.enabled", "false");
    // Bind to cluster.host only (the default binds every address).
    hazelcast.setProperty("hazelcast.socket.bind.any", "false");
    // Failure detection fast enough for the takeover targets: a member that dies is removed as soon as its
    // connections close (well under a second), or else, like a frozen one, after 3 s without a heartbeat.
    hazelcast.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hazelcast.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(MAX_NO_HEARTBEAT_SECONDS));
    hazelcast.setProperty("hazelcast.wait.seconds.before.join", "1");
    // Members that started at the same moment may each form a cluster of their own, and a member that was
    // frozen resumes in one of its own: look for other clusters to merge with every 5 s, not after 300 s.
    hazelcast.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    hazelcast.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    // A few replicas holding a lease and two numbers need few partitions: 271 (the default) take seconds to
    // migrate when a member joins or is lost, and a takeover in that window waited for them.
    hazelcast.setProperty("hazelcast.partition.count", "19");
    // Leaving waits for partitions to move, 600 s by default; keep it well inside the shutdown deadline.
    long leaveSeconds = Math.max(1, config.shutdown().timeoutMs() / 2000);
    hazelcast.setProperty("hazelcast.graceful.shutdown.max.wait", Long.toString(leaveSeconds));
    network(hazelcast.getNetworkConfig(), cluster);
    return hazelcast;
  }

  private static void network(NetworkConfig network, ServiceConfig.Cluster cluster) {
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface(cluster.host());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1).setMembers(cluster.members());
  }

  /**
   * The members the cluster should have: those listed, this one among them (at least 1). Counted from the
   * list as written, since a name there (a pod's DNS name) need not match this member's own address.
   */
  static int expectedMembers(ServiceConfig.Cluster cluster) {
    return Math.max(1, new HashSet<>(cluster.members()).size());
  }
}
