package io.example.service;

import static io.example.service.ServiceProcessIT.EXIT_TIMEOUT;
import static io.example.service.ServiceProcessIT.assertSummary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The edges of clustering: a member that cannot start, one alone, a stop while a peer is frozen, the launcher. */
public class ClusterEdgesIT {

  @RegisterExtension
  final ServiceProcesses services = new ServiceProcesses();

  static String conf(int port, long deadlineMs, int... peers) {
    StringBuilder members = new StringBuilder("\"127.0.0.1:" + port + "\"");
    for (int peer : peers) {
      members.append(",\"127.0.0.1:").append(peer).append('"');
    }
    return "{\"http\":{\"host\":\"127.0.0.1\",\"port\":0,\"instances\":1},\"worker\":{\"intervalMs\":500,\"jobMs\":100},"
        + "\"shutdown\":{\"timeoutMs\":" + deadlineMs + "},\"startup\":{\"timeoutMs\":20000},"
        + "\"cluster\":{\"enabled\":true,\"host\":\"127.0.0.1\",\"port\":" + port + ",\"members\":[" + members + "]}}";
  }

  @Test
  void member_whose_cluster_port_is_taken_fails_to_start_with_exit_15() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ServiceProcess service = services.jar(conf(taken.getLocalPort(), 5000));

      assertEquals(15, service.awaitExit(EXIT_TIMEOUT));
      assertSummary(service, "deploy-failure:cluster", 15);
      assertTrue(service.stdout().stream().anyMatch(line -> line.contains("cluster failed to start")));
      assertTrue(service.stdout().stream().noneMatch(line -> line.contains("service ready")));
    }
  }

  /** A peer that accepts connections and never answers (this socket) keeps the join waiting. */
  @Test
  void member_that_has_not_joined_within_startup_timeout_fails_with_exit_15() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String conf = conf(freePort(), 5000, silent.getLocalPort()).replace("\"timeoutMs\":20000", "\"timeoutMs\":3000");
      ServiceProcess service = services.jar(conf);

      assertEquals(15, service.awaitExit(EXIT_TIMEOUT));
      assertSummary(service, "deploy-failure:cluster", 15);
      assertTrue(service.stdout().stream().anyMatch(line -> line.contains("cluster did not start within 3000 ms")),
          String.join("\n", service.stdout()));
    }
  }

  @Test
  void first_member_whose_peers_are_down_forms_its_own_cluster_is_ready_and_stands_by() throws Exception {
    ServiceProcess service = services.jar(conf(freePort(), 5000, freePort()));
    int port = service.awaitPort();

    assertEquals(200, Http.get(port, "/readyz").statusCode());
    JsonObject status = new JsonObject(Http.get(port, "/status").body());
    assertEquals(new JsonObject().put("enabled", true).put("members", 1), status.getJsonObject("cluster"));
    // Two members expected, one seen: no majority, so it runs no job until its peer joins.
    assertEquals(false, status.getJsonObject("worker").getBoolean("active"));
    service.awaitLine("standing by for the job lease (1 of 2 expected members)", Duration.ofSeconds(5));
    assertEquals(0, service.signalAndAwaitExit("TERM", EXIT_TIMEOUT).code());
  }

  /** Leaving waits for every member while a frozen one is not yet removed: the deadline ends it, and says so. */
  @Test
  void stop_while_a_peer_is_frozen_ends_at_the_deadline_naming_the_cluster() throws Exception {
    int portA = freePort();
    int portB = freePort();
    ServiceProcess a = services.jar(conf(portA, 3000, portB));
    ServiceProcess b = services.jar(conf(portB, 3000, portA));
    a.awaitPort();
    b.awaitPort();
    a.awaitLine(line -> line.contains("joined the cluster: 2") || line.contains("the cluster has 2"), Duration.ofSeconds(40));
    b.signal("STOP");
    try {
      ServiceProcess.Exit exit = a.signalAndAwaitExit("TERM", Duration.ofSeconds(10));
      System.out.printf("ClusterEdgesIT: stop with a frozen peer: exit %d in %d ms: %s%n", exit.code(), exit.tookMs(),
          a.lastLine().substring(a.lastLine().indexOf("service stopped")));
      assertEquals(124, exit.code());
      assertTrue(a.lastLine().matches(".*service stopped: reason=deadline, exit=124, took=\\d+ms, busy=cluster"), a.lastLine());
      assertTrue(exit.tookMs() < 3000 + 2000, "within the deadline: " + exit.tookMs());
    } finally {
      b.signal("CONT");
    }
  }

  /** The start-up figures depend on it: Vert.x would instantiate a cluster manager it finds listed. */
  @Test
  void no_hazelcast_class_is_loaded_with_clustering_off() throws Exception {
    ServiceProcess service = services.command(List.of(ServiceProcess.JAVA.toString(), "-Xlog:class+load=info:stdout",
        "-jar", ServiceProcess.JAR.toAbsolutePath().toString(), "-conf",
        "{\"http\":{\"host\":\"127.0.0.1\",\"port\":0},\"worker\":{\"intervalMs\":100,\"jobMs\":10}}"), null);
    service.awaitLine("background job #1 done", EXIT_TIMEOUT);
    assertEquals(0, service.signalAndAwaitExit("TERM", EXIT_TIMEOUT).code());

    List<String> loaded = service.stdout().stream().filter(line -> line.contains("[class,load]")).toList();
    assertTrue(loaded.size() > 1000, "the class loading log is there: " + loaded.size());
    assertEquals(List.of(), loaded.stream().filter(line -> line.contains("hazelcast")).toList());
  }

  @Test
  void stock_launcher_refuses_clustering_with_one_config_line_and_exit_2() throws Exception {
    ServiceProcess service = services.command(List.of(ServiceProcess.JAVA.toString(), "-cp",
        ServiceProcess.JAR.toAbsolutePath().toString(), "io.vertx.core.Launcher", "run",
        SupervisorVerticle.class.getName(), "-conf", "{\"cluster\":{\"enabled\":true}}"), null);

    assertEquals(2, service.awaitExit(EXIT_TIMEOUT));
    assertEquals(1, service.stderr().size(), String.join("\n", service.stderr()));
    assertTrue(service.stderr().get(0).startsWith("config error: cluster.enabled: clustering needs the main mode"),
        service.stderr().get(0));
    assertSummary(service, "config", 2);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
