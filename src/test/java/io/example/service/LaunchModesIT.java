package io.example.service;

import static io.example.service.ServiceProcessIT.EXIT_TIMEOUT;
import static io.example.service.ServiceProcessIT.assertSummary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The other ways to launch the service: the stock Vert.x launcher, PID 1 of a container, custom logging. */
public class LaunchModesIT {

  static final String CONF = "{\"http\":{\"host\":\"127.0.0.1\",\"port\":0,\"instances\":1},"
      + "\"worker\":{\"intervalMs\":100,\"jobMs\":50},\"shutdown\":{\"timeoutMs\":1500}}";

  @RegisterExtension
  final ServiceProcesses services = new ServiceProcesses();

  private static List<String> stockLauncher(String conf) {
    return List.of(ServiceProcess.JAVA.toString(), "-cp", ServiceProcess.JAR.toAbsolutePath().toString(),
        "io.vertx.core.Launcher", "run", SupervisorVerticle.class.getName(), "-conf", conf);
  }

  @Test
  void stock_launcher_serves_and_stops_in_order_on_sigterm() throws Exception {
    ServiceProcess service = services.command(stockLauncher(CONF), null);
    int port = service.awaitPort();
    assertEquals("Hello world", Http.get(port, "/").body());

    service.signal("TERM");

    // The supervisor handles the signal itself there too: a clean stop is 0, not the JVM hook's 143.
    assertEquals(0, service.awaitExit(EXIT_TIMEOUT));
    ServiceProcessIT.assertInOrder(service.stdout(), "signal received: SIGTERM", "http draining",
        "http listener closed", "http stopped in", "worker stopped after", "all components stopped");
    assertSummary(service, "signal:SIGTERM", 0);
  }

  @Test
  void stock_launcher_exits_15_with_the_summary_last_when_a_component_fails_to_start() throws Exception {
    ServiceProcess service = services.command(stockLauncher(withSimulate("\"workerStartFailure\":true")), null);

    assertEquals(15, service.awaitExit(EXIT_TIMEOUT));
    assertSummary(service, "deploy-failure:worker", 15);
    assertTrue(service.stdout().stream().noneMatch(line -> line.contains("Failed in deploying")),
        "the launcher's own report (a stack trace, exit 0) never comes:\n" + String.join("\n", service.stdout()));
  }

  @Test
  void stock_launcher_exits_1_when_a_component_fails_at_runtime() throws Exception {
    ServiceProcess service = services.command(stockLauncher(withSimulate("\"workerFailAfterJobs\":2")), null);

    assertEquals(1, service.awaitExit(EXIT_TIMEOUT));
    assertSummary(service, "failure:worker", 1);
    ServiceProcessIT.assertInOrder(service.stdout(), "worker failed", "http stopped in", "worker stopped after");
  }

  @Test
  void stock_launcher_exits_1_when_a_component_undeploys_itself() throws Exception {
    ServiceProcess service = services.command(stockLauncher(withSimulate("\"workerUndeploysAfterJobs\":2")), null);

    assertEquals(1, service.awaitExit(EXIT_TIMEOUT));
    assertSummary(service, "stopped:worker", 1);
    ServiceProcessIT.assertInOrder(service.stdout(), "worker undeploying itself", "http stopped in",
        "worker stopped after");
  }

  @Test
  void stock_launcher_exits_2_with_one_line_for_a_config_it_cannot_use() throws Exception {
    ServiceProcess service = services.command(stockLauncher("{\"http\":{\"port\":70000}}"), null);

    assertEquals(2, service.awaitExit(EXIT_TIMEOUT));
    assertEquals(List.of("config error: http.port: must be between 0 and 65535, got 70000"), service.stderr());
    assertSummary(service, "config", 2);
  }

  private static String withSimulate(String knob) {
    return CONF.substring(0, CONF.length() - 1) + ",\"simulate\":{" + knob + "}}";
  }

  @Test
  void stock_launcher_is_halted_at_the_deadline_when_a_request_outlasts_it() throws Exception {
    ServiceProcess service = services.command(stockLauncher(CONF), null);
    int port = service.awaitPort();
    Http.getAsync(port, "/timeout?ms=30000");
    ServiceProcessIT.awaitInFlight(port);

    ServiceProcess.Exit exit = service.signalAndAwaitExit("TERM", EXIT_TIMEOUT);

    // Without the guard the launcher's hook would wait 2 minutes for Vert.x to close.
    assertEquals(124, exit.code());
    assertSummary(service, "deadline", 124);
    assertTrue(exit.tookMs() >= 1500 - 50 && exit.tookMs() < 1500 + 2000, "signal to exit took " + exit.tookMs() + " ms");
  }

  @Test
  void as_pid_1_of_a_pid_namespace_sigterm_stops_with_exit_0() throws Exception {
    assumeUnshareWorks();
    ServiceProcess namespace = services.command(List.of("unshare", "--fork", "--pid", "--mount-proc",
        ServiceProcess.JAVA.toString(), "-jar", ServiceProcess.JAR.toAbsolutePath().toString(), "-conf", CONF), null);
    namespace.awaitPort();
    long javaPid = onlyChild(namespace.pid());
    assertTrue(Files.readString(Path.of("/proc/" + javaPid + "/status")).matches("(?s).*NSpid:\\s+\\d+\\s+1\\n.*"),
        "java is PID 1 in its namespace");

    ServiceProcess.signal(javaPid, "TERM");

    assertEquals(0, namespace.awaitExit(EXIT_TIMEOUT)); // unshare passes java's exit code on
    assertSummary(namespace, "signal:SIGTERM", 0);
  }

  @Test
  void conf_logback_xml_in_the_working_directory_replaces_the_built_in_logging(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("conf"));
    Files.writeString(dir.resolve("conf/logback.xml"), """
        <configuration>
          <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>CUSTOM %msg%n</pattern></encoder>
          </appender>
          <root level="INFO"><appender-ref ref="OUT"/></root>
        </configuration>
        """);
    ServiceProcess service = services.command(List.of(ServiceProcess.JAVA.toString(), "-jar",
        ServiceProcess.JAR.toAbsolutePath().toString(), "-conf", CONF), dir);
    service.awaitPort();
    service.signal("TERM");

    assertEquals(0, service.awaitExit(EXIT_TIMEOUT));
    assertTrue(service.stdout().stream().allMatch(line -> line.startsWith("CUSTOM ")), String.join("\n", service.stdout()));
    assertEquals("CUSTOM service stopped: reason=signal:SIGTERM, exit=0", service.lastLine().replaceAll(", took=.*", ""));
  }

  private static void assumeUnshareWorks() throws Exception {
    Process probe = new ProcessBuilder("unshare", "--fork", "--pid", "--mount-proc", "true").start();
    boolean works = probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
    Assumptions.assumeTrue(works, "unshare needs root or user namespaces");
  }

  /** The forked child of {@code unshare --fork}: the service's PID as this host sees it. */
  private static long onlyChild(long pid) throws Exception {
    String children = Files.readString(Path.of("/proc/" + pid + "/task/" + pid + "/children")).trim();
    assertTrue(children.matches("\\d+"), "unshare has one child: '" + children + "'");
    return Long.parseLong(children);
  }
}
