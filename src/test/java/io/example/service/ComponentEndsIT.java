package io.example.service;

import static io.example.service.ServiceProcessIT.EXIT_TIMEOUT;
import static io.example.service.ServiceProcessIT.FAST;
import static io.example.service.ServiceProcessIT.assertInOrder;
import static io.example.service.ServiceProcessIT.assertSummary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The main mode, when a component ends without being asked: one exits, all exit; a start has a deadline. */
public class ComponentEndsIT {

  @RegisterExtension
  final ServiceProcesses services = new ServiceProcesses();

  @Test
  void worker_that_undeploys_itself_stops_everything_with_exit_1() throws Exception {
    ServiceProcess service = services.jar("{" + FAST + ",\"simulate\":{\"workerUndeploysAfterJobs\":2}}");
    service.awaitPort();

    assertEquals(1, service.awaitExit(EXIT_TIMEOUT));
    assertSummary(service, "stopped:worker", 1);
    assertInOrder(service.stdout(), "background job #2 done", "worker undeploying itself",
        "worker is being undeployed outside the stop plan", "stopping: reason=stopped:worker", "http draining",
        "http stopped in", "worker stopped after 2 jobs", "all components stopped", "service stopped");
  }

  @Test
  void start_that_never_completes_fails_with_exit_15_at_startup_timeout() throws Exception {
    long startNanos = System.nanoTime();
    ServiceProcess service = services.jar("{" + FAST + ",\"startup\":{\"timeoutMs\":1500},"
        + "\"simulate\":{\"workerStartHangs\":true}}");

    assertEquals(15, service.awaitExit(EXIT_TIMEOUT));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    assertSummary(service, "deploy-failure:worker", 15);
    assertInOrder(service.stdout(), "worker did not start within 1500 ms (startup.timeoutMs)",
        "http undeployed after a failed start");
    assertTrue(tookMs >= 1500 && tookMs < 1500 + 8000, "launch to exit took " + tookMs + " ms");
    assertTrue(service.stdout().stream().noneMatch(line -> line.contains("service ready")), "never ready");
  }
}
